"""Input types of the identity domain."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.relay import node_pk
from regsafe.identity.service import PersonFilter

from .enums import EducationEnum, EmployerKindEnum, InvitationStatusEnum, SpecialtyEnum


@strawberry.input(description="Filters for persons; all given filters must match.")
class PersonFilterInput:
    name_prefix: str | None = strawberry.field(default=None, description="姓名前缀")
    id_number: str | None = strawberry.field(
        default=None, description="身份证号码, exact (looked up by blind index, never by scan)."
    )
    region_code: str | None = strawberry.field(
        default=None, description="行政区划: 440000 = the province, 440300 = the city."
    )
    specialty: SpecialtyEnum | None = strawberry.field(default=None, description="专业类别")
    employer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Currently employed by this employer."
    )


def person_filter(f: PersonFilterInput | None) -> PersonFilter:
    """The domain filter of ``persons(filter:)`` (the resolver and its compiled plan)."""
    f = f or PersonFilterInput()
    employer_id = node_pk(f.employer_id, "Employer")
    if f.employer_id is not None and employer_id is None:
        raise BadUserInput("employerId 不是单位ID", "INVALID_ID")
    return PersonFilter(
        name_prefix=f.name_prefix,
        id_number=f.id_number,
        region_code=f.region_code,
        specialty=f.specialty,
        employer_id=employer_id,
    )


@strawberry.input(description="Filters for employers; all given filters must match.")
class EmployerFilterInput:
    name_prefix: str | None = strawberry.field(default=None, description="单位名称前缀")
    credit_code: str | None = strawberry.field(default=None, description="统一社会信用代码, exact.")
    region_code: str | None = strawberry.field(default=None, description="行政区划 prefix code.")
    kind: EmployerKindEnum | None = strawberry.field(default=None, description="单位类型")


@strawberry.input(description="A new person (人员登记).")
class PersonCreateInput:
    name: str = strawberry.field(description="姓名")
    id_number: str = strawberry.field(description="18-character resident ID number.")
    region_code: str = strawberry.field(description="行政区划代码 (6 digits).")
    phone: str | None = strawberry.field(default=None, description="Mainland mobile number.")
    education: EducationEnum | None = strawberry.field(default=None, description="学历")
    specialty: SpecialtyEnum | None = strawberry.field(default=None, description="资格专业类别")


@strawberry.input(description="Changes to a person; omitted fields stay as they are.")
class PersonUpdateInput:
    name: str | None = strawberry.field(default=None, description="姓名 (managers only).")
    region_code: str | None = strawberry.field(
        default=None, description="行政区划 (managers only)."
    )
    phone: str | None = strawberry.field(default=None, description='"" removes the phone number.')
    education: EducationEnum | None = strawberry.field(default=None, description="学历")
    specialty: SpecialtyEnum | None = strawberry.field(
        default=None, description="资格专业类别 (managers only)."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="Fail with STALE_VERSION if the record changed meanwhile."
    )


@strawberry.input(description="A new employer (单位登记).")
class EmployerCreateInput:
    name: str = strawberry.field(description="单位名称")
    credit_code: str = strawberry.field(description="统一社会信用代码 (18 characters).")
    kind: EmployerKindEnum = strawberry.field(description="单位类型")
    industry: str = strawberry.field(description="GB/T 4754 section letter A-T.")
    region_code: str | None = strawberry.field(
        default=None, description="Defaults to the area code inside the credit code."
    )
    accept_checksum_warning: bool = strawberry.field(
        default=False,
        description="Reviewers only: save although the credit code's check character fails.",
    )


@strawberry.input(description="Changes to an employer; omitted fields stay as they are.")
class EmployerUpdateInput:
    name: str | None = strawberry.field(default=None, description="单位名称")
    kind: EmployerKindEnum | None = strawberry.field(default=None, description="单位类型")
    industry: str | None = strawberry.field(default=None, description="行业门类 A-T")
    region_code: str | None = strawberry.field(default=None, description="行政区划代码")
    expected_version: int | None = strawberry.field(
        default=None, description="Fail with STALE_VERSION if the record changed meanwhile."
    )


@strawberry.input(
    description=(
        "Start an employment directly (登记聘用): administrators, and provincial reviewers "
        "in their province. Employers invite instead (employmentInvite)."
    )
)
class EmploymentStartInput:
    person_id: relay.GlobalID = strawberry.field(
        description="The person to employ (one you can already see)."
    )
    employer_id: relay.GlobalID = strawberry.field(description="The employing unit.")
    start_date: date = strawberry.field(description="聘用开始日期")
    social_insurance: bool = strawberry.field(default=True, description="社保由该单位缴纳")


@strawberry.input(description="An invitation to employ the holder of an ID number (聘用邀请).")
class EmploymentInviteInput:
    id_number: str = strawberry.field(
        description=(
            "The candidate's full 身份证号码, from their ID card. The answer is the same "
            "whether or not the number is registered or employed elsewhere; it is kept "
            "only as a blind index."
        )
    )
    starts_on: date = strawberry.field(description="聘用开始日期 (not after today).")
    social_insurance: bool = strawberry.field(default=True, description="社保由该单位缴纳")


@strawberry.input(description="Filters for employment invitations.")
class EmploymentInvitationFilterInput:
    status: InvitationStatusEnum | None = strawberry.field(
        default=None, description="Only invitations in this status (EXPIRED once unanswered)."
    )
