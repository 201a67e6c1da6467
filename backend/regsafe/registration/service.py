"""Registration operations: applications from draft to decision, with the eligibility
checks, the one-engineer-one-employer rule, routing, statutory clocks and history.

Documents (uploads and OCR) live in :mod:`regsafe.registration.documents`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, false, func, text, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import SHANGHAI
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.settings import Settings
from regsafe.identity import rules as id_rules
from regsafe.identity.models import Employer, Employment, Person, Specialty
from regsafe.identity.service import decrypt_id_number
from regsafe.registration import rules, sealed_fields
from regsafe.registration.errors import RegistrationErrorCode as Code
from regsafe.registration.models import (
    IN_FLIGHT,
    Application,
    ApplicationEvent,
    Document,
    OcrStatus,
    Qualification,
    QualificationSource,
    Registration,
    RegistrationStatus,
    UploadStatus,
)
from regsafe.registration.rules import (
    Action,
    ApplicationKind,
    Check,
    CheckResult,
    ClockPolicy,
    DocumentKind,
    EligibilityPolicy,
    ReviewScope,
    Status,
)
from regsafe.registration.scopes import (
    application_scope,
    in_preliminary_queue,
    queue_terms,
)

EDITABLE = (Status.DRAFT, Status.RETURNED_FOR_CORRECTION)
NEW_REGISTRATION_KINDS = (
    ApplicationKind.INITIAL,
    ApplicationKind.LATE_INITIAL,
    ApplicationKind.REREGISTER,
)
PRELIMINARY_ACTIONS = (Action.RETURN, Action.PASS_PRELIMINARY, Action.REJECT)
MAX_CHANGES_PER_YEAR = 2  # DOMAIN.md anti-挂证 signal: more than 2 in one calendar year
REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class Policy:
    """Registration policy, from settings."""

    clocks: ClockPolicy = field(default_factory=ClockPolicy)
    eligibility: EligibilityPolicy = field(default_factory=EligibilityPolicy)
    routing: dict[Specialty, ReviewScope] = field(
        default_factory=lambda: dict(rules.DEFAULT_ROUTING)
    )
    document_max_bytes: int = 10 * 1024 * 1024
    upload_expiry: timedelta = timedelta(hours=1)
    documents_per_kind: int = 5
    documents_per_application: int = 20

    @classmethod
    def from_settings(cls, s: Settings) -> Policy:
        return cls(
            clocks=ClockPolicy(
                s.clock_completeness_days,
                s.clock_preliminary_days,
                s.clock_final_days,
                s.clock_issue_days,
            ),
            eligibility=EligibilityPolicy(
                max_age=s.max_age,
                initial_within_years=s.initial_within_years,
                validity_years=s.registration_validity_years,
                renewal_opens_months=s.renewal_opens_months,
            ),
            routing=rules.parse_routing(s.review_routing),
            document_max_bytes=s.document_max_bytes,
            upload_expiry=timedelta(seconds=s.upload_expiry_seconds),
            documents_per_kind=s.document_max_per_kind,
            documents_per_application=s.document_max_per_application,
        )


class EducationRequirement(Protocol):
    """Whether the engineer met the continuing-education requirement of the cycle that a
    renewal ends. The education domain implements this; registration only asks."""

    async def renewal_check(
        self, session: AsyncSession, *, person_id: int, registration: Registration
    ) -> Check: ...


class BlacklistCheck(Protocol):
    """Whether the applicant is on the serious-dishonesty list (失信名单, 应急管理部令第11号).
    The practice domain implements this; registration only asks."""

    async def blacklist_check(
        self, session: AsyncSession, *, person_id: int, today: date
    ) -> Check: ...


class CertificateIssuer(Protocol):
    """注册证书: the certificates domain implements this; registration calls it inside
    the approval transaction, so a registration never commits without its certificate."""

    async def issue(
        self,
        session: AsyncSession,
        *,
        registration: Registration,
        previous: Registration | None,
        kind: ApplicationKind,
        now: datetime,
    ) -> None:
        """Issue the certificate of a new registration; ``previous`` is the registration
        it supersedes (renewal, change, reissue), whose certificate it replaces."""

    async def end(
        self, session: AsyncSession, *, registration: Registration, now: datetime
    ) -> None:
        """A registration was cancelled (注销): its certificate ends."""


@dataclass(frozen=True)
class ApplicationForm:
    """What the registrant types; compared with OCR and the person record."""

    qualification_number: str | None = None
    qualification_date: date | None = None
    education: str | None = None
    school: str | None = None
    major: str | None = None
    diploma_number: str | None = None
    # Why the uploaded ID card does not match the applicant (an OCR misreading, a changed
    # name…): submission then goes ahead, and the reviewers see the note as a flag.
    identity_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.qualification_date:
            data["qualification_date"] = self.qualification_date.isoformat()
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApplicationForm:
        raw = dict(data)
        if raw.get("qualification_date"):
            raw["qualification_date"] = date.fromisoformat(raw["qualification_date"])
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class NewApplication:
    kind: ApplicationKind
    specialty: Specialty
    employer_id: int
    form: ApplicationForm = ApplicationForm()


FORM_LIMITS = {
    "qualification_number": 40,
    "school": 100,
    "major": 100,
    "diploma_number": 40,
    "identity_note": 500,
}


def _validate_form(form: ApplicationForm) -> ApplicationForm:
    errors: list[DomainError] = []
    cleaned: dict[str, Any] = {}
    for name, limit in FORM_LIMITS.items():
        value = getattr(form, name)
        if value is None:
            continue
        value = id_rules.ascii_form(value).strip() if name.endswith("number") else value.strip()
        if len(value) > limit:
            errors.append(DomainError(Code.TOO_LONG, f"不能超过{limit}个字符", f"form.{name}"))
        cleaned[name] = value or None
    if form.education is not None:
        from regsafe.identity.models import Education

        if form.education not in Education.__members__:
            errors.append(DomainError(Code.INVALID_VALUE, "学历无效", "form.education"))
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    return ApplicationForm(
        qualification_date=form.qualification_date, education=form.education, **cleaned
    )


# --- visibility -------------------------------------------------------------------------


# The row rules live in registration/scopes.py.
_scope_terms = queue_terms


def is_assigned(viewer: Viewer, app: Application) -> bool:
    """A case assigned to this reviewer (the only place unmasked data is shown)."""
    if viewer.user_id is None:
        return False
    return viewer.user_id in (app.preliminary_reviewer_id, app.final_reviewer_id)


def may_see_documents(viewer: Viewer, app: Application) -> bool:
    return viewer.person_id == app.person_id or is_assigned(viewer, app) or viewer.is_admin


async def get_application(
    session: AsyncSession, viewer: Viewer, application_id: int, *, lock: bool = False
) -> Application:
    stmt = select(Application).where(
        col(Application.id) == application_id, application_scope(viewer)
    )
    if lock:
        stmt = stmt.with_for_update()
    app = (await session.exec(stmt)).first()
    if app is None:
        raise DomainError(Code.NOT_FOUND, "申请不存在或无权访问", "id")
    return app


def _check_version(app: Application, expected: int | None) -> None:
    if expected is not None and app.version != expected:
        raise DomainError(
            Code.STALE_VERSION, "申请已被他人处理或修改，请刷新后重试", "expectedVersion"
        )


async def _bump(session: AsyncSession, app: Application, expected: int, now: datetime) -> None:
    """Optimistic lock in SQL: the row changes only if nobody changed it since it was read
    (READ COMMITTED re-checks the WHERE after waiting for a concurrent writer)."""
    result = await session.exec(
        update(Application)
        .where(col(Application.id) == app.id, col(Application.version) == expected)
        .values(version=expected + 1, updated_at=now)
    )
    if result.rowcount != 1:
        raise DomainError(
            Code.STALE_VERSION, "申请已被他人处理或修改，请刷新后重试", "expectedVersion"
        )
    app.version = expected + 1
    app.updated_at = now


def _event(
    session: AsyncSession,
    app: Application,
    action: str,
    before: Status | None,
    viewer: Viewer,
    now: datetime,
    reason: str | None = None,
    items: list[str] | None = None,
) -> None:
    assert app.id is not None
    session.add(
        ApplicationEvent(
            application_id=app.id,
            action=action,
            from_status=before.value if before else None,
            to_status=app.status,
            actor_user_id=viewer.user_id,
            reason=reason,
            items=items or [],
            at=now,
        )
    )


# --- qualifications and registrations ---------------------------------------------------


async def record_qualification(
    session: AsyncSession,
    *,
    person_id: int,
    specialty: Specialty,
    certificate_number: str,
    obtained_on: date,
    source: QualificationSource = QualificationSource.EXAM_RESULTS,
) -> Qualification:
    """Record a 职业资格证书 (exam results import or an administrator)."""
    q = Qualification(
        person_id=person_id,
        specialty=specialty.value,
        certificate_number=id_rules.ascii_form(certificate_number).strip(),
        obtained_on=obtained_on,
        source=source.value,
    )
    session.add(q)
    await session.flush()
    return q


async def active_registration(session: AsyncSession, person_id: int) -> Registration | None:
    return (
        await session.exec(
            select(Registration).where(
                col(Registration.person_id) == person_id,
                col(Registration.status) == RegistrationStatus.ACTIVE.value,
            )
        )
    ).one_or_none()


async def latest_registration(session: AsyncSession, person_id: int) -> Registration | None:
    return (
        await session.exec(
            select(Registration)
            .where(col(Registration.person_id) == person_id)
            .order_by(col(Registration.id).desc())
            .limit(1)
        )
    ).one_or_none()


async def import_registration(
    session: AsyncSession,
    *,
    person_id: int,
    employer_id: int,
    specialty: Specialty,
    valid_from: date,
    valid_until: date,
) -> Registration:
    """Take over a registration granted before the platform (the previous system's
    records). The one-active-registration index refuses a second one."""
    reg = Registration(
        person_id=person_id,
        employer_id=employer_id,
        specialty=specialty.value,
        valid_from=valid_from,
        valid_until=valid_until,
        status=RegistrationStatus.ACTIVE.value,
    )
    session.add(reg)
    await session.flush()
    return reg


# --- drafts -----------------------------------------------------------------------------


async def _employer(session: AsyncSession, employer_id: int, field_name: str) -> Employer:
    employer = await session.get(Employer, employer_id)
    if employer is None:
        raise DomainError(Code.NOT_FOUND, "聘用单位不存在", field_name)
    return employer


async def create_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    data: NewApplication,
    policy: Policy,
    now: datetime,
) -> Application:
    """A draft application of the viewer (a registrant) — nothing is checked against
    the rules until submission, but the draft already knows its reviewer scope."""
    if viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "当前账号未关联人员信息", "personId")
    employer = await _employer(session, data.employer_id, "employerId")
    form = _validate_form(data.form)
    current = await active_registration(session, viewer.person_id)
    app = Application(
        person_id=viewer.person_id,
        kind=data.kind.value,
        specialty=data.specialty.value,
        employer_id=data.employer_id,
        status=Status.DRAFT.value,
        review_scope=rules.preliminary_scope(data.specialty, policy.routing).value,
        province_code=id_rules.province_of(employer.region_code),
        form=form.to_json(),
        registration_id=current.id if current else None,
        created_at=now,
        updated_at=now,
    )
    session.add(app)
    await session.flush()
    _event(session, app, "CREATE", None, viewer, now)
    return app


def _owned(viewer: Viewer, app: Application) -> None:
    if viewer.person_id != app.person_id:
        raise DomainError(Code.NOT_FOUND, "申请不存在或无权访问", "id")


async def update_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    expected_version: int,
    form: ApplicationForm,
    employer_id: int | None,
    specialty: Specialty | None,
    policy: Policy,
    now: datetime,
) -> Application:
    app = await get_application(session, viewer, application_id, lock=True)
    _owned(viewer, app)
    _check_version(app, expected_version)
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能修改", "id")
    app.form = _validate_form(form).to_json()
    if employer_id is not None:
        employer = await _employer(session, employer_id, "employerId")
        app.employer_id = employer_id
        app.province_code = id_rules.province_of(employer.region_code)
    if specialty is not None:
        app.specialty = specialty.value
        app.review_scope = rules.preliminary_scope(specialty, policy.routing).value
    session.add(app)
    await _bump(session, app, expected_version, now)
    return app


# --- submission: documents, eligibility, one engineer one employer ----------------------


async def present_documents(session: AsyncSession, application_id: int) -> set[DocumentKind]:
    rows = await session.exec(
        select(Document.kind).where(
            col(Document.application_id) == application_id,
            col(Document.status) == UploadStatus.CONFIRMED.value,
        )
    )
    return {DocumentKind(k) for k in rows.all()}


@dataclass
class Assessment:
    """What submission found: failures refuse it; the rest is shown to reviewers."""

    missing: list[DocumentKind]
    checks: list[Check]
    flags: list[Check]
    conflicts: list[DomainError]

    @property
    def errors(self) -> list[DomainError]:
        out = list(self.conflicts)
        if self.missing:
            names = "、".join(rules.DOCUMENT_NAMES[d] for d in self.missing)
            out.append(DomainError(Code.MISSING_DOCUMENTS, f"缺少材料：{names}", "documents"))
        out += [
            DomainError(Code.NOT_ELIGIBLE, c.explanation, f"eligibility.{c.code}")
            for c in self.checks
            if c.result == CheckResult.FAIL
        ]
        return out


async def assess(
    session: AsyncSession,
    app: Application,
    *,
    today: date,
    policy: Policy,
    education: EducationRequirement,
    blacklist: BlacklistCheck,
    cipher: FieldCipher,
) -> Assessment:
    """Every rule the application must meet at submission, evaluated at once so the
    registrant sees all problems together (also used for the pre-submission check)."""
    assert app.id is not None
    kind = ApplicationKind(app.kind)
    person = await session.get(Person, app.person_id)
    assert person is not None
    missing = rules.missing_documents(kind, await present_documents(session, app.id))
    conflicts: list[DomainError] = []

    current = await active_registration(session, app.person_id)
    if kind in NEW_REGISTRATION_KINDS and current is not None:
        if current.employer_id != app.employer_id:
            conflicts.append(
                DomainError(
                    Code.ANOTHER_EMPLOYER_ACTIVE,
                    "您已在其他单位注册（一人只能在一个单位注册）；更换单位请申请变更注册",
                    "employerId",
                )
            )
        else:
            conflicts.append(
                DomainError(Code.ALREADY_REGISTERED, "您已注册，请申请延续或变更注册", "kind")
            )
    if kind not in NEW_REGISTRATION_KINDS:
        if current is None:
            conflicts.append(DomainError(Code.NOT_REGISTERED, "没有有效的注册", "kind"))
        elif kind != ApplicationKind.CHANGE and current.employer_id != app.employer_id:
            conflicts.append(
                DomainError(
                    Code.ANOTHER_EMPLOYER_ACTIVE,
                    "申请单位与注册单位不一致；更换单位请申请变更注册",
                    "employerId",
                )
            )
        elif kind == ApplicationKind.CHANGE and (
            current.employer_id == app.employer_id and current.specialty == app.specialty
        ):
            conflicts.append(
                DomainError(Code.INVALID_VALUE, "变更注册须变更单位或专业类别", "employerId")
            )
    other = (
        await session.exec(
            select(Application.id, Application.employer_id).where(
                col(Application.person_id) == app.person_id,
                col(Application.status).in_(IN_FLIGHT),
                col(Application.id) != app.id,
            )
        )
    ).first()
    if other is not None:
        code = (
            Code.ANOTHER_EMPLOYER_ACTIVE
            if other[1] != app.employer_id
            else Code.ANOTHER_APPLICATION_IN_FLIGHT
        )
        conflicts.append(
            DomainError(code, "您有另一项注册申请正在办理，请等待其办结或撤回后再提交", "id")
        )

    employment = (
        await session.exec(
            select(Employment).where(
                col(Employment.person_id) == app.person_id,
                col(Employment.end_date).is_(None),
            )
        )
    ).one_or_none()
    if kind != ApplicationKind.CANCELLATION and (
        employment is None or employment.employer_id != app.employer_id
    ):
        conflicts.append(
            DomainError(
                Code.NOT_EMPLOYED,
                "申请单位未登记您的聘用关系，请先由单位办理聘用登记",
                "employerId",
            )
        )

    quals = list(
        (
            await session.exec(
                select(Qualification).where(col(Qualification.person_id) == app.person_id)
            )
        ).all()
    )
    in_specialty = [q for q in quals if q.specialty == app.specialty]
    facts = rules.Facts(
        kind=kind,
        today=today,
        birth_date=person.birth_date,
        specialty=Specialty(app.specialty),
        qualification_specialties=frozenset(Specialty(q.specialty) for q in quals),
        qualification_date=min((q.obtained_on for q in in_specialty), default=None),
        registration_expires=current.valid_until if current else None,
    )
    checks = rules.check_eligibility(facts, policy.eligibility)
    if kind != ApplicationKind.CANCELLATION:  # giving a registration up is always allowed
        checks.append(
            await blacklist.blacklist_check(session, person_id=app.person_id, today=today)
        )
    if kind == ApplicationKind.RENEWAL and current is not None:
        checks.append(
            await education.renewal_check(session, person_id=app.person_id, registration=current)
        )

    flags: list[Check] = []
    if (
        employment is not None
        and employment.employer_id == app.employer_id
        and not employment.social_insurance
    ):
        flags.append(
            Check(
                "NO_SOCIAL_INSURANCE",
                CheckResult.WARN,
                "聘用单位未为申请人缴纳社会保险（疑似挂证信号）",
            )
        )
    if kind == ApplicationKind.CHANGE:
        year_start = datetime(today.year, 1, 1, tzinfo=SHANGHAI)
        changes = (
            await session.exec(
                select(func.count()).where(
                    col(Application.person_id) == app.person_id,
                    col(Application.kind) == ApplicationKind.CHANGE.value,
                    col(Application.submitted_at) >= year_start,
                    col(Application.status).notin_((Status.WITHDRAWN.value, Status.DRAFT.value)),
                    col(Application.id) != app.id,
                )
            )
        ).one()
        if changes + 1 > MAX_CHANGES_PER_YEAR:
            flags.append(
                Check(
                    "FREQUENT_CHANGES",
                    CheckResult.WARN,
                    f"本年度第{changes + 1}次变更注册（超过{MAX_CHANGES_PER_YEAR}次为挂证信号）",
                )
            )
    if kind in (ApplicationKind.INITIAL, ApplicationKind.LATE_INITIAL) and in_specialty:
        typed = app.form.get("qualification_number")
        if typed and typed not in {q.certificate_number for q in in_specialty}:
            flags.append(
                Check(
                    "QUALIFICATION_NUMBER_MISMATCH",
                    CheckResult.WARN,
                    "填写的资格证书编号与资格库记录不一致",
                )
            )
    id_card = await _id_card_field(session, app.id, "valid_period")
    expiry = rules.id_card_validity_flag(id_card, today=today)
    if expiry is not None:
        flags.append(expiry)
    # A soft signal only: people move and keep their number (DOMAIN.md).
    authority = rules.id_card_authority_flag(
        await _id_card_field(session, app.id, "issuing_authority"),
        decrypt_id_number(cipher, person),
    )
    if authority is not None:
        flags.append(authority)
    mismatches = rules.identity_mismatches(
        await field_comparisons(session, app, person, cipher, kinds=(DocumentKind.ID_CARD,))
    )
    if mismatches:
        fields = "、".join(IDENTITY_FIELD_NAMES[c.field] for c in mismatches)
        note = app.form.get("identity_note")
        if note:
            flags.append(
                Check(
                    "IDENTITY_DOCUMENT_MISMATCH",
                    CheckResult.WARN,
                    f"身份证的{fields}与申请人不一致；申请人说明：{note}",
                )
            )
        else:
            conflicts.append(
                DomainError(
                    Code.IDENTITY_DOCUMENT_MISMATCH,
                    f"上传的身份证{fields}与申请人不一致：请上传本人身份证，"
                    "或在申请表中说明原因（如识别有误）",
                    "form.identity_note",
                )
            )
    return Assessment(missing, checks, flags, conflicts)


IDENTITY_FIELD_NAMES = {"name": "姓名", "id_number": "身份证号码"}


async def field_comparisons(
    session: AsyncSession,
    app: Application,
    person: Person,
    cipher: FieldCipher,
    *,
    kinds: tuple[DocumentKind, ...] | None = None,
) -> list[rules.FieldComparison]:
    """OCR vs confirmation vs record for the application's read documents (of ``kinds``,
    or all): what the submission check and the reviewers' comparison table use."""
    assert app.id is not None
    stmt = select(Document).where(
        col(Document.application_id) == app.id, col(Document.ocr_status) == OcrStatus.DONE.value
    )
    if kinds is not None:
        stmt = stmt.where(col(Document.kind).in_([k.value for k in kinds]))
    docs = (await session.exec(stmt.order_by(col(Document.id)))).all()
    return compare_documents(app, person, cipher, docs)


