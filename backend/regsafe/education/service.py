"""Courses, enrolments, verified progress and exams. Hours, the cycle requirement,
imports and transcripts live in :mod:`regsafe.education.hours`.

Every operation takes the viewer and scopes by it: a learner reaches only their own
enrolments (another person's id answers NOT_FOUND, revealing nothing), a trainer only
their provider's courses."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Role, Viewer
from regsafe.core import upload_slots
from regsafe.core.clock import SHANGHAI
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.settings import Settings
from regsafe.core.upload_slots import SlotContext, Upload, UploadErrorCode, UploadPurpose
from regsafe.core.uploads import IMAGES_AND_PDF, FrozenUpload, MediaType, Refusal, UploadLimits
from regsafe.education import limits as course_limits
from regsafe.education import rules
from regsafe.education.errors import EducationErrorCode as Code
from regsafe.education.models import (
    AttemptStatus,
    Course,
    CourseStatus,
    CourseUnit,
    Enrolment,
    EnrolmentStatus,
    ExamAttempt,
    HourRecord,
    HourSource,
    HourStatus,
    LearningClock,
    Question,
    QuestionKind,
    SubjectKind,
    TrainingProvider,
    UnitKind,
    UnitProgress,
)
from regsafe.education.rules import HeartbeatPolicy
from regsafe.identity.models import Specialty
from regsafe.ocr.documents import inspect_upload

MATERIAL_TYPES = {
    UnitKind.VIDEO: frozenset({MediaType.MP4, MediaType.WEBM}),
    UnitKind.DOCUMENT: frozenset({MediaType.PDF}),
}
# How the upload pipeline's refusals read in this domain's error codes.
UPLOAD_CODES = {
    Refusal.INVALID_SIZE: Code.INVALID_VALUE,
    Refusal.TOO_LARGE: Code.FILE_TOO_LARGE,
    Refusal.UNSUPPORTED_TYPE: Code.UNSUPPORTED_TYPE,
    Refusal.MISSING: Code.UPLOAD_MISSING,
    Refusal.SIZE_MISMATCH: Code.INVALID_VALUE,
    Refusal.INVALID_CONTENT: Code.UNSUPPORTED_TYPE,
    Refusal.INVALID_FILENAME: Code.INVALID_VALUE,
    Refusal.FILENAME_TOO_LONG: Code.INVALID_VALUE,
    Refusal.CHANGED: Code.UPLOAD_MISSING,
}
# An exam submission this late after the deadline is still on time: the network, not
# the candidate, took the last seconds.
SUBMIT_GRACE = timedelta(seconds=15)
# A learner's clock before anything was ever credited.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EducationPolicy:
    heartbeat: HeartbeatPolicy = field(default_factory=HeartbeatPolicy)
    material_max_bytes: int = 500 * 1024 * 1024
    evidence_max_bytes: int = 10 * 1024 * 1024
    upload_ttl: timedelta = timedelta(hours=1)

    def material_limits(self, kind: UnitKind) -> UploadLimits:
        return UploadLimits(self.material_max_bytes, MATERIAL_TYPES[kind], self.upload_ttl)

    def evidence_limits(self) -> UploadLimits:
        return UploadLimits(
            self.evidence_max_bytes, IMAGES_AND_PDF, self.upload_ttl, inspect_upload
        )

    @classmethod
    def from_settings(cls, s: Settings) -> EducationPolicy:
        return cls(
            heartbeat=HeartbeatPolicy(
                min_interval=timedelta(seconds=s.heartbeat_min_interval_seconds),
                max_gap=timedelta(seconds=s.heartbeat_max_gap_seconds),
            ),
            material_max_bytes=s.course_material_max_bytes,
            evidence_max_bytes=s.document_max_bytes,
            upload_ttl=timedelta(seconds=s.upload_expiry_seconds),
        )


# --- Providers and courses ------------------------------------------------------------


async def provider_of(session: AsyncSession, viewer: Viewer) -> TrainingProvider:
    """The qualified provider a trainer works for."""
    if viewer.employer_id is None or not viewer.has(Role.TRAINER):
        raise DomainError(Code.NOT_A_PROVIDER, "当前账号不属于培训机构")
    provider = (
        await session.exec(
            select(TrainingProvider).where(
                col(TrainingProvider.employer_id) == viewer.employer_id,
                col(TrainingProvider.is_active),
            )
        )
    ).first()
    if provider is None:
        raise DomainError(Code.NOT_A_PROVIDER, "所在单位不是有效的继续教育培训机构")
    return provider


async def create_provider(
    session: AsyncSession, *, employer_id: int, name: str, qualified_until: date | None
) -> TrainingProvider:
    provider = TrainingProvider(employer_id=employer_id, name=name, qualified_until=qualified_until)
    session.add(provider)
    await session.flush()
    return provider


@dataclass(frozen=True)
class UnitData:
    title: str
    kind: UnitKind
    duration_seconds: int
    starts_at: datetime | None = None


@dataclass(frozen=True)
class CourseData:
    code: str
    title: str
    subject_kind: SubjectKind
    hours: Decimal
    opens_on: date
    closes_on: date
    specialty: Specialty | None = None
    description: str = ""
    capacity: int | None = None
    units: list[UnitData] = field(default_factory=list)
    exam_question_count: int = 0
    exam_minutes: int = 30
    exam_max_attempts: int = 3
    pass_mark: int = 60


@dataclass(frozen=True)
class QuestionData:
    kind: QuestionKind
    stem: str
    options: list[str]
    answer: list[int]
    points: int = 1


def _validate_course(data: CourseData) -> list[DomainError]:
    errs: list[DomainError] = []

    def bad(message: str, field: str) -> None:
        errs.append(DomainError(Code.INVALID_VALUE, message, field))

    if not data.code.strip() or len(data.code) > course_limits.MAX_CODE_LENGTH:
        bad(f"课程编号必填，最多{course_limits.MAX_CODE_LENGTH}个字符", "code")
    if not data.title.strip() or len(data.title) > course_limits.MAX_TITLE_LENGTH:
        bad(f"课程名称必填，最多{course_limits.MAX_TITLE_LENGTH}个字", "title")
    if len(data.description) > course_limits.MAX_DESCRIPTION_LENGTH:
        bad(f"课程简介最多{course_limits.MAX_DESCRIPTION_LENGTH}字", "description")
    try:
        hours_ok = Decimal(0) < data.hours <= Decimal(100) and (data.hours * 2) % 1 == 0
    except InvalidOperation:
        hours_ok = False
    if not hours_ok:
        bad("学时须大于0、不超过100，且为0.5的倍数", "hours")
    if data.closes_on < data.opens_on:
        bad("结束日期不能早于开始日期", "closesOn")
    if data.capacity is not None and data.capacity <= 0:
        bad("名额须为正数", "capacity")
    if not 0 <= data.exam_question_count <= course_limits.MAX_PAPER_QUESTIONS:
        bad(f"试卷题数须在0至{course_limits.MAX_PAPER_QUESTIONS}之间", "examQuestionCount")
    if not 1 <= data.exam_minutes <= 300:
        bad("考试时长须在1至300分钟之间", "examMinutes")
    if not 1 <= data.exam_max_attempts <= 10:
        bad("考试次数须在1至10之间", "examMaxAttempts")
    if not 1 <= data.pass_mark <= 100:
        bad("及格线须在1至100之间", "passMark")
    if len(data.units) > course_limits.MAX_UNITS:
        # one error for the list, not one per item of a list of thousands
        bad(f"一门课程最多{course_limits.MAX_UNITS}个单元", "units")
        return errs
    for i, u in enumerate(data.units):
        if not u.title.strip() or len(u.title) > course_limits.MAX_UNIT_TITLE_LENGTH:
            bad(
                f"第{i + 1}个单元的名称必填，最多{course_limits.MAX_UNIT_TITLE_LENGTH}个字",
                f"units.{i}.title",
            )
        if not 1 <= u.duration_seconds <= 24 * 3600:
            bad(f"第{i + 1}个单元的时长须在1秒至24小时之间", f"units.{i}.durationSeconds")
        if u.kind == UnitKind.LIVE and u.starts_at is None:
            bad(f"第{i + 1}个单元是直播，须填写开始时间", f"units.{i}.startsAt")
    return errs


async def _own_course(
    session: AsyncSession, viewer: Viewer, course_id: int, *, lock: bool = True
) -> Course:
    provider = await provider_of(session, viewer)
    stmt = select(Course).where(col(Course.id) == course_id, col(Course.provider_id) == provider.id)
    course = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if course is None:
        raise DomainError(Code.NOT_FOUND, "课程不存在或不属于本机构", "id")
    return course


def _check_version(course: Course, expected: int) -> None:
    if course.version != expected:
        raise DomainError(Code.STALE_VERSION, "课程已被他人修改，请刷新后重试", "expectedVersion")


async def _replace_units(session: AsyncSession, course: Course, units: list[UnitData]) -> None:
    assert course.id is not None
    for old in (
        await session.exec(select(CourseUnit).where(col(CourseUnit.course_id) == course.id))
    ).all():
        await session.delete(old)
    await session.flush()
    for i, u in enumerate(units, start=1):
        session.add(
            CourseUnit(
                course_id=course.id,
                position=i,
                title=u.title.strip(),
                kind=u.kind.value,
                duration_seconds=u.duration_seconds,
                starts_at=u.starts_at if u.kind == UnitKind.LIVE else None,
            )
        )


async def create_course(
    session: AsyncSession, *, viewer: Viewer, data: CourseData, now: datetime
) -> Course:
    provider = await provider_of(session, viewer)
    errs = _validate_course(data)
    if errs:
        raise DomainErrors(errs)
    taken = (
        await session.exec(
            select(Course.id).where(
                col(Course.provider_id) == provider.id, col(Course.code) == data.code.strip()
            )
        )
    ).first()
    if taken is not None:
        raise DomainError(Code.INVALID_VALUE, "本机构已有相同编号的课程", "code")
    assert provider.id is not None
    course = Course(
        provider_id=provider.id,
        code=data.code.strip(),
        title=data.title.strip(),
        description=data.description,
        specialty=data.specialty.value if data.specialty else None,
        subject_kind=data.subject_kind.value,
        hours=data.hours,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        capacity=data.capacity,
        exam_question_count=data.exam_question_count,
        exam_minutes=data.exam_minutes,
        exam_max_attempts=data.exam_max_attempts,
        pass_mark=data.pass_mark,
        created_at=now,
        updated_at=now,
    )
    session.add(course)
    await session.flush()
    await _replace_units(session, course, data.units)
    await session.flush()
    return course


async def update_course(
    session: AsyncSession,
    *,
    viewer: Viewer,
    course_id: int,
    expected_version: int,
    data: CourseData,
    now: datetime,
) -> Course:
    """A draft changes freely. A published course keeps what learners already rely on
    (code, kind, hours, units, exam): only its text, closing date and capacity change."""
    course = await _own_course(session, viewer, course_id)
    _check_version(course, expected_version)
    errs = _validate_course(data)
    if errs:
        raise DomainErrors(errs)
    if course.status == CourseStatus.DRAFT:
        course.code = data.code.strip()
        course.subject_kind = data.subject_kind.value
        course.specialty = data.specialty.value if data.specialty else None
        course.hours = data.hours
        course.opens_on = data.opens_on
        course.exam_question_count = data.exam_question_count
        course.exam_minutes = data.exam_minutes
        course.exam_max_attempts = data.exam_max_attempts
        course.pass_mark = data.pass_mark
        await _replace_units(session, course, data.units)
    elif course.status == CourseStatus.CLOSED:
        raise DomainError(Code.NOT_EDITABLE, "课程已结束，不能修改", "id")
    if data.capacity is not None and data.capacity < course.enrolled_count:
        raise DomainError(
            Code.CAPACITY_BELOW_ENROLLED,
            f"名额不能少于已报名人数（{course.enrolled_count}）",
            "capacity",
        )
    course.title = data.title.strip()
    course.description = data.description
    course.closes_on = data.closes_on
    course.capacity = data.capacity
    course.version += 1
    course.updated_at = now
    session.add(course)
    await session.flush()
    return course


def _question_errors(i: int, q: QuestionData) -> list[DomainError]:
    where, no = f"questions.{i}", i + 1
    errs: list[DomainError] = []

    def bad(message: str, field: str) -> None:
        errs.append(DomainError(Code.INVALID_VALUE, message, f"{where}.{field}"))

    if not q.stem.strip() or len(q.stem) > course_limits.MAX_STEM_LENGTH:
        bad(f"第{no}题题干必填，最多{course_limits.MAX_STEM_LENGTH}字", "stem")
    n = 2 if q.kind == QuestionKind.TRUE_FALSE else len(q.options)
    if q.kind != QuestionKind.TRUE_FALSE:  # true/false has its two fixed options
        low, high = course_limits.MIN_OPTIONS, course_limits.MAX_OPTIONS
        if not low <= n <= high:
            bad(f"第{no}题须有{low}至{high}个选项", "options")
        else:
            for j, option in enumerate(q.options):
                if len(option) > course_limits.MAX_OPTION_LENGTH:
                    bad(f"第{no}题的选项最多{course_limits.MAX_OPTION_LENGTH}字", f"options.{j}")
    if rules.check_answer(rules.BankQuestion(0, q.kind.value, n, ()), q.answer) is not None:
        bad(f"第{no}题的正确答案无效", "answer")
    if not 1 <= q.points <= 100:
        bad(f"第{no}题分值无效", "points")
    return errs


async def set_questions(
    session: AsyncSession,
    *,
    viewer: Viewer,
    course_id: int,
    expected_version: int,
    questions: list[QuestionData],
    now: datetime,
) -> Course:
    """Replace a draft course's question bank."""
    course = await _own_course(session, viewer, course_id)
    _check_version(course, expected_version)
    if course.status != CourseStatus.DRAFT:
        raise DomainError(Code.NOT_EDITABLE, "课程已发布，题库不能再修改", "courseId")
    if len(questions) > course_limits.MAX_BANK_QUESTIONS:
        # one error for the list, not one per item of a list of thousands
        raise DomainError(
            Code.INVALID_VALUE, f"题库最多{course_limits.MAX_BANK_QUESTIONS}题", "questions"
        )
    errs = [e for i, q in enumerate(questions) for e in _question_errors(i, q)]
    if errs:
        raise DomainErrors(errs)
    assert course.id is not None
    for old in (
        await session.exec(select(Question).where(col(Question.course_id) == course.id))
    ).all():
        await session.delete(old)
    await session.flush()
    for q in questions:
        options = ["正确", "错误"] if q.kind == QuestionKind.TRUE_FALSE else q.options
        session.add(
            Question(
                course_id=course.id,
                kind=q.kind.value,
                stem=q.stem.strip(),
                options=options,
                answer=sorted(q.answer),
                points=q.points,
            )
        )
    course.version += 1
    course.updated_at = now
    session.add(course)
    await session.flush()
    return course


