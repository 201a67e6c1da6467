from enum import StrEnum


class CertificateErrorCode(StrEnum):
    """Expected failures of the certificates domain."""

    NOT_FOUND = "NOT_FOUND"
    REASON_REQUIRED = "REASON_REQUIRED"
    TOO_LONG = "TOO_LONG"
    NOT_ACTIVE = "NOT_ACTIVE"
    NOT_PERMITTED = "NOT_PERMITTED"
    INVALID_NUMBER = "INVALID_NUMBER"
    INVALID_VALUE = "INVALID_VALUE"
    NOT_LOGGED_YET = "NOT_LOGGED_YET"
    UNSUPPORTED_ALGORITHM = "UNSUPPORTED_ALGORITHM"
    # Shared by every domain (core.errors.CommonErrorCode), set by run_mutation.
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
