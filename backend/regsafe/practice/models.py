"""Tables of the practice domain: practice records (执业记录) with evidence, employers'
evaluations (append-only versions), credit events with disputes, the serious-dishonesty
list (失信名单), and credit scores with their history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, SmallInteger, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field


class PracticeKind(StrEnum):
    """执业活动类型"""

    HAZARD_INVESTIGATION = "HAZARD_INVESTIGATION"  # 隐患排查
    ACCIDENT_INVESTIGATION = "ACCIDENT_INVESTIGATION"  # 事故调查
    RISK_ASSESSMENT = "RISK_ASSESSMENT"  # 风险评估
    SAFETY_EVALUATION = "SAFETY_EVALUATION"  # 安全评价
    EMERGENCY_DRILL = "EMERGENCY_DRILL"  # 应急演练
    SAFETY_TRAINING = "SAFETY_TRAINING"  # 安全培训
    OTHER = "OTHER"


class RecordStatus(StrEnum):
    DRAFT = "DRAFT"  # evidence may still be added
    SUBMITTED = "SUBMITTED"  # waiting for the employer (待确认/待评价)
    CONFIRMED = "CONFIRMED"  # counts toward activity; can be evaluated
    REJECTED = "REJECTED"  # the employer does not confirm it


class EventStatus(StrEnum):
    ACTIVE = "ACTIVE"
    WITHDRAWN = "WITHDRAWN"  # entered in error: counts nothing, stays visible


class DisputeStatus(StrEnum):
    OPEN = "OPEN"
    UPHELD = "UPHELD"  # the engineer was right: the event counts nothing
    REJECTED = "REJECTED"  # the event stands


class PracticeRecord(SQLModel, table=True):
    """执业记录: work done under a registration, for the registered employer (or, for a
    service agency, for a client unit named with its credit code)."""

    __tablename__ = "practice_record"
    __table_args__ = (
        Index("ix_practice_record_person", "person_id", "id"),
        # practiceRecords filters across a province: status, kind, end date.
        Index("ix_practice_record_status", "status", "id"),
        Index("ix_practice_record_kind_ended", "kind", "ended_on"),
        Index("ix_practice_record_ended", "ended_on"),
        # 待评价: an employer's submitted and confirmed records, newest last.
        Index("ix_practice_record_employer_status", "employer_id", "status", "id"),
        Index(
            "ix_practice_record_lead",
            "project_lead_id",
            "status",
            "id",
            postgresql_where=text("project_lead_id IS NOT NULL"),
        ),
        CheckConstraint("ended_on >= started_on", name="dates"),
        CheckConstraint("hazards_found IS NULL OR hazards_found >= 0", name="hazards_found"),
        CheckConstraint(
            "hazards_rectified IS NULL OR (hazards_rectified >= 0 AND hazards_found IS NOT NULL"
            " AND hazards_rectified <= hazards_found)",
            name="hazards_rectified",
        ),
        CheckConstraint("(client_name IS NULL) = (client_credit_code IS NULL)", name="client"),
        CheckConstraint("version > 0", name="version"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    registration_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("registration.id"), nullable=False)
    )
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    # 服务对象: the client unit a service agency worked for.
    client_name: str | None = Field(default=None, max_length=100)
    client_credit_code: str | None = Field(default=None, max_length=18)
    kind: str = Field(max_length=24)
    project: str = Field(max_length=120)
    role: str = Field(max_length=60)
    started_on: date
    ended_on: date
    hazards_found: int | None = None
    hazards_rectified: int | None = None
    description: str = Field(default="", max_length=2000)
    # 项目负责人: a user who may confirm and evaluate besides the employer admin.
    project_lead_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    status: str = Field(default=RecordStatus.DRAFT, max_length=10)
    version: int = 1
    created_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    submitted_at: datetime | None = timestamp_field()
    decided_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    decided_at: datetime | None = timestamp_field()
    rejection_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = created_at_field()
    updated_at: datetime | None = created_at_field()


class PracticeEvidence(SQLModel, table=True):
    """证明材料 of a practice record, in the object store."""

    __tablename__ = "practice_evidence"
    __table_args__ = (
        Index("ix_practice_evidence_record", "record_id", "id"),
        Index("uq_practice_evidence_key", "object_key", unique=True),
    )

    id: int | None = id_field()
    record_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("practice_record.id"), nullable=False)
    )
    object_key: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    media_type: str = Field(max_length=60)
    size: int = Field(sa_type=BigInteger)
    filename: str = Field(max_length=200)
    uploaded_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    created_at: datetime | None = created_at_field()


class Evaluation(SQLModel, table=True):
    """执业评价: four dimensions, 1-5 each. Append-only: a correction is a new version
    that supersedes the previous one (a database trigger refuses UPDATE and DELETE)."""

    __tablename__ = "practice_evaluation"
    __table_args__ = (
        Index("uq_practice_evaluation_version", "record_id", "version_no", unique=True),
        # A version is superseded at most once: corrections form a chain, never a tree.
        Index(
            "uq_practice_evaluation_supersedes",
            "supersedes_id",
            unique=True,
            postgresql_where=text("supersedes_id IS NOT NULL"),
        ),
        Index("ix_practice_evaluation_evaluator", "evaluator_id", "id"),
        CheckConstraint("quality BETWEEN 1 AND 5", name="quality"),
        CheckConstraint("timeliness BETWEEN 1 AND 5", name="timeliness"),
        CheckConstraint("compliance BETWEEN 1 AND 5", name="compliance"),
        CheckConstraint("conduct BETWEEN 1 AND 5", name="conduct"),
        CheckConstraint("version_no > 0", name="version_no"),
    )

    id: int | None = id_field()
    record_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("practice_record.id"), nullable=False)
    )
    evaluator_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False)
    )
    quality: int = Field(sa_type=SmallInteger)
    timeliness: int = Field(sa_type=SmallInteger)
    compliance: int = Field(sa_type=SmallInteger)
    conduct: int = Field(sa_type=SmallInteger)
    comment: str = Field(default="", max_length=1000)
    version_no: int = 1
    supersedes_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("practice_evaluation.id"))
    )
    submitted_at: datetime = timestamp_field(nullable=False)


class CreditEventRow(SQLModel, table=True):
    """信用事件: a commendation, award, penalty, false report, certificate lending, missed
    education or upheld complaint, with its source, the authority that decided it and who
    entered it in which role. Points come from the model (rules.EVENT_POINTS)."""

    __tablename__ = "credit_event"
    __table_args__ = (
        Index("ix_credit_event_person", "person_id", "id"),
        Index("ix_credit_event_status", "status", "id"),
        Index("ix_credit_event_kind", "kind", "id"),
        Index("ix_credit_event_entered_by", "entered_by", "id"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    kind: str = Field(max_length=24)
    source: str = Field(max_length=200)  # 来源: the document, e.g. 处罚决定书文号
    authority: str = Field(max_length=100)  # 决定机关: who decided it
    occurred_on: date
    description: str = Field(default="", max_length=1000)
    evidence_key: str | None = Field(default=None, max_length=200)
    evidence_sha256: str | None = Field(default=None, max_length=64)
    evidence_media_type: str | None = Field(default=None, max_length=60)
    status: str = Field(default=EventStatus.ACTIVE, max_length=10)
    entered_by: int = Field(sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False))
    entered_role: str = Field(max_length=24)  # the role the entrant acted in
    entered_scope: str | None = Field(default=None, max_length=6)  # their province, if any
    withdrawn_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    withdrawn_at: datetime | None = timestamp_field()
    withdraw_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = created_at_field()


class Dispute(SQLModel, table=True):
    """异议: the person concerned contests a credit event; a reviewer other than the one
    who entered the event decides it."""

    __tablename__ = "credit_dispute"
    __table_args__ = (
        Index(
            "uq_credit_dispute_open",
            "event_id",
            unique=True,
            postgresql_where=text("status = 'OPEN'"),
        ),
        Index("ix_credit_dispute_status", "status", "id"),
        Index("ix_credit_dispute_event", "event_id", "id"),
        Index("ix_credit_dispute_person", "person_id", "id"),
        CheckConstraint(
            "decided_by IS NULL OR decided_by <> event_entered_by", name="other_reviewer"
        ),
    )

    id: int | None = id_field()
    event_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("credit_event.id"), nullable=False)
    )
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    opened_by: int = Field(sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False))
    event_entered_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason: str = Field(max_length=1000)
    status: str = Field(default=DisputeStatus.OPEN, max_length=10)
    decided_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    decided_at: datetime | None = timestamp_field()
    decision_note: str | None = Field(default=None, max_length=1000)
    opened_at: datetime = timestamp_field(nullable=False)


class BlacklistEntry(SQLModel, table=True):
    """严重失信主体名单 entry (应急管理部令第11号): listed for a fixed period (3 years by
    policy); removal may be requested after a minimum time (12 months by policy)."""

    __tablename__ = "blacklist_entry"
    __table_args__ = (
        Index(
            "ix_blacklist_entry_person_current",
            "person_id",
            "expires_on",
            postgresql_where=text("removed_at IS NULL"),
        ),
        Index("ix_blacklist_entry_listed", "listed_on", "id"),
        Index("ix_blacklist_entry_person", "person_id", "id"),
        # reviewers' queue of removal requests
        Index(
            "ix_blacklist_entry_removal_requested",
            "id",
            postgresql_where=text("removal_requested_at IS NOT NULL AND removed_at IS NULL"),
        ),
        CheckConstraint("expires_on > listed_on", name="period"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    grounds: str = Field(max_length=500)
    decision_ref: str = Field(max_length=200)  # 决定文书
    authority: str = Field(max_length=100)
    listed_on: date
    expires_on: date
    entered_by: int = Field(sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False))
    removal_requested_at: datetime | None = timestamp_field()
    removal_request_note: str | None = Field(default=None, max_length=1000)
    removed_at: datetime | None = timestamp_field()
    removed_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    removal_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = created_at_field()


class CreditScoreRow(SQLModel, table=True):
    """信用分: the latest computation for one person, with its contributions."""

    __tablename__ = "credit_score"
    __table_args__ = (Index("ix_credit_score_grade", "grade", "value"),)

    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), primary_key=True))
    value: int
    grade: str = Field(max_length=1)
    model_version: str = Field(max_length=20)
    computed_at: datetime = timestamp_field(nullable=False)
    contributions: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))


class CreditScoreHistory(SQLModel, table=True):
    """Every change of a person's score (a recompute that changes nothing adds nothing)."""

    __tablename__ = "credit_score_history"
    __table_args__ = (Index("ix_credit_score_history_person", "person_id", "id"),)

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    value: int
    grade: str = Field(max_length=1)
    model_version: str = Field(max_length=20)
    computed_at: datetime = timestamp_field(nullable=False)
    contributions: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