async def publish_course(
    session: AsyncSession, *, viewer: Viewer, course_id: int, expected_version: int, now: datetime
) -> Course:
    course = await _own_course(session, viewer, course_id)
    _check_version(course, expected_version)
    if course.status != CourseStatus.DRAFT:
        raise DomainError(Code.NOT_EDITABLE, "只有草稿课程可以发布", "id")
    units = (
        await session.exec(select(func.count()).where(col(CourseUnit.course_id) == course.id))
    ).one()
    if units == 0:
        raise DomainError(Code.NO_UNITS, "课程至少需要一个单元", "id")
    if course.exam_question_count:
        bank = (
            await session.exec(select(func.count()).where(col(Question.course_id) == course.id))
        ).one()
        if bank < course.exam_question_count:
            raise DomainError(
                Code.QUESTION_BANK_TOO_SMALL,
                f"题库只有{bank}题，试卷需要{course.exam_question_count}题",
                "id",
            )
    course.status = CourseStatus.PUBLISHED.value
    course.version += 1
    course.updated_at = now
    session.add(course)
    await session.flush()
    return course


async def close_course(
    session: AsyncSession, *, viewer: Viewer, course_id: int, expected_version: int, now: datetime
) -> Course:
    """结课: no new enrolments or progress; hours already recognised stay."""
    course = await _own_course(session, viewer, course_id)
    _check_version(course, expected_version)
    if course.status != CourseStatus.PUBLISHED:
        raise DomainError(Code.NOT_EDITABLE, "只有已发布的课程可以结课", "id")
    course.status = CourseStatus.CLOSED.value
    course.version += 1
    course.updated_at = now
    session.add(course)
    await session.flush()
    return course


