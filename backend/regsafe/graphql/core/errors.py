"""Errors on the GraphQL surface.

Two kinds, one style everywhere (DESIGN.md §5):
- what a user can fix is data in the payload: ``errors: [XError!]!`` converted from
  ``DomainError`` by :func:`run_mutation`;
- authentication, permission and malformed requests are top-level GraphQL errors with
  ``extensions.code``; anything else is a bug, masked with the request id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, TypeVar

from graphql import GraphQLError
from regsafe.core.errors import DomainError, DomainErrors


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
        except BaseException:
            await session.rollback()
            raise
