"""GraphQL enums of the identity domain (the domain's own enums, exposed as-is)."""

import strawberry

from regsafe.identity.errors import IdentityErrorCode
from regsafe.identity.models import (
    Education,
    EmployerKind,
    IdentityStatus,
    InvitationStatus,
    Specialty,
)
from regsafe.identity.rules import Gender

GenderEnum = Gender
strawberry.enum(Gender, name="Gender", description="性别 (from the ID number)")
EducationEnum = Education
strawberry.enum(Education, name="Education", description="学历")
SpecialtyEnum = Specialty
strawberry.enum(Specialty, name="Specialty", description="专业类别")
EmployerKindEnum = EmployerKind
strawberry.enum(
    EmployerKind,
    name="EmployerKind",
    description="单位类型: PRODUCTION_UNIT 生产经营单位, SERVICE_AGENCY 安全生产专业服务机构",
)
IdentityStatusEnum = IdentityStatus
strawberry.enum(IdentityStatus, name="IdentityStatus", description="身份核验状态")
IdentityErrorCodeEnum = IdentityErrorCode
strawberry.enum(
    IdentityErrorCode, name="IdentityErrorCode", description="Why an identity mutation failed."
)
InvitationStatusEnum = InvitationStatus
strawberry.enum(
    InvitationStatus,
    name="EmploymentInvitationStatus",
    description=(
        "聘用邀请状态: PENDING 待确认, ACCEPTED 本人已确认, CONFIRMED 审核人员代为确认, "
        "DECLINED 本人已拒绝, EXPIRED 已过期"
    ),
)
