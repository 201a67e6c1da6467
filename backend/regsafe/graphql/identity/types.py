"""GraphQL types of the identity domain."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar
from strawberry import relay

from regsafe.audit.models import AuditAction
from regsafe.core import masking
from regsafe.core.clock import SHANGHAI, today_shanghai, utcnow
from regsafe.graphql.certificates.types import CertificateType
from regsafe.graphql.core.relay import parse_pk, visible_nodes
from regsafe.graphql.education.types import RequirementStatusType
from regsafe.graphql.practice.types import CreditGradeType, CreditScoreType
from regsafe.identity import invitations, rules, service
from regsafe.identity.models import Employer, Employment, EmploymentInvitation, Person
from regsafe.identity.scopes import person_in_reach, person_visible, staff_employer
from regsafe.identity.service import EmployerFilter, PersonFilter
from regsafe.practice.scopes import credit_details_visible, credit_grade_visible

from .enums import (
    EducationEnum,
    EmployerKindEnum,
    GenderEnum,
    IdentityErrorCodeEnum,
    IdentityStatusEnum,
    InvitationStatusEnum,
    SpecialtyEnum,
)

if TYPE_CHECKING:
    from regsafe.graphql.registration.types import RegistrationType

M = TypeVar("M", Person, Employer, Employment)
N = TypeVar("N")


async def _visible_nodes(
    info: strawberry.Info,
    node_ids: Iterable[str],
    scoped: SelectOfScalar[M],
    model: type[M],
    wrap: Callable[[M], N],
) -> list[N | None]:
    """node(id:) / nodes(ids:) through the same SQL scope as the lists: one query, and
    None for ids the viewer may not see (indistinguishable from ids that do not exist)."""
    ids = [parse_pk(i) for i in node_ids]
    valid = [i for i in ids if i is not None]
    rows = await info.context.rows(scoped.where(col(model.id).in_(valid))) if valid else []
    found = {row.id: row for row in rows}
    return [wrap(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A problem with the input that the user can fix (输入错误).")
class IdentityError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: IdentityErrorCodeEnum = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


@strawberry.type(name="Person", description="人员: an engineer or applicant.")
class PersonType(relay.Node):
    # Plain attributes, filled once in ``of``: graphql-core reads them without a
    # resolver call (strawberry's basic fields), which is most of a list's fields.
    id: relay.NodeID[int]
    model: strawberry.Private[Person]
    name: str = strawberry.field(description="姓名")
    gender: GenderEnum = strawberry.field(description="性别, derived from the ID number.")
    education: EducationEnum | None = strawberry.field(description="学历")
    region_code: str = strawberry.field(
        description="行政区划代码 (6 digits) of the person's registration."
    )
    specialty: SpecialtyEnum | None = strawberry.field(
        description="资格专业类别 of the person's qualification, if known."
    )
    identity_status: IdentityStatusEnum = strawberry.field(description="身份核验状态")
    version: int = strawberry.field(
        description="Version for optimistic locking (pass as expectedVersion)."
    )
    created_at: datetime | None = strawberry.field(description="创建时间")

    @classmethod
    def of(cls, p: Person) -> PersonType:
        assert p.id is not None
        return cls(
            id=p.id,
            model=p,
            name=p.name,
            gender=rules.Gender(p.gender),
            education=EducationEnum(p.education) if p.education else None,
            region_code=p.region_code,
            specialty=SpecialtyEnum(p.specialty) if p.specialty else None,
            identity_status=IdentityStatusEnum(p.identity_status),
            version=p.version,
            created_at=p.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PersonType | None]:
        ctx = info.context
        query = service.person_query(ctx.viewer, PersonFilter(), ctx.runtime.cipher)
        return await _visible_nodes(info, node_ids, query, Person, cls.of)

    def _level(self, info: strawberry.Info) -> masking.Disclosure:
        return masking.disclosure(info.context.viewer, subject_person_id=self.model.id)

    @strawberry.field(
        description=(
            "出生日期, derived from the ID number: only where the ID number is shown in "
            "full (the person, an assigned reviewer, administrators; audited), null "
            "beside the masked ID number, which hides exactly these digits."
        )
    )
    def birth_date(self, info: strawberry.Info) -> date | None:
        level = self._level(info)
        if level is masking.Disclosure.FULL and info.context.viewer.person_id != self.model.id:
            info.context.audit(AuditAction.PERSON_BIRTH_DATE_READ, "person", self.id)
        return masking.birth_date(self.model.birth_date, level)

    @strawberry.field(description="身份证号码, always masked (110105********002X). Not audited.")
    def id_number_masked(self, info: strawberry.Info) -> str:
        return rules.mask_id_number(
            service.decrypt_id_number(info.context.runtime.cipher, self.model)
        )

    @strawberry.field(
        description=(
            "身份证号码: in full for the person themself and administrators (each such "
            "read is written to the audit trail), masked for everyone else."
        )
    )
    def id_number(self, info: strawberry.Info) -> str:
        ctx = info.context
        value = service.decrypt_id_number(ctx.runtime.cipher, self.model)
        if service.may_unmask(ctx.viewer, self.model):
            ctx.audit(AuditAction.PERSON_ID_NUMBER_READ, "person", self.id)
            return value
        return rules.mask_id_number(value)

    @strawberry.field(description="手机号码, masked (138****5678).")
    def phone_masked(self, info: strawberry.Info) -> str | None:
        value = service.decrypt_phone(info.context.runtime.cipher, self.model)
        return rules.mask_phone(value) if value else None

    @strawberry.field(description="手机号码: in full for the person and administrators (audited).")
    def phone(self, info: strawberry.Info) -> str | None:
        ctx = info.context
        value = service.decrypt_phone(ctx.runtime.cipher, self.model)
        if value is None:
            return None
        if service.may_unmask(ctx.viewer, self.model):
            ctx.audit(AuditAction.PERSON_PHONE_READ, "person", self.id)
            return value
        return rules.mask_phone(value)

    @strawberry.field(description="聘用记录, newest first.")
    async def employments(self, info: strawberry.Info) -> list[EmploymentType]:
        rows = await info.context.identity.employments_by_person.load(self.id)
        return [EmploymentType.of(e) for e in rows]

    @strawberry.field(description="当前聘用 (the open employment), if any.")
    async def current_employment(self, info: strawberry.Info) -> EmploymentType | None:
        rows = await info.context.identity.employments_by_person.load(self.id)
        current = next((e for e in rows if e.end_date is None), None)
        return EmploymentType.of(current) if current else None

    # --- The engineer's status at a glance (reviewers' and employers' lists) ---------
    # Each field is answered for a whole page at once by the functions below the class
    # (the resolvers pass a page of one; dataloaders batch them across the page, and
    # the compiled plan, graphql/identity/compiled.py, calls them once per page), and
    # answers null, never an error, to a viewer outside its rule, so a hidden value and
    # a missing one look the same.

    @strawberry.field(
        description=(
            "当前注册: the ACTIVE registration (status, number, validity, employer, "
            "province), for the person, reviewers and administrators whose reach covers "
            "them, and the admin of their current employer; null otherwise or without one."
        )
    )
    async def registration(
        self, info: strawberry.Info
    ) -> Annotated[RegistrationType, strawberry.lazy("regsafe.graphql.registration.types")] | None:
        return (await registrations_of(info.context, [self]))[0]

    @strawberry.field(
        description=(
            "当前有效注册证书: the ACTIVE certificate inside its validity period, under the "
            "certificates' own rule (the holder, the certificate's employer's admin, "
            "reviewers of its province, ministry reviewers, administrators); null otherwise."
        )
    )
    async def current_certificate(self, info: strawberry.Info) -> CertificateType | None:
        return (await certificates_of(info.context, [self]))[0]

    @strawberry.field(
        description=(
            "本注册周期学时: the current cycle's requirement status (required, counted, "
            "shortfall, cycle dates), as 我的学时 shows it; for the same viewers as "
            "registration, null without an ACTIVE registration."
        )
    )
    async def hours(self, info: strawberry.Info) -> RequirementStatusType | None:
        return (await hours_of(info.context, [self]))[0]

    @strawberry.field(
        description=(
            "信用分 with its contributions: for the person, and reviewers and "
            "administrators whose reach covers them (the root creditScore rule); null "
            "for everyone else (an employer admin gets creditGrade) and until computed."
        )
    )
    async def credit_score(self, info: strawberry.Info) -> CreditScoreType | None:
        return (await credit_scores_of(info.context, [self]))[0]

    @strawberry.field(
        description=(
            "信用等级 only (not the details): for everyone who may see creditScore, and the "
            "admin of the person's current employer; null otherwise and until computed."
        )
    )
    async def credit_grade(self, info: strawberry.Info) -> CreditGradeType | None:
        return (await credit_grades_of(info.context, [self]))[0]


# --- status fields, a page of persons at a time ---------------------------------------


async def _current_employers(ctx: Any, people: list[PersonType]) -> list[int | None]:
    """The current employer of each person, loaded only for a unit admin (the only
    viewer whose rule reads it)."""
    if staff_employer(ctx.viewer) is None:
        return [None for _ in people]
    rows = await ctx.identity.employments_by_person.load_many([p.id for p in people])
    return [next((e.employer_id for e in jobs if e.end_date is None), None) for jobs in rows]


async def _visible(ctx: Any, people: list[PersonType]) -> list[bool]:
    """Whoever may see each person (identity's person_scope, in its Python form)."""
    viewer = ctx.viewer
    direct = [person_visible(viewer, p.model, current_employer_id=None) for p in people]
    if all(direct):
        return direct
    employers = await _current_employers(ctx, people)
    return [
        seen or (e is not None and person_visible(viewer, p.model, current_employer_id=e))
        for seen, e, p in zip(direct, employers, people, strict=True)
    ]


async def _active_registrations(ctx: Any, people: list[PersonType]) -> list[Any]:
    """Each visible person's ACTIVE registration (None where hidden or absent)."""
    visible = await _visible(ctx, people)
    shown = [p.id for p, v in zip(people, visible, strict=True) if v]
    found = dict(
        zip(
            shown,
            await ctx.registration.active_registration_by_person.load_many(shown),
            strict=True,
        )
    )
    return [found.get(p.id) for p in people]


async def registrations_of(ctx: Any, people: list[PersonType]) -> list[RegistrationType | None]:
    from regsafe.graphql.registration.types import RegistrationType

    regs = await _active_registrations(ctx, people)
    return [RegistrationType(model=reg) if reg is not None else None for reg in regs]


async def certificates_of(ctx: Any, people: list[PersonType]) -> list[CertificateType | None]:
    certs = await ctx.certificates.visible_active_by_person.load_many([p.id for p in people])
    today = today_shanghai()
    return [
        CertificateType.of(c) if c is not None and c.valid_from <= today <= c.valid_until else None
        for c in certs
    ]


async def hours_of(ctx: Any, people: list[PersonType]) -> list[RequirementStatusType | None]:
    regs = await _active_registrations(ctx, people)
    keys = [reg.id for reg in regs if reg is not None and reg.id is not None]
    found = dict(
        zip(keys, await ctx.education.cycle_status_by_registration.load_many(keys), strict=True)
    )
    out: list[RequirementStatusType | None] = []
    for reg in regs:
        status = found.get(reg.id) if reg is not None else None
        out.append(RequirementStatusType.of(status.status) if status else None)
    return out


async def credit_scores_of(ctx: Any, people: list[PersonType]) -> list[CreditScoreType | None]:
    shown = [p.id for p in people if credit_details_visible(ctx.viewer, p.model)]
    loaders = ctx.practice
    found = dict(zip(shown, await loaders.credit_score_by_person.load_many(shown), strict=True))
    return [
        CreditScoreType.of(row, loaders.grades) if (row := found.get(p.id)) else None
        for p in people
    ]


async def credit_grades_of(ctx: Any, people: list[PersonType]) -> list[CreditGradeType | None]:
    viewer = ctx.viewer
    details = [credit_details_visible(viewer, p.model) for p in people]
    employers = (
        await _current_employers(ctx, people) if not all(details) else [None for _ in people]
    )
    shown = [
        p.id
        for p, d, e in zip(people, details, employers, strict=True)
        if d or credit_grade_visible(viewer, p.model, current_employer_id=e)
    ]
    loaders = ctx.practice
    found = dict(zip(shown, await loaders.credit_score_by_person.load_many(shown), strict=True))
    return [
        CreditGradeType.of(row, loaders.grades) if (row := found.get(p.id)) else None
        for p in people
    ]


@strawberry.type(name="Employer", description="聘用单位")
class EmployerType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Employer]
    name: str = strawberry.field(description="单位名称")
    credit_code: str = strawberry.field(description="统一社会信用代码 (GB 32100).")
    kind: EmployerKindEnum = strawberry.field(description="单位类型")
    industry: str = strawberry.field(description="行业门类 (GB/T 4754-2017 section letter A-T).")
    region_code: str = strawberry.field(description="行政区划代码")
    version: int = strawberry.field(
        description="Version for optimistic locking (pass as expectedVersion)."
    )

    @classmethod
    def of(cls, e: Employer) -> EmployerType:
        assert e.id is not None
        return cls(
            id=e.id,
            model=e,
            name=e.name,
            credit_code=e.credit_code,
            kind=EmployerKindEnum(e.kind),
            industry=e.industry,
            region_code=e.region_code,
            version=e.version,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EmployerType | None]:
        query = service.employer_query(info.context.viewer, EmployerFilter())
        return await _visible_nodes(info, node_ids, query, Employer, cls.of)

    @strawberry.field(
        description="False when the check character failed and a reviewer accepted it anyway."
    )
    def credit_code_checksum_valid(self) -> bool:
        return self.model.credit_code_checksum_valid

    @strawberry.field(description="在职人数: persons with an open employment here.")
    async def employee_count(self, info: strawberry.Info) -> int:
        count: int = await info.context.identity.employee_count_by_employer.load(self.id)
        return count


