"""Expected failures of the practice domain."""

from __future__ import annotations

from enum import StrEnum


class PracticeErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_VALUE = "INVALID_VALUE"
    STALE_VERSION = "STALE_VERSION"
    NO_REGISTRATION = "NO_REGISTRATION"  # no ACTIVE registration to record work under
    OUTSIDE_REGISTRATION = "OUTSIDE_REGISTRATION"  # work dated outside the registration
    WRONG_EMPLOYER = "WRONG_EMPLOYER"  # not the registered employer
    CLIENT_REQUIRED = "CLIENT_REQUIRED"  # service agencies name the client unit
    CLIENT_NOT_ALLOWED = "CLIENT_NOT_ALLOWED"  # only service agencies have clients
    CLIENT_CODE_INVALID = "CLIENT_CODE_INVALID"  # the client's unified social credit code
    NOT_EDITABLE = "NOT_EDITABLE"
    UPLOAD_MISSING = "UPLOAD_MISSING"
    UPLOAD_ALREADY_USED = "UPLOAD_ALREADY_USED"  # evidence is used by one event only
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    TOO_MANY_FILES = "TOO_MANY_FILES"
    NOT_SUBMITTED = "NOT_SUBMITTED"  # only submitted records are confirmed or rejected
    NOT_CONFIRMED = "NOT_CONFIRMED"  # only confirmed records are evaluated
    SELF_EVALUATION = "SELF_EVALUATION"  # an engineer never confirms or evaluates own work
    NOT_EVALUATOR = "NOT_EVALUATOR"  # neither the employer admin nor the project lead
    ALREADY_EVALUATED = "ALREADY_EVALUATED"  # corrections are new versions
    SCORE_OUT_OF_RANGE = "SCORE_OUT_OF_RANGE"
    REASON_REQUIRED = "REASON_REQUIRED"
    AUTHORITY_REQUIRED = "AUTHORITY_REQUIRED"  # a credit event names who decided it
    SOURCE_REQUIRED = "SOURCE_REQUIRED"  # … and the document it comes from
    ALREADY_WITHDRAWN = "ALREADY_WITHDRAWN"
    DISPUTE_OPEN = "DISPUTE_OPEN"
    ALREADY_DECIDED = "ALREADY_DECIDED"
    SAME_REVIEWER = "SAME_REVIEWER"  # the entrant of an event cannot decide its dispute
    ALREADY_LISTED = "ALREADY_LISTED"
    REMOVAL_TOO_EARLY = "REMOVAL_TOO_EARLY"
    ALREADY_REQUESTED = "ALREADY_REQUESTED"
    NOT_LISTED = "NOT_LISTED"
    # Shared by every domain (core.errors.CommonErrorCode), set by run_mutation.
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
