"""Identity operations: persons, employers, employments, and who may see whom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.roles import Role, Viewer
from regsafe.core import masking
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.identity import rules
from regsafe.identity.errors import IdentityErrorCode as Code
from regsafe.identity.models import (
    INDUSTRY_SECTIONS,
    Education,
    Employer,
    EmployerKind,
    Employment,
    EmploymentInvitation,
    IdentityStatus,
    Person,
    Specialty,
)
from regsafe.identity.scopes import (  # noqa: F401  (re-exported)
    can_manage_region,
    employer_scope,
    person_in_reach,
    person_scope,
)

ID_CONTEXT = "person.id_number"
PHONE_CONTEXT = "person.phone"
T = TypeVar("T")


@dataclass(frozen=True)
class AgePolicy:
    min_age: int = 18
    max_age: int = 70


@dataclass
class PersonInput:
    name: str
    id_number: str
    region_code: str
    phone: str | None = None
    education: Education | None = None
    specialty: Specialty | None = None


@dataclass
class PersonPatch:
    name: str | None = None
    region_code: str | None = None
    phone: str | None = None
    education: Education | None = None
    specialty: Specialty | None = None
    expected_version: int | None = None


@dataclass
class EmployerInput:
    name: str
    credit_code: str
    kind: EmployerKind
    industry: str
    region_code: str | None = None
    accept_checksum_warning: bool = False


@dataclass
class EmployerPatch:
    name: str | None = None
    kind: EmployerKind | None = None
    industry: str | None = None
    region_code: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class PersonFilter:
    name_prefix: str | None = None
    id_number: str | None = None
    region_code: str | None = None
    specialty: Specialty | None = None
    employer_id: int | None = None


@dataclass(frozen=True)
class EmployerFilter:
    name_prefix: str | None = None
    credit_code: str | None = None
    region_code: str | None = None
    kind: EmployerKind | None = None


class _Collector:
    """Runs each field check and keeps every failure, so the user sees all at once."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def check(self, fn: Callable[[], T], field: str) -> T | None:
        try:
            return fn()
        except rules.RuleViolation as v:
            self.errors.append(DomainError(v.code, v.message, field))
            return None

    def add(self, code: Code, message: str, field: str) -> None:
        self.errors.append(DomainError(code, message, field))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)


def _too_long(c: _Collector, value: str | None, limit: int, field: str) -> None:
    if value is not None and len(value) > limit:
        c.add(Code.TOO_LONG, f"不能超过{limit}个字符", field)


# --- visibility -------------------------------------------------------------------------
# The row rules live in identity/scopes.py (re-exported here for callers).


def may_unmask(viewer: Viewer, person: Person) -> bool:
    """Full ID number and phone: the person themself and administrators only (the one
    disclosure rule of core/masking.py; identity has no case to be assigned to)."""
    return masking.disclosure(viewer, subject_person_id=person.id) is masking.Disclosure.FULL


# --- queries ----------------------------------------------------------------------------


def person_query(viewer: Viewer, f: PersonFilter, cipher: FieldCipher) -> SelectOfScalar[Person]:
    stmt = select(Person).where(person_scope(viewer))
    if f.name_prefix:
        stmt = stmt.where(col(Person.name).startswith(f.name_prefix.strip(), autoescape=True))
    if f.id_number:
        index = cipher.blind_index(rules.normalize_id_number(f.id_number), context=ID_CONTEXT)
        stmt = stmt.where(col(Person.id_number_index) == index)
    if f.region_code:
        stmt = stmt.where(
            col(Person.region_code).startswith(_region_prefix(f.region_code), autoescape=True)
        )
    if f.specialty:
        stmt = stmt.where(col(Person.specialty) == f.specialty.value)
    if f.employer_id is not None:
        stmt = stmt.where(
            col(Person.id).in_(
                select(Employment.person_id).where(
                    Employment.employer_id == f.employer_id, col(Employment.end_date).is_(None)
                )
            )
        )
    return stmt


