"""GraphQL enums of the certificates domain (the domain's own enums, exposed as-is)."""

import strawberry

from regsafe.certificates.canonical import IssueKind
from regsafe.certificates.errors import CertificateErrorCode
from regsafe.certificates.models import CertificateStatus
from regsafe.certificates.service import VerificationStatus
from regsafe.certificates.tasks import PdfStatus

strawberry.enum(
    IssueKind,
    name="CertificateKind",
    description="签发类型: ISSUED 初始/重新/逾期初始, RENEWED 延续, CHANGED 变更, REISSUED 补证",
)
strawberry.enum(
    CertificateStatus,
    name="CertificateStatus",
    description="证书状态: ACTIVE 有效, SUPERSEDED 已被取代, EXPIRED 已过期, REVOKED 已撤销, "
    "CANCELLED 已注销",
)
strawberry.enum(
    VerificationStatus,
    name="CertificateVerificationStatus",
    description="核验结论: VALID 有效, EXPIRED 已过期, REVOKED 已撤销, CANCELLED 已注销, "
    "SUPERSEDED 已被新证书取代, UNKNOWN 查无此证, TAMPERED 被篡改",
)
strawberry.enum(CertificateErrorCode, name="CertificateErrorCode", description="证书错误代码")
strawberry.enum(
    PdfStatus,
    name="CertificatePdfStatus",
    description="证书PDF生成状态: PENDING 生成中, READY 已生成, FAILED 生成失败",
)
