"""Practice records (执业记录) with evidence, employers' evaluations, credit events with
disputes, and the serious-dishonesty list (失信名单).

Every operation takes the viewer and scopes by it: an engineer reaches only their own
records and events (another person's id answers NOT_FOUND, revealing nothing), an
employer admin their employer's records, a reviewer their province. The credit score is
in :mod:`regsafe.practice.credit`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Role, Viewer
from regsafe.core import upload_slots
from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.settings import Settings
from regsafe.core.upload_slots import SlotContext, Upload, UploadErrorCode, UploadPurpose
from regsafe.core.uploads import IMAGES_AND_PDF, FrozenUpload, Refusal, UploadLimits
from regsafe.identity import rules as id_rules
from regsafe.identity.models import Employer, EmployerKind, Person
from regsafe.ocr.documents import inspect_upload
from regsafe.practice import rules
from regsafe.practice.errors import PracticeErrorCode as Code
from regsafe.practice.models import (
    BlacklistEntry,
    CreditEventRow,
    Dispute,
    DisputeStatus,
    Evaluation,
    EventStatus,
    PracticeEvidence,
    PracticeKind,
    PracticeRecord,
    RecordStatus,
)
from regsafe.practice.rules import BlacklistPolicy, EventKind, GradePolicy
from regsafe.practice.scopes import (
    in_scope,
    project_lead_refusal,
)
from regsafe.registration import service as registration_service
from regsafe.registration.rules import Check, CheckResult

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)
# How the upload pipeline's refusals read in this domain's error codes.
UPLOAD_CODES = {
    Refusal.INVALID_SIZE: Code.FILE_TOO_LARGE,
    Refusal.TOO_LARGE: Code.FILE_TOO_LARGE,
    Refusal.UNSUPPORTED_TYPE: Code.UNSUPPORTED_TYPE,
    Refusal.MISSING: Code.UPLOAD_MISSING,
    Refusal.SIZE_MISMATCH: Code.UPLOAD_MISSING,
    Refusal.INVALID_CONTENT: Code.UNSUPPORTED_TYPE,
    Refusal.INVALID_FILENAME: Code.INVALID_VALUE,
    Refusal.FILENAME_TOO_LONG: Code.INVALID_VALUE,
    Refusal.CHANGED: Code.UPLOAD_MISSING,
}
MAX_EVIDENCE_PER_RECORD = 10


@dataclass(frozen=True)
class PracticePolicy:
    evidence_max_bytes: int = 10 * 1024 * 1024
    upload_ttl: timedelta = timedelta(hours=1)
    # A project lead may also be a user of the client unit (service agencies' records).
    lead_from_client: bool = False
    blacklist: BlacklistPolicy = field(default_factory=BlacklistPolicy)
    grades: GradePolicy = field(default_factory=GradePolicy)

    def evidence_limits(self) -> UploadLimits:
        return UploadLimits(
            self.evidence_max_bytes, IMAGES_AND_PDF, self.upload_ttl, inspect_upload
        )

    @classmethod
    def from_settings(cls, s: Settings) -> PracticePolicy:
        return cls(
            evidence_max_bytes=s.practice_evidence_max_bytes,
            upload_ttl=timedelta(seconds=s.upload_expiry_seconds),
            lead_from_client=s.practice_project_lead_from_client,
            blacklist=BlacklistPolicy(s.blacklist_years, s.blacklist_removal_after_months),
            grades=GradePolicy.parse(s.credit_grade_floors, s.credit_provincial_colours),
        )


def _not_found(what: str = "执业记录", field_name: str = "id") -> DomainError:
    return DomainError(Code.NOT_FOUND, f"{what}不存在", field_name)


# in_scope (a reviewer's reach over a person) lives in practice/scopes.py.


# --- Practice records -----------------------------------------------------------------


@dataclass(frozen=True)
class RecordData:
    kind: PracticeKind
    project: str
    role: str
    started_on: date
    ended_on: date
    description: str = ""
    hazards_found: int | None = None
    hazards_rectified: int | None = None
    employer_id: int | None = None  # when given, must be the registered employer
    client_name: str | None = None
    client_credit_code: str | None = None
    project_lead_id: int | None = None


async def _validate_record(
    session: AsyncSession,
    *,
    person_id: int,
    data: RecordData,
    today: date,
    lead_from_client: bool = False,
) -> tuple[int, int, str | None, str | None]:
    """(registration id, employer id, client name, client code) or DomainErrors."""
    registration = await registration_service.active_registration(session, person_id)
    if registration is None:
        raise DomainError(Code.NO_REGISTRATION, "没有有效注册，不能登记执业记录")
    errs: list[DomainError] = []
    project = " ".join(data.project.split())
    if not project or len(project) > 120:
        errs.append(DomainError(Code.INVALID_VALUE, "项目名称必填，不超过120字", "project"))
    if not data.role.strip() or len(data.role.strip()) > 60:
        errs.append(DomainError(Code.INVALID_VALUE, "本人角色必填，不超过60字", "role"))
    if len(data.description) > 2000:
        errs.append(DomainError(Code.INVALID_VALUE, "说明不超过2000字", "description"))
    if data.ended_on < data.started_on:
        errs.append(DomainError(Code.INVALID_VALUE, "结束日期不能早于开始日期", "endedOn"))
    elif data.ended_on > today:
        errs.append(DomainError(Code.INVALID_VALUE, "结束日期不能晚于今天", "endedOn"))
    if data.started_on < registration.valid_from:
        errs.append(
            DomainError(
                Code.OUTSIDE_REGISTRATION,
                f"开始日期早于注册有效期（{registration.valid_from.isoformat()}起）",
                "startedOn",
            )
        )
    if data.ended_on > registration.valid_until:
        errs.append(
            DomainError(
                Code.OUTSIDE_REGISTRATION,
                f"结束日期晚于注册有效期（至{registration.valid_until.isoformat()}）",
                "endedOn",
            )
        )
    found, fixed = data.hazards_found, data.hazards_rectified
    if found is not None and not 0 <= found <= 100000:
        errs.append(DomainError(Code.INVALID_VALUE, "发现隐患数应为0至100000", "hazardsFound"))
    if fixed is not None and (found is None or not 0 <= fixed <= found):
        errs.append(
            DomainError(Code.INVALID_VALUE, "已整改隐患数不能超过发现隐患数", "hazardsRectified")
        )
    if data.employer_id is not None and data.employer_id != registration.employer_id:
        errs.append(
            DomainError(Code.WRONG_EMPLOYER, "只能登记在注册聘用单位的执业记录", "employerId")
        )
    employer = await session.get(Employer, registration.employer_id)
    assert employer is not None
    client_name = client_code = None
    named = bool((data.client_name or "").strip() or (data.client_credit_code or "").strip())
    if employer.kind == EmployerKind.SERVICE_AGENCY:
        if not (data.client_name or "").strip() or not (data.client_credit_code or "").strip():
            errs.append(
                DomainError(
                    Code.CLIENT_REQUIRED,
                    "安全生产专业服务机构的执业记录须写明服务对象及其统一社会信用代码",
                    "clientName",
                )
            )
        else:
            try:
                client_name = id_rules.validate_org_name(data.client_name or "")
            except id_rules.RuleViolation as exc:
                errs.append(DomainError(Code.INVALID_VALUE, exc.message, "clientName"))
            try:
                code = id_rules.parse_credit_code(data.client_credit_code or "")
                if not code.checksum_valid:
                    errs.append(
                        DomainError(
                            Code.CLIENT_CODE_INVALID,
                            "服务对象统一社会信用代码校验码不正确",
                            "clientCreditCode",
                        )
                    )
                client_code = code.value
            except id_rules.RuleViolation as exc:
                errs.append(
                    DomainError(
                        Code.CLIENT_CODE_INVALID,
                        f"服务对象统一社会信用代码无效：{exc.message}",
                        "clientCreditCode",
                    )
                )
    elif named:
        errs.append(
            DomainError(
                Code.CLIENT_NOT_ALLOWED,
                "只有安全生产专业服务机构的执业记录填写服务对象",
                "clientName",
            )
        )
    if data.project_lead_id is not None:
        refusal = await project_lead_refusal(
            session,
            lead_id=data.project_lead_id,
            person_id=person_id,
            employer_id=registration.employer_id,
            client_credit_code=client_code,
            from_client=lead_from_client,
        )
        if refusal is not None:
            errs.append(DomainError(refusal[0], refusal[1], "projectLeadId"))
    if errs:
        raise DomainErrors(errs)
    assert registration.id is not None
    return registration.id, registration.employer_id, client_name, client_code


def _apply(record: PracticeRecord, data: RecordData) -> None:
    record.kind = data.kind.value
    record.project = " ".join(data.project.split())
    record.role = data.role.strip()
    record.started_on = data.started_on
    record.ended_on = data.ended_on
    record.description = data.description.strip()
    record.hazards_found = data.hazards_found
    record.hazards_rectified = data.hazards_rectified
    record.project_lead_id = data.project_lead_id


def _acting_person(viewer: Viewer, person_id: int | None) -> int:
    """Whose record: the engineer themself, or (employer admin) the named engineer."""
    if person_id is None or person_id == viewer.person_id:
        if viewer.person_id is None:
            raise DomainError(Code.NOT_FOUND, "当前账号没有关联人员信息", "personId")
        return viewer.person_id
    if not viewer.has(Role.EMPLOYER_ADMIN) or viewer.employer_id is None:
        raise _not_found("人员", "personId")
    return person_id


async def create_record(
    session: AsyncSession,
    *,
    viewer: Viewer,
    person_id: int | None,
    data: RecordData,
    now: datetime,
    today: date,
    lead_from_client: bool = False,
) -> PracticeRecord:
    """登记执业记录 (DRAFT): while the engineer holds an ACTIVE registration, for work
    dated inside it, for the registered employer. An employer admin may record it on the
    engineer's behalf, only for an engineer registered with their own employer."""
    pid = _acting_person(viewer, person_id)
    if pid != viewer.person_id:
        registration = await registration_service.active_registration(session, pid)
        if registration is not None and registration.employer_id != viewer.employer_id:
            raise DomainError(Code.WRONG_EMPLOYER, "该人员未注册在本单位，不能代为登记", "personId")
    reg_id, employer_id, client_name, client_code = await _validate_record(
        session, person_id=pid, data=data, today=today, lead_from_client=lead_from_client
    )
    record = PracticeRecord(
        person_id=pid,
        registration_id=reg_id,
        employer_id=employer_id,
        client_name=client_name,
        client_credit_code=client_code,
        kind=data.kind.value,
        project="",
        role="",
        started_on=data.started_on,
        ended_on=data.ended_on,
        created_by=viewer.user_id,
        created_at=now,
        updated_at=now,
    )
    _apply(record, data)
    session.add(record)
    await session.flush()
    return record


