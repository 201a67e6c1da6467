"""The GraphQL operation names the platform's own clients send (the SPA and the
mini-program share frontend/graphql/*.graphql): the only names /metrics labels by.

``FRONTEND`` is generated from the documents, because the API image carries no frontend
tree: after changing a document run ``python -m regsafe.web.operation_names`` (it
rewrites the list below); tests/web/test_metrics.py fails while the two differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from graphql import OperationDefinitionNode, parse

# BEGIN GENERATED (python -m regsafe.web.operation_names)
FRONTEND: frozenset[str] = frozenset(
    {
        "AccountRegister",
        "AccountRegisterConfirm",
        "AdminUsers",
        "ApplicationClaim",
        "ApplicationCreate",
        "ApplicationDecide",
        "ApplicationDetail",
        "ApplicationPrecheck",
        "ApplicationSubmit",
        "ApplicationUpdate",
        "Blacklist",
        "BlacklistEntryCreate",
        "BlacklistEntryRemove",
        "BlacklistRemovalRequest",
        "CertificateBundle",
        "CertificateByNumber",
        "CertificatePdfRetry",
        "CertificateRevoke",
        "CertificateVerification",
        "CourseCatalogue",
        "CourseClose",
        "CourseCreate",
        "CourseEnrol",
        "CourseMaterialUploadRequest",
        "CoursePublish",
        "CourseQuestionsSet",
        "CourseStatistics",
        "CourseUpdate",
        "CreditDisputeDecide",
        "CreditDisputeOpen",
        "CreditDisputes",
        "CreditEventEnter",
        "CreditEventWithdraw",
        "CreditEvents",
        "CreditEvidenceUploadRequest",
        "CreditPersonSearch",
        "DocumentFieldsConfirm",
        "DocumentUploadRequest",
        "EmployerCertificates",
        "EmployerInvitations",
        "EmployerStaff",
        "EmploymentEnd",
        "EmploymentInvite",
        "EvaluationCorrect",
        "EvaluationSubmit",
        "ExamAnswer",
        "ExamAttempt",
        "ExamStart",
        "ExamSubmit",
        "HomeEmployer",
        "HomePendingHourReports",
        "HomeRegistrant",
        "HomeReviewQueue",
        "HoursEvidenceUploadRequest",
        "HoursImport",
        "HoursReview",
        "HoursSelfReport",
        "LearningEnrolment",
        "LearningHeartbeat",
        "MyApplications",
        "MyBlacklist",
        "MyCertificatePdf",
        "MyCertificates",
        "MyCredit",
        "MyEmployment",
        "MyEnrolments",
        "MyHours",
        "MyTranscripts",
        "PasswordChange",
        "PasswordResetConfirm",
        "PasswordResetRequest",
        "PendingHourReports",
        "PracticeEvidenceUploadRequest",
        "PracticeRecordConfirm",
        "PracticeRecordCreate",
        "PracticeRecordReject",
        "PracticeRecordSubmit",
        "PracticeRecordUpdate",
        "PracticeRecords",
        "PracticeRecordsToEvaluate",
        "ReviewQueue",
        "ReviewQueueCounts",
        "TokenCreate",
        "TokenRefresh",
        "TokenRevoke",
        "TrainerCourse",
        "TrainerCourses",
        "TranscriptRequest",
        "TranscriptVerification",
        "UploadConfirm",
        "UserAuditEvents",
        "UserCreate",
        "UserLock",
        "UserPasswordReset",
        "UserUnlock",
        "UserUpdate",
        "Viewer",
    }
)
# END GENERATED

# graphql(`…`) documents written beside components (the codegen client preset)
_INLINE = re.compile(r"graphql\(\s*`([^`]*)`")
_SKIP = {"node_modules", "dist", "gql"}


def _documents(frontend: Path) -> list[str]:
    texts: list[str] = []
    for path in sorted(frontend.rglob("*")):
        if _SKIP & set(path.relative_to(frontend).parts) or not path.is_file():
            continue
        if path.suffix == ".graphql":
            texts.append(path.read_text(encoding="utf-8"))
        elif path.suffix in (".ts", ".tsx"):
            texts += _INLINE.findall(path.read_text(encoding="utf-8"))
    return texts


def scan_frontend(frontend: Path) -> set[str]:
    """The names of every operation in the frontend's documents."""
    names: set[str] = set()
    for text in _documents(frontend):
        for definition in parse(text).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                names.add(definition.name.value)
    return names


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("frontend")
    names = sorted(scan_frontend(root))
    source = Path(__file__)
    text = source.read_text(encoding="utf-8")
    begin = text.index("# BEGIN GENERATED")
    end = text.index("# END GENERATED")
    body = "".join(f'        "{name}",\n' for name in names)
    block = (
        "# BEGIN GENERATED (python -m regsafe.web.operation_names)\n"
        f"FRONTEND: frozenset[str] = frozenset(\n    {{\n{body}    }}\n)\n"
    )
    source.write_text(text[:begin] + block + text[end:], encoding="utf-8")
    print(f"{len(names)} operation names written to {source}")


if __name__ == "__main__":
    main()
