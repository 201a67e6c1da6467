"""GraphQL types of the continuing-education domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from strawberry import relay

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.education import rules
from regsafe.education.errors import EducationErrorCode
from regsafe.education.imports import ImportErrorCode
from regsafe.education.models import (
    AttemptStatus,
    Course,
    CourseStatus,
    CourseUnit,
    Enrolment,
    EnrolmentStatus,
    ExamAttempt,
    HourImport,
    HourRecord,
    HourSource,
    HourStatus,
    QuestionKind,
    SubjectKind,
    TrainingProvider,
    Transcript,
    TranscriptStatus,
    UnitKind,
    UnitProgress,
)
from regsafe.education.rules import Outlook, RequirementStatus
from regsafe.education.scopes import hour_scope
from regsafe.education.service import course_is_open
from regsafe.graphql.core.relay import visible_nodes
from regsafe.identity.models import Specialty

from . import enums as _enums  # noqa: F401  (registers the enums with strawberry)


@strawberry.type(description="A problem with the input that the user can fix (输入错误).")
class EducationError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: EducationErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


def course_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Published and closed courses are public; drafts only to their provider's trainers."""
    visible = col(Course.status) != CourseStatus.DRAFT.value
    if viewer.is_admin:
        return col(Course.id).is_not(None)
    if viewer.has(Role.TRAINER) and viewer.employer_id is not None:
        own = col(Course.provider_id).in_(
            select(TrainingProvider.id).where(
                col(TrainingProvider.employer_id) == viewer.employer_id
            )
        )
        return or_(visible, own)
    return visible


async def is_own_provider(info: strawberry.Info, provider_id: int) -> bool:
    viewer: Viewer = info.context.viewer
    if not viewer.has(Role.TRAINER) or viewer.employer_id is None:
        return False
    provider = await info.context.education.provider_by_id.load(provider_id)
    return provider is not None and provider.employer_id == viewer.employer_id


@strawberry.type(name="TrainingProvider", description="培训机构")
class TrainingProviderType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``.
    id: relay.NodeID[int]
    model: strawberry.Private[TrainingProvider]
    name: str = strawberry.field(description="机构名称")
    qualified_until: date | None = strawberry.field(description="资质有效期至")

    @classmethod
    def of(cls, p: TrainingProvider) -> TrainingProviderType:
        assert p.id is not None
        return cls(id=p.id, model=p, name=p.name, qualified_until=p.qualified_until)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[TrainingProviderType | None]:
        # Qualified providers are public (the catalogue names them).
        return await visible_nodes(info, node_ids, TrainingProvider, true(), cls.of)


@strawberry.type(name="CourseUnit", description="课程单元")
class CourseUnitType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``.
    id: relay.NodeID[int]
    model: strawberry.Private[CourseUnit]
    position: int = strawberry.field(description="序号 (1 起)")
    title: str = strawberry.field(description="单元名称")
    kind: UnitKind = strawberry.field(description="单元类型")
    duration_seconds: int = strawberry.field(
        description="时长（秒）: the time that must be covered to complete it."
    )
    starts_at: datetime | None = strawberry.field(description="直播开始时间")
    material_filename: str | None = strawberry.field(
        description="课件文件名 (null: no confirmed material)."
    )
    material_media_type: str | None = strawberry.field(
        description="课件类型 (video/mp4, video/webm, application/pdf)."
    )

    @classmethod
    def of(cls, u: CourseUnit) -> CourseUnitType:
        assert u.id is not None
        return cls(
            id=u.id,
            model=u,
            position=u.position,
            title=u.title,
            kind=UnitKind(u.kind),
            duration_seconds=u.duration_seconds,
            starts_at=u.starts_at,
            material_filename=u.material_filename if u.material_media_type else None,
            material_media_type=u.material_media_type,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CourseUnitType | None]:
        return await visible_nodes(
            info,
            node_ids,
            CourseUnit,
            course_scope(info.context.viewer),
            cls.of,
            join=[(Course, col(Course.id) == col(CourseUnit.course_id))],
        )

    @strawberry.field(
        description="课件下载地址 (presigned, short-lived): for enrolled learners and the "
        "provider's trainers."
    )
    async def material_url(self, info: strawberry.Info) -> str | None:
        m = self.model
        if not m.material_media_type or m.material_key is None:
            return None
        store = info.context.runtime.store
        course = await info.context.education.course_by_id.load(m.course_id)
        if store is None or course is None:
            return None
        enrolled = await info.context.education.my_enrolment_by_course.load(m.course_id)
        if enrolled is None and not await is_own_provider(info, course.provider_id):
            return None
        # Inline (no attachment name): the player streams it.
        url: str = await store.presigned_get(m.material_key)
        return url