def _may_edit(viewer: Viewer, record: PracticeRecord) -> bool:
    return record.person_id == viewer.person_id or (
        viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id == record.employer_id
    )


def may_read(viewer: Viewer, record: PracticeRecord, person: Person | None) -> bool:
    if _may_edit(viewer, record) or viewer.is_admin:
        return True
    if record.project_lead_id is not None and record.project_lead_id == viewer.user_id:
        return True
    return viewer.has(*REVIEWERS) and person is not None and in_scope(viewer, person)


async def get_record(
    session: AsyncSession, viewer: Viewer, record_id: int, *, lock: bool = False
) -> PracticeRecord:
    record = await session.get(PracticeRecord, record_id, with_for_update=lock)
    if record is None:
        raise _not_found()
    person = await session.get(Person, record.person_id)
    if not may_read(viewer, record, person):
        raise _not_found()
    return record


def _check_version(record: PracticeRecord, expected: int | None) -> None:
    if expected is not None and expected != record.version:
        raise DomainError(Code.STALE_VERSION, "记录已被他人修改，请刷新后重试", "expectedVersion")


async def update_record(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    expected_version: int,
    data: RecordData,
    now: datetime,
    today: date,
    lead_from_client: bool = False,
) -> PracticeRecord:
    """Drafts and rejected records change (a rejected one becomes a draft again)."""
    record = await get_record(session, viewer, record_id, lock=True)
    if not _may_edit(viewer, record):
        raise _not_found()
    _check_version(record, expected_version)
    if record.status not in (RecordStatus.DRAFT, RecordStatus.REJECTED):
        raise DomainError(Code.NOT_EDITABLE, "已提交或已确认的记录不能修改")
    reg_id, employer_id, client_name, client_code = await _validate_record(
        session,
        person_id=record.person_id,
        data=data,
        today=today,
        lead_from_client=lead_from_client,
    )
    _apply(record, data)
    record.registration_id, record.employer_id = reg_id, employer_id
    record.client_name, record.client_credit_code = client_name, client_code
    record.status = RecordStatus.DRAFT.value
    record.rejection_reason = None
    record.version += 1
    record.updated_at = now
    session.add(record)
    await session.flush()
    return record