def compare_documents(
    app: Application, person: Person, cipher: FieldCipher, docs: Sequence[Document]
) -> list[rules.FieldComparison]:
    known = rules.known_values(
        name=person.name,
        id_number=decrypt_id_number(cipher, person),
        gender=person.gender,
        birth_date=person.birth_date,
        form=app.form,
        specialty=app.specialty,
    )
    read = [
        (
            DocumentKind(d.kind),
            sealed_fields.ocr_values(cipher, d.ocr_fields),
            sealed_fields.confirmed_values(cipher, d.confirmed_fields),
        )
        for d in docs
        if d.ocr_status == OcrStatus.DONE
    ]
    return rules.compare_fields(read, known)


async def _id_card_field(session: AsyncSession, app_id: int, name: str) -> str | None:
    """A field of the application's confirmed ID card (有效期限 ``valid_period``, 签发机关
    ``issuing_authority``): as the registrant confirmed or corrected it, else as OCR read
    it (neither is a sealed field: no key needed)."""
    docs = (
        await session.exec(
            select(Document).where(
                col(Document.application_id) == app_id,
                col(Document.kind) == DocumentKind.ID_CARD.value,
                col(Document.status) == UploadStatus.CONFIRMED.value,
            )
        )
    ).all()
    assert name not in sealed_fields.SEALED, name
    for doc in docs:
        confirmed = (doc.confirmed_fields or {}).get(name)
        if isinstance(confirmed, str) and confirmed:
            return confirmed
        entry = (doc.ocr_fields or {}).get("fields", {}).get(name) or {}
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _check_json(c: Check) -> dict[str, str]:
    return {"code": c.code, "result": c.result.value, "explanation": c.explanation}