@strawberry.type(name="Course", description="课程")
class CourseType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; ``isOpen`` reads the
    # clock, so it stays a resolver, annotated (``strawberry.field(resolver=...)``) to
    # keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[Course]
    code: str = strawberry.field(description="课程编号 (unique per provider).")
    title: str = strawberry.field(description="课程名称")
    description: str = strawberry.field(description="课程简介")
    specialty: Specialty | None = strawberry.field(description="专业类别 (null: 适用于所有专业).")
    subject_kind: SubjectKind = strawberry.field(description="科目类型")
    hours: float = strawberry.field(description="学时 awarded on completion.")
    opens_on: date = strawberry.field(description="开放日期")
    closes_on: date = strawberry.field(
        description="结束日期 (inclusive): no enrolment or progress after it."
    )
    capacity: int | None = strawberry.field(description="名额 (null: unlimited).")
    enrolled_count: int = strawberry.field(description="已报名人数")
    status: CourseStatus = strawberry.field(description="课程状态")

    @classmethod
    def of(cls, c: Course) -> CourseType:
        assert c.id is not None
        return cls(
            id=c.id,
            model=c,
            code=c.code,
            title=c.title,
            description=c.description,
            specialty=Specialty(c.specialty) if c.specialty else None,
            subject_kind=SubjectKind(c.subject_kind),
            hours=float(c.hours),
            opens_on=c.opens_on,
            closes_on=c.closes_on,
            capacity=c.capacity,
            enrolled_count=c.enrolled_count,
            status=CourseStatus(c.status),
            has_exam=c.exam_question_count > 0,
            exam_question_count=c.exam_question_count,
            exam_minutes=c.exam_minutes,
            exam_max_attempts=c.exam_max_attempts,
            pass_mark=c.pass_mark,
            version=c.version,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CourseType | None]:
        return await visible_nodes(
            info, node_ids, Course, course_scope(info.context.viewer), cls.of
        )

    def _resolve_is_open(self) -> bool:
        return course_is_open(self.model, today_shanghai())

    is_open: bool = strawberry.field(
        resolver=_resolve_is_open,
        description="Open for enrolment and learning today (Asia/Shanghai).",
    )
    has_exam: bool = strawberry.field(description="Whether completion needs a passed exam.")
    exam_question_count: int = strawberry.field(description="试卷题数 (0: no exam).")
    exam_minutes: int = strawberry.field(description="考试时长（分钟）")
    exam_max_attempts: int = strawberry.field(description="考试次数上限")
    pass_mark: int = strawberry.field(description="及格线（百分制）")
    version: int = strawberry.field(
        description="Version for optimistic locking (pass as expectedVersion)."
    )

    @strawberry.field(description="培训机构")
    async def provider(self, info: strawberry.Info) -> TrainingProviderType:
        p = await info.context.education.provider_by_id.load(self.model.provider_id)
        assert p is not None
        return TrainingProviderType.of(p)

    @strawberry.field(description="课程单元 in order.")
    async def units(self, info: strawberry.Info) -> list[CourseUnitType]:
        assert self.model.id is not None
        units = await info.context.education.units_by_course.load(self.model.id)
        return [CourseUnitType.of(u) for u in units]

    @strawberry.field(description="The viewer's enrolment in this course, if any.")
    async def my_enrolment(self, info: strawberry.Info) -> EnrolmentType | None:
        assert self.model.id is not None
        e = await info.context.education.my_enrolment_by_course.load(self.model.id)
        return EnrolmentType.of(e) if e else None

    @strawberry.field(
        description="题库 with the answers: only for the provider's trainers (null otherwise)."
    )
    async def question_bank(self, info: strawberry.Info) -> list[BankQuestionType] | None:
        if not await is_own_provider(info, self.model.provider_id):
            return None
        assert self.model.id is not None
        qs = await info.context.education.questions_by_course.load(self.model.id)
        return [
            BankQuestionType(
                kind=QuestionKind(q.kind),
                stem=q.stem,
                options=list(q.options),
                answer=list(q.answer),
                points=q.points,
            )
            for q in qs
        ]


