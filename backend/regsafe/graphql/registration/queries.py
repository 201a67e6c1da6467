"""Root query fields of the registration domain: my applications, the pre-submission
check, and reviewer queues ordered by urgency."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import strawberry
from sqlalchemy import and_, case, func, tuple_
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.errors import DomainError
from regsafe.education.hours import CycleRequirement, requirement_policy
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import Connection, Edge, node_pk, paginate
from regsafe.identity import rules as id_rules
from regsafe.practice.service import BlacklistEligibility
from regsafe.registration import rules, service
from regsafe.registration.errors import RegistrationErrorCode
from regsafe.registration.models import Application
from regsafe.registration.rules import ApplicationKind, DeadlineStatus

from .enums import ReviewStage
from .inputs import ReviewQueueFilter
from .types import (
    ApplicationPrecheck,
    ApplicationType,
    DocumentRequirement,
    EligibilityCheck,
    RegistrationError,
    RegistrationType,
    ReviewQueueCounts,
)
from .types import document_requirements as requirements_of

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)
_QUEUE_PREFIX = "queue:v1:"


def _encode(app: Application) -> str:
    due = app.due_at.isoformat() if app.due_at else ""
    return base64.urlsafe_b64encode(f"{_QUEUE_PREFIX}{due}|{app.id}".encode()).decode()


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if raw.startswith(_QUEUE_PREFIX):
            due, _, pk = raw[len(_QUEUE_PREFIX) :].partition("|")
            return datetime.fromisoformat(due), int(pk)
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadUserInput("分页游标无效", "INVALID_CURSOR")


def _deadline_term(status: DeadlineStatus, now: datetime) -> Any:
    soon = now + timedelta(days=rules.DUE_SOON_DAYS)
    if status == DeadlineStatus.BREACHED:
        return col(Application.due_at) < now
    if status == DeadlineStatus.DUE_SOON:
        return and_(col(Application.due_at) >= now, col(Application.due_at) <= soon)
    return col(Application.due_at) > soon


def _queue_terms(info: strawberry.Info, stage: ReviewStage, f: ReviewQueueFilter) -> list[Any]:
    viewer = info.context.viewer
    terms: list[Any] = [service.queue_condition(viewer, stage.value)]
    if f.kind is not None:
        terms.append(col(Application.kind) == f.kind.value)
    if f.specialty is not None:
        terms.append(col(Application.specialty) == f.specialty.value)
    if f.province_code is not None:
        try:
            province = id_rules.province_of(id_rules.validate_region_code(f.province_code))
        except id_rules.RuleViolation:
            raise BadUserInput("省份代码无效", "INVALID_FILTER") from None
        terms.append(col(Application.province_code) == province)
    if f.assigned_to_me is not None:
        reviewer = (
            col(Application.preliminary_reviewer_id)
            if stage == ReviewStage.PRELIMINARY
            else col(Application.final_reviewer_id)
        )
        terms.append(reviewer == viewer.user_id if f.assigned_to_me else reviewer.is_(None))
    return terms


@strawberry.type
class RegistrationQuery:
    @strawberry.field(
        description="我的申请: the signed-in registrant's applications, oldest first.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_applications(
        self,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ApplicationType]:
        person_id = info.context.viewer.person_id
        stmt = select(Application).where(col(Application.person_id) == (person_id or -1))
        return await paginate(
            info,
            stmt,
            key=col(Application.id),
            convert=ApplicationType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="我的注册: the signed-in registrant's active registration, if any.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_registration(self, info: strawberry.Info) -> RegistrationType | None:
        person_id = info.context.viewer.person_id
        if person_id is None:
            return None
        reg = await info.context.registration.active_registration_by_person.load(person_id)
        return RegistrationType(model=reg) if reg else None

    @strawberry.field(description="The documents an application kind requires (所需材料).")
    def document_requirements(self, kind: ApplicationKind) -> list[DocumentRequirement]:
        return requirements_of(kind)

    @strawberry.field(
        description=(
            "提交前检查: everything submission would check, evaluated now, so the "
            "registrant sees what is missing before submitting."
        ),
        extensions=requires(Role.REGISTRANT),
    )
    async def application_precheck(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> ApplicationPrecheck | None:
        ctx = info.context
        pk = node_pk(id, "Application")
        if pk is None:
            return None
        async with ctx.lock:
            try:
                app = await service.get_application(ctx.session, ctx.viewer, pk)
            except DomainError:
                return None
            if app.person_id != ctx.viewer.person_id:
                return None
            found = await service.assess(
                ctx.session,
                app,
                today=today_shanghai(),
                policy=service.Policy.from_settings(ctx.settings),
                education=CycleRequirement(requirement_policy(ctx.settings), today_shanghai()),
                blacklist=BlacklistEligibility(),
                cipher=ctx.runtime.cipher,
            )

        def check(c: rules.Check) -> EligibilityCheck:
            return EligibilityCheck(code=c.code, result=c.result, explanation=c.explanation)

        problems = [
            RegistrationError(field=e.field, code=RegistrationErrorCode(e.code), message=e.message)
            for e in found.errors
        ]
        return ApplicationPrecheck(
            ready=not problems,
            missing_documents=list(found.missing),
            checks=[check(c) for c in found.checks],
            flags=[check(c) for c in found.flags],
            problems=problems,
        )

    @strawberry.field(
        description=(
            "审核队列: applications waiting in the viewer's scope for a stage, most urgent "
            "first (ordered by the running statutory clock)."
        ),
        extensions=requires(*REVIEWERS),
    )
    async def review_queue(
        self,
        info: strawberry.Info,
        stage: ReviewStage,
        filter: ReviewQueueFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ApplicationType]:
        f = filter or ReviewQueueFilter()
        now = utcnow()
        size = 20 if first is None else first
        max_page = info.context.settings.max_page_size
        if size < 0 or size > max_page:
            raise BadUserInput(f"每页数量应在0至{max_page}之间", "INVALID_PAGINATION")
        terms = _queue_terms(info, stage, f)
        if f.deadline is not None:
            terms.append(_deadline_term(f.deadline, now))
        stmt = select(Application).where(*terms)
        count_stmt = select(func.count()).select_from(stmt.subquery())
        if after is not None:
            due, pk = _decode(after)
            stmt = stmt.where(tuple_(col(Application.due_at), col(Application.id)) > (due, pk))
        rows = list(
            await info.context.rows(
                stmt.order_by(col(Application.due_at), col(Application.id)).limit(size + 1)
            )
        )
        more = len(rows) > size
        rows = rows[:size]
        edges = [Edge(node=ApplicationType.of(a), cursor=_encode(a)) for a in rows]
        return Connection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=more,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count_statement=count_stmt,
        )

    @strawberry.field(
        description="队列统计: counts of the viewer's queue by deadline status, in one query.",
        extensions=requires(*REVIEWERS),
    )
    async def review_queue_counts(
        self, info: strawberry.Info, stage: ReviewStage, filter: ReviewQueueFilter | None = None
    ) -> ReviewQueueCounts:
        f = filter or ReviewQueueFilter()
        now = utcnow()
        soon = now + timedelta(days=rules.DUE_SOON_DAYS)
        reviewer = (
            col(Application.preliminary_reviewer_id)
            if stage == ReviewStage.PRELIMINARY
            else col(Application.final_reviewer_id)
        )
        due = col(Application.due_at)
        row = await info.context.one(
            sa_select(
                func.count(),
                func.count(case((due < now, 1))),
                func.count(case((and_(due >= now, due <= soon), 1))),
                func.count(case((due > soon, 1))),
                func.count(case((reviewer.is_(None), 1))),
            ).where(*_queue_terms(info, stage, f))
        )
        total, breached, due_soon, on_time, unclaimed = (int(v) for v in row)
        return ReviewQueueCounts(
            total=total,
            breached=breached,
            due_soon=due_soon,
            on_time=on_time,
            unclaimed=unclaimed,
        )