def employer_query(viewer: Viewer, f: EmployerFilter) -> SelectOfScalar[Employer]:
    stmt = select(Employer).where(employer_scope(viewer))
    if f.name_prefix:
        stmt = stmt.where(col(Employer.name).startswith(f.name_prefix.strip(), autoescape=True))
    if f.credit_code:
        stmt = stmt.where(col(Employer.credit_code) == rules.normalize_credit_code(f.credit_code))
    if f.region_code:
        stmt = stmt.where(
            col(Employer.region_code).startswith(_region_prefix(f.region_code), autoescape=True)
        )
    if f.kind:
        stmt = stmt.where(col(Employer.kind) == f.kind.value)
    return stmt


def _region_prefix(code: str) -> str:
    """110000 → "11", 110100 → "1101", 110105 → "110105": trailing zero pairs widen."""
    code = rules.ascii_form(code).strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def decrypt_id_number(cipher: FieldCipher, person: Person) -> str:
    return decrypt_id_cipher(cipher, person.id_number_cipher)


def decrypt_id_cipher(cipher: FieldCipher, token: bytes) -> str:
    return cipher.decrypt(token, context=ID_CONTEXT)


def decrypt_phone(cipher: FieldCipher, person: Person) -> str | None:
    if person.phone_cipher is None:
        return None
    return decrypt_phone_cipher(cipher, person.phone_cipher)


def decrypt_phone_cipher(cipher: FieldCipher, token: bytes) -> str:
    return cipher.decrypt(token, context=PHONE_CONTEXT)


# --- persons ----------------------------------------------------------------------------


async def create_person(
    session: AsyncSession,
    *,
    data: PersonInput,
    viewer: Viewer,
    cipher: FieldCipher,
    today: date,
    ages: AgePolicy,
    request_id: str | None = None,
) -> Person:
    c = _Collector()
    name = c.check(lambda: rules.validate_person_name(data.name), "name")
    idn = c.check(lambda: rules.parse_id_number(data.id_number, today=today), "idNumber")
    region = c.check(lambda: rules.validate_region_code(data.region_code), "regionCode")
    raw_phone = data.phone
    phone = c.check(lambda: rules.normalize_phone(raw_phone), "phone") if raw_phone else None
    if idn is not None:
        age = rules.age_on(idn.birth_date, today)
        if not ages.min_age <= age <= ages.max_age:
            c.add(
                Code.AGE_OUT_OF_RANGE,
                f"年龄{age}岁，不在{ages.min_age}至{ages.max_age}岁的范围内",
                "idNumber",
            )
    if region is not None and not can_manage_region(viewer, region):
        c.add(Code.NOT_PERMITTED, "无权在该行政区划下登记人员", "regionCode")
    c.raise_if_any()
    assert name is not None and idn is not None and region is not None
    index = cipher.blind_index(idn.value, context=ID_CONTEXT)
    if (await session.exec(select(Person.id).where(Person.id_number_index == index))).first():
        raise DomainError(Code.DUPLICATE_PERSON, "该身份证号码已登记", "idNumber")
    person = Person(
        name=name,
        gender=idn.gender.value,
        birth_date=idn.birth_date,
        id_number_cipher=cipher.encrypt(idn.value, context=ID_CONTEXT),
        id_number_index=index,
        phone_cipher=cipher.encrypt(phone, context=PHONE_CONTEXT) if phone else None,
        education=data.education.value if data.education else None,
        region_code=region,
        specialty=data.specialty.value if data.specialty else None,
        identity_status=IdentityStatus.PENDING,
    )
    session.add(person)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent insert of the same ID number won the race
        raise DomainError(Code.DUPLICATE_PERSON, "该身份证号码已登记", "idNumber") from None
    assert person.id is not None
    # Invitations sent to this number before it was registered now reach the person.
    await session.exec(
        update(EmploymentInvitation)
        .where(
            col(EmploymentInvitation.id_number_index) == index,
            col(EmploymentInvitation.person_id).is_(None),
        )
        .values(person_id=person.id)
    )
    audit.record(
        session,
        action=AuditAction.PERSON_CREATED,
        subject_type="person",
        subject_id=person.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )
    return person


async def _get_visible(
    session: AsyncSession,
    model: type[Any],
    scope: ColumnElement[bool],
    obj_id: int,
    what: str,
    field: str = "id",
) -> Any:
    obj = (
        await session.exec(select(model).where(and_(model.id == obj_id, scope)).with_for_update())
    ).first()
    if obj is None:
        raise DomainError(Code.NOT_FOUND, f"{what}不存在或无权访问", field)
    return obj


