"""GraphQL enums of the continuing-education domain (the domain's own enums)."""

import strawberry

from regsafe.education.errors import EducationErrorCode
from regsafe.education.imports import ImportErrorCode
from regsafe.education.models import (
    AttemptStatus,
    CourseStatus,
    EnrolmentStatus,
    HourSource,
    HourStatus,
    QuestionKind,
    SubjectKind,
    TranscriptStatus,
    UnitKind,
)
from regsafe.education.rules import Outlook

strawberry.enum(
    SubjectKind, name="SubjectKind", description="科目类型: GENERAL 公需, PROFESSIONAL 专业"
)
strawberry.enum(CourseStatus, name="CourseStatus", description="课程状态: 草稿 / 已发布 / 已结课")
strawberry.enum(UnitKind, name="UnitKind", description="单元类型: 视频 / 文档 / 直播")
strawberry.enum(QuestionKind, name="QuestionKind", description="题型: 单选 / 多选 / 判断")
strawberry.enum(EnrolmentStatus, name="EnrolmentStatus", description="学习状态")
strawberry.enum(
    AttemptStatus, name="AttemptStatus", description="考试状态 (EXPIRED: 超时，按已保存答案评分)"
)
strawberry.enum(
    HourSource, name="HourSource", description="学时来源: 平台课程 / 外部导入 / 个人申报"
)
strawberry.enum(HourStatus, name="HourStatus", description="学时状态: 已认定 / 待审核 / 不予认可")
strawberry.enum(TranscriptStatus, name="TranscriptStatus", description="学时证明生成状态")
strawberry.enum(
    Outlook,
    name="RequirementOutlook",
    description=(
        "按当前进度的预测: MET 已达到, ON_TRACK 可按期完成, AT_RISK 按当前进度无法按期完成, "
        "NO_PROGRESS 尚无学时, ENDED_SHORT 周期已结束且未达到"
    ),
)
strawberry.enum(
    EducationErrorCode, name="EducationErrorCode", description="Why an education mutation failed."
)
strawberry.enum(
    ImportErrorCode, name="ImportErrorCode", description="Why a row of an hours import was refused."
)