# --- Course materials -----------------------------------------------------------------


@dataclass(frozen=True)
class MaterialTicket:
    unit: CourseUnit
    upload: Upload


async def _own_unit(
    session: AsyncSession, viewer: Viewer, unit_id: int
) -> tuple[Course, CourseUnit]:
    unit = await session.get(CourseUnit, unit_id, with_for_update=True)
    if unit is None:
        raise DomainError(Code.NOT_FOUND, "课程单元不存在", "unitId")
    course = await _own_course(session, viewer, unit.course_id, lock=False)
    return course, unit


async def request_material_upload(
    session: AsyncSession,
    *,
    viewer: Viewer,
    unit_id: int,
    filename: str,
    size: int,
    content_type: str,
    policy: EducationPolicy,
    now: datetime,
) -> MaterialTicket:
    """An upload slot (COURSE_MATERIAL, target the unit). The unit keeps its current
    material until uploadConfirm has checked the new bytes."""
    course, unit = await _own_unit(session, viewer, unit_id)
    kind = UnitKind(unit.kind)
    if kind == UnitKind.LIVE:
        raise DomainError(Code.UNSUPPORTED_TYPE, "直播单元没有课件文件", "unitId")
    upload = await upload_slots.open_slot(
        session,
        owner_user_id=viewer.user_id,
        purpose=UploadPurpose.COURSE_MATERIAL,
        key=f"courses/{course.id}/{unit.id}/{uuid.uuid4()}",
        limits=policy.material_limits(kind),
        size=size,
        content_type=content_type,
        now=now,
        codes=UPLOAD_CODES,
        too_many=Code.TOO_MANY_UPLOADS,
        filename=filename,
        target_id=unit.id,
    )
    return MaterialTicket(unit, upload)


