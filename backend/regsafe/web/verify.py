"""Plain JSON endpoints of certificate verification under /verify (no GraphQL needed:
mini-programs, scripts and other verifiers fetch them directly).

    GET /verify/keys.json                       published public keys (current + retired)
    GET /verify/status-list                     signed revocation status list (short cache)
    GET /verify/log/tree-head                   latest signed tree head with cosignatures
    GET /verify/log/proof?number=…              inclusion proof of a certificate
    GET /verify/log/consistency?first=&second=  consistency proof between two sizes
    GET /verify/bundle/<number>                 offline proof bundle (holder, bearer token)

``/verify/<number>`` itself is the SPA's public page. The status list and the proofs
count against the client's budget of the GraphQL certificate verification (429 past it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from regsafe.auth.service import viewer_for_token
from regsafe.auth.tokens import TokenError, access_codec
from regsafe.certificates import ledger, scopes, service
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.merkle import ProofError
from regsafe.certificates.models import Certificate
from regsafe.certificates.numbers import InvalidNumber, parse_number
from regsafe.certificates.signing import b64url
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.graphql.certificates.queries import bundle_json
from regsafe.graphql.core.ratelimit import CERTIFICATE_VERIFICATION, RateLimited, limit_request

SHORT_CACHE = "public, max-age=60"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def verify_routes(rt: Runtime) -> list[Route]:
    settings = rt.settings

    async def limited(request: Request) -> JSONResponse | None:
        try:
            await limit_request(rt, request, CERTIFICATE_VERIFICATION)
        except RateLimited as exc:
            refused = _error(429, exc.code, exc.message)
            refused.headers["Retry-After"] = str(exc.retry_after)
            return refused
        return None

    async def keys(_: Request) -> Response:
        return Response(
            issuer_keys(settings).public().to_json(),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    async def status_list(request: Request) -> Response:
        if (refused := await limited(request)) is not None:
            return refused
        ttl = settings.status_list_ttl_seconds
        async with rt.db.session() as session:
            signed = await service.status_list(
                session, keys=issuer_keys(settings), now=utcnow(), ttl=timedelta(seconds=ttl)
            )
        # Clients may cache it for less than it stays valid, so a revocation shows soon.
        return Response(
            signed.to_json(),
            media_type="application/json",
            headers={"Cache-Control": f"public, max-age={max(ttl // 5, 1)}"},
        )

    async def tree_head(_: Request) -> Response:
        async with rt.db.session() as session:
            head = await ledger.latest_tree_head(session)
        if head is None:
            return _error(404, "NO_TREE_HEAD", "存证日志尚无签名树头")
        return JSONResponse(head.signed.to_json_dict(), headers={"Cache-Control": SHORT_CACHE})

    async def proof(request: Request) -> Response:
        if (refused := await limited(request)) is not None:
            return refused
        try:
            number = str(parse_number(request.query_params.get("number", "")))
        except InvalidNumber as exc:
            return _error(400, exc.code.value, exc.message)
        async with rt.db.session() as session:
            cert = await service.by_number(session, number)
            head = await ledger.latest_tree_head(session)
            if cert is None:
                return _error(404, "UNKNOWN", f"查无此证：{number}")
            if head is None or cert.leaf_index >= head.row.size:
                return _error(404, "NOT_LOGGED_YET", "尚待下一次树头签名，请稍后再试")
            path = await ledger.inclusion(session, cert.leaf_index, head.row.size)
        leaf = event_leaf_hash(LogEvent(cert.kind), cert.payload, cert.signature)
        body: dict[str, Any] = {
            "number": number,
            "leaf_index": cert.leaf_index,
            "leaf_hash": b64url(leaf),
            "tree_size": head.row.size,
            "inclusion_proof": [b64url(p) for p in path],
            "tree_head": head.signed.to_json_dict(),
        }
        return JSONResponse(body, headers={"Cache-Control": SHORT_CACHE})

    async def consistency(request: Request) -> Response:
        try:
            first = int(request.query_params.get("first", ""))
            second = int(request.query_params.get("second", ""))
        except ValueError:
            return _error(400, "INVALID_RANGE", "first 与 second 应为整数")
        async with rt.db.session() as session:
            head = await ledger.latest_tree_head(session)
            signed = head.row.size if head else 0
            if not 0 <= first <= second <= signed:
                return _error(400, "INVALID_RANGE", f"应满足 0 ≤ first ≤ second ≤ {signed}")
            try:
                path = await ledger.consistency(session, first, second)
            except ProofError as exc:
                return _error(400, "INVALID_RANGE", str(exc))
        return JSONResponse(
            {"first": first, "second": second, "consistency_proof": [b64url(p) for p in path]},
            headers={"Cache-Control": "public, max-age=3600"},
        )

    async def bundle(request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return _error(401, "UNAUTHENTICATED", "请先登录")
        assert settings.secret_key
        try:
            number = str(parse_number(request.path_params["number"]))
        except InvalidNumber as exc:
            return _error(400, exc.code.value, exc.message)
        async with rt.db.session() as session:
            try:
                viewer = await viewer_for_token(
                    session,
                    token=token.strip(),
                    codec=access_codec(settings.secret_key, settings.access_token_seconds),
                    now=utcnow(),
                )
            except TokenError as exc:
                return _error(401, exc.problem.value, "登录已过期或令牌无效")
            cert = (
                await session.exec(
                    select(Certificate).where(
                        col(Certificate.number) == number, scopes.certificate_scope(viewer)
                    )
                )
            ).first()
        if cert is None:
            return _error(404, "NOT_FOUND", "证书不存在或无权访问")
        text = await bundle_json(rt, cert)
        return Response(
            text,
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="{number}.bundle.json"',
                "Cache-Control": "no-store",
            },
        )

    return [
        Route("/verify/keys.json", keys),
        Route("/verify/status-list", status_list),
        Route("/verify/log/tree-head", tree_head),
        Route("/verify/log/proof", proof),
        Route("/verify/log/consistency", consistency),
        Route("/verify/bundle/{number}", bundle),
    ]
