"""Root query fields of continuing education: the course catalogue, my learning, my hours
with the cycle requirement, transcripts, reviewers' pending self-reports, and completion
statistics (set-based, reusable by analytics)."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import or_, text
from sqlmodel import col, select
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai
from regsafe.education import hours as hours_service
from regsafe.education.models import (
    Course,
    CourseStatus,
    Enrolment,
    HourRecord,
    HourSource,
    HourStatus,
    TrainingProvider,
    Transcript,
    TranscriptStatus,
)
from regsafe.education.scopes import hour_scope
from regsafe.education.service import EducationPolicy
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.ratelimit import TRANSCRIPT_VERIFICATION, limit_public
from regsafe.graphql.core.relay import Connection, node_pk, paginate
from regsafe.identity import rules as id_rules
from regsafe.identity.models import Person

from .inputs import CourseFilter
from .types import (
    CourseStatistics,
    CourseType,
    EnrolmentType,
    HourRecordType,
    LearningPolicy,
    MyHours,
    ProviderStatistics,
    RequirementStatusType,
    TrainingProviderType,
    TranscriptType,
    TranscriptVerification,
    course_scope,
)

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)
STATISTICS_READERS = (Role.ANALYST, Role.ADMIN, Role.TRAINER)

# Completion per course in one statement: enrolments joined once, attempts aggregated
# per enrolment through the (enrolment_id, attempt_no) index.
_COURSE_STATS = """
SELECT c.id AS course_id,
       count(e.id) AS enrolled,
       count(e.units_completed_at) AS units_completed,
       count(e.completed_at) AS completed,
       coalesce(sum(a.n), 0) AS attempts,
       coalesce(sum(a.passed), 0) AS passed
FROM course c
LEFT JOIN enrolment e ON e.course_id = c.id
LEFT JOIN LATERAL (
    SELECT count(*) AS n, count(*) FILTER (WHERE x.passed) AS passed
    FROM exam_attempt x WHERE x.enrolment_id = e.id AND x.status <> 'IN_PROGRESS'
) a ON true
WHERE c.status <> 'DRAFT' AND (CAST(:provider AS bigint) IS NULL OR c.provider_id = :provider)
GROUP BY c.id
ORDER BY c.id
LIMIT :limit
"""

_PROVIDER_STATS = """
SELECT p.id AS provider_id,
       count(DISTINCT c.id) AS courses,
       count(e.id) AS enrolled,
       count(e.completed_at) AS completed,
       coalesce((SELECT sum(h.hours) FROM hour_record h
                 WHERE h.provider_id = p.id AND h.status = 'ACCEPTED'), 0) AS hours_awarded