@strawberry.type(description="题库中的一题, with its answer (trainers only).")
class BankQuestionType:
    kind: QuestionKind = strawberry.field(description="题型")
    stem: str = strawberry.field(description="题干")
    options: list[str] = strawberry.field(description="选项")
    answer: list[int] = strawberry.field(description="正确选项 (0-based indexes).")
    points: int = strawberry.field(description="分值")


@strawberry.type(description="学习进度 in one unit: seconds verified by heartbeats.")
class UnitProgressType:
    unit: CourseUnitType = strawberry.field(description="单元")
    covered_seconds: int = strawberry.field(description="已计时长（秒）")
    position_seconds: int = strawberry.field(description="Where the player was (resume point).")
    completed: bool = strawberry.field(description="已完成")
    completed_at: datetime | None = strawberry.field(description="完成时间")
    by_attendance: bool = strawberry.field(description="Completed by recorded live attendance.")

    @classmethod
    def of(cls, unit: CourseUnit, p: UnitProgress | None) -> UnitProgressType:
        return cls(
            unit=CourseUnitType.of(unit),
            covered_seconds=p.covered_ms // 1000 if p else 0,
            position_seconds=p.position_seconds if p else 0,
            completed=bool(p and p.completed_at),
            completed_at=p.completed_at if p else None,
            by_attendance=bool(p and p.attendance_by),
        )


@strawberry.type(name="Enrolment", description="选课与学习进度")
class EnrolmentType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; the resolver before them
    # is annotated (``strawberry.field(resolver=...)``) to keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[Enrolment]

    @classmethod
    def of(cls, e: Enrolment) -> EnrolmentType:
        assert e.id is not None
        return cls(
            id=e.id,
            model=e,
            status=EnrolmentStatus(e.status),
            enrolled_at=e.enrolled_at,
            units_completed_at=e.units_completed_at,
            completed_at=e.completed_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EnrolmentType | None]:
        # the holder's own only
        person = info.context.viewer.person_id
        own = col(Enrolment.person_id) == person if person is not None else false()
        return await visible_nodes(info, node_ids, Enrolment, own, cls.of)

    async def _resolve_course(self, info: strawberry.Info) -> CourseType:
        c = await info.context.education.course_by_id.load(self.model.course_id)
        assert c is not None
        return CourseType.of(c)

    course: CourseType = strawberry.field(resolver=_resolve_course, description="课程")
    status: EnrolmentStatus = strawberry.field(description="学习状态")
    enrolled_at: datetime = strawberry.field(description="报名时间")
    units_completed_at: datetime | None = strawberry.field(
        description="All units done at (the exam opens then)."
    )
    completed_at: datetime | None = strawberry.field(description="结业时间 (hours recognised).")

    @strawberry.field(description="Per unit, in course order (units not started show 0).")
    async def progress(self, info: strawberry.Info) -> list[UnitProgressType]:
        assert self.model.id is not None
        units = await info.context.education.units_by_course.load(self.model.course_id)
        rows = await info.context.education.progress_by_enrolment.load(self.model.id)
        by_unit = {p.unit_id: p for p in rows}
        return [UnitProgressType.of(u, by_unit.get(u.id or 0)) for u in units]

    @strawberry.field(description="学习进度 0–100: covered time over total duration.")
    async def percent(self, info: strawberry.Info) -> int:
        assert self.model.id is not None
        units = await info.context.education.units_by_course.load(self.model.course_id)
        rows = await info.context.education.progress_by_enrolment.load(self.model.id)
        by_unit = {p.unit_id: p for p in rows}
        total = sum(u.duration_seconds for u in units)
        covered = sum(
            min((by_unit[u.id].covered_ms if u.id in by_unit else 0), u.duration_seconds * 1000)
            for u in units
        )
        return 0 if total == 0 else covered * 100 // (total * 1000)

    @strawberry.field(description="考试记录 in order.")
    async def attempts(self, info: strawberry.Info) -> list[ExamAttemptType]:
        assert self.model.id is not None
        rows = await info.context.education.attempts_by_enrolment.load(self.model.id)
        return [ExamAttemptType.of(a) for a in rows]