def _transition(
    app: Application, action: Action, *, reason: str | None = None, items: list[str] | None = None
) -> Status:
    try:
        return rules.next_status(
            Status(app.status), action, kind=ApplicationKind(app.kind), reason=reason, items=items
        )
    except rules.IllegalTransition as exc:
        raise DomainError(
            Code.ILLEGAL_TRANSITION,
            f"当前状态（{rules.STATUS_NAMES[exc.status]}）不能执行该操作",
            "id",
        ) from exc
    except ValueError as exc:
        if action == Action.REJECT:
            raise DomainError(Code.REASON_REQUIRED, "不予注册须书面说明理由", "reason") from exc
        raise DomainError(
            Code.ITEMS_REQUIRED, "退回补正须一次性列明全部需补正的材料或事项", "items"
        ) from exc


async def submit_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    expected_version: int,
    policy: Policy,
    education: EducationRequirement,
    blacklist: BlacklistCheck,
    cipher: FieldCipher,
    now: datetime,
    today: date,
) -> Application:
    # The person row lock serialises this person's submissions; the partial unique
    # index on in-flight applications holds even for writers that skip the lock.
    app = await get_application(session, viewer, application_id, lock=True)
    _owned(viewer, app)
    _check_version(app, expected_version)
    await session.exec(select(Person.id).where(col(Person.id) == app.person_id).with_for_update())
    before = Status(app.status)
    target = _transition(app, Action.SUBMIT)
    found = await assess(
        session,
        app,
        today=today,
        policy=policy,
        education=education,
        blacklist=blacklist,
        cipher=cipher,
    )
    if found.errors:
        raise DomainErrors(found.errors) if len(found.errors) > 1 else found.errors[0]
    app.status = target.value
    app.checks = [_check_json(c) for c in found.checks]
    app.flags = [_check_json(c) for c in found.flags]
    app.return_items = []
    app.submitted_at = now
    app.preliminary_started_at = None
    app.final_started_at = None
    app.preliminary_reviewer_id = None
    app.final_reviewer_id = None
    app.due_at = rules.running_due(
        target, submitted_at=now, final_started_at=None, policy=policy.clocks
    )
    session.add(app)
    try:
        async with session.begin_nested():
            await _bump(session, app, expected_version, now)
            await session.flush()
    except IntegrityError as exc:
        raise DomainError(
            Code.ANOTHER_APPLICATION_IN_FLIGHT,
            "您有另一项注册申请正在办理，请等待其办结或撤回后再提交",
            "id",
        ) from exc
    _event(session, app, Action.SUBMIT.value, before, viewer, now)
    return app


