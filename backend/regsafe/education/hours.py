"""Hours (学时): records, the cycle requirement and its forecast, self-reports with
evidence, providers' imports of external hours, and transcripts.

Hours count toward a registration cycle when they were recognised inside the cycle's
own validity period (both ends inclusive), DOMAIN.md "Continuing education"."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Role, Viewer
from regsafe.core import upload_slots
from regsafe.core.clock import SHANGHAI
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectStore
from regsafe.core.upload_slots import SlotContext, Upload, UploadPurpose
from regsafe.core.uploads import UploadLimits
from regsafe.education import imports, rules
from regsafe.education.errors import EducationErrorCode as Code
from regsafe.education.models import (
    Course,
    HourImport,
    HourRecord,
    HourSource,
    HourStatus,
    SubjectKind,
    Transcript,
    TranscriptStatus,
)
from regsafe.education.rules import Cycle, RequirementPolicy, RequirementStatus
from regsafe.education.scopes import review_scope_ok
from regsafe.education.service import UPLOAD_CODES, EducationPolicy, provider_of
from regsafe.identity import rules as id_rules
from regsafe.identity.models import SPECIALTY_NAMES, Person
from regsafe.identity.service import ID_CONTEXT
from regsafe.jobs.state import JobState, latest_job_state
from regsafe.registration.models import Registration, RegistrationStatus
from regsafe.registration.rules import Check, CheckResult

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def requirement_policy(settings: Settings) -> RequirementPolicy:
    return RequirementPolicy.parse(
        settings.education_required_hours,
        settings.education_professional_share,
        settings.education_requirement_overrides,
    )


# --- The cycle requirement ------------------------------------------------------------

# One statement for a page of registrations: each one's counted hours inside its own
# cycle, summed off ix_hour_record_counted (an index-only range per person).
_CYCLE_SUMS = """
SELECT r.id, r.person_id, r.specialty, r.valid_from, r.valid_until, e.region_code,
       COALESCE(h.general, 0) AS general, COALESCE(h.professional, 0) AS professional