# --- uploadConfirm's step for COURSE_MATERIAL (core/upload_slots.py) ------------------


async def prepare_material(ctx: SlotContext, upload: Upload) -> UploadLimits:
    """Before the bytes are read: the unit is still the trainer's provider's, and of a
    kind that has a file (its limits follow the kind: video or PDF)."""
    try:
        _, unit = await _own_unit(ctx.session, ctx.viewer, upload.target_id or 0)
    except DomainError as exc:  # the unit, or the trainer's provider, is gone
        raise DomainError(UploadErrorCode.NOT_FOUND, exc.message, "id") from None
    kind = UnitKind(unit.kind)
    if kind not in MATERIAL_TYPES:
        raise DomainError(UploadErrorCode.UNSUPPORTED_TYPE, "直播单元没有课件文件", "id")
    return EducationPolicy.from_settings(ctx.settings).material_limits(kind)


async def complete_material(ctx: SlotContext, upload: Upload, frozen: FrozenUpload) -> CourseUnit:
    """The checked file becomes the unit's material."""
    unit = await ctx.session.get(CourseUnit, upload.target_id or 0)
    assert unit is not None  # locked by prepare_material
    unit.material_key = upload.object_key
    unit.material_filename = upload.filename
    unit.material_media_type = frozen.media_type.value
    unit.material_size = frozen.size
    ctx.session.add(unit)
    await ctx.session.flush()
    return unit


