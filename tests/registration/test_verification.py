"""Verification adapters: the local checks, and the HTTP contract against a real local
HTTP server (success, mismatch, errors, slowness, refused connections)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from regsafe.identity.rules import id_check_character
from regsafe.registration.verification import (
    DegreeClaim,
    HttpDegreeVerifier,
    HttpIdentityVerifier,
    IdentityClaim,
    LocalDegreeVerifier,
    LocalIdentityVerifier,
    VerificationStatus,
)

FIRST17 = "44030519900101123"
GOOD = FIRST17 + id_check_character(FIRST17)
BAD_CHECK = FIRST17 + ("0" if id_check_character(FIRST17) != "0" else "1")


def claim(**kw: Any) -> IdentityClaim:
    base: dict[str, Any] = {
        "name": "张伟",
        "id_number": GOOD,
        "birth_date": date(1990, 1, 1),
        "gender": "MALE",
    }
    return IdentityClaim(**{**base, **kw})


async def test_local_identity_checks_digit_birth_date_and_gender() -> None:
    v = LocalIdentityVerifier()
    ok = await v.verify(claim())
    assert ok.status == VerificationStatus.VERIFIED and "未联网" in ok.explanation
    assert (await v.verify(claim(id_number=BAD_CHECK))).status == VerificationStatus.MISMATCH
    born = await v.verify(claim(birth_date=date(1990, 1, 2)))
    assert born.status == VerificationStatus.MISMATCH and "出生日期" in born.explanation
    sex = await v.verify(claim(gender="FEMALE"))
    assert sex.status == VerificationStatus.MISMATCH and "性别" in sex.explanation


async def test_local_degree_never_claims_verified() -> None:
    v = LocalDegreeVerifier()
    none = await v.verify(DegreeClaim(name="张伟", id_number=GOOD))
    assert none.status == VerificationStatus.UNVERIFIED
    bad = await v.verify(DegreeClaim(name="张伟", id_number=GOOD, certificate_number="12AB"))
    assert bad.status == VerificationStatus.MISMATCH
    fine = await v.verify(
        DegreeClaim(name="张伟", id_number=GOOD, certificate_number="105581201205001234")
    )
    assert fine.status == VerificationStatus.UNVERIFIED


class _Gov(BaseHTTPRequestHandler):
    """A stand-in for the government service: answers by the path's scenario."""

    seen: ClassVar[list[tuple[str, dict[str, Any], str | None]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Gov.seen.append((self.path, body, self.headers.get("Authorization")))
        scenario = self.path.strip("/")
        if scenario == "slow":
            time.sleep(1.0)  # the client has given up by now: writing may hit a closed pipe
        if scenario == "error":
            self.send_response(503)
            self.end_headers()
            return
        payload = {
            "match": b'{"result": "MATCH", "message": "\\u4e00\\u81f4"}',
            "mismatch": b'{"result": "MISMATCH", "message": "name differs"}',
            "notfound": b'{"result": "NOT_FOUND"}',
            "garbage": b"<html>oops</html>",
            "unknown": b'{"result": "MAYBE"}',
            "slow": b'{"result": "MATCH"}',
        }[scenario]
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def gov() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gov)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("match", VerificationStatus.VERIFIED),
        ("mismatch", VerificationStatus.MISMATCH),
        ("notfound", VerificationStatus.MISMATCH),
        ("error", VerificationStatus.UNVERIFIED),
        ("garbage", VerificationStatus.UNVERIFIED),
        ("unknown", VerificationStatus.UNVERIFIED),
        ("slow", VerificationStatus.UNVERIFIED),
    ],
)
async def test_http_identity_contract(gov: str, scenario: str, expected: str) -> None:
    v = HttpIdentityVerifier(f"{gov}/{scenario}", timeout_seconds=0.3, token="s3cret")
    result = await v.verify(claim())
    assert result.status == expected, result
    assert result.source.startswith("http:127.0.0.1")
    path, body, auth = _Gov.seen[-1]
    assert path == f"/{scenario}"
    assert body == {"name": "张伟", "idNumber": GOOD}
    assert auth == "Bearer s3cret"
    if scenario == "slow":
        assert "超时" in result.explanation


async def test_http_degree_sends_the_documented_fields(gov: str) -> None:
    v = HttpDegreeVerifier(f"{gov}/match")
    result = await v.verify(
        DegreeClaim(
            name="张伟",
            id_number=GOOD,
            certificate_number="105581201205001234",
            school="华南理工大学",
            education="BACHELOR",
        )
    )
    assert result.status == VerificationStatus.VERIFIED
    _, body, auth = _Gov.seen[-1]
    assert set(body) == {"name", "idNumber", "certificateNumber", "school", "education"}
    assert auth is None


async def test_refused_connection_is_unverified_never_verified() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nobody listens there
    result = await HttpIdentityVerifier(f"http://127.0.0.1:{port}/x").verify(claim())
    assert result.status == VerificationStatus.UNVERIFIED
    assert result.to_json()["status"] == "UNVERIFIED"