FROM registration r
JOIN employer e ON e.id = r.employer_id
LEFT JOIN LATERAL (
    SELECT sum(hr.hours) FILTER (WHERE NOT {prof}) AS general,
           sum(hr.hours) FILTER (WHERE {prof}) AS professional
    FROM hour_record hr
    WHERE hr.person_id = r.person_id AND hr.status = 'ACCEPTED'
      AND hr.recognised_on BETWEEN r.valid_from AND r.valid_until
) h ON true
""".format(
    prof="(hr.subject_kind = 'PROFESSIONAL' AND (hr.specialty IS NULL "
    "OR hr.specialty = r.specialty))"
)


@dataclass(frozen=True)
class CycleStatus:
    registration_id: int
    person_id: int
    specialty: str
    status: RequirementStatus


def _status_of(row: Any, policy: RequirementPolicy, today: date) -> CycleStatus:
    cycle = Cycle(row.valid_from, row.valid_until)
    return CycleStatus(
        row.id,
        row.person_id,
        row.specialty,
        rules.requirement_status(
            cycle=cycle,
            requirement=policy.for_cycle(row.region_code, cycle.start),
            earned_general=Decimal(row.general),
            earned_professional=Decimal(row.professional),
            today=today,
        ),
    )


async def cycle_status(
    session: AsyncSession, *, registration_id: int, policy: RequirementPolicy, today: date
) -> CycleStatus | None:
    row = (
        await (await session.connection()).execute(
            text(_CYCLE_SUMS + " WHERE r.id = :id"), {"id": registration_id}
        )
    ).first()
    return _status_of(row, policy, today) if row else None


async def cycle_statuses(
    session: AsyncSession,
    *,
    registration_ids: Sequence[int],
    policy: RequirementPolicy,
    today: date,
) -> list[CycleStatus]:
    """Requirement status of these registrations' cycles in one SQL statement (a page of
    engineers asks for all of theirs at once); unknown ids are left out."""
    if not registration_ids:
        return []
    rows = (
        await (await session.connection()).execute(
            text(_CYCLE_SUMS + " WHERE r.id = ANY(:ids)"), {"ids": list(registration_ids)}
        )
    ).all()
    return [_status_of(r, policy, today) for r in rows]


async def requirement_page(
    session: AsyncSession,
    *,
    after_person_id: int = 0,
    limit: int = 500,
    policy: RequirementPolicy,
    today: date,
) -> list[CycleStatus]:
    """Requirement status of active registrations, a page at a time in person order
    (keyset on the partial unique index of active registrations): one SQL statement per
    page, for the shortfall warnings and analytics."""
    rows = (
        await (await session.connection()).execute(
            text(
                _CYCLE_SUMS
                + " WHERE r.status = 'ACTIVE' AND r.person_id > :after"
                + " ORDER BY r.person_id LIMIT :limit"
            ),
            {"after": after_person_id, "limit": limit},
        )
    ).all()
    return [_status_of(r, policy, today) for r in rows]


async def active_registration(session: AsyncSession, person_id: int) -> Registration | None:
    return (
        await session.exec(
            select(Registration).where(
                col(Registration.person_id) == person_id,
                col(Registration.status) == RegistrationStatus.ACTIVE.value,
            )
        )
    ).first()


class CycleRequirement:
    """registration's EducationRequirement: a renewal needs the requirement of the cycle
    it ends met, counted by the same rules the engineer sees in 我的学时."""

    def __init__(self, policy: RequirementPolicy, today: date) -> None:
        self.policy = policy
        self.today = today

    async def renewal_check(
        self, session: AsyncSession, *, person_id: int, registration: Registration
    ) -> Check:
        assert registration.id is not None
        found = await cycle_status(
            session, registration_id=registration.id, policy=self.policy, today=self.today
        )
        assert found is not None
        result = CheckResult.PASS if found.status.met else CheckResult.FAIL
        return Check("CONTINUING_EDUCATION", result, rules.explain(found.status))


# --- Hour records ---------------------------------------------------------------------


async def records_of(
    session: AsyncSession, person_id: int, *, cycle: Cycle | None = None
) -> Sequence[HourRecord]:
    stmt = select(HourRecord).where(col(HourRecord.person_id) == person_id)
    if cycle is not None:
        stmt = stmt.where(
            col(HourRecord.recognised_on) >= cycle.start,
            col(HourRecord.recognised_on) <= cycle.end,
        )
    return (
        await session.exec(
            stmt.order_by(col(HourRecord.recognised_on).desc(), col(HourRecord.id).desc())
        )
    ).all()


# --- Self-reported hours with evidence ------------------------------------------------


async def request_evidence_upload(
    session: AsyncSession,
    *,
    viewer: Viewer,
    size: int,
    content_type: str,
    policy: EducationPolicy,
    now: datetime,
    filename: str | None = None,
) -> Upload:
    """An upload slot (HOURS_EVIDENCE) for a self-report's evidence; once confirmed,
    hoursSelfReport names it (and uses it up)."""
    if viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "当前账号没有关联人员信息")
    return await upload_slots.open_slot(
        session,
        owner_user_id=viewer.user_id,
        purpose=UploadPurpose.HOURS_EVIDENCE,
        key=f"evidence/{viewer.person_id}/{uuid.uuid4()}",
        limits=policy.evidence_limits(),
        size=size,
        content_type=content_type,
        now=now,
        codes=UPLOAD_CODES,
        too_many=Code.TOO_MANY_UPLOADS,
        filename=filename,
    )


async def prepare_evidence(ctx: SlotContext, upload: Upload) -> UploadLimits:
    """uploadConfirm's step for HOURS_EVIDENCE: only the limits (a report uses it later)."""
    return EducationPolicy.from_settings(ctx.settings).evidence_limits()


@dataclass(frozen=True)
class SelfReport:
    course_title: str
    provider_name: str
    subject_kind: SubjectKind
    hours: Decimal
    completed_on: date
    evidence_upload_id: int | None  # a CONFIRMED HOURS_EVIDENCE slot of the viewer's
    specialty: str | None = None
    reference: str | None = None