async def _save_changes(
    session: AsyncSession,
    obj: Person | Employer,
    changed: list[str],
    action: AuditAction,
    viewer: Viewer,
    now: datetime,
    request_id: str | None,
) -> None:
    """Bump the version (optimistic locking) and audit which fields changed, not values."""
    if not changed:
        return
    obj.version += 1
    obj.updated_at = now
    session.add(obj)
    await session.flush()
    assert obj.id is not None
    audit.record(
        session,
        action=action,
        subject_type=type(obj).__tablename__,
        subject_id=obj.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
        detail={"fields": changed},
    )


def _check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise DomainError(Code.STALE_VERSION, "记录已被他人修改，请刷新后重试", "expectedVersion")


async def update_person(
    session: AsyncSession,
    *,
    person_id: int,
    patch: PersonPatch,
    viewer: Viewer,
    cipher: FieldCipher,
    now: datetime,
    request_id: str | None = None,
) -> Person:
    person: Person = await _get_visible(session, Person, person_scope(viewer), person_id, "人员")
    manager = can_manage_region(viewer, person.region_code)
    if not (manager or viewer.person_id == person.id):
        raise DomainError(Code.NOT_PERMITTED, "无权修改该人员信息", "id")
    if not manager:  # a registrant editing themself: contact details only
        for name, value in (
            ("name", patch.name),
            ("regionCode", patch.region_code),
            ("specialty", patch.specialty),
        ):
            if value is not None:
                raise DomainError(Code.NOT_PERMITTED, "本人只能修改联系电话和学历", name)
    _check_version(person, patch.expected_version)
    c = _Collector()
    changed: list[str] = []
    if patch.name is not None and (
        v := c.check(lambda: rules.validate_person_name(patch.name or ""), "name")
    ):
        person.name = v
        changed.append("name")
    if patch.region_code is not None:
        region = c.check(lambda: rules.validate_region_code(patch.region_code or ""), "regionCode")
        if region is not None and not can_manage_region(viewer, region) and not viewer.is_admin:
            c.add(Code.NOT_PERMITTED, "无权将人员转移到该行政区划", "regionCode")
        elif region is not None:
            person.region_code = region
            changed.append("regionCode")
    if patch.phone is not None:
        if patch.phone == "":
            person.phone_cipher = None
        elif (
            phone := c.check(lambda: rules.normalize_phone(patch.phone or ""), "phone")
        ) is not None:
            person.phone_cipher = cipher.encrypt(phone, context=PHONE_CONTEXT)
        changed.append("phone")
    if patch.education is not None:
        person.education = patch.education.value
        changed.append("education")
    if patch.specialty is not None:
        person.specialty = patch.specialty.value
        changed.append("specialty")
    c.raise_if_any()
    await _save_changes(
        session, person, changed, AuditAction.PERSON_UPDATED, viewer, now, request_id
    )
    return person


# --- employers --------------------------------------------------------------------------


def _validate_industry(c: _Collector, industry: str) -> str | None:
    value = industry.strip().upper()
    if len(value) != 1 or value not in INDUSTRY_SECTIONS:
        c.add(Code.INDUSTRY_INVALID, "行业门类应为GB/T 4754中的A至T之一", "industry")
        return None
    return value