async def withdraw_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    expected_version: int,
    reason: str | None,
    now: datetime,
) -> Application:
    app = await get_application(session, viewer, application_id, lock=True)
    _owned(viewer, app)
    _check_version(app, expected_version)
    before = Status(app.status)
    app.status = _transition(app, Action.WITHDRAW).value
    app.due_at = None
    app.decided_at = now
    session.add(app)
    await _bump(session, app, expected_version, now)
    _event(session, app, Action.WITHDRAW.value, before, viewer, now, reason=reason)
    return app


# --- review ------------------------------------------------------------------------------


def _in_preliminary_scope(viewer: Viewer, app: Application) -> bool:
    return viewer.has(Role.PROVINCIAL_REVIEWER) and in_preliminary_queue(viewer, app)


def _wrong_scope(what: str) -> DomainError:
    return DomainError(Code.WRONG_REVIEW_SCOPE, f"该申请不属于您的{what}范围", "id")


async def claim_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    expected_version: int,
    policy: Policy,
    now: datetime,
) -> Application:
    """受理 / 领取: a reviewer takes the case. SUBMITTED → PRELIMINARY_REVIEW for the
    scope's reviewer; in FINAL_REVIEW a ministry reviewer takes it. Only the assigned
    reviewer may decide, and only they see the applicant's data unmasked."""
    app = await get_application(session, viewer, application_id, lock=True)
    _check_version(app, expected_version)
    before = Status(app.status)
    if before == Status.FINAL_REVIEW:
        if not viewer.has(Role.MINISTRY_REVIEWER):
            raise _wrong_scope("终审")
        if app.final_reviewer_id is not None:
            raise DomainError(Code.NOT_ASSIGNED, "该申请已由其他终审人员领取", "id")
        app.final_reviewer_id = viewer.user_id
        action = "CLAIM_FINAL"
    else:
        if not _in_preliminary_scope(viewer, app):
            raise _wrong_scope("初审")
        target = _transition(app, Action.START_PRELIMINARY)
        app.status = target.value
        app.preliminary_reviewer_id = viewer.user_id
        app.preliminary_started_at = now
        app.due_at = rules.running_due(
            target, submitted_at=app.submitted_at, final_started_at=None, policy=policy.clocks
        )
        action = Action.START_PRELIMINARY.value
    session.add(app)
    await _bump(session, app, expected_version, now)
    _event(session, app, action, before, viewer, now)
    return app


