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
    # Plain attributes (basic fields), filled once in ``of``.
    model: strawberry.Private[PracticeEvidence]
    filename: str = strawberry.field(description="文件名")
    media_type: str = strawberry.field(
        description="Media type sniffed from the bytes (not the client's claim)."
    )
    size: int = strawberry.field(description="字节数")
    sha256: str = strawberry.field(description="SHA-256 of the bytes (hex).")

    @classmethod
    def of(cls, e: PracticeEvidence) -> PracticeEvidenceType:
        return cls(
            model=e, filename=e.filename, media_type=e.media_type, size=e.size, sha256=e.sha256
        )

    @strawberry.field(description="Short-lived download URL.")
    async def download_url(self, info: strawberry.Info) -> str | None:
        store = info.context.runtime.store
        if store is None:
            return None
        url: str = await store.presigned_get(self.model.object_key)
        return url


@strawberry.type(name="Evaluation", description="执业评价 (one version; versions never change).")
class EvaluationType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; the one resolver among
    # them is annotated (``strawberry.field(resolver=...)``) to keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[Evaluation]
    version_no: int = strawberry.field(
        description="版本号 (1 = the first evaluation; higher = corrections)."
    )
    supersedes_id: relay.GlobalID | None = strawberry.field(
        description="The version this one corrects, if any."
    )
    quality: int = strawberry.field(description="工作质量 1-5")
    timeliness: int = strawberry.field(description="及时性 1-5")
    compliance: int = strawberry.field(description="合规性 1-5")
    conduct: int = strawberry.field(description="职业操守 1-5")
    average: float = strawberry.field(description="平均分")
    comment: str = strawberry.field(description="评语")
    submitted_at: datetime = strawberry.field(description="评价时间")

    @classmethod
    def of(cls, e: Evaluation) -> EvaluationType:
        assert e.id is not None
        s = e.supersedes_id
        return cls(
            id=e.id,
            model=e,
            version_no=e.version_no,
            supersedes_id=relay.GlobalID("Evaluation", str(s)) if s is not None else None,
            quality=e.quality,
            timeliness=e.timeliness,
            compliance=e.compliance,
            conduct=e.conduct,
            average=(e.quality + e.timeliness + e.compliance + e.conduct) / 4,
            comment=e.comment,
            submitted_at=e.submitted_at,
            record_id=relay.GlobalID("PracticeRecord", str(e.record_id)),
        )

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

    async def _resolve_evaluator_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.evaluator_id)

    evaluator_name: str | None = strawberry.field(
        resolver=_resolve_evaluator_name, description="评价人"
    )
    record_id: relay.GlobalID = strawberry.field(description="The record evaluated.")


