"""GraphQL types of the practice domain: records, evidence, evaluations, credit events,
disputes, blacklist entries and the explainable credit score."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from sqlmodel import col
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.graphql.core.relay import visible_nodes
from regsafe.practice.errors import PracticeErrorCode
from regsafe.practice.models import (
    BlacklistEntry,
    CreditEventRow,
    Dispute,
    DisputeStatus,
    Evaluation,
    EventStatus,
    PracticeEvidence,
    PracticeKind,
    PracticeRecord,
    RecordStatus,
)
from regsafe.practice.rules import EventKind, Factor, Grade, GradePolicy
from regsafe.practice.scopes import (
    blacklist_scope,
    dispute_scope,
    event_scope,
    record_scope,
)

from . import enums as _enums  # noqa: F401  (registers the enums with strawberry)
from .enums import SourceKind

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


@strawberry.type(description="A problem with the input that the user can fix (输入错误).")
class PracticeError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: PracticeErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


# The row rules live in practice/scopes.py (re-exported here for callers).


def person_gid(pk: int) -> relay.GlobalID:
    return relay.GlobalID("Person", str(pk))


async def _person_name(info: strawberry.Info, person_id: int) -> str:
    p = await info.context.identity.person_by_id.load(person_id)
    return p.name if p else ""


async def _user_name(info: strawberry.Info, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    name: str | None = await info.context.practice.user_name_by_id.load(user_id)
    return name


# --- Records ----------------------------------------------------------------------------


@strawberry.type(name="PracticeEvidence", description="执业记录证明材料")
class PracticeEvidenceType:
    model: strawberry.Private[PracticeEvidence]

    @strawberry.field(description="文件名")
    def filename(self) -> str:
        return self.model.filename

    @strawberry.field(description="Media type sniffed from the bytes (not the client's claim).")
    def media_type(self) -> str:
        return self.model.media_type

    @strawberry.field(description="字节数")
    def size(self) -> int:
        return self.model.size

    @strawberry.field(description="SHA-256 of the bytes (hex).")
    def sha256(self) -> str:
        return self.model.sha256

    @strawberry.field(description="Short-lived download URL.")
    async def download_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if store is None:
            return None
        url: str = await store.presigned_get(self.model.object_key)
        return url


@strawberry.type(name="Evaluation", description="执业评价 (one version; versions never change).")
class EvaluationType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Evaluation]

    @classmethod
    def of(cls, e: Evaluation) -> EvaluationType:
        assert e.id is not None
        return cls(id=e.id, model=e)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EvaluationType | None]:
        return await visible_nodes(
            info,
            node_ids,
            Evaluation,
            record_scope(info.context.viewer),
            cls.of,
            join=[(PracticeRecord, col(PracticeRecord.id) == col(Evaluation.record_id))],
        )

    @strawberry.field(description="版本号 (1 = the first evaluation; higher = corrections).")
    def version_no(self) -> int:
        return self.model.version_no

    @strawberry.field(description="The version this one corrects, if any.")
    def supersedes_id(self) -> relay.GlobalID | None:
        s = self.model.supersedes_id
        return relay.GlobalID("Evaluation", str(s)) if s is not None else None

    @strawberry.field(description="工作质量 1-5")
    def quality(self) -> int:
        return self.model.quality

    @strawberry.field(description="及时性 1-5")
    def timeliness(self) -> int:
        return self.model.timeliness

    @strawberry.field(description="合规性 1-5")
    def compliance(self) -> int:
        return self.model.compliance

    @strawberry.field(description="职业操守 1-5")
    def conduct(self) -> int:
        return self.model.conduct

    @strawberry.field(description="平均分")
    def average(self) -> float:
        m = self.model
        return (m.quality + m.timeliness + m.compliance + m.conduct) / 4

    @strawberry.field(description="评语")
    def comment(self) -> str:
        return self.model.comment

    @strawberry.field(description="评价时间")
    def submitted_at(self) -> datetime:
        return self.model.submitted_at

    @strawberry.field(description="评价人")
    async def evaluator_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.evaluator_id)

    @strawberry.field(description="The record evaluated.")
    def record_id(self) -> relay.GlobalID:
        return relay.GlobalID("PracticeRecord", str(self.model.record_id))


@strawberry.type(name="PracticeRecord", description="执业记录")
class PracticeRecordType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[PracticeRecord]

    @classmethod
    def of(cls, r: PracticeRecord) -> PracticeRecordType:
        assert r.id is not None
        return cls(id=r.id, model=r)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PracticeRecordType | None]:
        return await visible_nodes(
            info, node_ids, PracticeRecord, record_scope(info.context.viewer), cls.of
        )

    @strawberry.field(description="人员")
    def person_id(self) -> relay.GlobalID:
        return person_gid(self.model.person_id)

    @strawberry.field(description="人员姓名")
    async def person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    @strawberry.field(description="聘用单位名称")
    async def employer_name(self, info: strawberry.Info) -> str:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return e.name if e else ""

    @strawberry.field(description="服务对象 (service agencies).")
    def client_name(self) -> str | None:
        return self.model.client_name

    @strawberry.field(description="服务对象统一社会信用代码")
    def client_credit_code(self) -> str | None:
        return self.model.client_credit_code

    @strawberry.field(description="类型")
    def kind(self) -> PracticeKind:
        return PracticeKind(self.model.kind)

    @strawberry.field(description="项目名称")
    def project(self) -> str:
        return self.model.project

    @strawberry.field(description="本人角色")
    def role(self) -> str:
        return self.model.role

    @strawberry.field(description="开始日期")
    def started_on(self) -> date:
        return self.model.started_on

    @strawberry.field(description="结束日期")
    def ended_on(self) -> date:
        return self.model.ended_on

    @strawberry.field(description="发现隐患数")
    def hazards_found(self) -> int | None:
        return self.model.hazards_found

    @strawberry.field(description="已整改隐患数")
    def hazards_rectified(self) -> int | None:
        return self.model.hazards_rectified

    @strawberry.field(description="工作说明")
    def description(self) -> str:
        return self.model.description

    @strawberry.field(description="状态")
    def status(self) -> RecordStatus:
        return RecordStatus(self.model.status)

    @strawberry.field(description="版本 (pass as expectedVersion).")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="项目负责人")
    async def project_lead_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.project_lead_id)

    @strawberry.field(description="提交时间")
    def submitted_at(self) -> datetime | None:
        return self.model.submitted_at

    @strawberry.field(description="确认/退回时间")
    def decided_at(self) -> datetime | None:
        return self.model.decided_at

    @strawberry.field(description="退回理由")
    def rejection_reason(self) -> str | None:
        return self.model.rejection_reason

    @strawberry.field(description="证明材料")
    async def evidence(self, info: strawberry.Info) -> list[PracticeEvidenceType]:
        rows = await info.context.practice.evidence_by_record.load(self.id)
        return [PracticeEvidenceType(model=e) for e in rows]

    @strawberry.field(description="评价的全部版本 (oldest first; the last one counts).")
    async def evaluations(self, info: strawberry.Info) -> list[EvaluationType]:
        rows = await info.context.practice.evaluations_by_record.load(self.id)
        return [EvaluationType.of(e) for e in rows]

    @strawberry.field(description="当前有效的评价 (the latest version), if any.")
    async def evaluation(self, info: strawberry.Info) -> EvaluationType | None:
        rows = await info.context.practice.evaluations_by_record.load(self.id)
        return EvaluationType.of(rows[-1]) if rows else None


# --- Credit events, disputes, the blacklist --------------------------------------------


@strawberry.type(name="CreditDispute", description="异议")
class DisputeType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Dispute]

    @classmethod
    def of(cls, d: Dispute) -> DisputeType:
        assert d.id is not None
        return cls(id=d.id, model=d)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DisputeType | None]:
        return await visible_nodes(
            info, node_ids, Dispute, dispute_scope(info.context.viewer), cls.of
        )

    @strawberry.field(description="状态")
    def status(self) -> DisputeStatus:
        return DisputeStatus(self.model.status)

    @strawberry.field(description="异议理由")
    def reason(self) -> str:
        return self.model.reason

    @strawberry.field(description="提出时间")
    def opened_at(self) -> datetime:
        return self.model.opened_at

    @strawberry.field(description="处理时间")
    def decided_at(self) -> datetime | None:
        return self.model.decided_at

    @strawberry.field(description="处理意见")
    def decision_note(self) -> str | None:
        return self.model.decision_note

    @strawberry.field(description="处理人")
    async def decided_by_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.decided_by)

    @strawberry.field(description="人员姓名")
    async def person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    @strawberry.field(description="The event disputed.")
    async def event(self, info: strawberry.Info) -> CreditEventType | None:
        e = await info.context.practice.event_by_id.load(self.model.event_id)
        return CreditEventType.of(e) if e else None


@strawberry.type(name="CreditEvent", description="信用事件")
class CreditEventType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[CreditEventRow]

    @classmethod
    def of(cls, e: CreditEventRow) -> CreditEventType:
        assert e.id is not None
        return cls(id=e.id, model=e)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CreditEventType | None]:
        return await visible_nodes(
            info, node_ids, CreditEventRow, event_scope(info.context.viewer), cls.of
        )

    @strawberry.field(description="人员")
    def person_id(self) -> relay.GlobalID:
        return person_gid(self.model.person_id)

    @strawberry.field(description="人员姓名")
    async def person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    @strawberry.field(description="类型")
    def kind(self) -> EventKind:
        return EventKind(self.model.kind)

    @strawberry.field(description="来源 (文书编号等)")
    def source(self) -> str:
        return self.model.source

    @strawberry.field(description="决定机关")
    def authority(self) -> str:
        return self.model.authority

    @strawberry.field(description="发生/决定日期")
    def occurred_on(self) -> date:
        return self.model.occurred_on

    @strawberry.field(description="说明")
    def description(self) -> str:
        return self.model.description

    @strawberry.field(description="状态")
    def status(self) -> EventStatus:
        return EventStatus(self.model.status)

    @strawberry.field(description="证明材料类型 (by content).")
    def evidence_media_type(self) -> str | None:
        return self.model.evidence_media_type

    @strawberry.field(description="登记人")
    async def entered_by_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.entered_by)

    @strawberry.field(description="登记人当时的角色")
    def entered_role(self) -> str:
        return self.model.entered_role

    @strawberry.field(description="登记时间")
    def entered_at(self) -> datetime | None:
        return self.model.created_at

    @strawberry.field(description="撤销理由")
    def withdraw_reason(self) -> str | None:
        return self.model.withdraw_reason

    @strawberry.field(description="证明材料 SHA-256")
    def evidence_sha256(self) -> str | None:
        return self.model.evidence_sha256

    @strawberry.field(description="证明材料下载地址")
    async def evidence_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if self.model.evidence_key is None or store is None:
            return None
        url: str = await store.presigned_get(self.model.evidence_key)
        return url

    @strawberry.field(description="异议 (oldest first).")
    async def disputes(self, info: strawberry.Info) -> list[DisputeType]:
        rows = await info.context.practice.disputes_by_event.load(self.id)
        return [DisputeType.of(d) for d in rows]


@strawberry.type(name="BlacklistEntry", description="安全生产严重失信主体名单记录")
class BlacklistEntryType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[BlacklistEntry]
    today: strawberry.Private[date]
    removal_opens: strawberry.Private[date]

    @classmethod
    def of(cls, e: BlacklistEntry, today: date, removal_opens: date) -> BlacklistEntryType:
        assert e.id is not None
        return cls(id=e.id, model=e, today=today, removal_opens=removal_opens)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[BlacklistEntryType | None]:
        from regsafe.core.clock import today_shanghai
        from regsafe.practice.service import PracticePolicy

        policy = PracticePolicy.from_settings(info.context.settings).blacklist
        today = today_shanghai()
        return await visible_nodes(
            info,
            node_ids,
            BlacklistEntry,
            blacklist_scope(info.context.viewer),
            lambda e: cls.of(e, today, policy.removal_opens_on(e.listed_on)),
        )

    @strawberry.field(description="人员")
    def person_id(self) -> relay.GlobalID:
        return person_gid(self.model.person_id)

    @strawberry.field(description="人员姓名")
    async def person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    @strawberry.field(description="列入事由")
    def grounds(self) -> str:
        return self.model.grounds

    @strawberry.field(description="决定文书编号")
    def decision_ref(self) -> str:
        return self.model.decision_ref

    @strawberry.field(description="决定机关")
    def authority(self) -> str:
        return self.model.authority

    @strawberry.field(description="列入日期")
    def listed_on(self) -> date:
        return self.model.listed_on

    @strawberry.field(description="届满日期 (policy: 3 years after listing).")
    def expires_on(self) -> date:
        return self.model.expires_on

    @strawberry.field(description="可申请移出的日期 (policy: 12 months after listing).")
    def removal_opens_on(self) -> date:
        return self.removal_opens

    @strawberry.field(description="Whether the entry is in force today.")
    def current(self) -> bool:
        m = self.model
        return m.removed_at is None and m.listed_on <= self.today < m.expires_on

    @strawberry.field(description="申请移出时间")
    def removal_requested_at(self) -> datetime | None:
        return self.model.removal_requested_at

    @strawberry.field(description="申请理由")
    def removal_request_note(self) -> str | None:
        return self.model.removal_request_note

    @strawberry.field(description="移出时间")
    def removed_at(self) -> datetime | None:
        return self.model.removed_at

    @strawberry.field(description="移出理由")
    def removal_reason(self) -> str | None:
        return self.model.removal_reason


# --- The credit score -------------------------------------------------------------------

_SOURCE_KINDS = {
    "record": (SourceKind.PRACTICE_RECORD, "PracticeRecord"),
    "evaluation": (SourceKind.EVALUATION, "Evaluation"),
    "event": (SourceKind.CREDIT_EVENT, "CreditEvent"),
    "registration": (SourceKind.REGISTRATION, "Registration"),
}


@strawberry.type(description="Where a contribution comes from (评分依据).")
class ContributionSource:
    kind: SourceKind = strawberry.field(description="来源类型")
    id: relay.GlobalID | None = strawberry.field(
        description="The record, evaluation, event or registration (null for the base)."
    )
    description: str = strawberry.field(description="说明 (Chinese).")


@strawberry.type(description="One part of the score (评分构成).")
class Contribution:
    factor: Factor = strawberry.field(description="评分因素")
    points: float = strawberry.field(description="分值 (before the 0-1000 clamp).")
    source: ContributionSource = strawberry.field(description="来源")

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Contribution:
        ref = raw.get("source")
        kind, gid = SourceKind.BASE, None
        if ref:
            prefix, _, pk = str(ref).partition(":")
            kind, type_name = _SOURCE_KINDS[prefix]
            gid = relay.GlobalID(type_name, pk)
        return cls(
            factor=Factor(raw["factor"]),
            points=float(raw["points"]),
            source=ContributionSource(kind=kind, id=gid, description=raw["explanation"]),
        )


@strawberry.type(name="CreditScore", description="信用分 (explainable; model in docs).")
class CreditScoreType:
    value: int = strawberry.field(description="分值 0-1000")
    grade: Grade = strawberry.field(description="等级")
    provincial_colour: str = strawberry.field(description="省级颜色等级 蓝/黄/橙/红")
    model_version: str = strawberry.field(description="模型版本")
    computed_at: datetime = strawberry.field(description="计算时间")
    contributions: list[Contribution] = strawberry.field(
        description="评分构成: each part with its source; they add up to the unclamped value."
    )

    @classmethod
    def of(cls, row: Any, grades: GradePolicy) -> CreditScoreType:
        grade = Grade(row.grade)
        return cls(
            value=row.value,
            grade=grade,
            provincial_colour=grades.colour_of(grade),
            model_version=row.model_version,
            computed_at=row.computed_at,
            contributions=[Contribution.of(c) for c in row.contributions],
        )


@strawberry.type(
    name="CreditGradeSummary",
    description=(
        "信用等级 without the details: the grade of the explainable score (信用分) and its "
        "provincial colour, for those who may see the person but not the score."
    ),
)
class CreditGradeType:
    grade: Grade = strawberry.field(description="等级")
    provincial_colour: str = strawberry.field(description="省级颜色等级 蓝/黄/橙/红")
    computed_at: datetime = strawberry.field(description="计算时间")

    @classmethod
    def of(cls, row: Any, grades: GradePolicy) -> CreditGradeType:
        grade = Grade(row.grade)
        return cls(
            grade=grade, provincial_colour=grades.colour_of(grade), computed_at=row.computed_at
        )


__all__ = [
    "BlacklistEntryType",
    "Contribution",
    "CreditEventType",
    "CreditGradeType",
    "CreditScoreType",
    "DisputeType",
    "EvaluationType",
    "EventStatus",
    "PracticeError",
    "PracticeRecordType",
    "RecordStatus",
]
