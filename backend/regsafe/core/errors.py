"""The one exception a domain service raises for a failure the user can fix.

The GraphQL layer turns it into ``errors { field code message }`` in the payload; the
transaction is rolled back by the request's session scope, so nothing half-written stays.
"""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    def __init__(self, code: StrEnum, message: str, field: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.field = field
        self.message = message


class DomainErrors(Exception):
    """Several independent problems with one input, reported at once."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class CommonErrorCode(StrEnum):
    """Payload error codes of no domain in particular, converted from infrastructure
    failures by ``graphql.core.errors.run_mutation``. Every domain's error-code enum
    lists them too (a payload's ``code`` is typed by its domain's enum, and a Python enum
    cannot inherit members); tests/graphql/test_errors.py checks that none is missing."""

    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