# --- Enrolment and progress -----------------------------------------------------------


def course_is_open(course: Course, today: date) -> bool:
    return course.status == CourseStatus.PUBLISHED and course.opens_on <= today <= course.closes_on


async def enrol(
    session: AsyncSession, *, viewer: Viewer, course_id: int, now: datetime, today: date
) -> Enrolment:
    if viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "当前账号没有关联人员信息", "courseId")
    # The course row lock serialises enrolments, so capacity holds under concurrency.
    course = await session.get(Course, course_id, with_for_update=True)
    if course is None or course.status == CourseStatus.DRAFT:
        raise DomainError(Code.NOT_FOUND, "课程不存在", "courseId")
    if course.status == CourseStatus.CLOSED or today > course.closes_on:
        raise DomainError(Code.COURSE_CLOSED, "课程已结束报名", "courseId")
    if today < course.opens_on:
        raise DomainError(
            Code.COURSE_NOT_OPEN, f"课程{course.opens_on:%Y年%m月%d日}开放报名", "courseId"
        )
    existing = (
        await session.exec(
            select(Enrolment.id).where(
                col(Enrolment.course_id) == course_id, col(Enrolment.person_id) == viewer.person_id
            )
        )
    ).first()
    if existing is not None:
        raise DomainError(Code.ALREADY_ENROLLED, "已报名该课程", "courseId")
    if course.capacity is not None and course.enrolled_count >= course.capacity:
        raise DomainError(Code.COURSE_FULL, "课程名额已满", "courseId")
    course.enrolled_count += 1
    session.add(course)
    enrolment = Enrolment(course_id=course_id, person_id=viewer.person_id, enrolled_at=now)
    session.add(enrolment)
    await session.flush()
    return enrolment


async def own_enrolment(
    session: AsyncSession, viewer: Viewer, enrolment_id: int, *, lock: bool = False
) -> Enrolment:
    stmt = select(Enrolment).where(
        col(Enrolment.id) == enrolment_id, col(Enrolment.person_id) == viewer.person_id
    )
    enrolment = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if enrolment is None or viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "报名记录不存在", "enrolmentId")
    return enrolment


async def course_units(session: AsyncSession, course_id: int) -> list[CourseUnit]:
    return list(
        (
            await session.exec(
                select(CourseUnit)
                .where(col(CourseUnit.course_id) == course_id)
                .order_by(col(CourseUnit.position))
            )
        ).all()
    )


async def _progress_rows(session: AsyncSession, enrolment_id: int) -> dict[int, UnitProgress]:
    rows = (
        await session.exec(
            select(UnitProgress).where(col(UnitProgress.enrolment_id) == enrolment_id)
        )
    ).all()
    return {p.unit_id: p for p in rows}


@dataclass(frozen=True)
class HeartbeatResult:
    progress: UnitProgress
    credited_ms: int
    enrolment: Enrolment


