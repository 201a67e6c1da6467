"""Access tokens: a token's signature and fixed claims are checked once and remembered,
but its time claims are compared with every request's time, so a remembered token still
expires, a token not yet valid stays refused until it is, and a tampered one is refused
every time."""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from regsafe.auth.errors import TokenProblem
from regsafe.auth.tokens import AUDIENCE, ISSUER, AccessTokenCodec, TokenError

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
SECRET = base64.b64encode(os.urandom(32)).decode()


def _problem(codec: AccessTokenCodec, token: str, at: datetime) -> TokenProblem | None:
    try:
        codec.decode(token, now=at)
    except TokenError as exc:
        return exc.problem
    return None


def _signed(claims: dict[str, object]) -> str:
    key = OctKey.import_key(base64.b64decode(SECRET))
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, key)


def test_a_remembered_token_still_expires() -> None:
    codec = AccessTokenCodec(SECRET, timedelta(minutes=15))
    sid = uuid.uuid4()
    token, expires = codec.issue(user_id=7, session_id=sid, now=NOW)
    # checked once (and remembered) while valid
    claims = codec.decode(token, now=NOW)
    assert (claims.user_id, claims.session_id) == (7, sid)
    assert codec.decode(token, now=NOW + timedelta(minutes=14)) == claims
    # the same text after its expiry (beyond the 5 s leeway) is expired, not remembered valid
    assert _problem(codec, token, expires + timedelta(seconds=6)) is TokenProblem.TOKEN_EXPIRED
    assert _problem(codec, token, expires + timedelta(seconds=4)) is None


def test_tampered_and_foreign_tokens_are_refused_every_time() -> None:
    codec = AccessTokenCodec(SECRET, timedelta(minutes=15))
    token, _ = codec.issue(user_id=7, session_id=uuid.uuid4(), now=NOW)
    head, body, signature = token.split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    for _ in range(2):
        assert _problem(codec, f"{head}.{body}.{flipped}", NOW) is TokenProblem.TOKEN_INVALID
    other = AccessTokenCodec(base64.b64encode(os.urandom(32)).decode(), timedelta(minutes=15))
    assert _problem(other, token, NOW) is TokenProblem.TOKEN_INVALID


def test_time_claims_are_checked_against_each_request() -> None:
    codec = AccessTokenCodec(SECRET, timedelta(minutes=15))
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "7", "sid": str(uuid.uuid4())}
    start = int((NOW + timedelta(minutes=10)).timestamp())
    later = _signed({**base, "nbf": start, "exp": start + 600})
    # not valid yet: refused now, accepted once its time has come
    assert _problem(codec, later, NOW) is TokenProblem.TOKEN_INVALID
    assert _problem(codec, later, NOW + timedelta(minutes=10)) is None
    assert _problem(codec, later, NOW) is TokenProblem.TOKEN_INVALID
    # malformed time claims and missing essentials are invalid whatever the time
    for bad in (
        {**base, "exp": "soon"},
        {**base, "exp": start, "iat": start + 60},
        {k: v for k, v in base.items() if k != "sid"} | {"exp": start},
        {**base, "aud": "someone-else", "exp": start},
    ):
        assert _problem(codec, _signed(bad), NOW) is TokenProblem.TOKEN_INVALID, bad


@pytest.mark.parametrize("garbage", ["", "a.b.c", "x" * 5000, "\x00.\x00.\x00"])
def test_garbage_is_invalid(garbage: str) -> None:
    codec = AccessTokenCodec(SECRET, timedelta(minutes=15))
    assert _problem(codec, garbage, NOW) is TokenProblem.TOKEN_INVALID
