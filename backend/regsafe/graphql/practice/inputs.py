"""GraphQL inputs of the practice domain."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from regsafe.practice.models import DisputeStatus, EventStatus, PracticeKind, RecordStatus
from regsafe.practice.rules import EventKind

from . import enums as _enums  # noqa: F401


@strawberry.input(description="执业记录 (create or update).")
class PracticeRecordInput:
    kind: PracticeKind = strawberry.field(description="执业活动类型")
    project: str = strawberry.field(description="项目名称")
    role: str = strawberry.field(description="本人在项目中的角色")
    started_on: date = strawberry.field(description="开始日期 (inside the registration).")
    ended_on: date = strawberry.field(description="结束日期 (inside the registration).")
    description: str = strawberry.field(default="", description="工作说明")
    hazards_found: int | None = strawberry.field(default=None, description="发现隐患数")
    hazards_rectified: int | None = strawberry.field(default=None, description="已整改隐患数")
    employer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="聘用单位 (if given, must be the registered employer)."
    )
    client_name: str | None = strawberry.field(
        default=None, description="服务对象 (required for service agencies)."
    )
    client_credit_code: str | None = strawberry.field(
        default=None, description="服务对象的统一社会信用代码 (required for service agencies)."
    )
    project_lead_id: relay.GlobalID | None = strawberry.field(
        default=None, description="项目负责人 (a User who may confirm and evaluate)."
    )


@strawberry.input(description="Four dimensions, 1-5 each (评价维度).")
class ScoresInput:
    quality: int = strawberry.field(description="工作质量 1-5")
    timeliness: int = strawberry.field(description="及时性 1-5")
    compliance: int = strawberry.field(description="合规性 1-5")
    conduct: int = strawberry.field(description="职业操守 1-5")


@strawberry.input(description="信用事件")
class CreditEventInput:
    person_id: relay.GlobalID = strawberry.field(description="The person concerned.")
    kind: EventKind = strawberry.field(description="事件类型")
    source: str = strawberry.field(description="来源 (e.g. 处罚决定书文号).")
    authority: str = strawberry.field(description="决定机关 (required).")
    occurred_on: date = strawberry.field(description="发生/决定日期")
    description: str = strawberry.field(default="", description="说明")
    evidence_upload_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "证明材料: an UploadSlot of creditEvidenceUploadRequest, CONFIRMED by uploadConfirm "
            "(one event uses it up)."
        ),
    )


@strawberry.input(description="列入失信名单")
class BlacklistEntryInput:
    person_id: relay.GlobalID = strawberry.field(description="The person listed.")
    grounds: str = strawberry.field(description="列入事由")
    decision_ref: str = strawberry.field(description="决定文书编号")
    authority: str = strawberry.field(description="决定机关")
    listed_on: date = strawberry.field(description="列入日期 (the period runs from it).")


@strawberry.input(description="Filter of practiceRecords.")
class PracticeRecordFilter:
    person_id: relay.GlobalID | None = strawberry.field(default=None, description="人员")
    status: RecordStatus | None = strawberry.field(default=None, description="状态")
    kind: PracticeKind | None = strawberry.field(default=None, description="类型")
    ended_from: date | None = strawberry.field(default=None, description="结束日期起")
    ended_to: date | None = strawberry.field(default=None, description="结束日期止")


@strawberry.input(description="Filter of creditEvents.")
class CreditEventFilter:
    person_id: relay.GlobalID | None = strawberry.field(default=None, description="人员")
    status: EventStatus | None = strawberry.field(default=None, description="状态")
    kind: EventKind | None = strawberry.field(default=None, description="类型")


@strawberry.input(description="Filter of creditDisputes.")
class DisputeFilter:
    status: DisputeStatus | None = strawberry.field(default=None, description="状态")
    person_id: relay.GlobalID | None = strawberry.field(default=None, description="人员")


@strawberry.input(description="Filter of blacklist.")
class BlacklistFilter:
    person_id: relay.GlobalID | None = strawberry.field(default=None, description="人员")
    current: bool | None = strawberry.field(
        default=None, description="true: only entries in force today; false: only ended ones."
    )
    removal_requested: bool | None = strawberry.field(
        default=None, description="true: removal requested and not yet decided."
    )
