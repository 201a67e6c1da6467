"""Tables of the continuing-education domain: providers, courses with units and
questions, enrolments with per-unit progress, exam attempts, hour records (学时),
imports and transcripts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field


class SubjectKind(StrEnum):
    GENERAL = "GENERAL"  # 公需科目
    PROFESSIONAL = "PROFESSIONAL"  # 专业科目


class CourseStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"


class UnitKind(StrEnum):
    VIDEO = "VIDEO"
    DOCUMENT = "DOCUMENT"
    LIVE = "LIVE"  # 直播: completed by attendance the trainer records


class QuestionKind(StrEnum):
    SINGLE = "SINGLE"  # 单选
    MULTIPLE = "MULTIPLE"  # 多选
    TRUE_FALSE = "TRUE_FALSE"  # 判断


class EnrolmentStatus(StrEnum):
    ENROLLED = "ENROLLED"
    COMPLETED = "COMPLETED"  # every unit done and, when there is one, the exam passed


class AttemptStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    SUBMITTED = "SUBMITTED"
    EXPIRED = "EXPIRED"  # time ran out: graded from the answers saved so far


class HourSource(StrEnum):
    COURSE = "COURSE"  # 平台课程, recognised by the rules
    EXTERNAL = "EXTERNAL"  # imported by a provider from its own records
    SELF_REPORTED = "SELF_REPORTED"  # 个人申报 with evidence, counts once accepted


class HourStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    PENDING = "PENDING"
    REJECTED = "REJECTED"


class TranscriptStatus(StrEnum):
    PENDING = "PENDING"
    READY = "READY"
    FAILED = "FAILED"


class TrainingProvider(SQLModel, table=True):
    """培训机构: an organisation qualified to give continuing education. Its trainers are
    users whose employer_id is the provider's employer."""

    __tablename__ = "training_provider"

    id: int | None = id_field()
    employer_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("employer.id"), nullable=False, unique=True)
    )
    name: str = Field(max_length=100)
    qualified_until: date | None = None
    is_active: bool = True
    created_at: datetime | None = created_at_field()


class Course(SQLModel, table=True):
    """课程"""

    __tablename__ = "course"
    __table_args__ = (
        Index("uq_course_provider_code", "provider_id", "code", unique=True),
        # The catalogue filters: open courses by specialty and subject kind.
        Index("ix_course_catalogue", "status", "subject_kind", "specialty", "closes_on"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("closes_on >= opens_on", name="window"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("pass_mark BETWEEN 1 AND 100", name="pass_mark"),
        CheckConstraint("version > 0", name="version"),
    )

    id: int | None = id_field()
    provider_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("training_provider.id"), nullable=False)
    )
    code: str = Field(max_length=32)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    specialty: str | None = Field(default=None, max_length=24)  # None: every specialty
    subject_kind: str = Field(max_length=12)
    hours: Decimal = Field(sa_column=Column(Numeric(5, 1), nullable=False))
    opens_on: date
    closes_on: date
    capacity: int | None = None
    status: str = Field(default=CourseStatus.DRAFT, max_length=10)
    # Exam: question_count 0 means the course has no exam.
    exam_question_count: int = 0
    exam_minutes: int = 30
    exam_max_attempts: int = 3
    pass_mark: int = 60  # percent
    enrolled_count: int = 0  # kept by enrol() under the course row lock (capacity)
    version: int = 1
    created_at: datetime | None = created_at_field()
    updated_at: datetime | None = created_at_field()