async def self_report(
    session: AsyncSession,
    *,
    viewer: Viewer,
    report: SelfReport,
    now: datetime,
    today: date,
) -> HourRecord:
    """个人申报: PENDING until a reviewer accepts it; the evidence is the viewer's own
    confirmed HOURS_EVIDENCE upload (checked at uploadConfirm), used by this report only."""
    if viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "当前账号没有关联人员信息")
    errs = []
    if not report.course_title.strip() or len(report.course_title) > 120:
        errs.append(DomainError(Code.INVALID_VALUE, "课程名称必填", "courseTitle"))
    if not report.provider_name.strip() or len(report.provider_name) > 100:
        errs.append(DomainError(Code.INVALID_VALUE, "培训机构必填", "providerName"))
    if not (Decimal(0) < report.hours <= Decimal(100) and (report.hours * 2) % 1 == 0):
        errs.append(DomainError(Code.INVALID_VALUE, "学时须大于0、不超过100且为0.5的倍数", "hours"))
    if report.completed_on > today:
        errs.append(DomainError(Code.INVALID_VALUE, "完成日期不能晚于今天", "completedOn"))
    if report.evidence_upload_id is None:
        errs.append(DomainError(Code.UPLOAD_MISSING, "请上传证明材料", "evidenceUploadId"))
    if errs:
        raise DomainErrors(errs)
    record = HourRecord(
        person_id=viewer.person_id,
        source=HourSource.SELF_REPORTED.value,
        status=HourStatus.PENDING.value,
        dedup_key=(
            f"self:{report.provider_name.strip()}:{report.course_title.strip()}:"
            f"{report.completed_on.isoformat()}"
        )[:200],
        provider_name=report.provider_name.strip(),
        course_title=report.course_title.strip(),
        subject_kind=report.subject_kind.value,
        specialty=report.specialty,
        hours=report.hours,
        recognised_on=report.completed_on,
        rule_version=rules.SELF_REPORT_RULE_VERSION,
        reference=report.reference,
        created_at=now,
    )
    session.add(record)
    try:
        async with session.begin_nested():
            await session.flush()
    except Exception as exc:  # the partial unique index: the same hours twice
        if "uq_hour_record_once" not in str(exc):
            raise
        raise DomainError(Code.INVALID_VALUE, "已申报过相同的学时", "courseTitle") from None
    # After the duplicate check, so a second submission hears "already reported"; a
    # refusal here rolls the record back (and the slot stays CONFIRMED) with the
    # request's transaction. The bytes were checked at uploadConfirm: no second freeze.
    assert report.evidence_upload_id is not None
    evidence = await upload_slots.take(
        session,
        owner_user_id=viewer.user_id,
        upload_id=report.evidence_upload_id,
        purpose=UploadPurpose.HOURS_EVIDENCE,
        now=now,
        missing=Code.UPLOAD_MISSING,
        used=Code.UPLOAD_ALREADY_USED,
        field="evidenceUploadId",
    )
    record.evidence_key = evidence.object_key
    record.evidence_sha256 = evidence.sha256
    session.add(record)
    await session.flush()
    return record


# review_scope_ok lives in education/scopes.py.


async def review_self_report(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    accept: bool,
    note: str | None,
    now: datetime,
) -> HourRecord:
    if not viewer.has(*REVIEWERS):
        raise DomainError(Code.NOT_FOUND, "记录不存在", "id")
    record = await session.get(HourRecord, record_id, with_for_update=True)
    person = await session.get(Person, record.person_id) if record else None
    if record is None or person is None or record.source != HourSource.SELF_REPORTED:
        raise DomainError(Code.NOT_FOUND, "记录不存在", "id")
    if not review_scope_ok(viewer, person):
        raise DomainError(Code.NOT_FOUND, "记录不存在", "id")
    if record.person_id == viewer.person_id:
        raise DomainError(Code.NOT_FOUND, "不能审核本人的申报", "id")
    if record.status != HourStatus.PENDING:
        raise DomainError(Code.ALREADY_REVIEWED, "该申报已审核", "id")
    if not accept and not (note or "").strip():
        raise DomainError(Code.REASON_REQUIRED, "不予认可须说明理由", "note")
    record.status = (HourStatus.ACCEPTED if accept else HourStatus.REJECTED).value
    record.reviewed_by = viewer.user_id
    record.reviewed_at = now
    record.review_note = (note or "").strip()[:500] or None
    session.add(record)
    await session.flush()
    return record


# --- Providers' imports of external hours ---------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    batch: HourImport
    errors: list[imports.RowError]