async def decide_application(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    expected_version: int,
    action: Action,
    reason: str | None,
    items: list[str],
    policy: Policy,
    certificates: CertificateIssuer,
    now: datetime,
    today: date,
) -> Application:
    """初审: return for correction / pass to final / reject; 终审: approve / return /
    reject. Scope, assignment and version are all checked; the decision is recorded."""
    if action not in (Action.RETURN, Action.PASS_PRELIMINARY, Action.APPROVE, Action.REJECT):
        raise DomainError(Code.ILLEGAL_TRANSITION, "不支持的审核操作", "action")
    app = await get_application(session, viewer, application_id, lock=True)
    _check_version(app, expected_version)
    before = Status(app.status)
    if before == Status.PRELIMINARY_REVIEW:
        if not _in_preliminary_scope(viewer, app):
            raise _wrong_scope("初审")
        if app.preliminary_reviewer_id != viewer.user_id:
            raise DomainError(Code.NOT_ASSIGNED, "该申请由其他初审人员办理", "id")
    elif before == Status.FINAL_REVIEW:
        if not viewer.has(Role.MINISTRY_REVIEWER):
            raise _wrong_scope("终审")
        if app.final_reviewer_id != viewer.user_id:
            raise DomainError(Code.NOT_ASSIGNED, "请先领取该申请再作终审决定", "id")
    clean_items = [i.strip() for i in items if i and i.strip()]
    if any(len(i) > 200 for i in clean_items) or len(clean_items) > 50:
        raise DomainError(Code.TOO_LONG, "补正事项每项不超过200字，最多50项", "items")
    if reason is not None and len(reason) > 2000:
        raise DomainError(Code.TOO_LONG, "理由不能超过2000字", "reason")
    target = _transition(app, action, reason=reason, items=clean_items)
    app.status = target.value
    if action == Action.RETURN:
        app.return_items = clean_items
    if action in (Action.REJECT, Action.RETURN):
        app.decision_reason = (reason or "").strip() or None
    if target == Status.FINAL_REVIEW:
        app.final_started_at = now
    if target in rules.TERMINAL:
        app.decided_at = now
    app.due_at = rules.running_due(
        target,
        submitted_at=app.submitted_at,
        final_started_at=app.final_started_at,
        policy=policy.clocks,
    )
    session.add(app)
    await _bump(session, app, expected_version, now)
    if target == Status.APPROVED:
        await _register(
            session, app, today=today, now=now, policy=policy, certificates=certificates
        )
    _event(session, app, action.value, before, viewer, now, reason=reason, items=clean_items)
    return app