async def heartbeat(
    session: AsyncSession,
    *,
    viewer: Viewer,
    enrolment_id: int,
    unit_id: int,
    sequence: int,
    position_seconds: int,
    policy: EducationPolicy,
    now: datetime,
    today: date,
) -> HeartbeatResult:
    """Record that the learner is still in the unit. Credit comes from the server's clock
    between accepted beats (rules.apply_heartbeat), not from ``position_seconds``, which
    is kept only to resume the player where it stopped."""
    enrolment = await own_enrolment(session, viewer, enrolment_id, lock=True)
    course = await session.get(Course, enrolment.course_id)
    assert course is not None
    if course.status == CourseStatus.CLOSED or today > course.closes_on:
        raise DomainError(Code.COURSE_CLOSED, "课程已结束，学习进度不再记录", "enrolmentId")
    units = await course_units(session, course.id or 0)
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        raise DomainError(Code.NOT_FOUND, "该课程没有这个单元", "unitId")
    if unit.kind == UnitKind.LIVE:
        raise DomainError(Code.ATTENDANCE_ONLY, "直播单元以培训机构登记的出勤为准", "unitId")
    progress = await _progress_rows(session, enrolment_id)
    for earlier in units:
        if earlier.position >= unit.position:
            break
        done = progress.get(earlier.id or 0)
        if earlier.kind != UnitKind.LIVE and (done is None or done.completed_at is None):
            raise DomainError(Code.UNIT_LOCKED, f"请先完成“{earlier.title}”", "unitId")
    # Both rows exist before they are locked (a first beat sent twice at once must not
    # race on the INSERT), then row locks in a fixed order (clock, then progress) keep
    # parallel beats of one learner serial.
    assert viewer.person_id is not None
    conn = await session.connection()
    await conn.execute(
        pg_insert(LearningClock)
        .values(person_id=viewer.person_id, credited_until=NEVER)
        .on_conflict_do_nothing()
    )
    await conn.execute(
        pg_insert(UnitProgress)
        .values(
            enrolment_id=enrolment_id,
            unit_id=unit_id,
            covered_ms=0,
            position_seconds=0,
            last_sequence=0,
        )
        .on_conflict_do_nothing()
    )
    clock = await session.get(
        LearningClock, viewer.person_id, with_for_update=True, populate_existing=True
    )
    row = await session.get(
        UnitProgress, (enrolment_id, unit_id), with_for_update=True, populate_existing=True
    )
    assert clock is not None and row is not None
    outcome = rules.apply_heartbeat(
        rules.ProgressState(row.covered_ms, row.last_sequence, row.last_beat_at),
        sequence=sequence,
        now=now,
        credited_until=clock.credited_until,
        duration_seconds=unit.duration_seconds,
        policy=policy.heartbeat,
    )
    if outcome.problem == rules.BeatProblem.OUT_OF_ORDER:
        raise DomainError(Code.OUT_OF_ORDER, "心跳序号重复或过期，已忽略", "sequence")
    if outcome.problem == rules.BeatProblem.TOO_FAST:
        raise DomainError(Code.TOO_FAST, "心跳过于频繁，已忽略", "sequence")
    row.covered_ms = outcome.state.covered_ms
    row.last_sequence = outcome.state.last_sequence
    row.last_beat_at = now
    row.position_seconds = max(0, min(position_seconds, unit.duration_seconds))
    if row.completed_at is None and rules.unit_complete(row.covered_ms, unit.duration_seconds):
        row.completed_at = now
    session.add(row)
    if outcome.credited_ms:
        clock.credited_until = now
        session.add(clock)
    await session.flush()
    progress[unit_id] = row
    await _after_progress(session, enrolment, course, units, progress, now)
    return HeartbeatResult(row, outcome.credited_ms, enrolment)


async def record_attendance(
    session: AsyncSession,
    *,
    viewer: Viewer,
    unit_id: int,
    person_ids: list[int],
    now: datetime,
) -> list[UnitProgress]:
    """出勤登记 for a live session: completes the unit for each enrolled person named."""
    course, unit = await _own_unit(session, viewer, unit_id)
    if unit.kind != UnitKind.LIVE:
        raise DomainError(Code.INVALID_VALUE, "只有直播单元登记出勤", "unitId")
    if unit.starts_at and unit.starts_at > now:
        raise DomainError(Code.INVALID_VALUE, "直播尚未开始，不能登记出勤", "unitId")
    enrolments = (
        await session.exec(
            select(Enrolment).where(
                col(Enrolment.course_id) == course.id, col(Enrolment.person_id).in_(person_ids)
            )
        )
    ).all()
    found = {e.person_id for e in enrolments}
    missing = [p for p in person_ids if p not in found]
    if missing:
        raise DomainError(Code.NOT_ENROLLED, f"{len(missing)}人未报名该课程", "personIds")
    units = await course_units(session, course.id or 0)
    out = []
    for e in enrolments:
        assert e.id is not None
        progress = await _progress_rows(session, e.id)
        row = progress.get(unit_id) or UnitProgress(enrolment_id=e.id, unit_id=unit_id)
        if row.completed_at is None:
            row.covered_ms = unit.duration_seconds * 1000
            row.completed_at = now
            row.attendance_by = viewer.user_id
            session.add(row)
            await session.flush()
        progress[unit_id] = row
        await _after_progress(session, e, course, units, progress, now)
        out.append(row)
    return out


