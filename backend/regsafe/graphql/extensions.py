"""Schema extensions: session lifetime and audit flush, error masking with the request
id, and Prometheus metrics per operation."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import anyio
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError, InvalidGlobalIDError

from graphql import GraphQLError
from regsafe.core.logging import operation_var
from regsafe.graphql.core.errors import ApiError, error_code, unavailable
from regsafe.graphql.core.oplog import safe_operation_name
from regsafe.web.metrics import observe_operation

log = logging.getLogger("regsafe.graphql")


class RequestLifecycle(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        ctx = self.execution_context.context
        try:
            yield
        finally:
            # Shielded: when the client disconnects, the server cancels the request's
            # scope, and an unshielded await here would be cancelled too, leaving the
            # session's connection checked out until garbage collection.
            with anyio.CancelScope(shield=True):
                await ctx.finish()
            result = self.execution_context.result
            errors = list(result.errors or []) if result is not None else []
            if errors:
                result.errors = [self._mask(e, ctx.request_id) for e in errors]  # type: ignore[union-attr]
            name = self.execution_context.operation_name or "anonymous"
            try:
                kind = self.execution_context.operation_type.value
            except RuntimeError:  # the document did not parse
                kind = "invalid"
            observe_operation(name, kind, time.perf_counter() - started, bool(errors))
            operation_var.set(safe_operation_name(self.execution_context.operation_name))

    def _mask(self, error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        code = error_code(error)
        retry = unavailable(error)
        if retry is not None:
            # not a bug: the client retries (the database's HTTP answer is a 503 with
            # Retry-After; the object store's is the field's STORAGE_UNAVAILABLE error)
            return GraphQLError(
                retry.message,
                nodes=error.nodes,
                path=error.path,
                extensions=retry.extensions,
            )
        if original is None or isinstance(original, ApiError) or error.path is None:
            # parse, validation and variable-coercion errors (no path) and our own typed
            # errors are the client's to see, each with a code; only failures inside
            # resolvers are masked
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code}
            return error
        if isinstance(original, (GlobalIDValueError, InvalidGlobalIDError)):
            # a malformed or foreign global id in node(id:): the client's mistake
            return GraphQLError(
                "ID 无效", nodes=error.nodes, path=error.path, extensions={"code": "INVALID_ID"}
            )
        log.error(
            "unexpected error in resolver",
            exc_info=(type(original), original, original.__traceback__),
            extra={"path": error.path},
        )
        return GraphQLError(
            f"服务器内部错误，请联系管理员并提供请求编号 {request_id}",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