async def import_hours(
    session: AsyncSession,
    store: ObjectStore,
    cipher: FieldCipher,
    *,
    viewer: Viewer,
    filename: str,
    data: bytes,
    now: datetime,
    today: date,
) -> ImportOutcome:
    """外部学时导入: every row is checked (file rules in :mod:`imports`, then the person
    and the records already held); good rows are recorded, bad ones go to the error
    report. A row already recorded (same person and course or completion) is reported,
    never counted twice, so re-importing a corrected file is safe."""
    provider = await provider_of(session, viewer)
    assert provider.id is not None
    courses = {
        c.code: c
        for c in (
            await session.exec(select(Course).where(col(Course.provider_id) == provider.id))
        ).all()
    }
    result = imports.validate_import(
        data, course_hours={code: c.hours for code, c in courses.items()}, today=today
    )
    errors = list(result.errors)
    index_of = {
        row.line: cipher.blind_index(row.id_number, context=ID_CONTEXT) for row in result.rows
    }
    persons = (
        {
            p.id_number_index: p
            for p in (
                await session.exec(
                    select(Person).where(col(Person.id_number_index).in_(set(index_of.values())))
                )
            ).all()
        }
        if index_of
        else {}
    )
    values: list[dict[str, Any]] = []
    line_of: dict[tuple[int, str], int] = {}
    for row in result.rows:
        person = persons.get(index_of[row.line])
        if person is None:
            errors.append(
                _row_error(
                    row,
                    "身份证号",
                    imports.ImportErrorCode.UNKNOWN_PERSON,
                    "平台上没有该身份证号的人员",
                )
            )
            continue
        if _plain_name(person.name) != _plain_name(row.name):
            errors.append(
                _row_error(
                    row, "姓名", imports.ImportErrorCode.NAME_MISMATCH, "姓名与平台登记的不一致"
                )
            )
            continue
        course = courses.get(row.course_code) if row.course_code else None
        key = (
            f"course:{course.id}"
            if course is not None
            else f"ext:{provider.id}:{row.course_title}:{row.completed_on.isoformat()}"
        )[:200]
        assert person.id is not None
        line_of[(person.id, key)] = row.line
        values.append(
            {
                "person_id": person.id,
                "source": HourSource.EXTERNAL.value,
                "status": HourStatus.ACCEPTED.value,
                "dedup_key": key,
                "course_id": course.id if course else None,
                "provider_id": provider.id,
                "provider_name": provider.name,
                "course_title": (course.title if course else row.course_title)[:120],
                "subject_kind": row.subject_kind,
                "specialty": course.specialty if course else None,
                "hours": row.hours,
                "recognised_on": row.completed_on,
                "rule_version": rules.EXTERNAL_RULE_VERSION,
                "reference": row.reference,
                "created_at": now,
            }
        )
    batch = HourImport(
        provider_id=provider.id,
        uploaded_by=viewer.user_id or 0,
        filename=filename.strip()[:200] or "import.csv",
        total_rows=len(result.rows) + len({e.line for e in result.errors}),
        created_at=now,
    )
    session.add(batch)
    await session.flush()
    inserted: set[tuple[int, str]] = set()
    if values:
        for v in values:
            v["import_id"] = batch.id
        stmt = (
            insert(HourRecord)
            .values(values)
            .on_conflict_do_nothing(
                index_elements=["person_id", "dedup_key"],
                index_where=text("status <> 'REJECTED'"),
            )
            .returning(col(HourRecord.person_id), col(HourRecord.dedup_key))
        )
        inserted = {(r[0], r[1]) for r in (await (await session.connection()).execute(stmt)).all()}
    by_line = {row.line: row for row in result.rows}
    for pair, line in line_of.items():
        if pair not in inserted:
            errors.append(
                _row_error(
                    by_line[line],
                    None,
                    imports.ImportErrorCode.ALREADY_RECORDED,
                    "该学时已记录（同一人员同一课程只计一次），未重复计入",
                )
            )
    errors.sort(key=lambda e: (e.line, e.column or ""))
    batch.accepted_rows = len(inserted)
    batch.error_rows = len({e.line for e in errors})
    if errors:
        batch.report_key = f"imports/{provider.id}/{batch.id}-errors.csv"
        report = imports.error_report_csv(imports.ImportResult(rows=[], errors=errors))
        await store.put_bytes(batch.report_key, report, "text/csv; charset=utf-8")
    session.add(batch)
    await session.flush()
    return ImportOutcome(batch, errors)


def _plain_name(name: str) -> str:
    return "".join(id_rules.ascii_form(name).split())


def _row_error(
    row: imports.ValidRow, column: str | None, code: imports.ImportErrorCode, message: str
) -> imports.RowError:
    raw = ",".join([row.id_number, row.name, row.course_code or "", row.course_title])
    return imports.RowError(row.line, column, code, message, raw)


# --- Transcripts ----------------------------------------------------------------------

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand


def new_verification_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


async def request_transcript(session: AsyncSession, *, viewer: Viewer, now: datetime) -> Transcript:
    """A transcript of the current registration cycle, rendered by a job."""
    if viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "当前账号没有关联人员信息")
    registration = await active_registration(session, viewer.person_id)
    if registration is None:
        raise DomainError(Code.NO_REGISTRATION, "没有有效注册，无法出具本注册周期的学时证明")
    transcript = Transcript(
        person_id=viewer.person_id,
        registration_id=registration.id,
        cycle_start=registration.valid_from,
        cycle_end=registration.valid_until,
        verification_code=new_verification_code(),
        requested_at=now,
    )
    session.add(transcript)
    await session.flush()
    return transcript