async def _after_progress(
    session: AsyncSession,
    enrolment: Enrolment,
    course: Course,
    units: list[CourseUnit],
    progress: dict[int, UnitProgress],
    now: datetime,
) -> None:
    if enrolment.units_completed_at is not None:
        return
    if all((p := progress.get(u.id or 0)) and p.completed_at for u in units):
        enrolment.units_completed_at = now
        session.add(enrolment)
        if course.exam_question_count == 0:
            await _complete(session, enrolment, course, now)
        await session.flush()


async def _complete(
    session: AsyncSession, enrolment: Enrolment, course: Course, now: datetime
) -> None:
    """The one place a course's hours are recognised (rule hours-v1): every unit done and,
    when the course has an exam, the exam passed. The unique (person, course) index makes
    a second recognition impossible, whatever the path."""
    enrolment.status = EnrolmentStatus.COMPLETED.value
    enrolment.completed_at = now
    session.add(enrolment)
    provider = await session.get(TrainingProvider, course.provider_id)
    assert provider is not None and course.id is not None
    session.add(
        HourRecord(
            person_id=enrolment.person_id,
            source=HourSource.COURSE.value,
            status=HourStatus.ACCEPTED.value,
            dedup_key=f"course:{course.id}",
            course_id=course.id,
            provider_id=provider.id,
            provider_name=provider.name,
            course_title=course.title,
            subject_kind=course.subject_kind,
            specialty=course.specialty,
            hours=course.hours,
            recognised_on=now.astimezone(SHANGHAI).date(),
            rule_version=rules.HOURS_RULE_VERSION,
            created_at=now,
        )
    )


# --- Exams ----------------------------------------------------------------------------


async def _bank(session: AsyncSession, course_id: int) -> dict[int, Question]:
    rows = (await session.exec(select(Question).where(col(Question.course_id) == course_id))).all()
    return {q.id or 0: q for q in rows}


def _bank_question(q: Question) -> rules.BankQuestion:
    return rules.BankQuestion(q.id or 0, q.kind, len(q.options), tuple(q.answer), q.points)


async def start_exam(
    session: AsyncSession, *, viewer: Viewer, enrolment_id: int, now: datetime, today: date
) -> ExamAttempt:
    enrolment = await own_enrolment(session, viewer, enrolment_id, lock=True)
    course = await session.get(Course, enrolment.course_id)
    assert course is not None and course.id is not None
    if course.exam_question_count == 0:
        raise DomainError(Code.NO_EXAM, "该课程没有考试", "enrolmentId")
    if course.status == CourseStatus.CLOSED or today > course.closes_on:
        raise DomainError(Code.COURSE_CLOSED, "课程已结束", "enrolmentId")
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise DomainError(Code.ALREADY_PASSED, "已通过考试", "enrolmentId")
    if enrolment.units_completed_at is None:
        raise DomainError(Code.UNITS_INCOMPLETE, "请先学完全部单元再参加考试", "enrolmentId")
    await close_expired_attempts(session, now=now, enrolment_id=enrolment_id)
    attempts = (
        await session.exec(
            select(ExamAttempt)
            .where(col(ExamAttempt.enrolment_id) == enrolment_id)
            .order_by(col(ExamAttempt.attempt_no))
        )
    ).all()
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    if open_attempt is not None:
        return open_attempt  # resuming, e.g. after a reload: same paper, same deadline
    if len(attempts) >= course.exam_max_attempts:
        raise DomainError(
            Code.NO_ATTEMPTS_LEFT,
            f"考试次数已用完（共{course.exam_max_attempts}次）",
            "enrolmentId",
        )
    seed = secrets.randbits(62)
    bank = await _bank(session, course.id)
    paper = rules.draw_paper(list(bank), course.exam_question_count, seed)
    attempt = ExamAttempt(
        enrolment_id=enrolment_id,
        attempt_no=len(attempts) + 1,
        seed=seed,
        question_ids=paper,
        started_at=now,
        deadline_at=now + timedelta(minutes=course.exam_minutes),
    )
    session.add(attempt)
    await session.flush()
    return attempt


