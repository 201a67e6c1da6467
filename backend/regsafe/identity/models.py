"""Tables of the identity domain: persons, employers, employments, invitations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, text
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field


class Education(StrEnum):
    """学历"""

    DOCTORATE = "DOCTORATE"  # 博士研究生
    MASTER = "MASTER"  # 硕士研究生
    BACHELOR = "BACHELOR"  # 大学本科
    JUNIOR_COLLEGE = "JUNIOR_COLLEGE"  # 大学专科
    SECONDARY = "SECONDARY"  # 中专及以下


class Specialty(StrEnum):
    """专业类别 (安监总人事〔2017〕118号)"""

    COAL_MINE = "COAL_MINE"
    METAL_NONMETAL_MINE = "METAL_NONMETAL_MINE"
    CHEMICAL = "CHEMICAL"
    METAL_SMELTING = "METAL_SMELTING"
    CONSTRUCTION = "CONSTRUCTION"
    ROAD_TRANSPORT = "ROAD_TRANSPORT"
    OTHER = "OTHER"


SPECIALTY_NAMES: dict[str, str] = {
    Specialty.COAL_MINE: "煤矿安全",
    Specialty.METAL_NONMETAL_MINE: "金属非金属矿山安全",
    Specialty.CHEMICAL: "化工安全",
    Specialty.METAL_SMELTING: "金属冶炼安全",
    Specialty.CONSTRUCTION: "建筑施工安全",
    Specialty.ROAD_TRANSPORT: "道路运输安全",
    Specialty.OTHER: "其他安全（不包括消防安全）",
}


class EmployerKind(StrEnum):
    PRODUCTION_UNIT = "PRODUCTION_UNIT"  # 生产经营单位
    SERVICE_AGENCY = "SERVICE_AGENCY"  # 安全生产专业服务机构


class IdentityStatus(StrEnum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    FAILED = "FAILED"


# GB/T 4754-2017 industry sections (门类) A-T.
INDUSTRY_SECTIONS = "ABCDEFGHIJKLMNOPQRST"


class Person(SQLModel, table=True):
    """人员: an engineer or applicant. ID number and phone are stored encrypted."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name_prefix", "name", postgresql_ops={"name": "text_pattern_ops"}),
        Index(
            "ix_person_region_prefix",
            "region_code",
            postgresql_ops={"region_code": "text_pattern_ops"},
        ),
        CheckConstraint("gender IN ('MALE','FEMALE')", name="gender"),
    )

    id: int | None = id_field()
    name: str = Field(max_length=50)
    gender: str = Field(max_length=6)
    birth_date: date
    id_number_cipher: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    id_number_index: bytes = Field(sa_column=Column(LargeBinary, nullable=False, unique=True))
    phone_cipher: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    education: str | None = Field(default=None, max_length=20)
    region_code: str = Field(max_length=6)
    specialty: str | None = Field(default=None, max_length=24, index=True)
    identity_status: str = Field(default=IdentityStatus.PENDING, max_length=10)
    identity_checked_at: datetime | None = timestamp_field()
    version: int = Field(default=1)
    created_at: datetime | None = created_at_field()
    updated_at: datetime | None = created_at_field()


class Employer(SQLModel, table=True):
    """聘用单位"""

    __tablename__ = "employer"
    __table_args__ = (
        Index("ix_employer_name_prefix", "name", postgresql_ops={"name": "text_pattern_ops"}),
        Index(
            "ix_employer_region_prefix",
            "region_code",
            postgresql_ops={"region_code": "text_pattern_ops"},
        ),
    )

    id: int | None = id_field()
    name: str = Field(max_length=100)
    credit_code: str = Field(max_length=18, unique=True)
    credit_code_checksum_valid: bool = True
    # Who accepted a failed checksum (DOMAIN.md: a warning a reviewer may override).
    credit_code_override_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id", use_alter=True))
    )
    kind: str = Field(max_length=20, index=True)
    industry: str = Field(max_length=1)
    region_code: str = Field(max_length=6)
    version: int = Field(default=1)
    created_at: datetime | None = created_at_field()
    updated_at: datetime | None = created_at_field()


class Employment(SQLModel, table=True):
    """聘用关系: a person's employment with an employer, with the social-insurance flag
    (an anti-挂证 signal when insurance is paid elsewhere)."""

    __tablename__ = "employment"
    __table_args__ = (
        # At most one open employment per person.
        Index(
            "uq_employment_open_per_person",
            "person_id",
            unique=True,
            postgresql_where=text("end_date IS NULL"),
        ),
        Index("ix_employment_employer_open", "employer_id", "person_id"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: int | None = id_field()
    person_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False, index=True)
    )
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    start_date: date
    end_date: date | None = None
    social_insurance: bool = False
    created_at: datetime | None = created_at_field()


class InvitationStatus(StrEnum):
    """聘用邀请状态"""

    PENDING = "PENDING"  # 待本人确认
    ACCEPTED = "ACCEPTED"  # 本人已确认 (the employment started)
    CONFIRMED = "CONFIRMED"  # 审核人员代为确认 (the employment started)
    DECLINED = "DECLINED"  # 本人已拒绝
    EXPIRED = "EXPIRED"  # 已过期 (never answered)


class EmploymentInvitation(SQLModel, table=True):
    """聘用邀请: an employer's request to employ the holder of an ID number, which starts
    an employment only once the person (or a reviewer of their province) confirms it.

    One row per request whether or not the number is registered, so the employer's answer
    says nothing about who is on the platform. The number itself is never stored: only
    its blind index (to find the person, now or when they register later)."""

    __tablename__ = "employment_invitation"
    __table_args__ = (
        # One open invitation per employer and number: a repeat returns the same one.
        Index(
            "uq_employment_invitation_open",
            "employer_id",
            "id_number_index",
            unique=True,
            postgresql_where=text("status = 'PENDING'"),
        ),
        # The per-day sending limit counts an employer's rows since midnight.
        Index("ix_employment_invitation_employer_created", "employer_id", "created_at"),
        CheckConstraint(
            "status IN ('PENDING','ACCEPTED','CONFIRMED','DECLINED','EXPIRED')", name="status"
        ),
    )

    id: int | None = id_field()
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False)
    )
    id_number_index: bytes = Field(sa_column=Column(LargeBinary, nullable=False, index=True))
    person_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("person.id"), index=True)
    )
    starts_on: date
    social_insurance: bool = True
    status: str = Field(default=InvitationStatus.PENDING, max_length=10)
    expires_at: datetime = timestamp_field(nullable=False)
    invited_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    responded_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    responded_at: datetime | None = timestamp_field()
    employment_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("employment.id"))
    )
    created_at: datetime | None = created_at_field()
