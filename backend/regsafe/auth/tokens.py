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
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
        except (JoseError, ValueError):
            raise TokenError(TokenProblem.TOKEN_INVALID) from None
        claims = decoded.claims
        try:
            registry = jwt.JWTClaimsRegistry(
                now=int(now.timestamp()),
                leeway=5,
                iss={"essential": True, "value": ISSUER},
                aud={"essential": True, "value": AUDIENCE},
                exp={"essential": True},
                sub={"essential": True},
                sid={"essential": True},
            )
            registry.validate(claims)
        except JoseError as exc:
            if getattr(exc, "error", "") == "expired_token":
                raise TokenError(TokenProblem.TOKEN_EXPIRED) from None
            raise TokenError(TokenProblem.TOKEN_INVALID) from None
        try:
            return AccessClaims(
                user_id=int(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                expires_at=datetime.fromtimestamp(claims["exp"]).astimezone(),
            )
        except (KeyError, ValueError):
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
