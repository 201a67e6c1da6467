"""Mutations of continuing education: trainers' courses, learners' enrolment, heartbeats
and exams, hours (self-reports, reviews, imports) and transcripts. Expected failures are
``errors`` in the payload; the transaction then writes nothing."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal

import strawberry
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.core.storage import ObjectStore
from regsafe.core.upload_slots import Upload
from regsafe.education import hours, service, tasks
from regsafe.education.errors import EducationErrorCode as Code
from regsafe.education.models import CourseUnit, SubjectKind
from regsafe.education.service import CourseData, EducationPolicy, QuestionData, UnitData
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.graphql.core.uploads import UploadSlotType, slot

from .inputs import AnswerInput, CourseInput, QuestionInput, SelfReportInput
from .types import (
    CourseType,
    CourseUnitType,
    EducationError,
    EnrolmentType,
    ExamAttemptType,
    HourImportType,
    HourRecordType,
    ImportRowError,
    TranscriptType,
    UnitProgressType,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024
REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def _errors(errs: list[DomainError]) -> list[EducationError]:
    return [EducationError(field=e.field, code=Code(e.code.value), message=e.message) for e in errs]


def _pk(gid: relay.GlobalID, type_name: str, field: str) -> int:
    pk = node_pk(gid, type_name)
    if pk is None:
        raise DomainError(Code.NOT_FOUND, "ID 无效", field)
    return pk


def _store(info: strawberry.Info) -> ObjectStore:
    store = info.context.runtime.store
    if store is None:
        raise RuntimeError("object store is not configured")
    return store


def _evidence_pk(gid: relay.GlobalID | None) -> int | None:
    """An UploadSlot id; None (reported as missing evidence) when absent."""
    if gid is None:
        return None
    pk = node_pk(gid, "UploadSlot")
    if pk is None:
        raise DomainError(Code.UPLOAD_MISSING, "请先上传并确认证明材料", "evidenceUploadId")
    return pk


def _policy(info: strawberry.Info) -> EducationPolicy:
    return EducationPolicy.from_settings(info.context.settings)


def _course_data(i: CourseInput) -> CourseData:
    return CourseData(
        code=i.code,
        title=i.title,
        subject_kind=i.subject_kind,
        hours=Decimal(str(i.hours)),
        opens_on=i.opens_on,
        closes_on=i.closes_on,
        specialty=i.specialty,
        description=i.description,
        capacity=i.capacity,
        units=[UnitData(u.title, u.kind, u.duration_seconds, u.starts_at) for u in i.units],
        exam_question_count=i.exam_question_count,
        exam_minutes=i.exam_minutes,
        exam_max_attempts=i.exam_max_attempts,
        pass_mark=i.pass_mark,
    )


def _answers(items: list[AnswerInput]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for a in items:
        pk = node_pk(a.question_id, "Question")
        if pk is None:
            raise DomainError(Code.QUESTION_NOT_IN_PAPER, "题目 ID 无效", "answers")
        out[pk] = list(a.choices)
    return out


@strawberry.type(description="Result of a course mutation.")
class CoursePayload:
    course: CourseType | None = strawberry.field(description="null when errors is not empty.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of courseMaterialUploadRequest.")
class MaterialUploadPayload:
    unit: CourseUnitType | None = strawberry.field(description="The unit.")
    upload: UploadSlotType | None = strawberry.field(
        description="The slot: PUT the bytes to its url, then call uploadConfirm."
    )
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of a unit mutation.")
class UnitPayload:
    unit: CourseUnitType | None = strawberry.field(description="The unit.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of liveAttendanceRecord.")
class AttendancePayload:
    recorded: int = strawberry.field(description="Learners whose attendance is recorded.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of an enrolment mutation.")
class EnrolmentPayload:
    enrolment: EnrolmentType | None = strawberry.field(description="The enrolment.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of learningHeartbeat.")
class HeartbeatPayload:
    progress: UnitProgressType | None = strawberry.field(description="The unit's progress now.")
    credited_seconds: float = strawberry.field(description="Seconds this beat added.")
    enrolment: EnrolmentType | None = strawberry.field(description="The enrolment (status).")
    errors: list[EducationError] = strawberry.field(
        description="OUT_OF_ORDER / TOO_FAST beats change nothing; keep beating."
    )


@strawberry.type(description="Result of an exam mutation.")
class ExamAttemptPayload:
    attempt: ExamAttemptType | None = strawberry.field(description="The attempt.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of hoursEvidenceUploadRequest.")
class EvidenceUploadPayload:
    upload: UploadSlotType | None = strawberry.field(
        description="The slot: PUT the bytes, call uploadConfirm, then pass its id to "
        "hoursSelfReport as evidenceUploadId."
    )
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of an hour record mutation.")
class HourRecordPayload:
    record: HourRecordType | None = strawberry.field(description="The record.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of hoursImport.")
class HourImportPayload:
    hour_import: HourImportType | None = strawberry.field(description="The import batch.")
    row_errors: list[ImportRowError] = strawberry.field(
        description="Refused rows (the first 200; all of them are in the downloadable report)."
    )
    errors: list[EducationError] = strawberry.field(
        description="Problems with the request itself; empty on success."
    )


@strawberry.type(description="Result of transcriptRequest.")
class TranscriptPayload:
    transcript: TranscriptType | None = strawberry.field(description="PENDING until rendered.")
    errors: list[EducationError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type
class EducationMutation:
    # --- trainers ---------------------------------------------------------------------

    @strawberry.mutation(description="新建课程 (draft).", extensions=requires(Role.TRAINER))
    async def course_create(self, info: strawberry.Info, input: CourseInput) -> CoursePayload:
        ctx = info.context

        async def act() -> CourseType:
            c = await service.create_course(
                ctx.session, viewer=ctx.viewer, data=_course_data(input), now=utcnow()
            )
            return CourseType.of(c)

        course, errs = await run_mutation(info, act)
        return CoursePayload(course=course, errors=_errors(errs))

    @strawberry.mutation(
        description="修改课程. Drafts change freely; published courses only their text, "
        "closing date and capacity.",
        extensions=requires(Role.TRAINER),
    )
    async def course_update(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int, input: CourseInput
    ) -> CoursePayload:
        ctx = info.context

        async def act() -> CourseType:
            c = await service.update_course(
                ctx.session,
                viewer=ctx.viewer,
                course_id=_pk(id, "Course", "id"),
                expected_version=expected_version,
                data=_course_data(input),
                now=utcnow(),
            )
            return CourseType.of(c)

        course, errs = await run_mutation(info, act)
        return CoursePayload(course=course, errors=_errors(errs))

    @strawberry.mutation(
        description="设置题库 (replaces it; drafts only).", extensions=requires(Role.TRAINER)
    )
    async def course_questions_set(
        self,
        info: strawberry.Info,
        id: relay.GlobalID,
        expected_version: int,
        questions: list[QuestionInput],
    ) -> CoursePayload:
        ctx = info.context

        async def act() -> CourseType:
            c = await service.set_questions(
                ctx.session,
                viewer=ctx.viewer,
                course_id=_pk(id, "Course", "id"),
                expected_version=expected_version,
                questions=[
                    QuestionData(q.kind, q.stem, list(q.options), list(q.answer), q.points)
                    for q in questions
                ],
                now=utcnow(),
            )
            return CourseType.of(c)

        course, errs = await run_mutation(info, act)
        return CoursePayload(course=course, errors=_errors(errs))

    @strawberry.mutation(description="发布课程", extensions=requires(Role.TRAINER))
    async def course_publish(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> CoursePayload:
        ctx = info.context

        async def act() -> CourseType:
            c = await service.publish_course(
                ctx.session,
                viewer=ctx.viewer,
                course_id=_pk(id, "Course", "id"),
                expected_version=expected_version,
                now=utcnow(),
            )
            return CourseType.of(c)

        course, errs = await run_mutation(info, act)
        return CoursePayload(course=course, errors=_errors(errs))

    @strawberry.mutation(description="结课", extensions=requires(Role.TRAINER))
    async def course_close(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> CoursePayload:
        ctx = info.context

        async def act() -> CourseType:
            c = await service.close_course(
                ctx.session,
                viewer=ctx.viewer,
                course_id=_pk(id, "Course", "id"),
                expected_version=expected_version,
                now=utcnow(),
            )
            return CourseType.of(c)

        course, errs = await run_mutation(info, act)
        return CoursePayload(course=course, errors=_errors(errs))

    @strawberry.mutation(
        description=(
            "上传课件: an upload slot for a video (MP4/WebM) or document (PDF) unit; after "
            "the PUT, uploadConfirm checks the file and makes it the unit's material."
        ),
        extensions=requires(Role.TRAINER),
    )
    async def course_material_upload_request(
        self,
        info: strawberry.Info,
        unit_id: relay.GlobalID,
        filename: str,
        size: int,
        content_type: str,
    ) -> MaterialUploadPayload:
        ctx = info.context

        async def act() -> service.MaterialTicket:
            return await service.request_material_upload(
                ctx.session,
                viewer=ctx.viewer,
                unit_id=_pk(unit_id, "CourseUnit", "unitId"),
                filename=filename,
                size=size,
                content_type=content_type,
                policy=_policy(info),
                now=utcnow(),
            )

        ticket, errs = await run_mutation(info, act)
        return MaterialUploadPayload(
            unit=CourseUnitType.of(ticket.unit) if ticket else None,
            upload=slot(ticket.upload) if ticket else None,
            errors=_errors(errs),
        )

    @strawberry.mutation(
        description="直播出勤登记: completes a live unit for the enrolled persons named.",
        extensions=requires(Role.TRAINER),
    )
    async def live_attendance_record(
        self, info: strawberry.Info, unit_id: relay.GlobalID, person_ids: list[relay.GlobalID]
    ) -> AttendancePayload:
        ctx = info.context

        async def act() -> int:
            rows = await service.record_attendance(
                ctx.session,
                viewer=ctx.viewer,
                unit_id=_pk(unit_id, "CourseUnit", "unitId"),
                person_ids=[_pk(p, "Person", "personIds") for p in person_ids],
                now=utcnow(),
            )
            return len(rows)

        n, errs = await run_mutation(info, act)
        return AttendancePayload(recorded=n or 0, errors=_errors(errs))

    @strawberry.mutation(
        description="外部学时导入: a CSV (UTF-8 or GBK, base64) validated row by row; good "
        "rows are recorded, the rest listed and in a downloadable error report.",
        extensions=requires(Role.TRAINER),
    )
    async def hours_import(
        self, info: strawberry.Info, filename: str, content_base64: str
    ) -> HourImportPayload:
        ctx = info.context

        async def act() -> hours.ImportOutcome:
            try:
                data = base64.b64decode(content_base64, validate=True)
            except (binascii.Error, ValueError):
                raise DomainError(
                    Code.IMPORT_REJECTED, "文件内容不是有效的 base64", "contentBase64"
                ) from None
            if len(data) > MAX_IMPORT_BYTES:
                raise DomainError(Code.IMPORT_REJECTED, "文件不能超过2MB", "contentBase64")
            return await hours.import_hours(
                ctx.session,
                _store(info),
                ctx.runtime.cipher,
                viewer=ctx.viewer,
                filename=filename,
                data=data,
                now=utcnow(),
                today=today_shanghai(),
            )

        outcome, errs = await run_mutation(info, act)
        return HourImportPayload(
            hour_import=HourImportType.of(outcome.batch) if outcome else None,
            row_errors=[
                ImportRowError(line=e.line, column=e.column, code=e.code, message=e.message)
                for e in (outcome.errors[:200] if outcome else [])
            ],
            errors=_errors(errs),
        )

    # --- learners ---------------------------------------------------------------------

    @strawberry.mutation(description="报名课程", extensions=requires(Role.REGISTRANT))
    async def course_enrol(
        self, info: strawberry.Info, course_id: relay.GlobalID
    ) -> EnrolmentPayload:
        ctx = info.context

        async def act() -> EnrolmentType:
            e = await service.enrol(
                ctx.session,
                viewer=ctx.viewer,
                course_id=_pk(course_id, "Course", "courseId"),
                now=utcnow(),
                today=today_shanghai(),
            )
            return EnrolmentType.of(e)

        enrolment, errs = await run_mutation(info, act)
        return EnrolmentPayload(enrolment=enrolment, errors=_errors(errs))

    @strawberry.mutation(
        description="学习心跳: send every learningPolicy.heartbeatIntervalSeconds while a unit "
        "plays, with a sequence number that grows with every beat (a 32-bit Int: e.g. the "
        "Unix second of the first beat, then +1 per beat, which still grows after a reload). "
        "Credit is the server's time between beats, never the player's position.",
        extensions=requires(Role.REGISTRANT),
    )
    async def learning_heartbeat(
        self,
        info: strawberry.Info,
        enrolment_id: relay.GlobalID,
        unit_id: relay.GlobalID,
        sequence: int,
        position_seconds: int = 0,
    ) -> HeartbeatPayload:
        ctx = info.context

        async def act() -> service.HeartbeatResult:
            if not 0 < sequence < 2**62:
                raise DomainError(Code.OUT_OF_ORDER, "心跳序号无效", "sequence")
            return await service.heartbeat(
                ctx.session,
                viewer=ctx.viewer,
                enrolment_id=_pk(enrolment_id, "Enrolment", "enrolmentId"),
                unit_id=_pk(unit_id, "CourseUnit", "unitId"),
                sequence=sequence,
                position_seconds=max(0, min(position_seconds, 10**7)),
                policy=_policy(info),
                now=utcnow(),
                today=today_shanghai(),
            )

        result, errs = await run_mutation(info, act)
        if result is None:
            return HeartbeatPayload(
                progress=None, credited_seconds=0, enrolment=None, errors=_errors(errs)
            )
        unit = await ctx.get(CourseUnit, result.progress.unit_id)
        assert unit is not None
        return HeartbeatPayload(
            progress=UnitProgressType.of(unit, result.progress),
            credited_seconds=result.credited_ms / 1000,
            enrolment=EnrolmentType.of(result.enrolment),
            errors=[],
        )

    @strawberry.mutation(
        description="开始考试 (or resume the attempt in progress: same paper, same deadline).",
        extensions=requires(Role.REGISTRANT),
    )
    async def exam_start(
        self, info: strawberry.Info, enrolment_id: relay.GlobalID
    ) -> ExamAttemptPayload:
        ctx = info.context

        async def act() -> ExamAttemptType:
            a = await service.start_exam(
                ctx.session,
                viewer=ctx.viewer,
                enrolment_id=_pk(enrolment_id, "Enrolment", "enrolmentId"),
                now=utcnow(),
                today=today_shanghai(),
            )
            return ExamAttemptType.of(a)

        attempt, errs = await run_mutation(info, act)
        return ExamAttemptPayload(attempt=attempt, errors=_errors(errs))

    @strawberry.mutation(
        description="保存答案 (autosave; graded if time runs out).",
        extensions=requires(Role.REGISTRANT),
    )
    async def exam_answer(
        self, info: strawberry.Info, attempt_id: relay.GlobalID, answers: list[AnswerInput]
    ) -> ExamAttemptPayload:
        ctx = info.context

        async def act() -> ExamAttemptType:
            a = await service.save_answers(
                ctx.session,
                viewer=ctx.viewer,
                attempt_id=_pk(attempt_id, "ExamAttempt", "attemptId"),
                answers=_answers(answers),
                now=utcnow(),
            )
            return ExamAttemptType.of(a)

        attempt, errs = await run_mutation(info, act)
        return ExamAttemptPayload(attempt=attempt, errors=_errors(errs))

    @strawberry.mutation(
        description="交卷: graded at once; passing completes the course and records its hours.",
        extensions=requires(Role.REGISTRANT),
    )
    async def exam_submit(
        self,
        info: strawberry.Info,
        attempt_id: relay.GlobalID,
        answers: list[AnswerInput] | None = None,
    ) -> ExamAttemptPayload:
        ctx = info.context

        async def act() -> ExamAttemptType:
            a = await service.submit_exam(
                ctx.session,
                viewer=ctx.viewer,
                attempt_id=_pk(attempt_id, "ExamAttempt", "attemptId"),
                answers=_answers(answers or []),
                now=utcnow(),
            )
            return ExamAttemptType.of(a)

        attempt, errs = await run_mutation(info, act)
        return ExamAttemptPayload(attempt=attempt, errors=_errors(errs))

    # --- hours ------------------------------------------------------------------------

    @strawberry.mutation(
        description=(
            "上传学时证明材料 (JPEG/PNG/PDF): an upload slot; PUT, uploadConfirm, then name "
            "it in hoursSelfReport."
        ),
        extensions=requires(Role.REGISTRANT),
    )
    async def hours_evidence_upload_request(
        self, info: strawberry.Info, size: int, content_type: str, filename: str | None = None
    ) -> EvidenceUploadPayload:
        ctx = info.context

        async def act() -> Upload:
            return await hours.request_evidence_upload(
                ctx.session,
                viewer=ctx.viewer,
                size=size,
                content_type=content_type,
                filename=filename,
                policy=_policy(info),
                now=utcnow(),
            )

        upload, errs = await run_mutation(info, act)
        return EvidenceUploadPayload(upload=slot(upload), errors=_errors(errs))

    @strawberry.mutation(
        description="个人申报学时 with evidence; counts once a reviewer accepts it.",
        extensions=requires(Role.REGISTRANT),
    )
    async def hours_self_report(
        self, info: strawberry.Info, input: SelfReportInput
    ) -> HourRecordPayload:
        ctx = info.context

        async def act() -> HourRecordType:
            r = await hours.self_report(
                ctx.session,
                viewer=ctx.viewer,
                report=hours.SelfReport(
                    course_title=input.course_title,
                    provider_name=input.provider_name,
                    subject_kind=SubjectKind(input.subject_kind),
                    hours=Decimal(str(input.hours)),
                    completed_on=input.completed_on,
                    evidence_upload_id=_evidence_pk(input.evidence_upload_id),
                    specialty=input.specialty.value if input.specialty else None,
                    reference=(input.reference or "").strip()[:64] or None,
                ),
                now=utcnow(),
                today=today_shanghai(),
            )
            return HourRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return HourRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description="审核个人申报: accept, or reject with a note.", extensions=requires(*REVIEWERS)
    )
    async def hours_review(
        self, info: strawberry.Info, id: relay.GlobalID, accept: bool, note: str | None = None
    ) -> HourRecordPayload:
        ctx = info.context

        async def act() -> HourRecordType:
            r = await hours.review_self_report(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(id, "HourRecord", "id"),
                accept=accept,
                note=note,
                now=utcnow(),
            )
            return HourRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return HourRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description="申请学时证明 (PDF) of the current registration cycle; rendered by a job.",
        extensions=requires(Role.REGISTRANT),
    )
    async def transcript_request(self, info: strawberry.Info) -> TranscriptPayload:
        ctx = info.context

        async def act() -> TranscriptType:
            t = await hours.request_transcript(ctx.session, viewer=ctx.viewer, now=utcnow())
            assert t.id is not None
            await tasks.defer_transcript(await raw_connection(ctx.session), t.id)
            return TranscriptType.of(t)

        transcript, errs = await run_mutation(info, act)
        return TranscriptPayload(transcript=transcript, errors=_errors(errs))