async def create_employer(
    session: AsyncSession,
    *,
    data: EmployerInput,
    viewer: Viewer,
    request_id: str | None = None,
) -> Employer:
    c = _Collector()
    name = c.check(lambda: rules.validate_org_name(data.name), "name")
    code = c.check(lambda: rules.parse_credit_code(data.credit_code), "creditCode")
    industry = _validate_industry(c, data.industry)
    region = (
        c.check(lambda: rules.validate_region_code(data.region_code or ""), "regionCode")
        if data.region_code
        else (code.region_code if code else None)
    )
    if code is not None and not code.checksum_valid:
        reviewer = viewer.has(Role.ADMIN, Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER)
        if not (data.accept_checksum_warning and reviewer):
            c.add(
                Code.CREDIT_CODE_CHECKSUM,
                "统一社会信用代码校验位不符；请核对，或由审核人员确认后保存",
                "creditCode",
            )
    if region is not None and not can_manage_region(viewer, region):
        c.add(Code.NOT_PERMITTED, "无权在该行政区划下登记单位", "regionCode")
    c.raise_if_any()
    assert name and code and industry and region
    if (await session.exec(select(Employer.id).where(Employer.credit_code == code.value))).first():
        raise DomainError(Code.DUPLICATE_EMPLOYER, "该统一社会信用代码已登记", "creditCode")
    employer = Employer(
        name=name,
        credit_code=code.value,
        credit_code_checksum_valid=code.checksum_valid,
        credit_code_override_by=None if code.checksum_valid else viewer.user_id,
        kind=data.kind.value,
        industry=industry,
        region_code=region,
    )
    session.add(employer)
    try:
        await session.flush()
    except IntegrityError:
        raise DomainError(
            Code.DUPLICATE_EMPLOYER, "该统一社会信用代码已登记", "creditCode"
        ) from None
    assert employer.id is not None
    audit.record(
        session,
        action=AuditAction.EMPLOYER_CREATED,
        subject_type="employer",
        subject_id=employer.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )
    if not code.checksum_valid:
        audit.record(
            session,
            action=AuditAction.CREDIT_CODE_OVERRIDE,
            subject_type="employer",
            subject_id=employer.id,
            actor_user_id=viewer.user_id,
            request_id=request_id,
            detail={"creditCode": code.value},
        )
    return employer


async def update_employer(
    session: AsyncSession,
    *,
    employer_id: int,
    patch: EmployerPatch,
    viewer: Viewer,
    now: datetime,
    request_id: str | None = None,
) -> Employer:
    employer: Employer = await _get_visible(
        session, Employer, employer_scope(viewer), employer_id, "单位"
    )
    own = viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id == employer.id
    if not (own or can_manage_region(viewer, employer.region_code)):
        raise DomainError(Code.NOT_PERMITTED, "无权修改该单位信息", "id")
    _check_version(employer, patch.expected_version)
    c = _Collector()
    changed: list[str] = []
    if patch.name is not None and (
        v := c.check(lambda: rules.validate_org_name(patch.name or ""), "name")
    ):
        employer.name = v
        changed.append("name")
    if patch.kind is not None:
        employer.kind = patch.kind.value
        changed.append("kind")
    if patch.industry is not None and (ind := _validate_industry(c, patch.industry)):
        employer.industry = ind
        changed.append("industry")
    if patch.region_code is not None:
        region = c.check(lambda: rules.validate_region_code(patch.region_code or ""), "regionCode")
        if region is not None and not can_manage_region(viewer, region):
            c.add(Code.NOT_PERMITTED, "无权将单位转移到该行政区划", "regionCode")
        elif region is not None:
            employer.region_code = region
            changed.append("regionCode")
    c.raise_if_any()
    await _save_changes(
        session, employer, changed, AuditAction.EMPLOYER_UPDATED, viewer, now, request_id
    )
    return employer


# --- employments ------------------------------------------------------------------------


async def start_employment(
    session: AsyncSession,
    *,
    person_id: int,
    employer_id: int,
    start_date: date,
    social_insurance: bool,
    viewer: Viewer,
    today: date,
    request_id: str | None = None,
) -> Employment:
    """Start an employment directly: an administrator, or a provincial reviewer for an
    employer and a person of their province (the reviewer's act stands for the person's
    confirmation), and internal callers (demo data, test fixtures). An employer admin
    invites instead (identity/invitations.py): hiring needs the person's consent, and an
    answer by ID number must not tell the employer who is registered."""
    employer: Employer = await _get_visible(
        session, Employer, employer_scope(viewer), employer_id, "单位", "employerId"
    )
    if not can_manage_region(viewer, employer.region_code):
        raise DomainError(Code.NOT_PERMITTED, "无权为该单位登记聘用关系", "employerId")
    person: Person = await _get_visible(
        session, Person, person_scope(viewer), person_id, "人员", "personId"
    )
    return await open_employment(
        session,
        person=person,
        employer_id=employer_id,
        start_date=start_date,
        social_insurance=social_insurance,
        today=today,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )


async def open_employment(
    session: AsyncSession,
    *,
    person: Person,
    employer_id: int,
    start_date: date,
    social_insurance: bool,
    today: date,
    actor_user_id: int | None,
    request_id: str | None = None,
    person_field: str = "personId",
    date_field: str = "startDate",
) -> Employment:
    """The rules of a new employment, whoever asked (the caller has decided they may):
    no future start, after the last one ended, and one open employment per person (one
    engineer, one employer). The person row should be locked by the caller."""
    if start_date > today:
        raise DomainError(Code.EMPLOYMENT_DATES, "聘用开始日期不能晚于今天", date_field)
    last_end = (
        await session.exec(
            select(func.max(Employment.end_date)).where(Employment.person_id == person.id)
        )
    ).one()
    if last_end is not None and start_date <= last_end:
        raise DomainError(
            Code.EMPLOYMENT_DATES,
            f"聘用开始日期应晚于上一段聘用的结束日期（{last_end}）",
            date_field,
        )
    open_one = (
        await session.exec(
            select(Employment).where(
                Employment.person_id == person.id, col(Employment.end_date).is_(None)
            )
        )
    ).first()
    if open_one is not None:
        raise DomainError(
            Code.EMPLOYMENT_OVERLAP,
            "该人员尚有未结束的聘用关系；一人只能同时受聘于一个单位，请先结束原聘用",
            person_field,
        )
    assert person.id is not None
    employment = Employment(
        person_id=person.id,
        employer_id=employer_id,
        start_date=start_date,
        social_insurance=social_insurance,
    )
    session.add(employment)
    try:
        await session.flush()
    except IntegrityError:  # the partial unique index caught a concurrent start
        raise DomainError(
            Code.EMPLOYMENT_OVERLAP, "该人员尚有未结束的聘用关系", person_field
        ) from None
    assert employment.id is not None
    audit.record(
        session,
        action=AuditAction.EMPLOYMENT_STARTED,
        subject_type="employment",
        subject_id=employment.id,
        actor_user_id=actor_user_id,
        request_id=request_id,
    )
    return employment


async def end_employment(
    session: AsyncSession,
    *,
    employment_id: int,
    end_date: date,
    viewer: Viewer,
    request_id: str | None = None,
) -> Employment:
    employment = (
        await session.exec(
            select(Employment)
            .where(
                Employment.id == employment_id,
                or_(
                    col(Employment.person_id).in_(select(Person.id).where(person_scope(viewer))),
                    # an employer admin keeps seeing their own unit's employments once ended
                    col(Employment.employer_id) == viewer.employer_id,
                ),
            )
            .with_for_update()
        )
    ).first()
    employer = await session.get(Employer, employment.employer_id) if employment else None
    if employment is None or employer is None:  # outside the scope looks like absent
        raise DomainError(Code.NOT_FOUND, "聘用关系不存在", "id")
    own = viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id == employer.id
    if not (own or can_manage_region(viewer, employer.region_code)):
        raise DomainError(Code.NOT_PERMITTED, "无权结束该聘用关系", "id")
    if employment.end_date is not None:
        raise DomainError(Code.EMPLOYMENT_DATES, "该聘用关系已结束", "id")
    if end_date < employment.start_date:
        raise DomainError(Code.EMPLOYMENT_DATES, "结束日期不能早于开始日期", "endDate")
    employment.end_date = end_date
    session.add(employment)
    await session.flush()
    audit.record(
        session,
        action=AuditAction.EMPLOYMENT_ENDED,
        subject_type="employment",
        subject_id=employment_id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )
    return employment


async def mark_identity_checked(
    session: AsyncSession, *, person_id: int, cipher: FieldCipher, today: date, now: datetime
) -> IdentityStatus:
    """Local identity check (GB 11643 and consistency of the derived fields); the job
    that calls it is where the government identity service will plug in."""
    person = await session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise DomainError(Code.NOT_FOUND, "人员不存在", "personId")
    try:
        idn = rules.parse_id_number(decrypt_id_number(cipher, person), today=today)
        consistent = idn.birth_date == person.birth_date and idn.gender.value == person.gender
        status = IdentityStatus.VERIFIED if consistent else IdentityStatus.FAILED
    except rules.RuleViolation:
        status = IdentityStatus.FAILED
    person.identity_status = status
    person.identity_checked_at = now
    session.add(person)
    return status