async def submit_record(
    session: AsyncSession, *, viewer: Viewer, record_id: int, expected_version: int, now: datetime
) -> PracticeRecord:
    record = await get_record(session, viewer, record_id, lock=True)
    if not _may_edit(viewer, record):
        raise _not_found()
    _check_version(record, expected_version)
    if record.status != RecordStatus.DRAFT:
        raise DomainError(Code.NOT_EDITABLE, "只有草稿可以提交")
    record.status = RecordStatus.SUBMITTED.value
    record.submitted_at = now
    record.version += 1
    record.updated_at = now
    session.add(record)
    await session.flush()
    return record


# --- Evidence -------------------------------------------------------------------------


async def _evidence_count(session: AsyncSession, record_id: int | None) -> int:
    return (
        await session.exec(select(func.count()).where(col(PracticeEvidence.record_id) == record_id))
    ).one()


async def request_evidence_upload(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    size: int,
    content_type: str,
    policy: PracticePolicy,
    now: datetime,
    filename: str | None = None,
) -> Upload:
    """An upload slot (PRACTICE_EVIDENCE, target the draft record); uploadConfirm checks
    the bytes and attaches them."""
    record = await get_record(session, viewer, record_id)
    if not _may_edit(viewer, record):
        raise _not_found()
    if record.status != RecordStatus.DRAFT:
        raise DomainError(Code.NOT_EDITABLE, "只有草稿可以添加证明材料")
    if await _evidence_count(session, record.id) >= MAX_EVIDENCE_PER_RECORD:
        raise DomainError(Code.TOO_MANY_FILES, f"每条记录最多{MAX_EVIDENCE_PER_RECORD}份证明材料")
    return await upload_slots.open_slot(
        session,
        owner_user_id=viewer.user_id,
        purpose=UploadPurpose.PRACTICE_EVIDENCE,
        key=f"practice/{record.person_id}/{record.id}/{uuid.uuid4()}",
        limits=policy.evidence_limits(),
        size=size,
        content_type=content_type,
        now=now,
        codes=UPLOAD_CODES,
        too_many=Code.TOO_MANY_FILES,
        filename=filename,
        target_id=record.id,
    )