@strawberry.type(description="试卷中的一题. correct/answer stay null until the paper is handed in.")
class PaperQuestion:
    id: relay.GlobalID = strawberry.field(description="Question id (pass in answers).")
    number: int = strawberry.field(description="题号 (1 起)")
    kind: QuestionKind = strawberry.field(description="题型")
    stem: str = strawberry.field(description="题干")
    options: list[str] = strawberry.field(description="选项")
    points: int = strawberry.field(description="分值")
    chosen: list[int] = strawberry.field(description="已选 (0-based), as saved.")
    correct: bool | None = strawberry.field(description="After submission: whether right.")
    answer: list[int] | None = strawberry.field(description="After submission: 正确答案.")


@strawberry.type(name="ExamAttempt", description="一次考试")
class ExamAttemptType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; the resolvers among them
    # (``secondsLeft`` reads the clock) are annotated (``strawberry.field(resolver=...)``)
    # to keep their places.
    id: relay.NodeID[int]
    model: strawberry.Private[ExamAttempt]

    @classmethod
    def of(cls, a: ExamAttempt) -> ExamAttemptType:
        assert a.id is not None
        return cls(
            id=a.id,
            model=a,
            attempt_no=a.attempt_no,
            status=AttemptStatus(a.status),
            started_at=a.started_at,
            deadline_at=a.deadline_at,
            submitted_at=a.submitted_at,
            score=a.score,
            max_score=a.max_score,
            passed=a.passed,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ExamAttemptType | None]:
        # the candidate's own only
        person = info.context.viewer.person_id
        own = col(Enrolment.person_id) == person if person is not None else false()
        return await visible_nodes(
            info,
            node_ids,
            ExamAttempt,
            own,
            cls.of,
            join=[(Enrolment, col(Enrolment.id) == col(ExamAttempt.enrolment_id))],
        )

    async def _resolve_enrolment(self, info: strawberry.Info) -> EnrolmentType:
        e = await info.context.education.enrolment_by_id.load(self.model.enrolment_id)
        assert e is not None
        return EnrolmentType.of(e)

    enrolment: EnrolmentType = strawberry.field(
        resolver=_resolve_enrolment,
        description="The enrolment (and through it the course) of this attempt.",
    )
    attempt_no: int = strawberry.field(description="第几次")
    status: AttemptStatus = strawberry.field(description="考试状态")
    started_at: datetime = strawberry.field(description="开始时间")
    deadline_at: datetime = strawberry.field(
        description="截止时间 (server time; the server refuses answers after it)."
    )

    def _resolve_seconds_left(self) -> int:
        if self.model.status != AttemptStatus.IN_PROGRESS:
            return 0
        return max(0, int((self.model.deadline_at - utcnow()).total_seconds()))

    seconds_left: int = strawberry.field(
        resolver=_resolve_seconds_left, description="剩余秒数 by the server's clock (0 when over)."
    )
    submitted_at: datetime | None = strawberry.field(description="交卷时间")
    score: int | None = strawberry.field(description="得分")
    max_score: int | None = strawberry.field(description="满分")
    passed: bool | None = strawberry.field(description="是否通过")

    @strawberry.field(description="试卷, in paper order. Answers only after submission.")
    async def questions(self, info: strawberry.Info) -> list[PaperQuestion]:
        loaded = await info.context.education.question_by_id.load_many(self.model.question_ids)
        done = self.model.status != AttemptStatus.IN_PROGRESS
        saved = rules.answers_from_json(self.model.answers)
        out = []
        for n, q in enumerate(loaded, start=1):
            assert q is not None and q.id is not None
            chosen = saved.get(q.id, [])
            out.append(
                PaperQuestion(
                    id=relay.GlobalID("Question", str(q.id)),
                    number=n,
                    kind=QuestionKind(q.kind),
                    stem=q.stem,
                    options=list(q.options),
                    points=q.points,
                    chosen=chosen,
                    correct=(sorted(chosen) == sorted(q.answer)) if done else None,
                    answer=list(q.answer) if done else None,
                )
            )
        return out


