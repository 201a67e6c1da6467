"""Expected failures of the continuing-education domain."""

from __future__ import annotations

from enum import StrEnum


class EducationErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_VALUE = "INVALID_VALUE"
    STALE_VERSION = "STALE_VERSION"
    NOT_A_PROVIDER = "NOT_A_PROVIDER"  # the trainer's organisation is not a qualified provider
    NOT_EDITABLE = "NOT_EDITABLE"  # published courses keep their units and exam
    NO_UNITS = "NO_UNITS"
    QUESTION_BANK_TOO_SMALL = "QUESTION_BANK_TOO_SMALL"
    CAPACITY_BELOW_ENROLLED = "CAPACITY_BELOW_ENROLLED"
    COURSE_NOT_OPEN = "COURSE_NOT_OPEN"
    COURSE_CLOSED = "COURSE_CLOSED"
    COURSE_FULL = "COURSE_FULL"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"
    UNIT_LOCKED = "UNIT_LOCKED"  # earlier units first
    ATTENDANCE_ONLY = "ATTENDANCE_ONLY"  # live sessions count by recorded attendance
    OUT_OF_ORDER = "OUT_OF_ORDER"  # heartbeat replayed or older than the last one
    TOO_FAST = "TOO_FAST"  # heartbeat sooner than the minimum interval
    NO_EXAM = "NO_EXAM"
    UNITS_INCOMPLETE = "UNITS_INCOMPLETE"
    ALREADY_PASSED = "ALREADY_PASSED"
    NO_ATTEMPTS_LEFT = "NO_ATTEMPTS_LEFT"
    TIME_UP = "TIME_UP"
    ALREADY_SUBMITTED = "ALREADY_SUBMITTED"
    QUESTION_NOT_IN_PAPER = "QUESTION_NOT_IN_PAPER"
    BAD_CHOICE = "BAD_CHOICE"
    UPLOAD_MISSING = "UPLOAD_MISSING"
    UPLOAD_ALREADY_USED = "UPLOAD_ALREADY_USED"  # evidence is used by one report only
    TOO_MANY_UPLOADS = "TOO_MANY_UPLOADS"  # too many unconfirmed upload slots open
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    IMPORT_REJECTED = "IMPORT_REJECTED"  # the file as a whole (encoding, header, size)
    ALREADY_REVIEWED = "ALREADY_REVIEWED"
    REASON_REQUIRED = "REASON_REQUIRED"
    NO_REGISTRATION = "NO_REGISTRATION"  # no registration cycle to count hours against
    NOT_ENROLLED = "NOT_ENROLLED"
    # Shared by every domain (core.errors.CommonErrorCode), set by run_mutation.
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
