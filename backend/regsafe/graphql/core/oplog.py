"""What a failed operation leaves in the log: its name, the SHA-256 of its document and
the error codes. Never the document or the variables: clients write ID numbers and
names inline (``persons(filter: {idNumber: "…"})``), and strawberry's default logger
printed the error with the offending source lines."""

from __future__ import annotations

import hashlib
import logging
import re

import strawberry
from strawberry.types import ExecutionContext

from graphql import GraphQLError
from regsafe.graphql.core.errors import error_code

log = logging.getLogger("regsafe.graphql.operations")

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


def safe_operation_name(name: str | None) -> str:
    """The operation name for logs: a GraphQL name, or a fixed word for anything else
    (the client chooses ``operationName`` freely and it need not name an operation)."""
    if name is None:
        return "anonymous"
    return name if _NAME.fullmatch(name) else "invalid"


def document_hash(query: str | None) -> str | None:
    if query is None:
        return None
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def log_failed_operation(errors: list[GraphQLError], ctx: ExecutionContext | None) -> None:
    codes = list(dict.fromkeys(error_code(e) for e in errors))
    try:
        kind = ctx.operation_type.value if ctx is not None else "unknown"
    except RuntimeError:  # the document did not parse
        kind = "invalid"
    level = logging.INFO
    if "DATABASE_UNAVAILABLE" in codes:
        level = logging.WARNING
    if "INTERNAL_SERVER_ERROR" in codes:
        level = logging.ERROR  # the traceback is logged where the error is masked
    log.log(
        level,
        "graphql operation failed",
        extra={
            "operation": safe_operation_name(ctx.operation_name if ctx else None),
            "operation_type": kind,
            "document_sha256": document_hash(ctx.query if ctx else None),
            "error_codes": codes,
        },
    )


class Schema(strawberry.Schema):
    """strawberry's Schema with the failed-operation log line above in place of its
    default (``strawberry.execution`` logging each error with its source excerpt)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_failed_operation(errors, execution_context)
