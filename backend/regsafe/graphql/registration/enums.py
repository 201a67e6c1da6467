"""GraphQL enums of the registration domain (the domain's own enums, exposed as-is)."""

from enum import StrEnum

import strawberry

from regsafe.ocr.documents import DocumentType
from regsafe.registration.errors import RegistrationErrorCode
from regsafe.registration.models import OcrStatus, RegistrationStatus, UploadStatus
from regsafe.registration.rules import (
    ApplicationKind,
    CheckResult,
    DeadlineStatus,
    DocumentKind,
    ReviewScope,
    Status,
)


class ReviewStage(StrEnum):
    PRELIMINARY = "PRELIMINARY"  # 初审
    FINAL = "FINAL"  # 终审


class ReviewDecision(StrEnum):
    RETURN = "RETURN"  # 退回补正
    PASS = "PASS"  # 初审通过，转终审
    APPROVE = "APPROVE"  # 终审准予注册
    REJECT = "REJECT"  # 不予注册


strawberry.enum(
    ApplicationKind,
    name="ApplicationKind",
    description=(
        "注册类型: INITIAL 初始, RENEWAL 延续, CHANGE 变更, REREGISTER 重新, "
        "LATE_INITIAL 逾期初始, CANCELLATION 注销, REISSUE 补证"
    ),
)
strawberry.enum(Status, name="ApplicationStatus", description="申请状态")
strawberry.enum(DocumentKind, name="DocumentKind", description="材料类型")
strawberry.enum(UploadStatus, name="UploadStatus", description="上传状态")
strawberry.enum(OcrStatus, name="OcrStatus", description="识别状态")
strawberry.enum(DocumentType, name="DocumentMediaType", description="文件真实类型（按内容识别）")
strawberry.enum(CheckResult, name="CheckResult", description="检查结果; UNAVAILABLE 不视为通过")
strawberry.enum(DeadlineStatus, name="DeadlineStatus", description="时限状态")
strawberry.enum(
    ReviewScope,
    name="ReviewScope",
    description="初审归属: PROVINCE 省级应急管理部门, MOHURD 住建部, MOT 交通运输部",
)
strawberry.enum(RegistrationStatus, name="RegistrationStatus", description="注册状态")
strawberry.enum(ReviewStage, name="ReviewStage", description="审核阶段: 初审 / 终审")
strawberry.enum(ReviewDecision, name="ReviewDecision", description="审核决定")
strawberry.enum(
    RegistrationErrorCode,
    name="RegistrationErrorCode",
    description="Why a registration mutation failed.",
)
