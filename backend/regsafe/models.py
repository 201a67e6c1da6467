"""Imports every domain's tables so the metadata is complete (alembic, tests)."""

from regsafe.audit.models import AuditEvent
from regsafe.auth.models import LoginDevice, LoginThrottle, RefreshToken, User
from regsafe.certificates.models import (
    Certificate,
    CertificateCounter,
    LogCosignature,
    LogLeaf,
    LogNode,
    LogTreeHead,
)
from regsafe.core.ratelimit import RateLimitBucket
from regsafe.core.upload_slots import Upload
from regsafe.education.models import (
    Course,
    CourseUnit,
    Enrolment,
    ExamAttempt,
    HourImport,
    HourRecord,
    LearningClock,
    Question,
    TrainingProvider,
    Transcript,
    UnitProgress,
)
from regsafe.identity.models import Employer, Employment, EmploymentInvitation, Person
from regsafe.practice.models import (
    BlacklistEntry,
    CreditEventRow,
    CreditScoreHistory,
    CreditScoreRow,
    Dispute,
    Evaluation,
    PracticeEvidence,
    PracticeRecord,
)
from regsafe.registration.models import (
    Application,
    ApplicationEvent,
    Document,
    Qualification,
    Registration,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "BlacklistEntry",
    "Certificate",
    "CertificateCounter",
    "Course",
    "CourseUnit",
    "CreditEventRow",
    "CreditScoreHistory",
    "CreditScoreRow",
    "Dispute",
    "Document",
    "Employer",
    "Employment",
    "EmploymentInvitation",
    "Enrolment",
    "Evaluation",
    "ExamAttempt",
    "HourImport",
    "HourRecord",
    "LearningClock",
    "LogCosignature",
    "LogLeaf",
    "LogNode",
    "LogTreeHead",
    "LoginDevice",
    "LoginThrottle",
    "Person",
    "PracticeEvidence",
    "PracticeRecord",
    "Qualification",
    "Question",
    "RateLimitBucket",
    "RefreshToken",
    "Registration",
    "TrainingProvider",
    "Transcript",
    "UnitProgress",
    "Upload",
    "User",
]