@strawberry.type(name="Employment", description="聘用关系")
class EmploymentType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Employment]
    start_date: date = strawberry.field(description="聘用开始日期")
    end_date: date | None = strawberry.field(description="聘用结束日期 (null while current).")
    social_insurance: bool = strawberry.field(
        description="社保是否由该单位缴纳 (an anti-挂证 signal when false)."
    )

    @classmethod
    def of(cls, e: Employment) -> EmploymentType:
        assert e.id is not None
        return cls(
            id=e.id,
            model=e,
            start_date=e.start_date,
            end_date=e.end_date,
            social_insurance=e.social_insurance,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EmploymentType | None]:
        ctx = info.context
        people = service.person_query(ctx.viewer, PersonFilter(), ctx.runtime.cipher)
        query = select(Employment).where(
            col(Employment.person_id).in_(people.with_only_columns(col(Person.id)))
        )
        return await _visible_nodes(info, node_ids, query, Employment, cls.of)

    @strawberry.field(description="受聘人员")
    async def person(self, info: strawberry.Info) -> PersonType:
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        return PersonType.of(p)

    @strawberry.field(description="聘用单位")
    async def employer(self, info: strawberry.Info) -> EmployerType:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e)

    @strawberry.field(description="是否在职")
    def is_current(self) -> bool:
        return self.model.end_date is None


