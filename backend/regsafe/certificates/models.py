"""Tables of the certificates domain: registration certificates (注册证书), the number
counters, and the transparency log (leaves, complete-subtree nodes, signed tree heads,
witness cosignatures).

The log tables are append-only in the database too (a trigger refuses UPDATE, DELETE and
TRUNCATE, migration 0005); the certificate row changes status, but what it was issued as
is pinned by its signed payload and its leaf, so ``regsafe verify --audit`` sees any edit.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, text
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field


class CertificateStatus(StrEnum):
    ACTIVE = "ACTIVE"  # 有效
    SUPERSEDED = "SUPERSEDED"  # 已被延续/变更/补证的新证书取代
    EXPIRED = "EXPIRED"  # 已过期 (lapsed without renewal)
    REVOKED = "REVOKED"  # 已撤销 (with a reason)
    CANCELLED = "CANCELLED"  # 已注销


class Certificate(SQLModel, table=True):
    """注册证书: the signed certificate an approved registration brings about."""

    __tablename__ = "certificate"
    __table_args__ = (
        # A person never holds two ACTIVE registration certificates (one engineer, one
        # employer): the database half of the rule, like uq_registration_active_person.
        Index(
            "uq_certificate_active_person",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'ACTIVE'"),
        ),
        Index("ix_certificate_person", "person_id", "id"),
        Index("ix_certificate_employer", "employer_id", "id"),
        Index("ix_certificate_registration", "registration_id"),
        Index("ix_certificate_holder_index", "holder_blind_index"),
        Index("ix_certificate_previous", "previous_id"),
        # The status list reads only the ended certificates' bits.
        Index(
            "ix_certificate_ended",
            "status_list_index",
            postgresql_where=text("status IN ('REVOKED','CANCELLED')"),
        ),
        CheckConstraint("valid_until > valid_from", name="validity"),
        CheckConstraint("status_list_index >= 0", name="status_list_index"),
    )

    id: int | None = id_field()
    number: str = Field(max_length=17, unique=True)
    registration_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("registration.id"), nullable=False)
    )
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    kind: str = Field(max_length=10)  # IssueKind
    status: str = Field(default=CertificateStatus.ACTIVE, max_length=10)
    previous_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("certificate.id"))
    )
    holder_name_masked: str = Field(max_length=50)
    id_number_masked: str = Field(max_length=18)
    holder_blind_index: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    specialty: str = Field(max_length=24)
    employer_name: str = Field(max_length=100)
    employer_credit_code: str = Field(max_length=18)
    qualification_number: str | None = Field(default=None, max_length=40)  # opaque
    valid_from: date
    valid_until: date
    issued_at: datetime = timestamp_field(nullable=False)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # RFC 8785 bytes
    signature: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    key_id: str = Field(max_length=16)
    status_list_index: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    leaf_index: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    # How it ended (revocation or cancellation): the signed record and its leaf.
    ended_at: datetime | None = timestamp_field()
    end_reason: str | None = Field(default=None, max_length=100)
    end_record: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    end_signature: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    end_key_id: str | None = Field(default=None, max_length=16)
    end_leaf_index: int | None = Field(default=None, sa_type=BigInteger)
    revoked_by: int | None = Field(default=None, sa_type=BigInteger)
    # The PDF, rendered by a job.
    pdf_object_key: str | None = Field(default=None, max_length=200)
    pdf_sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime | None = created_at_field()


class CertificateCounter(SQLModel, table=True):
    """The last sequence number used per (year, province, specialty). Allocation is an
    upsert that takes the row lock until the issuing transaction ends, so numbers are
    unique and, for committed certificates, gap-free."""

    __tablename__ = "certificate_counter"

    year: int = Field(primary_key=True)
    province: str = Field(primary_key=True, max_length=2)
    specialty: str = Field(primary_key=True, max_length=2)
    last_sequence: int = Field(default=0)


class LogLeaf(SQLModel, table=True):
    """One leaf of the transparency log (存证日志叶子): an event on a certificate."""

    __tablename__ = "certificate_log_leaf"
    __table_args__ = (Index("ix_certificate_log_leaf_certificate", "certificate_id"),)

    index: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    leaf_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    event: str = Field(max_length=10)  # LogEvent
    certificate_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("certificate.id"), nullable=False)
    )
    created_at: datetime | None = created_at_field()


class LogNode(SQLModel, table=True):
    """A complete subtree's hash at (level, index); level 0 are the leaf hashes."""

    __tablename__ = "certificate_log_node"

    level: int = Field(primary_key=True)
    index: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class LogTreeHead(SQLModel, table=True):
    """A signed tree head (签名树头)."""

    __tablename__ = "certificate_tree_head"
    __table_args__ = (CheckConstraint("size >= 0", name="size"),)

    id: int | None = id_field()
    origin: str = Field(max_length=100)
    size: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    root_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    timestamp_ms: int = Field(sa_type=BigInteger)
    key_id: str = Field(max_length=16)
    signature: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime | None = created_at_field()


class LogCosignature(SQLModel, table=True):
    """A witness's cosignature of a tree head (见证方副署)."""

    __tablename__ = "certificate_cosignature"
    __table_args__ = (
        Index(
            "uq_certificate_cosignature_head_witness",
            "tree_head_id",
            "witness_key_id",
            unique=True,
        ),
    )

    id: int | None = id_field()
    tree_head_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("certificate_tree_head.id"), nullable=False)
    )
    witness_name: str = Field(max_length=100)
    witness_key_id: str = Field(max_length=16)
    timestamp_ms: int = Field(sa_type=BigInteger)
    signature: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime | None = created_at_field()
