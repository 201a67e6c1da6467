"""The starlette application: /graphql, /healthz, /readyz, /metrics, /verify (certificate
verification JSON), and the SPA."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException  # what strawberry raises for its own refusals
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from regsafe.auth.service import viewer_for_token
from regsafe.auth.tokens import TokenError, access_codec
from regsafe.certificates.keys import check_keys
from regsafe.core.clock import utcnow
from regsafe.core.db import database_unavailable
from regsafe.core.logging import operation_var, request_id_var
from regsafe.core.migrate import current_revision, head_revision
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.graphql.context import Context
from regsafe.graphql.schema import build_schema
from regsafe.jobs import app as jobs  # binds every domain's task blueprint
from regsafe.jobs.supervisor import WorkerProbe
from regsafe.web.encoding import encode_json
from regsafe.web.errors import (
    MAX_BODY_BYTES,
    RETRY_AFTER_SECONDS,
    BadRequestBody,
    BodyTooLarge,
    database_unavailable_response,
    decode_request_json,
    error_response,
    limit_body,
    payload_too_large,
)
from regsafe.web.metrics import HTTP_REQUESTS, MULTIPROCESS, WORKER_REQUESTS, render, watch_pool
from regsafe.web.spa import spa_routes
from regsafe.web.verify import verify_routes

log = logging.getLogger("regsafe.web")
__all__ = ["MAX_BODY_BYTES", "create_app"]


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            build_schema(runtime.settings),
            graphql_ide="graphiql" if runtime.settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # strawberry answers its own refusals (bad JSON, content type, method) in plain
        # text; ours are GraphQL-shaped JSON like every other error
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except BadRequestBody as exc:
            response = error_response(400, exc.code, exc.message)
        except HTTPException as exc:
            code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code)
            response = error_response(exc.status_code, code or "BAD_REQUEST", exc.reason)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data)

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)  # orjson; the same JSON as strawberry's json.dumps

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        results = response_data if isinstance(response_data, list) else [response_data]
        if any(
            (e.get("extensions") or {}).get("code") == "DATABASE_UNAVAILABLE"
            for r in results
            for e in r.get("errors") or []
        ):
            response.status_code = 503
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        ctx = Context(runtime=self.runtime, request=request, request_id=request_id_var.get() or "")
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                ctx.auth_problem = "TOKEN_INVALID"
            else:
                s = self.runtime.settings
                assert s.secret_key
                try:
                    ctx.viewer = await viewer_for_token(
                        ctx.session,
                        token=token.strip(),
                        codec=access_codec(s.secret_key, s.access_token_seconds),
                        now=utcnow(),
                    )
                except TokenError as exc:
                    ctx.auth_problem = exc.problem.value
        return ctx


class RequestContextMiddleware:
    """Request id (taken from X-Request-ID when sane, else new), a JSON access line,
    HTTP metrics, a cap on request bodies (uploads go straight to object storage), and
    JSON answers for what escapes the app: 413 past the cap, 503 while the database
    cannot be reached (the viewer is built before any resolver runs), else a masked 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else secrets.token_hex(8)
        token = request_id_var.set(rid)
        op_token = operation_var.set(None)
        started = time.perf_counter()
        status = 500
        try:
            length = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            length = 0
        started_response = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", rid.encode()))
            await send(message)

        async def refuse(response: Response, exc: Exception) -> None:
            if started_response:  # too late to answer: let the server drop the connection
                raise exc
            await response(scope, receive, send_wrapper)

        try:
            if length > MAX_BODY_BYTES:
                await payload_too_large()(scope, receive, send_wrapper)
            else:
                # Counted as it arrives: a chunked body has no Content-Length to trust.
                await self.app(scope, limit_body(receive, MAX_BODY_BYTES), send_wrapper)
        except BodyTooLarge as exc:
            await refuse(payload_too_large(), exc)
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("database unavailable", extra={"error": type(exc).__name__})
                await refuse(database_unavailable_response(), exc)
            else:
                log.error("unhandled error", exc_info=True)
                await refuse(
                    error_response(
                        500,
                        "INTERNAL_SERVER_ERROR",
                        f"服务器内部错误，请联系管理员并提供请求编号 {rid}",
                        requestId=rid,
                    ),
                    exc,
                )
        finally:
            path = scope.get("path", "")
            route = path if path in ("/graphql", "/healthz", "/readyz", "/metrics") else "other"
            HTTP_REQUESTS.labels(route, str(status)).inc()
            WORKER_REQUESTS.inc()
            if route != "/metrics":
                log.info(
                    "http request",
                    extra={
                        "method": scope.get("method"),
                        "path": route if route != "other" else "/…",
                        "status": status,
                        "operation": operation_var.get(),
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            request_id_var.reset(token)
            operation_var.reset(op_token)


def create_app(runtime: Runtime, *, worker: WorkerProbe | None = None) -> Starlette:
    """``worker``: the job worker /readyz reports, if `regsafe serve` runs one: the
    supervisor in this process, or the status file of the job worker process of a
    multi-worker `serve` (a separate `regsafe worker` is not seen here)."""
    set_runtime(runtime)
    check_keys(runtime.settings)  # a missing or broken issuing key stops the process here
    assert jobs.app.tasks, "task blueprints must be bound before requests defer jobs"
    settings = runtime.settings
    graphql_app = GraphQLApp(runtime)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            async with runtime.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current = await current_revision(conn)
            head = head_revision()
            checks["database"] = "ok"
            checks["migrations"] = "ok" if current == head else f"at {current}, head is {head}"
        except Exception as exc:  # report, do not crash the probe
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if runtime.store is None:
            checks["object_store"] = "not configured"
        else:
            checks["object_store"] = "ok" if await runtime.store.ping() else "unreachable"
        body: dict[str, Any] = {"checks": checks}
        if worker is not None:
            checks["worker"] = worker.readiness()
            body["worker"] = worker.status().as_json()
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", **body}, status_code=200 if ok else 503
        )

    async def metrics(_: Request) -> Response:
        refresh_pool()
        return Response(render(), media_type=CONTENT_TYPE_LATEST)

    routes: list[Any] = [
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        *verify_routes(runtime),
    ]
    routes += spa_routes(settings.spa_dir)

    pool = runtime.db.engine.pool

    def pool_stats() -> dict[str, int]:
        p: Any = pool
        try:
            return {
                "size": p.size(),
                "checked_out": p.checkedout(),
                "overflow": max(p.overflow(), 0),
                "checked_in": p.checkedin(),
            }
        except AttributeError:  # NullPool / StaticPool in tests
            return {}

    refresh_pool = watch_pool(pool_stats)

    async def publish_pool() -> None:
        # Multiprocess mode: the worker answering a scrape reads the others' pools from
        # their files, so each writes its own every second.
        while True:
            await asyncio.sleep(1)
            refresh_pool()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if runtime.store is not None:
            try:
                await runtime.store.ensure_bucket()
            except Exception:
                log.warning("object store not reachable at start-up; /readyz will say so")
        publisher = asyncio.create_task(publish_pool()) if MULTIPROCESS else None
        # Everything loaded so far (schema, models, libraries) lives as long as the
        # process: out of the collector's reach, a full collection no longer walks it on
        # every request that allocates enough (the status page of 50 engineers: about a
        # third less CPU per request, measured with benchmarks/request_cpu.py).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if publisher is not None:
                publisher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await publisher
            await runtime.db.dispose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestContextMiddleware)
    return app