@strawberry.type(
    name="EmploymentInvitation",
    description=(
        "聘用邀请: an employer's invitation to the holder of an ID number, which starts an "
        "employment once the person accepts it or a reviewer of their province confirms "
        "it. To the employer it shows nothing about the person until they answer."
    ),
)
class EmploymentInvitationType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[EmploymentInvitation]

    @classmethod
    def of(cls, i: EmploymentInvitation) -> EmploymentInvitationType:
        assert i.id is not None
        return cls(id=i.id, model=i)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EmploymentInvitationType | None]:
        query = invitations.invitation_query(info.context.viewer, now=utcnow())
        return await visible_nodes(info, node_ids, EmploymentInvitation, query, cls.of)

    @strawberry.field(
        description=(
            "状态. An invitation nobody answers is PENDING until it expires, whether or "
            "not its number is registered."
        )
    )
    def status(self) -> InvitationStatusEnum:
        return invitations.effective_status(self.model, utcnow())

    @strawberry.field(description="聘用开始日期")
    def starts_on(self) -> date:
        return self.model.starts_on

    @strawberry.field(description="社保由该单位缴纳")
    def social_insurance(self) -> bool:
        return self.model.social_insurance

    @strawberry.field(description="发出日期 (Asia/Shanghai).")
    def sent_on(self) -> date | None:
        sent = self.model.created_at
        return sent.astimezone(SHANGHAI).date() if sent else None

    @strawberry.field(description="答复截止日期: the last day (Asia/Shanghai) to answer.")
    def expires_on(self) -> date:
        return invitations.last_day(self.model)

    @strawberry.field(description="答复时间 (accepted, confirmed or declined), if answered.")
    def responded_at(self) -> datetime | None:
        return self.model.responded_at

    @strawberry.field(description="发出邀请的聘用单位")
    async def employer(self, info: strawberry.Info) -> EmployerType:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e)

    @strawberry.field(
        description=(
            "受邀人员: for the person themself and reviewers or administrators over their "
            "region; null for the employer (and while the number is unregistered)."
        )
    )
    async def person(self, info: strawberry.Info) -> PersonType | None:
        if self.model.person_id is None:
            return None
        viewer = info.context.viewer
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        if p is None or not (viewer.person_id == p.id or person_in_reach(viewer, p)):
            return None
        return PersonType.of(p)

    @strawberry.field(description="The employment it started, once accepted or confirmed.")
    async def employment(self, info: strawberry.Info) -> EmploymentType | None:
        if self.model.employment_id is None:
            return None
        e = await info.context.get(Employment, self.model.employment_id)
        return EmploymentType.of(e) if e else None
