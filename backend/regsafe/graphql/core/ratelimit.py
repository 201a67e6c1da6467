"""Rate limiting of the public endpoints: certificate and transcript verification and
the /verify JSON routes: ``await limit_public(info, bucket)`` in a resolver,
``await limit_request(runtime, request, bucket)`` in a plain route (the same code).

The budget (``REGSAFE_VERIFY_RATE_PER_MINUTE``) is per client address bucket and shared
by every API process (core/ratelimit.py counts in PostgreSQL); the address is the one
``core.net.client_address`` trusts. A refusal is the typed ``RATE_LIMITED`` error with a
``retryAfter`` (seconds) extension; the JSON routes answer it as a 429.
"""

from __future__ import annotations

from typing import Any

import strawberry
from starlette.requests import Request

from regsafe.core.clock import utcnow
from regsafe.core.net import address_bucket, client_address
from regsafe.core.ratelimit import SharedLimiter
from regsafe.core.runtime import Runtime
from regsafe.graphql.core.errors import ApiError

# Budgets by name: the GraphQL certificate verification and the /verify routes share one.
CERTIFICATE_VERIFICATION = "certificate-verification"
TRANSCRIPT_VERIFICATION = "transcript-verification"

_limiter = SharedLimiter()


class RateLimited(ApiError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after: int) -> None:
        super().__init__("核验请求过于频繁，请稍后再试")
        self.retry_after = retry_after
        self.extensions = {**(self.extensions or {}), "retryAfter": retry_after}


def bucket_key(runtime: Runtime, bucket: str, address: str) -> str:
    """The stored key: an HMAC, so the table holds no client address."""
    mac = runtime.cipher.blind_index(f"{bucket}\x00{address_bucket(address)}", context="ratelimit")
    return mac.hex()


async def limit_request(runtime: Runtime, request: Request | None, bucket: str) -> None:
    """Count this request against ``bucket`` for its client; raise ``RateLimited`` when
    the client is over its budget. The count is committed at once in a session of its
    own (the request's may never commit)."""
    key = bucket_key(runtime, bucket, client_address(request, runtime.settings))
    async with runtime.db.sessionmaker() as session:
        decision = await _limiter.hit(
            session, key, limit=runtime.settings.verify_rate_per_minute, now=utcnow()
        )
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


async def limit_public(info: strawberry.Info[Any, Any], bucket: str) -> None:
    """``limit_request`` for a GraphQL field, under the request's lock: sibling
    resolvers must not use the (in tests, shared) connection at the same time."""
    ctx = info.context
    async with ctx.lock:
        await limit_request(ctx.runtime, ctx.request, bucket)
