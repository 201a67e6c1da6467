"""Tables of the registration domain: qualifications, registrations, applications with
their history, and uploaded documents."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field

# An application is "in flight" from submission until a decision or withdrawal. The
# partial unique index on these statuses is the database half of the one-engineer,
# one-application rule: two simultaneous submissions cannot both commit.
IN_FLIGHT = ("SUBMITTED", "PRELIMINARY_REVIEW", "RETURNED_FOR_CORRECTION", "FINAL_REVIEW")
_IN_FLIGHT_SQL = "status IN (" + ",".join(f"'{s}'" for s in IN_FLIGHT) + ")"


class QualificationSource(StrEnum):
    EXAM_RESULTS = "EXAM_RESULTS"  # imported from the national exam results
    ADMIN = "ADMIN"  # recorded by an administrator from the paper certificate


class Qualification(SQLModel, table=True):
    """职业资格证书 (中级注册安全工程师) in one specialty; the number is opaque."""

    __tablename__ = "qualification"
    __table_args__ = (
        Index("uq_qualification_person_specialty", "person_id", "specialty", unique=True),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    specialty: str = Field(max_length=24)
    certificate_number: str = Field(max_length=40)
    obtained_on: date
    source: str = Field(default=QualificationSource.EXAM_RESULTS, max_length=16)
    created_at: datetime | None = created_at_field()


class RegistrationStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUPERSEDED = "SUPERSEDED"  # replaced by a renewal or change
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"


class Registration(SQLModel, table=True):
    """注册: the engineer's registration with one employer in one specialty."""

    __tablename__ = "registration"
    __table_args__ = (
        # One engineer, one active registration (and so one employer).
        Index(
            "uq_registration_active_person",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'ACTIVE'"),
        ),
        Index("ix_registration_employer_status", "employer_id", "status"),
        Index("ix_registration_valid_until", "valid_until"),
        CheckConstraint("valid_until > valid_from", name="validity"),
    )

    id: int | None = id_field()
    person_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False, index=True)
    )
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    specialty: str = Field(max_length=24)
    valid_from: date
    valid_until: date
    status: str = Field(default=RegistrationStatus.ACTIVE, max_length=12)
    application_id: int | None = Field(default=None, sa_type=BigInteger)
    previous_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("registration.id"))
    )
    ended_at: datetime | None = timestamp_field()
    created_at: datetime | None = created_at_field()


class Application(SQLModel, table=True):
    """注册申请"""

    __tablename__ = "application"
    __table_args__ = (
        Index(
            "uq_application_in_flight_person",
            "person_id",
            unique=True,
            postgresql_where=text(_IN_FLIGHT_SQL),
        ),
        # Reviewer queues, read in the order of the running clock straight off the index
        # (partial: only waiting applications, so decided ones cost nothing).
        Index(
            "ix_application_preliminary_queue",
            "review_scope",
            "province_code",
            "due_at",
            "id",
            postgresql_where=text("status IN ('SUBMITTED','PRELIMINARY_REVIEW')"),
        ),
        Index(
            "ix_application_final_queue",
            "due_at",
            "id",
            postgresql_where=text("status = 'FINAL_REVIEW'"),
        ),
        Index("ix_application_person", "person_id", "id"),
        CheckConstraint("version > 0", name="version"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    kind: str = Field(max_length=16)
    specialty: str = Field(max_length=24)
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    status: str = Field(default="DRAFT", max_length=24)
    version: int = Field(default=1)
    review_scope: str = Field(max_length=10)
    province_code: str = Field(max_length=6)
    # What the registrant typed (qualification number and date, diploma …).
    form: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    # Eligibility checks, verification results and signals as of the last submission.
    checks: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    flags: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    verifications: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    return_items: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    decision_reason: str | None = Field(default=None, max_length=2000)
    registration_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("registration.id"))
    )
    preliminary_reviewer_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    final_reviewer_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    submitted_at: datetime | None = timestamp_field()
    preliminary_started_at: datetime | None = timestamp_field()
    final_started_at: datetime | None = timestamp_field()
    decided_at: datetime | None = timestamp_field()
    due_at: datetime | None = timestamp_field()  # the running statutory clock
    created_at: datetime | None = created_at_field()
    updated_at: datetime | None = created_at_field()


class ApplicationEvent(SQLModel, table=True):
    """One transition of an application: who, when, why."""

    __tablename__ = "application_event"
    __table_args__ = (Index("ix_application_event_application", "application_id", "id"),)

    id: int | None = id_field()
    application_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("application.id"), nullable=False)
    )
    action: str = Field(max_length=24)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    actor_user_id: int | None = Field(default=None, sa_type=BigInteger)
    reason: str | None = Field(default=None, max_length=2000)
    items: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    at: datetime | None = created_at_field()


class UploadStatus(StrEnum):
    UPLOADING = "UPLOADING"  # URL handed out, bytes not confirmed yet
    CONFIRMED = "CONFIRMED"
    EXPIRED = "EXPIRED"  # never confirmed; the object was removed
    REMOVED = "REMOVED"  # replaced or deleted by the registrant


class OcrStatus(StrEnum):
    NOT_APPLICABLE = "NOT_APPLICABLE"
    PENDING = "PENDING"
    DONE = "DONE"
    FAILED = "FAILED"


class Document(SQLModel, table=True):
    """申请材料: one uploaded file; the bytes live in the object store."""

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_application", "application_id", "kind"),
        Index(
            "ix_document_uploading_expires",
            "expires_at",
            postgresql_where=text("status = 'UPLOADING'"),
        ),
        CheckConstraint("declared_size > 0", name="declared_size"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    application_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("application.id"), nullable=False)
    )
    kind: str = Field(max_length=32)
    filename: str = Field(max_length=200)
    declared_size: int = Field(sa_type=BigInteger)
    declared_content_type: str = Field(max_length=100)
    object_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=UploadStatus.UPLOADING, max_length=12)
    size: int | None = Field(default=None, sa_type=BigInteger)
    media_type: str | None = Field(default=None, max_length=40)
    sha256: str | None = Field(default=None, max_length=64)
    pages: int | None = None
    ocr_status: str = Field(default=OcrStatus.NOT_APPLICABLE, max_length=16)
    ocr_reason: str | None = Field(default=None, max_length=500)
    ocr_engine: str | None = Field(default=None, max_length=40)
    ocr_ms: float | None = None
    ocr_fields: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    confirmed_fields: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    expires_at: datetime | None = timestamp_field()
    confirmed_at: datetime | None = timestamp_field()
    ocr_at: datetime | None = timestamp_field()
    created_at: datetime | None = created_at_field()
