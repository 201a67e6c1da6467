"""GraphQL enums of the practice domain (the domain's own enums)."""

from enum import StrEnum

import strawberry

from regsafe.practice.errors import PracticeErrorCode
from regsafe.practice.models import DisputeStatus, EventStatus, PracticeKind, RecordStatus
from regsafe.practice.rules import EventKind, Factor, Grade


class SourceKind(StrEnum):
    """What a score contribution comes from."""

    BASE = "BASE"
    PRACTICE_RECORD = "PRACTICE_RECORD"
    EVALUATION = "EVALUATION"
    CREDIT_EVENT = "CREDIT_EVENT"
    REGISTRATION = "REGISTRATION"  # the continuing-education requirement of its cycle


strawberry.enum(
    PracticeKind,
    name="PracticeKind",
    description=(
        "执业活动类型: 隐患排查 / 事故调查 / 风险评估 / 安全评价 / 应急演练 / 安全培训 / 其他"
    ),
)
strawberry.enum(
    RecordStatus,
    name="PracticeRecordStatus",
    description="执业记录状态: 草稿 / 已提交（待确认） / 已确认 / 不予确认",
)
strawberry.enum(EventStatus, name="CreditEventStatus", description="信用事件状态: 有效 / 已撤销")
strawberry.enum(
    DisputeStatus,
    name="DisputeStatus",
    description="异议状态: 待处理 / 异议成立（事件不计分） / 异议不成立",
)
strawberry.enum(
    EventKind,
    name="CreditEventKind",
    description=(
        "信用事件类型: 表彰奖励, 获奖, 行政处罚, 出具虚假报告, 挂证/挂靠, 未完成继续教育, 投诉属实"
    ),
)
strawberry.enum(Grade, name="CreditGrade", description="信用等级 A/B/C/D (policy floors).")
strawberry.enum(
    Factor,
    name="CreditFactor",
    description="评分因素: 基础分 / 执业评价 / 执业活动 / 继续教育 / 信用事件",
)
strawberry.enum(SourceKind, name="CreditSourceKind", description="评分来源的类型")
strawberry.enum(
    PracticeErrorCode, name="PracticeErrorCode", description="Why a practice mutation failed."
)