@strawberry.type(name="PracticeRecord", description="执业记录")
class PracticeRecordType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``; the resolvers among them
    # are annotated (``strawberry.field(resolver=...)``) to keep their places.
    id: relay.NodeID[int]
    model: strawberry.Private[PracticeRecord]
    person_id: relay.GlobalID = strawberry.field(description="人员")

    @classmethod
    def of(cls, r: PracticeRecord) -> PracticeRecordType:
        assert r.id is not None
        return cls(
            id=r.id,
            model=r,
            person_id=person_gid(r.person_id),
            client_name=r.client_name,
            client_credit_code=r.client_credit_code,
            kind=PracticeKind(r.kind),
            project=r.project,
            role=r.role,
            started_on=r.started_on,
            ended_on=r.ended_on,
            hazards_found=r.hazards_found,
            hazards_rectified=r.hazards_rectified,
            description=r.description,
            status=RecordStatus(r.status),
            version=r.version,
            submitted_at=r.submitted_at,
            decided_at=r.decided_at,
            rejection_reason=r.rejection_reason,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PracticeRecordType | None]:
        return await visible_nodes(
            info, node_ids, PracticeRecord, record_scope(info.context.viewer), cls.of
        )

    async def _resolve_person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    person_name: str = strawberry.field(resolver=_resolve_person_name, description="人员姓名")

    async def _resolve_employer_name(self, info: strawberry.Info) -> str:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return e.name if e else ""

    employer_name: str = strawberry.field(
        resolver=_resolve_employer_name, description="聘用单位名称"
    )
    client_name: str | None = strawberry.field(description="服务对象 (service agencies).")
    client_credit_code: str | None = strawberry.field(description="服务对象统一社会信用代码")
    kind: PracticeKind = strawberry.field(description="类型")
    project: str = strawberry.field(description="项目名称")
    role: str = strawberry.field(description="本人角色")
    started_on: date = strawberry.field(description="开始日期")
    ended_on: date = strawberry.field(description="结束日期")
    hazards_found: int | None = strawberry.field(description="发现隐患数")
    hazards_rectified: int | None = strawberry.field(description="已整改隐患数")
    description: str = strawberry.field(description="工作说明")
    status: RecordStatus = strawberry.field(description="状态")
    version: int = strawberry.field(description="版本 (pass as expectedVersion).")

    async def _resolve_project_lead_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.project_lead_id)

    project_lead_name: str | None = strawberry.field(
        resolver=_resolve_project_lead_name, description="项目负责人"
    )
    submitted_at: datetime | None = strawberry.field(description="提交时间")
    decided_at: datetime | None = strawberry.field(description="确认/退回时间")
    rejection_reason: str | None = strawberry.field(description="退回理由")

    @strawberry.field(description="证明材料")
    async def evidence(self, info: strawberry.Info) -> list[PracticeEvidenceType]:
        rows = await info.context.practice.evidence_by_record.load(self.id)
        return [PracticeEvidenceType.of(e) for e in rows]

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
    # Plain attributes (basic fields), filled once in ``of``.
    id: relay.NodeID[int]
    model: strawberry.Private[Dispute]
    status: DisputeStatus = strawberry.field(description="状态")
    reason: str = strawberry.field(description="异议理由")
    opened_at: datetime = strawberry.field(description="提出时间")
    decided_at: datetime | None = strawberry.field(description="处理时间")
    decision_note: str | None = strawberry.field(description="处理意见")

    @classmethod
    def of(cls, d: Dispute) -> DisputeType:
        assert d.id is not None
        return cls(
            id=d.id,
            model=d,
            status=DisputeStatus(d.status),
            reason=d.reason,
            opened_at=d.opened_at,
            decided_at=d.decided_at,
            decision_note=d.decision_note,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DisputeType | None]:
        return await visible_nodes(
            info, node_ids, Dispute, dispute_scope(info.context.viewer), cls.of
        )

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
    # Plain attributes (basic fields), filled once in ``of``; the resolvers among them
    # are annotated (``strawberry.field(resolver=...)``) to keep their places.
    id: relay.NodeID[int]
    model: strawberry.Private[CreditEventRow]
    person_id: relay.GlobalID = strawberry.field(description="人员")

    @classmethod
    def of(cls, e: CreditEventRow) -> CreditEventType:
        assert e.id is not None
        return cls(
            id=e.id,
            model=e,
            person_id=person_gid(e.person_id),
            kind=EventKind(e.kind),
            source=e.source,
            authority=e.authority,
            occurred_on=e.occurred_on,
            description=e.description,
            status=EventStatus(e.status),
            evidence_media_type=e.evidence_media_type,
            entered_role=e.entered_role,
            entered_at=e.created_at,
            withdraw_reason=e.withdraw_reason,
            evidence_sha256=e.evidence_sha256,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CreditEventType | None]:
        return await visible_nodes(
            info, node_ids, CreditEventRow, event_scope(info.context.viewer), cls.of
        )

    async def _resolve_person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    person_name: str = strawberry.field(resolver=_resolve_person_name, description="人员姓名")
    kind: EventKind = strawberry.field(description="类型")
    source: str = strawberry.field(description="来源 (文书编号等)")
    authority: str = strawberry.field(description="决定机关")
    occurred_on: date = strawberry.field(description="发生/决定日期")
    description: str = strawberry.field(description="说明")
    status: EventStatus = strawberry.field(description="状态")
    evidence_media_type: str | None = strawberry.field(description="证明材料类型 (by content).")

    async def _resolve_entered_by_name(self, info: strawberry.Info) -> str | None:
        return await _user_name(info, self.model.entered_by)

    entered_by_name: str | None = strawberry.field(
        resolver=_resolve_entered_by_name, description="登记人"
    )
    entered_role: str = strawberry.field(description="登记人当时的角色")
    entered_at: datetime | None = strawberry.field(description="登记时间")
    withdraw_reason: str | None = strawberry.field(description="撤销理由")
    evidence_sha256: str | None = strawberry.field(description="证明材料 SHA-256")

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
    # Plain attributes (basic fields), filled once in ``of`` (``current`` from the
    # ``today`` the caller passes); the one resolver among them is annotated
    # (``strawberry.field(resolver=...)``) to keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[BlacklistEntry]
    today: strawberry.Private[date]
    removal_opens: strawberry.Private[date]
    person_id: relay.GlobalID = strawberry.field(description="人员")

    @classmethod
    def of(cls, e: BlacklistEntry, today: date, removal_opens: date) -> BlacklistEntryType:
        assert e.id is not None
        return cls(
            id=e.id,
            model=e,
            today=today,
            removal_opens=removal_opens,
            person_id=person_gid(e.person_id),
            grounds=e.grounds,
            decision_ref=e.decision_ref,
            authority=e.authority,
            listed_on=e.listed_on,
            expires_on=e.expires_on,
            removal_opens_on=removal_opens,
            current=e.removed_at is None and e.listed_on <= today < e.expires_on,
            removal_requested_at=e.removal_requested_at,
            removal_request_note=e.removal_request_note,
            removed_at=e.removed_at,
            removal_reason=e.removal_reason,
        )

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

    async def _resolve_person_name(self, info: strawberry.Info) -> str:
        return await _person_name(info, self.model.person_id)

    person_name: str = strawberry.field(resolver=_resolve_person_name, description="人员姓名")
    grounds: str = strawberry.field(description="列入事由")
    decision_ref: str = strawberry.field(description="决定文书编号")
    authority: str = strawberry.field(description="决定机关")
    listed_on: date = strawberry.field(description="列入日期")
    expires_on: date = strawberry.field(description="届满日期 (policy: 3 years after listing).")
    removal_opens_on: date = strawberry.field(
        description="可申请移出的日期 (policy: 12 months after listing)."
    )
    current: bool = strawberry.field(description="Whether the entry is in force today.")
    removal_requested_at: datetime | None = strawberry.field(description="申请移出时间")
    removal_request_note: str | None = strawberry.field(description="申请理由")
    removed_at: datetime | None = strawberry.field(description="移出时间")
    removal_reason: str | None = strawberry.field(description="移出理由")


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