# --- uploadConfirm's steps for PRACTICE_EVIDENCE and CREDIT_EVIDENCE ------------------


async def _record_taking_evidence(ctx: SlotContext, upload: Upload) -> PracticeRecord:
    viewer: Viewer = ctx.viewer
    try:
        record = await get_record(ctx.session, viewer, upload.target_id or 0, lock=True)
    except DomainError as exc:
        raise DomainError(UploadErrorCode.NOT_FOUND, exc.message, "id") from None
    if not _may_edit(viewer, record):
        raise DomainError(UploadErrorCode.NOT_FOUND, "执业记录不存在", "id")
    if record.status != RecordStatus.DRAFT:
        raise DomainError(UploadErrorCode.NOT_EDITABLE, "只有草稿可以添加证明材料", "id")
    return record


async def prepare_evidence(ctx: SlotContext, upload: Upload) -> UploadLimits:
    """Before the bytes are read: the record is still a draft the viewer may edit, with
    room for one more file."""
    record = await _record_taking_evidence(ctx, upload)
    if await _evidence_count(ctx.session, record.id) >= MAX_EVIDENCE_PER_RECORD:
        raise DomainError(
            UploadErrorCode.TOO_MANY_FILES, f"每条记录最多{MAX_EVIDENCE_PER_RECORD}份证明材料", "id"
        )
    return PracticePolicy.from_settings(ctx.settings).evidence_limits()


async def attach_evidence(ctx: SlotContext, upload: Upload, frozen: FrozenUpload) -> PracticeRecord:
    """The checked file becomes evidence of the draft (证明材料)."""
    record = await _record_taking_evidence(ctx, upload)
    assert record.id is not None
    ctx.session.add(
        PracticeEvidence(
            record_id=record.id,
            object_key=upload.object_key,
            sha256=frozen.sha256,
            media_type=frozen.media_type.value,
            size=frozen.size,
            filename=upload.filename or "evidence",
            uploaded_by=upload.owner_user_id,
            created_at=ctx.now,
        )
    )
    await ctx.session.flush()
    return record


async def prepare_credit_evidence(ctx: SlotContext, upload: Upload) -> UploadLimits:
    """CREDIT_EVIDENCE: only the limits (creditEventEnter uses it later)."""
    return PracticePolicy.from_settings(ctx.settings).evidence_limits()


# --- Confirmation and evaluation ------------------------------------------------------


def _check_evaluator(viewer: Viewer, record: PracticeRecord) -> None:
    """The employer admin of the record's employer or the named project lead; never the
    engineer whose work it is (checked first: an engineer who is also an admin)."""
    if viewer.person_id is not None and viewer.person_id == record.person_id:
        raise DomainError(Code.SELF_EVALUATION, "不能确认或评价本人的执业记录", "id")
    employer_admin = viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id == record.employer_id
    lead = record.project_lead_id is not None and record.project_lead_id == viewer.user_id
    if not (employer_admin or lead):
        raise DomainError(Code.NOT_EVALUATOR, "只有聘用单位管理员或项目负责人可以确认和评价", "id")


async def _record_for_evaluator(
    session: AsyncSession, viewer: Viewer, record_id: int, *, lead_from_client: bool = False
) -> PracticeRecord:
    record = await session.get(PracticeRecord, record_id, with_for_update=True)
    if record is None:
        raise _not_found()
    person = await session.get(Person, record.person_id)
    if not may_read(viewer, record, person):
        raise _not_found()
    _check_evaluator(viewer, record)
    employer_admin = viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id == record.employer_id
    if not employer_admin:  # acting as the named lead: the lead rule holds now, too
        assert record.project_lead_id is not None
        refusal = await project_lead_refusal(
            session,
            lead_id=record.project_lead_id,
            person_id=record.person_id,
            employer_id=record.employer_id,
            client_credit_code=record.client_credit_code,
            from_client=lead_from_client,
        )
        if refusal is not None:
            message = f"不能以项目负责人身份确认或评价：{refusal[1]}"
            raise DomainError(Code.NOT_EVALUATOR, message, "id")
    return record