async def own_attempt(session: AsyncSession, viewer: Viewer, attempt_id: int) -> ExamAttempt:
    attempt = (
        await session.exec(
            select(ExamAttempt)
            .join(Enrolment, col(Enrolment.id) == col(ExamAttempt.enrolment_id))
            .where(col(ExamAttempt.id) == attempt_id, col(Enrolment.person_id) == viewer.person_id)
            .with_for_update(of=ExamAttempt)
        )
    ).first()
    if attempt is None or viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "考试记录不存在", "attemptId")
    return attempt


def _validate_answers(
    attempt: ExamAttempt, bank: dict[int, Question], answers: dict[int, list[int]]
) -> None:
    errs = []
    for qid, choices in answers.items():
        if qid not in attempt.question_ids:
            errs.append(
                DomainError(Code.QUESTION_NOT_IN_PAPER, "该题不在本次试卷中", f"answers.{qid}")
            )
            continue
        if rules.check_answer(_bank_question(bank[qid]), choices) is not None:
            errs.append(DomainError(Code.BAD_CHOICE, "答案选项无效", f"answers.{qid}"))
    if errs:
        raise DomainErrors(errs)


async def save_answers(
    session: AsyncSession,
    *,
    viewer: Viewer,
    attempt_id: int,
    answers: dict[int, list[int]],
    now: datetime,
) -> ExamAttempt:
    """Autosave while answering; what is saved is graded if time runs out."""
    attempt = await own_attempt(session, viewer, attempt_id)
    _check_open(attempt, now)
    enrolment = await session.get(Enrolment, attempt.enrolment_id)
    assert enrolment is not None
    bank = await _bank(session, enrolment.course_id)
    _validate_answers(attempt, bank, answers)
    merged = rules.answers_from_json(attempt.answers)
    merged.update(answers)
    attempt.answers = rules.answers_to_json(merged)
    session.add(attempt)
    await session.flush()
    return attempt


def _check_open(attempt: ExamAttempt, now: datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise DomainError(Code.ALREADY_SUBMITTED, "本次考试已交卷", "attemptId")
    if now > attempt.deadline_at + SUBMIT_GRACE:
        raise DomainError(Code.TIME_UP, "考试时间已到，已按保存的答案评分", "attemptId")


async def submit_exam(
    session: AsyncSession,
    *,
    viewer: Viewer,
    attempt_id: int,
    answers: dict[int, list[int]],
    now: datetime,
) -> ExamAttempt:
    attempt = await own_attempt(session, viewer, attempt_id)
    _check_open(attempt, now)
    enrolment = await session.get(Enrolment, attempt.enrolment_id, with_for_update=True)
    assert enrolment is not None
    bank = await _bank(session, enrolment.course_id)
    _validate_answers(attempt, bank, answers)
    merged = rules.answers_from_json(attempt.answers)
    merged.update(answers)
    attempt.answers = rules.answers_to_json(merged)
    await _grade(session, attempt, enrolment, bank, AttemptStatus.SUBMITTED, now)
    return attempt


async def _grade(
    session: AsyncSession,
    attempt: ExamAttempt,
    enrolment: Enrolment,
    bank: dict[int, Question],
    status: AttemptStatus,
    now: datetime,
) -> None:
    course = await session.get(Course, enrolment.course_id)
    assert course is not None
    paper = [_bank_question(bank[qid]) for qid in attempt.question_ids]
    result = rules.grade(paper, rules.answers_from_json(attempt.answers), course.pass_mark)
    attempt.status = status.value
    attempt.submitted_at = now if status == AttemptStatus.SUBMITTED else attempt.deadline_at
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.passed = result.passed
    session.add(attempt)
    if result.passed and enrolment.status != EnrolmentStatus.COMPLETED:
        await _complete(session, enrolment, course, now)
    await session.flush()


async def close_expired_attempts(
    session: AsyncSession, *, now: datetime, enrolment_id: int | None = None
) -> int:
    """Grade attempts whose time ran out from their saved answers (periodic job, and
    before a new attempt starts)."""
    stmt = (
        select(ExamAttempt)
        .where(
            col(ExamAttempt.status) == AttemptStatus.IN_PROGRESS.value,
            col(ExamAttempt.deadline_at) + SUBMIT_GRACE < now,
        )
        .with_for_update(skip_locked=True)
        .limit(500)
    )
    if enrolment_id is not None:
        stmt = stmt.where(col(ExamAttempt.enrolment_id) == enrolment_id)
    n = 0
    for attempt in (await session.exec(stmt)).all():
        enrolment = await session.get(Enrolment, attempt.enrolment_id, with_for_update=True)
        assert enrolment is not None
        await _grade(
            session,
            attempt,
            enrolment,
            await _bank(session, enrolment.course_id),
            AttemptStatus.EXPIRED,
            now,
        )
        n += 1
    return n