@strawberry.type(name="HourRecord", description="学时记录")
class HourRecordType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; the rule among them is
    # annotated (``strawberry.field(resolver=...)``) to keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[HourRecord]
    cycle_specialty: strawberry.Private[str | None] = None
    source: HourSource = strawberry.field(description="来源")
    status: HourStatus = strawberry.field(description="状态 (self-reports count once ACCEPTED).")
    course_title: str = strawberry.field(description="课程名称")
    provider_name: str = strawberry.field(description="培训机构")
    subject_kind: SubjectKind = strawberry.field(description="科目类型 as recorded.")

    @classmethod
    def of(cls, r: HourRecord, cycle_specialty: str | None = None) -> HourRecordType:
        assert r.id is not None
        return cls(
            id=r.id,
            model=r,
            cycle_specialty=cycle_specialty,
            source=HourSource(r.source),
            status=HourStatus(r.status),
            course_title=r.course_title,
            provider_name=r.provider_name,
            subject_kind=SubjectKind(r.subject_kind),
            specialty=Specialty(r.specialty) if r.specialty else None,
            hours=float(r.hours),
            recognised_on=r.recognised_on,
            rule_version=r.rule_version,
            reference=r.reference,
            review_note=r.review_note,
            reviewed_at=r.reviewed_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[HourRecordType | None]:
        return await visible_nodes(
            info, node_ids, HourRecord, hour_scope(info.context.viewer), cls.of
        )

    def _resolve_counts_as_professional(self) -> bool | None:
        if self.cycle_specialty is None:
            return None
        m = self.model
        return rules.counts_as_professional(m.subject_kind, m.specialty, self.cycle_specialty)

    counts_as_professional: bool | None = strawberry.field(
        resolver=_resolve_counts_as_professional,
        description="Whether it counts as 专业 for the current cycle (professional hours of "
        "another specialty count as 公需); null when there is no cycle.",
    )
    specialty: Specialty | None = strawberry.field(
        description="专业类别 of the course (null: every specialty)."
    )
    hours: float = strawberry.field(description="学时")
    recognised_on: date = strawberry.field(
        description="认定日期 (the date that places it in a cycle)."
    )
    rule_version: str = strawberry.field(description="认定规则版本")
    reference: str | None = strawberry.field(description="证明编号 (external or self-reported).")
    review_note: str | None = strawberry.field(description="审核意见")
    reviewed_at: datetime | None = strawberry.field(description="审核时间")

    @strawberry.field(description="申报人 (reviewers' queue); masked like every person.")
    async def person_name(self, info: strawberry.Info) -> str:
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        return p.name if p else ""

    @strawberry.field(description="证明材料下载地址 (owner and reviewers).")
    async def evidence_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if self.model.evidence_key is None or store is None:
            return None
        url: str = await store.presigned_get(self.model.evidence_key)
        return url


@strawberry.type(description="本注册周期的继续教育要求与完成情况")
class RequirementStatusType:
    cycle_start: date = strawberry.field(description="统计期间起 (inclusive).")
    cycle_end: date = strawberry.field(description="统计期间止 (inclusive).")
    cycle_description: str = strawberry.field(
        description="The exact dates that count, in words: 统计期间：…至…（含）"
    )
    required: float = strawberry.field(description="要求学时")
    min_professional: float = strawberry.field(description="专业科目最低学时")
    earned_general: float = strawberry.field(description="公需 (and other specialties) earned.")
    earned_professional: float = strawberry.field(description="专业 earned in the specialty.")
    counted: float = strawberry.field(
        description="计入学时: 公需 counts up to required − 专业下限."
    )
    shortfall: float = strawberry.field(description="尚差学时 (0: met).")
    professional_shortfall: float = strawberry.field(description="专业尚差")
    met: bool = strawberry.field(description="已达到要求")
    outlook: Outlook = strawberry.field(description="按当前进度的预测")
    forecast_date: date | None = strawberry.field(
        description="The date the current pace reaches the requirement."
    )
    explanation: str = strawberry.field(description="说明 (zh-CN).")

    @classmethod
    def of(cls, s: RequirementStatus) -> RequirementStatusType:
        return cls(
            cycle_start=s.cycle.start,
            cycle_end=s.cycle.end,
            cycle_description=(
                f"统计期间：{s.cycle.start.year}年{s.cycle.start.month}月{s.cycle.start.day}日至"
                f"{s.cycle.end.year}年{s.cycle.end.month}月{s.cycle.end.day}日（含）"
            ),
            required=float(s.required),
            min_professional=float(s.min_professional),
            earned_general=float(s.earned_general),
            earned_professional=float(s.earned_professional),
            counted=float(s.counted),
            shortfall=float(s.shortfall),
            professional_shortfall=float(s.professional_shortfall),
            met=s.met,
            outlook=s.outlook,
            forecast_date=s.forecast_date,
            explanation=rules.explain(s),
        )


@strawberry.type(description="我的学时: the cycle requirement and every record.")
class MyHours:
    requirement: RequirementStatusType | None = strawberry.field(
        description="null without an active registration (no cycle to count against)."
    )
    records: list[HourRecordType] = strawberry.field(
        description="All records, newest first (those outside the cycle included)."
    )
    pending_count: int = strawberry.field(description="个人申报待审核")


@strawberry.type(name="Transcript", description="继续教育电子学时证明")
class TranscriptType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``.
    id: relay.NodeID[int]
    model: strawberry.Private[Transcript]
    status: TranscriptStatus = strawberry.field(description="生成状态")
    cycle_start: date = strawberry.field(description="统计期间起")
    cycle_end: date = strawberry.field(description="统计期间止")
    verification_code: str = strawberry.field(
        description="验证码 (on the PDF; checked on the public page)."
    )
    sha256: str | None = strawberry.field(description="SHA-256 of the PDF.")
    requested_at: datetime = strawberry.field(description="申请时间")
    ready_at: datetime | None = strawberry.field(description="生成时间")
    failure: str | None = strawberry.field(description="Why rendering failed.")

    @classmethod
    def of(cls, t: Transcript) -> TranscriptType:
        assert t.id is not None
        return cls(
            id=t.id,
            model=t,
            status=TranscriptStatus(t.status),
            cycle_start=t.cycle_start,
            cycle_end=t.cycle_end,
            verification_code=t.verification_code,
            sha256=t.sha256,
            requested_at=t.requested_at,
            ready_at=t.ready_at,
            failure=t.failure,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[TranscriptType | None]:
        # the holder's own only
        person = info.context.viewer.person_id
        own = col(Transcript.person_id) == person if person is not None else false()
        return await visible_nodes(info, node_ids, Transcript, own, cls.of)

    @strawberry.field(description="下载地址 (presigned, short-lived) once READY.")
    async def download_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if self.model.status != TranscriptStatus.READY or not self.model.object_key or not store:
            return None
        url: str = await store.presigned_get(
            self.model.object_key, download_name=f"transcript-{self.model.verification_code}.pdf"
        )
        return url


@strawberry.type(description="学时证明核验结果 (public).")
class TranscriptVerification:
    valid: bool = strawberry.field(description="The code names a transcript the platform issued.")
    holder_name: str | None = strawberry.field(description="持有人 (masked).")
    cycle_start: date | None = strawberry.field(description="统计期间起")
    cycle_end: date | None = strawberry.field(description="统计期间止")
    earned_general: float | None = strawberry.field(description="公需学时 at issue.")
    earned_professional: float | None = strawberry.field(description="专业学时 at issue.")
    record_count: int | None = strawberry.field(description="记录条数")
    sha256: str | None = strawberry.field(
        description="SHA-256 of the issued PDF: compare with the file you were given."
    )
    issued_at: datetime | None = strawberry.field(description="出具时间")


@strawberry.type(description="One refused row of an hours import.")
class ImportRowError:
    line: int = strawberry.field(description="行号 in the file.")
    column: str | None = strawberry.field(description="列 (as headed in the file).")
    code: ImportErrorCode = strawberry.field(description="错误代码")
    message: str = strawberry.field(description="说明")


@strawberry.type(name="HourImport", description="外部学时导入批次")
class HourImportType:
    id: relay.GlobalID = strawberry.field(description="Import id.")
    filename: str = strawberry.field(description="文件名")
    total_rows: int = strawberry.field(description="数据行数")
    accepted_rows: int = strawberry.field(description="已导入")
    error_rows: int = strawberry.field(description="有错误的行数")
    created_at: datetime | None = strawberry.field(description="导入时间")
    model: strawberry.Private[HourImport]

    @classmethod
    def of(cls, b: HourImport) -> HourImportType:
        return cls(
            id=relay.GlobalID("HourImport", str(b.id)),
            filename=b.filename,
            total_rows=b.total_rows,
            accepted_rows=b.accepted_rows,
            error_rows=b.error_rows,
            created_at=b.created_at,
            model=b,
        )

    @strawberry.field(description="错误报告下载地址 (CSV, presigned) when there were errors.")
    async def report_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if not self.model.report_key or store is None:
            return None
        url: str = await store.presigned_get(
            self.model.report_key, download_name=f"import-errors-{self.model.id}.csv"
        )
        return url


@strawberry.type(description="完成率统计 per course (analysts, admins, the provider).")
class CourseStatistics:
    course: CourseType = strawberry.field(description="课程")
    enrolled: int = strawberry.field(description="报名人数")
    units_completed: int = strawberry.field(description="学完全部单元")
    completed: int = strawberry.field(description="结业（学时已认定）")
    completion_rate: float = strawberry.field(description="结业率 = completed / enrolled.")
    attempts: int = strawberry.field(description="考试人次")
    pass_rate: float | None = strawberry.field(description="考试通过率 (null: no attempts).")


@strawberry.type(description="完成率统计 per provider.")
class ProviderStatistics:
    provider: TrainingProviderType = strawberry.field(description="培训机构")
    courses: int = strawberry.field(description="课程数")
    enrolled: int = strawberry.field(description="报名人数")
    completed: int = strawberry.field(description="结业人数")
    completion_rate: float = strawberry.field(description="结业率")
    hours_awarded: float = strawberry.field(description="已认定学时合计")


@strawberry.type(description="How the player should report progress.")
class LearningPolicy:
    heartbeat_interval_seconds: int = strawberry.field(
        description="Send learningHeartbeat this often while the unit plays."
    )
    min_interval_seconds: float = strawberry.field(description="Beats sooner are TOO_FAST.")
    max_gap_seconds: float = strawberry.field(
        description="A longer gap is a pause: it earns nothing and restarts the count."
    )