async def confirm_record(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    expected_version: int,
    now: datetime,
    lead_from_client: bool = False,
) -> PracticeRecord:
    record = await _record_for_evaluator(
        session, viewer, record_id, lead_from_client=lead_from_client
    )
    _check_version(record, expected_version)
    if record.status != RecordStatus.SUBMITTED:
        raise DomainError(Code.NOT_SUBMITTED, "只有已提交的记录可以确认")
    record.status = RecordStatus.CONFIRMED.value
    record.decided_by, record.decided_at = viewer.user_id, now
    record.version += 1
    record.updated_at = now
    session.add(record)
    await session.flush()
    return record


async def reject_record(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    expected_version: int,
    reason: str,
    now: datetime,
    lead_from_client: bool = False,
) -> PracticeRecord:
    record = await _record_for_evaluator(
        session, viewer, record_id, lead_from_client=lead_from_client
    )
    _check_version(record, expected_version)
    if record.status != RecordStatus.SUBMITTED:
        raise DomainError(Code.NOT_SUBMITTED, "只有已提交的记录可以退回")
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, "不予确认须说明理由", "reason")
    record.status = RecordStatus.REJECTED.value
    record.rejection_reason = reason.strip()[:500]
    record.decided_by, record.decided_at = viewer.user_id, now
    record.version += 1
    record.updated_at = now
    session.add(record)
    await session.flush()
    return record


@dataclass(frozen=True)
class Scores:
    quality: int
    timeliness: int
    compliance: int
    conduct: int


def _check_scores(scores: Scores, comment: str) -> None:
    bad = rules.scores_out_of_range(scores.__dict__)
    errs = [DomainError(Code.SCORE_OUT_OF_RANGE, "评分应为1至5的整数", name) for name in bad]
    if len(comment) > 1000:
        errs.append(DomainError(Code.INVALID_VALUE, "评语不超过1000字", "comment"))
    if errs:
        raise DomainErrors(errs)


async def latest_evaluation(session: AsyncSession, record_id: int) -> Evaluation | None:
    return (
        await session.exec(
            select(Evaluation)
            .where(col(Evaluation.record_id) == record_id)
            .order_by(col(Evaluation.version_no).desc())
            .limit(1)
        )
    ).first()


async def evaluate(
    session: AsyncSession,
    *,
    viewer: Viewer,
    record_id: int,
    scores: Scores,
    comment: str,
    now: datetime,
    lead_from_client: bool = False,
) -> Evaluation:
    """评价: once per record (a second one is ALREADY_EVALUATED; corrections go through
    :func:`correct_evaluation`). A submitted record is confirmed by its evaluation."""
    record = await _record_for_evaluator(
        session, viewer, record_id, lead_from_client=lead_from_client
    )
    _check_scores(scores, comment)
    if record.status not in (RecordStatus.SUBMITTED, RecordStatus.CONFIRMED):
        raise DomainError(Code.NOT_CONFIRMED, "只有已提交或已确认的记录可以评价")
    assert record.id is not None
    if await latest_evaluation(session, record.id) is not None:
        raise DomainError(
            Code.ALREADY_EVALUATED, "该记录已评价；如需更正请提交更正版本", "recordId"
        )
    if record.status == RecordStatus.SUBMITTED:
        record.status = RecordStatus.CONFIRMED.value
        record.decided_by, record.decided_at = viewer.user_id, now
        record.version += 1
        record.updated_at = now
        session.add(record)
    evaluation = Evaluation(
        record_id=record.id,
        evaluator_id=viewer.user_id or 0,
        comment=comment.strip(),
        version_no=1,
        submitted_at=now,
        **scores.__dict__,
    )
    return await _insert_evaluation(session, evaluation)


async def _insert_evaluation(session: AsyncSession, evaluation: Evaluation) -> Evaluation:
    session.add(evaluation)
    try:
        async with session.begin_nested():
            await session.flush()
    except Exception as exc:  # a concurrent evaluation or correction won the race
        if "uq_practice_evaluation" not in str(exc):
            raise
        raise DomainError(
            Code.ALREADY_EVALUATED, "该记录已被同时评价，请刷新后重试", "recordId"
        ) from None
    return evaluation


