"""Input types of the registration domain."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from regsafe.identity.models import Education, Specialty
from regsafe.registration.rules import ApplicationKind, DeadlineStatus

from . import enums as _enums  # noqa: F401  (registers the enums with strawberry)


@strawberry.input(description="注册申请表: what the registrant types.")
class ApplicationFormInput:
    qualification_number: str | None = strawberry.field(
        default=None, description="资格证书管理号/编号"
    )
    qualification_date: date | None = strawberry.field(default=None, description="资格取得日期")
    education: Education | None = strawberry.field(default=None, description="学历")
    school: str | None = strawberry.field(default=None, description="毕业院校")
    major: str | None = strawberry.field(default=None, description="所学专业")
    diploma_number: str | None = strawberry.field(default=None, description="学历证书编号")
    identity_note: str | None = strawberry.field(
        default=None,
        description=(
            "身份证件不一致说明: why the uploaded ID card's name or number differs from the "
            "applicant (e.g. misread); without it such an application cannot be submitted."
        ),
    )


@strawberry.input(description="A new application (saved as a draft).")
class ApplicationCreateInput:
    kind: ApplicationKind = strawberry.field(description="注册类型")
    specialty: Specialty = strawberry.field(description="申请专业类别")
    employer_id: relay.GlobalID = strawberry.field(description="聘用单位")
    form: ApplicationFormInput | None = strawberry.field(default=None, description="申请表")


@strawberry.input(description="Changes to a draft or returned application.")
class ApplicationUpdateInput:
    form: ApplicationFormInput = strawberry.field(description="申请表 (replaces the stored one)")
    specialty: Specialty | None = strawberry.field(default=None, description="申请专业类别")
    employer_id: relay.GlobalID | None = strawberry.field(default=None, description="聘用单位")


@strawberry.input(description="Filters of a review queue; all given filters must match.")
class ReviewQueueFilter:
    kind: ApplicationKind | None = strawberry.field(default=None, description="注册类型")
    specialty: Specialty | None = strawberry.field(default=None, description="专业类别")
    province_code: str | None = strawberry.field(
        default=None, description="受理省份 (6-digit province code, e.g. 440000)"
    )
    deadline: DeadlineStatus | None = strawberry.field(default=None, description="时限状态")
    assigned_to_me: bool | None = strawberry.field(
        default=None, description="true: only cases I claimed; false: only unclaimed."
    )


@strawberry.input(description="A confirmed or corrected OCR field.")
class FieldValueInput:
    name: str = strawberry.field(description="Field name as in ocrFields.")
    value: str = strawberry.field(description="The value the registrant confirms.")