class CourseUnit(SQLModel, table=True):
    """课程单元: a video, a document or a live session, with its duration."""

    __tablename__ = "course_unit"
    __table_args__ = (
        Index("uq_course_unit_position", "course_id", "position", unique=True),
        CheckConstraint("duration_seconds > 0", name="duration"),
    )

    id: int | None = id_field()
    course_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("course.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    title: str = Field(max_length=120)
    kind: str = Field(max_length=10)
    duration_seconds: int
    starts_at: datetime | None = timestamp_field()  # live sessions
    material_key: str | None = Field(default=None, max_length=200)
    material_filename: str | None = Field(default=None, max_length=200)
    material_media_type: str | None = Field(default=None, max_length=60)
    material_size: int | None = Field(default=None, sa_type=BigInteger)


class Question(SQLModel, table=True):
    """试题. The answer never leaves the server before the attempt is submitted."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_course", "course_id", "id"),)

    id: int | None = id_field()
    course_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("course.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(max_length=12)
    stem: str = Field(max_length=1000)
    options: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    answer: list[int] = Field(sa_column=Column(ARRAY(Integer), nullable=False))
    points: int = 1


class Enrolment(SQLModel, table=True):
    """选课"""

    __tablename__ = "enrolment"
    __table_args__ = (
        Index("uq_enrolment_course_person", "course_id", "person_id", unique=True),
        Index("ix_enrolment_person", "person_id", "id"),
    )

    id: int | None = id_field()
    course_id: int = Field(sa_column=Column(BigInteger, ForeignKey("course.id"), nullable=False))
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    status: str = Field(default=EnrolmentStatus.ENROLLED, max_length=10)
    enrolled_at: datetime = timestamp_field(nullable=False)
    units_completed_at: datetime | None = timestamp_field()
    completed_at: datetime | None = timestamp_field()


class UnitProgress(SQLModel, table=True):
    """Verified progress in one unit: seconds credited from heartbeats (wall-clock time
    between accepted beats), never from what the player claims."""

    __tablename__ = "unit_progress"

    enrolment_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("enrolment.id"), primary_key=True)
    )
    unit_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("course_unit.id"), primary_key=True)
    )
    covered_ms: int = Field(default=0, sa_type=BigInteger)
    position_seconds: int = 0
    last_sequence: int = Field(default=0, sa_type=BigInteger)
    last_beat_at: datetime | None = timestamp_field()
    completed_at: datetime | None = timestamp_field()
    # Live sessions: the trainer who recorded attendance.
    attendance_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )


class LearningClock(SQLModel, table=True):
    """Per learner, the end of the last credited interval: two tabs (or two courses)
    playing at once share one wall clock, so an hour of life credits an hour of study."""

    __tablename__ = "learning_clock"

    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), primary_key=True))
    credited_until: datetime = timestamp_field(nullable=False)


class ExamAttempt(SQLModel, table=True):
    """考试: a paper drawn from the bank with a recorded seed, graded on submission."""

    __tablename__ = "exam_attempt"
    __table_args__ = (
        Index("uq_exam_attempt_number", "enrolment_id", "attempt_no", unique=True),
        Index(
            "uq_exam_attempt_open",
            "enrolment_id",
            unique=True,
            postgresql_where=text("status = 'IN_PROGRESS'"),
        ),
        Index(
            "ix_exam_attempt_deadline",
            "deadline_at",
            postgresql_where=text("status = 'IN_PROGRESS'"),
        ),
    )

    id: int | None = id_field()
    enrolment_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("enrolment.id"), nullable=False)
    )
    attempt_no: int
    seed: int = Field(sa_type=BigInteger)
    question_ids: list[int] = Field(sa_column=Column(ARRAY(BigInteger), nullable=False))
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    status: str = Field(default=AttemptStatus.IN_PROGRESS, max_length=12)
    started_at: datetime = timestamp_field(nullable=False)
    deadline_at: datetime = timestamp_field(nullable=False)
    submitted_at: datetime | None = timestamp_field()
    score: int | None = None
    max_score: int | None = None
    passed: bool | None = None


class HourImport(SQLModel, table=True):
    """外部学时导入批次, with its error report in the object store."""

    __tablename__ = "hour_import"

    id: int | None = id_field()
    provider_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("training_provider.id"), nullable=False)
    )
    uploaded_by: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False)
    )
    filename: str = Field(max_length=200)
    total_rows: int = 0
    accepted_rows: int = 0
    error_rows: int = 0
    report_key: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = created_at_field()


class HourRecord(SQLModel, table=True):
    """学时记录: made only by the rules (course completed and exam passed), by a provider's
    import, or by an accepted self-report. Each names its source and the rule version."""

    __tablename__ = "hour_record"
    __table_args__ = (
        # Hours of one course (or one external completion) count once.
        Index(
            "uq_hour_record_once",
            "person_id",
            "dedup_key",
            unique=True,
            postgresql_where=text("status <> 'REJECTED'"),
        ),
        # Requirement status: a person's accepted hours inside a cycle, read off the index.
        Index(
            "ix_hour_record_counted",
            "person_id",
            "recognised_on",
            postgresql_include=["hours", "subject_kind", "specialty"],
            postgresql_where=text("status = 'ACCEPTED'"),
        ),
        Index(
            "ix_hour_record_pending",
            "id",
            postgresql_where=text("status = 'PENDING'"),
        ),
        CheckConstraint("hours > 0", name="hours"),
    )

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    source: str = Field(max_length=14)
    status: str = Field(default=HourStatus.ACCEPTED, max_length=10)
    dedup_key: str = Field(max_length=200)
    course_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("course.id"))
    )
    provider_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("training_provider.id"))
    )
    provider_name: str = Field(max_length=100)
    course_title: str = Field(max_length=120)
    subject_kind: str = Field(max_length=12)
    specialty: str | None = Field(default=None, max_length=24)
    hours: Decimal = Field(sa_column=Column(Numeric(5, 1), nullable=False))
    recognised_on: date
    rule_version: str = Field(max_length=20)
    reference: str | None = Field(default=None, max_length=64)
    evidence_key: str | None = Field(default=None, max_length=200)
    evidence_sha256: str | None = Field(default=None, max_length=64)
    import_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("hour_import.id"))
    )
    reviewed_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("app_user.id"))
    )
    reviewed_at: datetime | None = timestamp_field()
    review_note: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = created_at_field()


class Transcript(SQLModel, table=True):
    """电子学时证明: a PDF rendered by a job, with a hash and a public verification code."""

    __tablename__ = "transcript"
    __table_args__ = (Index("ix_transcript_person", "person_id", "id"),)

    id: int | None = id_field()
    person_id: int = Field(sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False))
    registration_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("registration.id"))
    )
    cycle_start: date
    cycle_end: date
    status: str = Field(default=TranscriptStatus.PENDING, max_length=8)
    verification_code: str = Field(max_length=16, unique=True)
    object_key: str | None = Field(default=None, max_length=200)
    sha256: str | None = Field(default=None, max_length=64)
    earned_general: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 1)))
    earned_professional: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 1)))
    record_count: int | None = None
    failure: str | None = Field(default=None, max_length=300)
    requested_at: datetime = timestamp_field(nullable=False)
    ready_at: datetime | None = timestamp_field()