async def correct_evaluation(
    session: AsyncSession,
    *,
    viewer: Viewer,
    evaluation_id: int,
    scores: Scores,
    comment: str,
    now: datetime,
    lead_from_client: bool = False,
) -> Evaluation:
    """更正评价: a new version superseding the latest one; the old one stays as it was."""
    previous = await session.get(Evaluation, evaluation_id)
    if previous is None:
        raise _not_found("评价", "evaluationId")
    record = await _record_for_evaluator(
        session, viewer, previous.record_id, lead_from_client=lead_from_client
    )
    _check_scores(scores, comment)
    if not comment.strip():
        raise DomainError(Code.REASON_REQUIRED, "更正评价须在评语中说明理由", "comment")
    assert record.id is not None
    latest = await latest_evaluation(session, record.id)
    if latest is None or latest.id != previous.id:
        raise DomainError(
            Code.STALE_VERSION, "该评价已有更新的版本，请在最新版本上更正", "evaluationId"
        )
    evaluation = Evaluation(
        record_id=record.id,
        evaluator_id=viewer.user_id or 0,
        comment=comment.strip(),
        version_no=previous.version_no + 1,
        supersedes_id=previous.id,
        submitted_at=now,
        **scores.__dict__,
    )
    return await _insert_evaluation(session, evaluation)


# --- Credit events and disputes -------------------------------------------------------


@dataclass(frozen=True)
class EventData:
    kind: EventKind
    source: str
    authority: str
    occurred_on: date
    description: str = ""
    evidence_upload_id: int | None = None  # a CONFIRMED CREDIT_EVIDENCE slot of the entrant's


def _acting_role(viewer: Viewer) -> Role:
    for role in (Role.ADMIN, Role.MINISTRY_REVIEWER, Role.PROVINCIAL_REVIEWER):
        if viewer.has(role):
            return role
    raise DomainError(Code.NOT_FOUND, "当前角色不能登记信用事件")


async def _person_in_scope(session: AsyncSession, viewer: Viewer, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None or not in_scope(viewer, person):
        raise _not_found("人员", "personId")
    return person


async def request_credit_evidence_upload(
    session: AsyncSession,
    *,
    viewer: Viewer,
    size: int,
    content_type: str,
    policy: PracticePolicy,
    now: datetime,
    filename: str | None = None,
) -> Upload:
    """An upload slot (CREDIT_EVIDENCE) for a reviewer's event; creditEventEnter names it
    once confirmed (and uses it up)."""
    _acting_role(viewer)
    return await upload_slots.open_slot(
        session,
        owner_user_id=viewer.user_id,
        purpose=UploadPurpose.CREDIT_EVIDENCE,
        key=f"credit/{viewer.user_id}/{uuid.uuid4()}",
        limits=policy.evidence_limits(),
        size=size,
        content_type=content_type,
        now=now,
        codes=UPLOAD_CODES,
        too_many=Code.TOO_MANY_FILES,
        filename=filename,
    )


async def enter_event(
    session: AsyncSession,
    *,
    viewer: Viewer,
    person_id: int,
    data: EventData,
    today: date,
    now: datetime | None = None,
) -> CreditEventRow:
    """登记信用事件: by a reviewer or an administrator, naming the source document and the
    deciding authority; the entrant's role and province are recorded with it."""
    role = _acting_role(viewer)
    await _person_in_scope(session, viewer, person_id)
    errs = []
    if not data.authority.strip():
        errs.append(DomainError(Code.AUTHORITY_REQUIRED, "须写明作出决定的机关", "authority"))
    elif len(data.authority.strip()) > 100:
        errs.append(DomainError(Code.INVALID_VALUE, "决定机关不超过100字", "authority"))
    if not data.source.strip():
        errs.append(DomainError(Code.SOURCE_REQUIRED, "须写明来源（文书编号等）", "source"))
    elif len(data.source.strip()) > 200:
        errs.append(DomainError(Code.INVALID_VALUE, "来源不超过200字", "source"))
    if data.occurred_on > today:
        errs.append(DomainError(Code.INVALID_VALUE, "发生日期不能晚于今天", "occurredOn"))
    if len(data.description) > 1000:
        errs.append(DomainError(Code.INVALID_VALUE, "说明不超过1000字", "description"))
    if errs:
        raise DomainErrors(errs)
    event = CreditEventRow(
        person_id=person_id,
        kind=data.kind.value,
        source=data.source.strip(),
        authority=data.authority.strip(),
        occurred_on=data.occurred_on,
        description=data.description.strip(),
        entered_by=viewer.user_id or 0,
        entered_role=role.value,
        entered_scope=None if viewer.scope.region.national else viewer.province_code,
    )
    if data.evidence_upload_id is not None:
        # Checked at uploadConfirm; taken once (the row lock stops a second event).
        evidence = await upload_slots.take(
            session,
            owner_user_id=viewer.user_id,
            upload_id=data.evidence_upload_id,
            purpose=UploadPurpose.CREDIT_EVIDENCE,
            now=now or utcnow(),
            missing=Code.UPLOAD_MISSING,
            used=Code.UPLOAD_ALREADY_USED,
            field="evidenceUploadId",
        )
        event.evidence_key, event.evidence_sha256 = evidence.object_key, evidence.sha256
        event.evidence_media_type = evidence.media_type
    session.add(event)
    await session.flush()
    return event


async def _event_for_reviewer(
    session: AsyncSession, viewer: Viewer, event_id: int
) -> CreditEventRow:
    _acting_role(viewer)
    event = await session.get(CreditEventRow, event_id, with_for_update=True)
    if event is None:
        raise _not_found("信用事件")
    await _person_in_scope(session, viewer, event.person_id)
    return event


async def withdraw_event(
    session: AsyncSession, *, viewer: Viewer, event_id: int, reason: str, now: datetime
) -> CreditEventRow:
    """撤销: an event entered in error stops counting; the row stays, with who and why."""
    event = await _event_for_reviewer(session, viewer, event_id)
    if event.status == EventStatus.WITHDRAWN:
        raise DomainError(Code.ALREADY_WITHDRAWN, "该信用事件已撤销")
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, "撤销须说明理由", "reason")
    event.status = EventStatus.WITHDRAWN.value
    event.withdrawn_by, event.withdrawn_at = viewer.user_id, now
    event.withdraw_reason = reason.strip()[:500]
    session.add(event)
    await session.flush()
    return event


