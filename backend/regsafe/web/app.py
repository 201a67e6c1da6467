"""The starlette application: /graphql, /healthz, /readyz, /metrics, /verify (certificate
verification JSON), and the SPA."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from regsafe.auth.service import viewer_for_token
from regsafe.auth.tokens import TokenError, access_codec
from regsafe.certificates.keys import check_keys
from regsafe.core.clock import utcnow
from regsafe.core.logging import operation_var, request_id_var
from regsafe.core.migrate import current_revision, head_revision
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.graphql.context import Context
from regsafe.graphql.schema import build_schema
from regsafe.jobs import app as jobs  # binds every domain's task blueprint
from regsafe.web.metrics import HTTP_REQUESTS, REGISTRY, watch_pool
from regsafe.web.verify import verify_routes

log = logging.getLogger("regsafe.web")
MAX_BODY_BYTES = 1024 * 1024


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            build_schema(runtime.settings),
            graphql_ide="graphiql" if runtime.settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.runtime = runtime

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
    HTTP metrics, and a cap on request bodies (uploads go straight to object storage)."""

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
        if length > MAX_BODY_BYTES:
            response = JSONResponse(
                {
                    "errors": [
                        {"message": "请求体过大", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
                    ]
                },
                status_code=413,
            )
            status = 413
            await response(scope, receive, send)
            request_id_var.reset(token)
            operation_var.reset(op_token)
            return

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            path = scope.get("path", "")
            route = path if path in ("/graphql", "/healthz", "/readyz", "/metrics") else "other"
            HTTP_REQUESTS.labels(route, str(status)).inc()
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


def create_app(runtime: Runtime) -> Starlette:
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
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

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

    watch_pool(pool_stats)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if runtime.store is not None:
            try:
                await runtime.store.ensure_bucket()
            except Exception:
                log.warning("object store not reachable at start-up; /readyz will say so")
        yield
        await runtime.db.dispose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestContextMiddleware)
    return app


def spa_routes(dist: Path) -> list[Any]:
    """Serve the built SPA with a fallback to index.html for client-side routes.

    The build is read once at start-up: top-level files (favicon, robots.txt) by exact
    name, hashed bundles under /assets, everything else is the app shell."""
    index = dist / "index.html"
    if not index.is_file():

        async def not_built(_: Request) -> Response:
            return HTMLResponse(
                "<!doctype html><meta charset=utf-8><title>RegSafe</title>"
                "<p>前端尚未构建：运行 <code>make web</code>（或 <code>make dev</code>）。"
                " GraphQL API: <a href=/graphql>/graphql</a></p>",
                status_code=503,
            )

        return [Route("/{path:path}", not_built)]

    top_level = {p.name: p for p in dist.iterdir() if p.is_file() and p.name != "index.html"}

    async def spa(request: Request) -> Response:
        found = top_level.get(request.path_params["path"])
        if found is not None:
            return FileResponse(found)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    routes: list[Any] = []
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=dist / "assets"), name="assets"))
    routes.append(Route("/{path:path}", spa))
    return routes