async def _register(
    session: AsyncSession,
    app: Application,
    *,
    today: date,
    now: datetime,
    policy: Policy,
    certificates: CertificateIssuer,
) -> None:
    """The registration an approved (or deemed approved) application brings about, and
    its certificate (same transaction)."""
    kind = ApplicationKind(app.kind)
    years = policy.eligibility.validity_years
    current = await active_registration(session, app.person_id)
    if current is not None:
        current.status = (
            RegistrationStatus.CANCELLED
            if kind == ApplicationKind.CANCELLATION
            else RegistrationStatus.SUPERSEDED
        ).value
        current.ended_at = now
        session.add(current)
        await session.flush()  # free the one-active-registration slot first
    if kind == ApplicationKind.CANCELLATION:
        if current is not None:
            await certificates.end(session, registration=current, now=now)
        return
    if kind in NEW_REGISTRATION_KINDS or current is None:
        valid_from, valid_until = today, rules.registration_end(today, years)
    elif kind == ApplicationKind.RENEWAL:
        valid_from = current.valid_until + timedelta(days=1)
        valid_until = rules.registration_end(valid_from, years)
    elif kind == ApplicationKind.CHANGE:
        valid_from, valid_until = today, current.valid_until  # change keeps the expiry
    else:  # REISSUE: the same registration on a new certificate
        valid_from, valid_until = current.valid_from, current.valid_until
    reg = Registration(
        person_id=app.person_id,
        employer_id=app.employer_id,
        specialty=app.specialty,
        valid_from=valid_from,
        valid_until=valid_until,
        status=RegistrationStatus.ACTIVE.value,
        application_id=app.id,
        previous_id=current.id if current else None,
    )
    session.add(reg)
    await session.flush()
    app.registration_id = reg.id
    session.add(app)
    await certificates.issue(session, registration=reg, previous=current, kind=kind, now=now)