async def open_dispute(
    session: AsyncSession, *, viewer: Viewer, event_id: int, reason: str, now: datetime
) -> Dispute:
    """提出异议: only the person the event concerns; one dispute per event."""
    event = await session.get(CreditEventRow, event_id, with_for_update=True)
    if event is None or viewer.person_id is None or event.person_id != viewer.person_id:
        raise _not_found("信用事件", "eventId")
    if event.status != EventStatus.ACTIVE:
        raise DomainError(Code.ALREADY_WITHDRAWN, "该信用事件已撤销", "eventId")
    earlier = (await session.exec(select(Dispute).where(col(Dispute.event_id) == event_id))).all()
    if any(d.status == DisputeStatus.OPEN for d in earlier):
        raise DomainError(Code.DISPUTE_OPEN, "该事件已有待处理的异议", "eventId")
    if earlier:
        raise DomainError(Code.ALREADY_DECIDED, "该事件的异议已处理", "eventId")
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, "请说明异议理由", "reason")
    if len(reason) > 1000:
        raise DomainError(Code.INVALID_VALUE, "异议理由不超过1000字", "reason")
    dispute = Dispute(
        event_id=event_id,
        person_id=event.person_id,
        opened_by=viewer.user_id or 0,
        event_entered_by=event.entered_by,
        reason=reason.strip(),
        opened_at=now,
    )
    session.add(dispute)
    await session.flush()
    return dispute


async def decide_dispute(
    session: AsyncSession,
    *,
    viewer: Viewer,
    dispute_id: int,
    uphold: bool,
    note: str,
    now: datetime,
) -> Dispute:
    """异议处理: by a reviewer other than the one who entered the event. UPHELD: the event
    counts nothing from now on; REJECTED: it stands."""
    _acting_role(viewer)
    dispute = await session.get(Dispute, dispute_id, with_for_update=True)
    if dispute is None:
        raise _not_found("异议")
    await _person_in_scope(session, viewer, dispute.person_id)
    if dispute.status != DisputeStatus.OPEN:
        raise DomainError(Code.ALREADY_DECIDED, "该异议已处理")
    if viewer.user_id == dispute.event_entered_by or viewer.person_id == dispute.person_id:
        raise DomainError(Code.SAME_REVIEWER, "登记该事件的人员不能处理对它的异议")
    if not note.strip():
        raise DomainError(Code.REASON_REQUIRED, "处理异议须说明理由", "note")
    dispute.status = (DisputeStatus.UPHELD if uphold else DisputeStatus.REJECTED).value
    dispute.decided_by, dispute.decided_at = viewer.user_id, now
    dispute.decision_note = note.strip()[:1000]
    session.add(dispute)
    await session.flush()
    return dispute


# --- The serious-dishonesty list (失信名单) ---------------------------------------------


@dataclass(frozen=True)
class ListingData:
    grounds: str
    decision_ref: str
    authority: str
    listed_on: date


