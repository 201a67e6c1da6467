"""Access tokens: short-lived HS256 JWTs (joserfc, the JOSE library of the Authlib
project, which replaces the deprecated ``authlib.jose``). Refresh tokens are opaque
random strings stored only as SHA-256 hashes, and so are known-device tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from regsafe.auth.errors import TokenProblem

ISSUER = "regsafe"
LEEWAY_SECONDS = 5
CHECKED_TOKENS = 8192
AUDIENCE = "regsafe-api"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: uuid.UUID
    expires_at: datetime
    not_before: int = 0  # the later of iat and nbf (seconds since the epoch)


class AccessTokenCodec:
    def __init__(self, secret_b64: str, ttl: timedelta) -> None:
        try:
            raw = base64.b64decode(secret_b64, validate=True)
        except ValueError:
            raise ValueError("REGSAFE_SECRET_KEY is not valid base64") from None
        if len(raw) < 32:
            raise ValueError("REGSAFE_SECRET_KEY must be base64 of at least 32 bytes")
        self._key = OctKey.import_key(raw)
        self.ttl = ttl
        # Tokens whose signature and fixed claims were checked, by their exact text: the
        # same text under the same key always checks the same way, so only the expiry
        # (which depends on the time) is checked again on every request. joserfc's
        # decode and claims check cost ~0.2 ms a request, most of a node(id:) lookup's
        # own CPU. Bounded; tokens that fail are never remembered.
        self._checked = lru_cache(maxsize=CHECKED_TOKENS)(self._check)

    def issue(self, *, user_id: int, session_id: uuid.UUID, now: datetime) -> tuple[str, datetime]:
        expires = now + self.ttl
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": secrets.token_hex(8),
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key), expires

    def decode(self, token: str, *, now: datetime) -> AccessClaims:
        claims = self._checked(token)
        at = now.timestamp()
        # joserfc's rules, against this request's time: expired at exp (less the
        # leeway); issued or valid only later than now (plus the leeway) is invalid.
        if claims.expires_at.timestamp() <= at - LEEWAY_SECONDS:
            raise TokenError(TokenProblem.TOKEN_EXPIRED)
        if claims.not_before > at + LEEWAY_SECONDS:
            raise TokenError(TokenProblem.TOKEN_INVALID)
        return claims

    def _check(self, token: str) -> AccessClaims:
        """Signature, issuer, audience and the claims every token must carry, and that
        they are well-formed; the time claims are compared with the request's time by
        ``decode``, so this part does not depend on the time and can be remembered."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
        except (JoseError, ValueError):
            raise TokenError(TokenProblem.TOKEN_INVALID) from None
        claims = decoded.claims
        try:
            # Checked at the token's own start: the time rules pass for any token whose
            # exp is after its iat/nbf, and the types of all claims are checked as ever.
            start = max(int(claims.get("iat", 0)), int(claims.get("nbf", 0)))
            registry = jwt.JWTClaimsRegistry(
                now=start,
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": ISSUER},
                aud={"essential": True, "value": AUDIENCE},
                exp={"essential": True},
                sub={"essential": True},
                sid={"essential": True},
            )
            registry.validate(claims)
            return AccessClaims(
                user_id=int(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                expires_at=datetime.fromtimestamp(claims["exp"]).astimezone(),
                not_before=start,
            )
        except (JoseError, KeyError, TypeError, ValueError, OverflowError):
            raise TokenError(TokenProblem.TOKEN_INVALID) from None


def new_opaque_token() -> tuple[str, bytes]:
    """A random bearer secret and the SHA-256 digest that is all the database keeps (256
    random bits need no slow or keyed hash)."""
    token = secrets.token_urlsafe(32)
    return token, hash_opaque_token(token)


def hash_opaque_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


# Refresh tokens and known-device tokens are both opaque tokens.
new_refresh_token = new_device_token = new_opaque_token
hash_refresh_token = hash_device_token = hash_opaque_token


@lru_cache(maxsize=8)
def access_codec(secret_b64: str, ttl_seconds: int) -> AccessTokenCodec:
    return AccessTokenCodec(secret_b64, timedelta(seconds=ttl_seconds))