async def deem_overdue_renewals(
    session: AsyncSession,
    *,
    today: date,
    now: datetime,
    policy: Policy,
    certificates: CertificateIssuer,
) -> list[int]:
    """11号令: a renewal the authority has not decided by the expiry of the registration
    it renews counts as approved (DEEMED_APPROVED). Run daily by the worker."""
    rows = (
        await session.exec(
            select(Application)
            .join(Registration, col(Registration.id) == col(Application.registration_id))
            .where(
                col(Application.kind) == ApplicationKind.RENEWAL.value,
                col(Application.status).in_(
                    (
                        Status.SUBMITTED.value,
                        Status.PRELIMINARY_REVIEW.value,
                        Status.FINAL_REVIEW.value,
                    )
                ),
                col(Registration.valid_until) < today,
                col(Registration.status) == RegistrationStatus.ACTIVE.value,
            )
            .with_for_update(of=Application, skip_locked=True)
        )
    ).all()
    done: list[int] = []
    system = Viewer()
    for app in list(rows):
        before = Status(app.status)
        app.status = _transition(app, Action.DEEM_APPROVED).value
        app.decided_at = now
        app.due_at = None
        session.add(app)
        await _bump(session, app, app.version, now)
        await _register(
            session, app, today=today, now=now, policy=policy, certificates=certificates
        )
        _event(
            session,
            app,
            Action.DEEM_APPROVED.value,
            before,
            system,
            now,
            reason="到期前未作出决定，视为准予延续注册（11号令）",
        )
        assert app.id is not None
        done.append(app.id)
    return done


# --- queues -----------------------------------------------------------------------------


# The queue predicates are SQL literals, the same text as the partial indexes' own
# predicates: a bound parameter would hide from a generic plan that the index applies.
PRELIMINARY_WAITING = text("application.status IN ('SUBMITTED','PRELIMINARY_REVIEW')")
FINAL_WAITING = text("application.status = 'FINAL_REVIEW'")


def queue_condition(viewer: Viewer, stage: str) -> ColumnElement[bool]:
    """The applications waiting in this viewer's queue for a stage (PRELIMINARY/FINAL)."""
    if stage == "PRELIMINARY":
        if not viewer.has(Role.PROVINCIAL_REVIEWER):
            return false()
        return and_(PRELIMINARY_WAITING, _scope_terms(viewer))
    if not viewer.has(Role.MINISTRY_REVIEWER, Role.ADMIN):
        return false()
    return and_(FINAL_WAITING, true())