async def current_listing(
    session: AsyncSession, person_id: int, today: date
) -> BlacklistEntry | None:
    return (
        await session.exec(
            select(BlacklistEntry)
            .where(
                col(BlacklistEntry.person_id) == person_id,
                col(BlacklistEntry.removed_at).is_(None),
                col(BlacklistEntry.listed_on) <= today,
                col(BlacklistEntry.expires_on) > today,
            )
            .order_by(col(BlacklistEntry.expires_on).desc())
        )
    ).first()


async def list_person(
    session: AsyncSession,
    *,
    viewer: Viewer,
    person_id: int,
    data: ListingData,
    policy: PracticePolicy,
    today: date,
) -> BlacklistEntry:
    """列入失信名单 for the policy period (default 3 years from the listing date)."""
    _acting_role(viewer)
    await _person_in_scope(session, viewer, person_id)
    errs = []
    if not data.grounds.strip() or len(data.grounds) > 500:
        errs.append(DomainError(Code.INVALID_VALUE, "列入事由必填，不超过500字", "grounds"))
    if not data.authority.strip():
        errs.append(DomainError(Code.AUTHORITY_REQUIRED, "须写明作出决定的机关", "authority"))
    if not data.decision_ref.strip():
        errs.append(DomainError(Code.SOURCE_REQUIRED, "须写明决定文书编号", "decisionRef"))
    if data.listed_on > today:
        errs.append(DomainError(Code.INVALID_VALUE, "列入日期不能晚于今天", "listedOn"))
    if errs:
        raise DomainErrors(errs)
    if await current_listing(session, person_id, today) is not None:
        raise DomainError(Code.ALREADY_LISTED, "该人员已在失信名单中", "personId")
    entry = BlacklistEntry(
        person_id=person_id,
        grounds=data.grounds.strip(),
        decision_ref=data.decision_ref.strip()[:200],
        authority=data.authority.strip()[:100],
        listed_on=data.listed_on,
        expires_on=policy.blacklist.expires_on(data.listed_on),
        entered_by=viewer.user_id or 0,
    )
    session.add(entry)
    await session.flush()
    return entry


async def request_removal(
    session: AsyncSession,
    *,
    viewer: Viewer,
    entry_id: int,
    note: str,
    policy: PracticePolicy,
    now: datetime,
    today: date,
) -> BlacklistEntry:
    """申请移出: by the person listed, once the minimum period has passed."""
    entry = await session.get(BlacklistEntry, entry_id, with_for_update=True)
    if entry is None or viewer.person_id is None or entry.person_id != viewer.person_id:
        raise _not_found("名单记录")
    if entry.removed_at is not None or entry.expires_on <= today:
        raise DomainError(Code.NOT_LISTED, "该名单记录已失效")
    opens = policy.blacklist.removal_opens_on(entry.listed_on)
    if today < opens:
        raise DomainError(
            Code.REMOVAL_TOO_EARLY,
            f"列入满{policy.blacklist.removal_after_months}个月"
            f"（{opens.isoformat()}）后方可申请移出",
        )
    if entry.removal_requested_at is not None:
        raise DomainError(Code.ALREADY_REQUESTED, "已提交移出申请")
    if not note.strip():
        raise DomainError(
            Code.REASON_REQUIRED, "请说明申请理由（如已履行处罚、完成信用修复）", "note"
        )
    entry.removal_requested_at = now
    entry.removal_request_note = note.strip()[:1000]
    session.add(entry)
    await session.flush()
    return entry


async def remove_entry(
    session: AsyncSession, *, viewer: Viewer, entry_id: int, reason: str, now: datetime
) -> BlacklistEntry:
    """移出名单 by a reviewer (a granted request, or a listing set aside)."""
    _acting_role(viewer)
    entry = await session.get(BlacklistEntry, entry_id, with_for_update=True)
    if entry is None:
        raise _not_found("名单记录")
    await _person_in_scope(session, viewer, entry.person_id)
    if entry.removed_at is not None:
        raise DomainError(Code.NOT_LISTED, "该名单记录已移出")
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, "移出须说明理由", "reason")
    entry.removed_at, entry.removed_by = now, viewer.user_id
    entry.removal_reason = reason.strip()[:500]
    session.add(entry)
    await session.flush()
    return entry


class BlacklistEligibility:
    """registration's blacklist check: an applicant on the serious-dishonesty list (an
    entry neither expired nor removed) may not apply (应急管理部令第11号)."""

    async def blacklist_check(self, session: AsyncSession, *, person_id: int, today: date) -> Check:
        entry = await current_listing(session, person_id, today)
        if entry is None:
            return Check("BLACKLIST", CheckResult.PASS, "未列入安全生产严重失信主体名单")
        return Check(
            "BLACKLIST",
            CheckResult.FAIL,
            f"已列入安全生产严重失信主体名单（{entry.listed_on.isoformat()}起，"
            f"至{entry.expires_on.isoformat()}），期间不得申请注册",
        )
