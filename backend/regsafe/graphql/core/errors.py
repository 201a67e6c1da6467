"""Errors on the GraphQL surface.

Two kinds, one style everywhere (DESIGN.md §5):
- what a user can fix is data in the payload: ``errors: [XError!]!`` converted from
  ``DomainError`` by :func:`run_mutation`;
- authentication, permission and malformed requests are top-level GraphQL errors with
  ``extensions.code``; anything else is a bug, masked with the request id.

Infrastructure that cannot answer now is neither: the database (DATABASE_UNAVAILABLE, a
503) and the object store (STORAGE_UNAVAILABLE: in a mutation's payload, converted here
once for every domain; on a query field that presigns, a top-level error with that code).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, TypeVar

from strawberry.relay.types import GlobalIDValueError, InvalidGlobalIDError

from graphql import GraphQLError, GraphQLSyntaxError
from regsafe.core.db import database_unavailable
from regsafe.core.errors import CommonErrorCode, DomainError, DomainErrors
from regsafe.core.storage import StorageUnavailable


class ApiError(GraphQLError):
    code = "BAD_REQUEST"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message, extensions={"code": code or self.code})


class NotAuthenticated(ApiError):
    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"


class DatabaseUnavailable(ApiError):
    """The database cannot answer now; the HTTP layer answers 503 with Retry-After."""

    code = "DATABASE_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("数据库暂时不可用，请稍后重试")


class StorageUnavailableError(ApiError):
    """The object store cannot answer now (a presigned URL, a stored file): retry later."""

    code = CommonErrorCode.STORAGE_UNAVAILABLE.value

    def __init__(self) -> None:
        super().__init__(StorageUnavailable.message)


def unavailable(error: GraphQLError) -> ApiError | None:
    """The typed error for a resolver failure that only means "retry later" (database or
    object store down), or None: such failures are not bugs and are not masked."""
    code = error_code(error)
    if code == DatabaseUnavailable.code:
        return DatabaseUnavailable()
    if code == StorageUnavailableError.code:
        return StorageUnavailableError()
    return None


def error_code(error: GraphQLError) -> str:
    """The one code an error is known by: in the failed-operation log line, and to the
    client for errors that do not carry one (parse, validation, coercion)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    original = error.original_error
    if isinstance(original, GraphQLError):  # a coercion error wrapping the scalar's own
        return error_code(original)
    if original is not None and database_unavailable(original):
        return DatabaseUnavailable.code
    if isinstance(original, StorageUnavailable):
        return StorageUnavailableError.code
    if isinstance(original, (GlobalIDValueError, InvalidGlobalIDError)):
        return "INVALID_ID"
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if original is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


E = TypeVar("E")
R = TypeVar("R")


def to_payload_errors(
    exc: DomainError | DomainErrors, make: Callable[[str | None, Any, str], E], codes: type[StrEnum]
) -> list[E]:
    items = exc.errors if isinstance(exc, DomainErrors) else [exc]
    out = []
    for e in items:
        code = codes(e.code.value) if not isinstance(e.code, codes) else e.code
        out.append(make(e.field, code, e.message))
    return out


async def run_mutation(
    info: Any,
    action: Callable[[], Awaitable[R]],
) -> tuple[R | None, list[DomainError]]:
    """Run a mutation's domain work in the request transaction: commit on success,
    roll back everything on an expected failure and hand the failures back as data."""
    ctx = info.context
    session = ctx.session
    async with ctx.lock:  # the domain operation owns the session until it commits
        try:
            result = await action()
            await session.commit()
            return result, []
        except DomainErrors as exc:
            await session.rollback()
            return None, exc.errors
        except DomainError as exc:
            await session.rollback()
            return None, [exc]
        except StorageUnavailable as exc:
            # Not the user's mistake, nor a bug: every domain's payload says "retry later"
            # (nothing was written: the transaction is rolled back, and core.uploads keeps
            # a staged upload for the next confirm).
            await session.rollback()
            return None, [DomainError(CommonErrorCode.STORAGE_UNAVAILABLE, exc.message)]
        except BaseException:
            await session.rollback()
            raise