TRANSCRIPT_TASK = "education.render_transcript"
JOB_FAILED = "生成任务失败（已自动重试），请重新申请"


async def failed_transcript_jobs(session: AsyncSession, transcripts: list[Transcript]) -> set[int]:
    """The PENDING transcripts whose render job has failed for good (or is gone): they
    will never become READY, so they read as FAILED and the holder requests again. (The
    job itself marks FAILED only what no retry fixes, a missing font.)"""
    failed: set[int] = set()
    for t in transcripts:
        if t.id is None or t.status != TranscriptStatus.PENDING:
            continue
        state = await latest_job_state(session, TRANSCRIPT_TASK, transcript_id=t.id)
        if state is not JobState.PENDING:
            failed.add(t.id)
    return failed


async def render_transcript_file(
    session: AsyncSession,
    store: ObjectStore,
    cipher: FieldCipher,
    *,
    transcript_id: int,
    settings: Settings,
    now: datetime,
) -> Transcript | None:
    """The job's work: gather the cycle's accepted records, render the PDF, store it with
    its SHA-256. Idempotent: a READY transcript is left alone."""
    from regsafe.education.transcript import TranscriptData, TranscriptLine, render_transcript
    from regsafe.identity.service import decrypt_id_number

    transcript = await session.get(Transcript, transcript_id, with_for_update=True)
    if transcript is None or transcript.status == TranscriptStatus.READY:
        return transcript
    person = await session.get(Person, transcript.person_id)
    registration = (
        await session.get(Registration, transcript.registration_id)
        if transcript.registration_id
        else None
    )
    assert person is not None and registration is not None and registration.id is not None
    policy = requirement_policy(settings)
    status = await cycle_status(
        session,
        registration_id=registration.id,
        policy=policy,
        today=now.astimezone(SHANGHAI).date(),
    )
    assert status is not None
    records = [
        r
        for r in await records_of(
            session, person.id or 0, cycle=Cycle(transcript.cycle_start, transcript.cycle_end)
        )
        if r.status == HourStatus.ACCEPTED
    ]
    records.sort(key=lambda r: (r.recognised_on, r.id or 0))
    data = TranscriptData(
        holder_name=person.name,
        id_number_masked=id_rules.mask_id_number(decrypt_id_number(cipher, person)),
        specialty_label=SPECIALTY_NAMES.get(registration.specialty, registration.specialty),
        registration_number=None,
        cycle_start=transcript.cycle_start,
        cycle_end=transcript.cycle_end,
        required_hours=status.status.required,
        min_professional_hours=status.status.min_professional,
        earned_general=status.status.earned_general,
        earned_professional=status.status.earned_professional,
        lines=[
            TranscriptLine(
                recognised_on=r.recognised_on,
                course_title=r.course_title,
                provider_name=r.provider_name,
                subject_kind=(
                    "PROFESSIONAL"
                    if rules.counts_as_professional(
                        r.subject_kind, r.specialty, registration.specialty
                    )
                    else "GENERAL"
                ),
                hours=r.hours,
                source=r.source,
                rule_version=r.rule_version,
            )
            for r in records
        ],
        issued_at=now.replace(microsecond=0),
        verification_code=transcript.verification_code,
        verify_url=f"{settings.public_url.rstrip('/')}/verify/transcript/{transcript.verification_code}",
    )
    try:
        pdf = await asyncio.to_thread(
            render_transcript, data, font_path=str(settings.cjk_font_path)
        )
    except RuntimeError as exc:  # FontMissing: say why, do not retry forever
        transcript.status = TranscriptStatus.FAILED.value
        transcript.failure = str(exc)[:300]
        session.add(transcript)
        await session.flush()
        return transcript
    key = f"transcripts/{person.id}/{transcript.verification_code}.pdf"
    await store.put_bytes(key, pdf, "application/pdf")
    transcript.object_key = key
    transcript.sha256 = hashlib.sha256(pdf).hexdigest()
    transcript.earned_general = status.status.earned_general
    transcript.earned_professional = status.status.earned_professional
    transcript.record_count = len(records)
    transcript.status = TranscriptStatus.READY.value
    transcript.ready_at = now
    session.add(transcript)
    await session.flush()
    return transcript


async def transcript_by_code(session: AsyncSession, code: str) -> Transcript | None:
    cleaned = id_rules.ascii_form(code).strip().upper()
    if not cleaned or len(cleaned) > 16:
        return None
    return (
        await session.exec(
            select(Transcript).where(
                col(Transcript.verification_code) == cleaned,
                col(Transcript.status) == TranscriptStatus.READY.value,
            )
        )
    ).first()