FROM training_provider p
LEFT JOIN course c ON c.provider_id = p.id AND c.status <> 'DRAFT'
LEFT JOIN enrolment e ON e.course_id = c.id
WHERE (CAST(:provider AS bigint) IS NULL OR p.id = :provider)
GROUP BY p.id
ORDER BY p.id
LIMIT :limit
"""


async def _statistics_provider(
    info: strawberry.Info, provider_id: relay.GlobalID | None
) -> int | None:
    """Trainers see their own provider only; analysts and admins any (or all)."""
    viewer = info.context.viewer
    requested = node_pk(provider_id, "TrainingProvider") if provider_id else None
    if provider_id is not None and requested is None:
        raise BadUserInput("培训机构 ID 无效", "INVALID_ID")
    if viewer.has(Role.ANALYST, Role.ADMIN):
        return requested
    own = await info.context.rows(
        select(TrainingProvider.id).where(col(TrainingProvider.employer_id) == viewer.employer_id)
    )
    if not own:
        raise BadUserInput("当前账号不属于培训机构", "NOT_A_PROVIDER")
    return int(own[0])


@strawberry.type
class EducationQuery:
    @strawberry.field(
        description="课程目录: published courses (and, for trainers, their own drafts).",
        extensions=requires(),
    )
    async def courses(
        self,
        info: strawberry.Info,
        filter: CourseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CourseType]:
        viewer = info.context.viewer
        f = filter or CourseFilter()
        stmt = select(Course).where(course_scope(viewer))
        if f.specialty is not None:
            stmt = stmt.where(
                or_(col(Course.specialty) == f.specialty.value, col(Course.specialty).is_(None))
            )
        if f.subject_kind is not None:
            stmt = stmt.where(col(Course.subject_kind) == f.subject_kind.value)
        if f.provider_id is not None:
            stmt = stmt.where(
                col(Course.provider_id) == (node_pk(f.provider_id, "TrainingProvider") or 0)
            )
        if f.open is not None:
            today = today_shanghai()
            is_open = (
                (col(Course.status) == CourseStatus.PUBLISHED.value)
                & (col(Course.opens_on) <= today)
                & (col(Course.closes_on) >= today)
            )
            stmt = stmt.where(is_open if f.open else ~is_open)
        if f.mine:
            stmt = stmt.where(
                col(Course.provider_id).in_(
                    select(TrainingProvider.id).where(
                        col(TrainingProvider.employer_id) == (viewer.employer_id or 0)
                    )
                )
            )
        if f.title_contains:
            needle = f.title_contains.strip()[:50].replace("%", r"\%").replace("_", r"\_")
            stmt = stmt.where(col(Course.title).contains(needle))
        return await paginate(
            info,
            stmt,
            key=col(Course.id),
            convert=CourseType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="我的课程: the viewer's enrolments, newest first.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_enrolments(self, info: strawberry.Info) -> list[EnrolmentType]:
        rows = await info.context.rows(
            select(Enrolment)
            .where(col(Enrolment.person_id) == info.context.viewer.person_id)
            .order_by(col(Enrolment.id).desc())
            .limit(500)
        )
        return [EnrolmentType.of(e) for e in rows]

    @strawberry.field(description="How the course player reports progress.", extensions=requires())
    def learning_policy(self, info: strawberry.Info) -> LearningPolicy:
        hb = EducationPolicy.from_settings(info.context.settings).heartbeat
        return LearningPolicy(
            heartbeat_interval_seconds=hb.client_interval_seconds,
            min_interval_seconds=hb.min_interval.total_seconds(),
            max_gap_seconds=hb.max_gap.total_seconds(),
        )

    @strawberry.field(
        description="我的学时: the current cycle's requirement, shortfall and forecast, and "
        "every record.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_hours(self, info: strawberry.Info) -> MyHours:
        ctx = info.context
        person_id = ctx.viewer.person_id
        if person_id is None:
            return MyHours(requirement=None, records=[], pending_count=0)
        async with ctx.lock:
            registration = await hours_service.active_registration(ctx.session, person_id)
            status = (
                await hours_service.cycle_status(
                    ctx.session,
                    registration_id=registration.id,
                    policy=hours_service.requirement_policy(ctx.settings),
                    today=today_shanghai(),
                )
                if registration and registration.id
                else None
            )
            records = await hours_service.records_of(ctx.session, person_id)
        specialty = registration.specialty if registration else None
        return MyHours(
            requirement=RequirementStatusType.of(status.status) if status else None,
            records=[HourRecordType.of(r, specialty) for r in records],
            pending_count=sum(1 for r in records if r.status == HourStatus.PENDING),
        )

    @strawberry.field(
        description="我的学时证明, newest first.", extensions=requires(Role.REGISTRANT)
    )
    async def my_transcripts(self, info: strawberry.Info) -> list[TranscriptType]:
        rows = await info.context.rows(
            select(Transcript)
            .where(col(Transcript.person_id) == info.context.viewer.person_id)
            .order_by(col(Transcript.id).desc())
            .limit(50)
        )
        failed = await hours_service.failed_transcript_jobs(info.context.session, list(rows))
        found = [TranscriptType.of(t) for t in rows]
        for t in found:
            if t.id in failed:  # its job failed for good: it will never be READY
                t.status, t.failure = TranscriptStatus.FAILED, hours_service.JOB_FAILED
        return found

    @strawberry.field(
        description=(
            "学时证明核验 (public, no login, rate-limited per client): by the code printed "
            "on the PDF."
        )
    )
    async def transcript_verification(
        self, info: strawberry.Info, code: str
    ) -> TranscriptVerification:
        await limit_public(info, TRANSCRIPT_VERIFICATION)
        ctx = info.context
        async with ctx.lock:
            t = await hours_service.transcript_by_code(ctx.session, code)
            person = await ctx.session.get(Person, t.person_id) if t else None
        if t is None or person is None:
            return TranscriptVerification(
                valid=False,
                holder_name=None,
                cycle_start=None,
                cycle_end=None,
                earned_general=None,
                earned_professional=None,
                record_count=None,
                sha256=None,
                issued_at=None,
            )
        return TranscriptVerification(
            valid=True,
            holder_name=id_rules.mask_name(person.name),
            cycle_start=t.cycle_start,
            cycle_end=t.cycle_end,
            earned_general=float(t.earned_general or 0),
            earned_professional=float(t.earned_professional or 0),
            record_count=t.record_count,
            sha256=t.sha256,
            issued_at=t.ready_at,
        )

    @strawberry.field(
        description="待审核的个人申报学时 in the reviewer's region, oldest first.",
        extensions=requires(*REVIEWERS),
    )
    async def pending_hour_reports(
        self,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[HourRecordType]:
        viewer = info.context.viewer
        stmt = select(HourRecord).where(
            col(HourRecord.status) == HourStatus.PENDING.value,
            col(HourRecord.source) == HourSource.SELF_REPORTED.value,
        )
        stmt = stmt.where(hour_scope(viewer), col(HourRecord.person_id) != viewer.person_id)
        return await paginate(
            info,
            stmt,
            key=col(HourRecord.id),
            convert=HourRecordType.of,
            first=first,
            after=after,
            last=None,
            before=None,
        )

    @strawberry.field(
        description="课程完成率统计 (one statement; trainers see their own courses).",
        extensions=requires(*STATISTICS_READERS),
    )
    async def course_statistics(
        self, info: strawberry.Info, provider_id: relay.GlobalID | None = None, limit: int = 100
    ) -> list[CourseStatistics]:
        provider = await _statistics_provider(info, provider_id)
        limit = max(1, min(limit, info.context.settings.max_page_size))
        async with info.context.lock:
            rows = (
                await (await info.context.session.connection()).execute(
                    text(_COURSE_STATS), {"provider": provider, "limit": limit}
                )
            ).all()
        courses = await info.context.education.course_by_id.load_many([r.course_id for r in rows])
        out = []
        for r, c in zip(rows, courses, strict=True):
            assert c is not None
            out.append(
                CourseStatistics(
                    course=CourseType.of(c),
                    enrolled=r.enrolled,
                    units_completed=r.units_completed,
                    completed=r.completed,
                    completion_rate=_rate(r.completed, r.enrolled) or 0.0,
                    attempts=int(r.attempts),
                    pass_rate=_rate(r.passed, r.attempts),
                )
            )
        return out

    @strawberry.field(
        description="培训机构完成率统计 (one statement).",
        extensions=requires(*STATISTICS_READERS),
    )
    async def provider_statistics(
        self, info: strawberry.Info, provider_id: relay.GlobalID | None = None, limit: int = 100
    ) -> list[ProviderStatistics]:
        provider = await _statistics_provider(info, provider_id)
        limit = max(1, min(limit, info.context.settings.max_page_size))
        async with info.context.lock:
            rows = (
                await (await info.context.session.connection()).execute(
                    text(_PROVIDER_STATS), {"provider": provider, "limit": limit}
                )
            ).all()
        providers = await info.context.education.provider_by_id.load_many(
            [r.provider_id for r in rows]
        )
        return [
            ProviderStatistics(
                provider=TrainingProviderType.of(p),
                courses=r.courses,
                enrolled=r.enrolled,
                completed=r.completed,
                completion_rate=_rate(r.completed, r.enrolled) or 0.0,
                hours_awarded=float(r.hours_awarded),
            )
            for r, p in zip(rows, providers, strict=True)
            if p is not None
        ]


def _rate(part: Any, whole: Any) -> float | None:
    return round(int(part) / int(whole), 4) if int(whole) else None
