"""Verification adapters: the local checks, and the HTTP contract against a real local
HTTP server (match, mismatch, not found, errors, slowness, refused connections)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from regsafe.core.clock import utcnow
from regsafe.core.settings import Settings
from regsafe.identity.rules import id_check_character
from regsafe.registration.verification import (
    DegreeClaim,
    HttpDegreeVerifier,
    HttpIdentityVerifier,
    IdentityClaim,
    LocalDegreeVerifier,
    LocalIdentityVerifier,
    VerificationResult,
    VerificationStatus,
    verifiers_from_settings,
)


def id_number(first17: str) -> str:
    return first17 + id_check_character(first17)


FIRST17 = "44030519900101123"  # Shenzhen Nanshan, 1990-01-01, odd sequence: male
GOOD = id_number(FIRST17)
BAD_CHECK = FIRST17 + ("0" if GOOD[-1] != "0" else "1")
DIPLOMA = "105611201205001234"
IDENTITY_KEYS = {"name", "idNumber"}
DEGREE_KEYS = {"name", "idNumber", "certificateNumber", "school", "education"}


def claim(**kw: Any) -> IdentityClaim:
    base: dict[str, Any] = {
        "name": "张伟",
        "id_number": GOOD,
        "birth_date": date(1990, 1, 1),
        "gender": "MALE",
    }
    return IdentityClaim(**{**base, **kw})


def degree(**kw: Any) -> DegreeClaim:
    base: dict[str, Any] = {
        "name": "张伟",
        "id_number": GOOD,
        "certificate_number": DIPLOMA,
        "school": "华南理工大学",
        "education": "BACHELOR",
    }
    return DegreeClaim(**{**base, **kw})


# --- Local -----------------------------------------------------------------------------


async def test_local_identity_accepts_a_consistent_number_and_says_it_is_offline() -> None:
    result = await LocalIdentityVerifier().verify(claim())
    assert result.status == VerificationStatus.VERIFIED
    assert result.check == "IDENTITY" and result.source == "local"
    assert "未联网" in result.explanation and "不能证明" in result.explanation
    assert result.checked_at.tzinfo is UTC
    # full-width digits, as typed with a Chinese input method, are the same number
    wide = GOOD.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert (await LocalIdentityVerifier().verify(claim(id_number=wide))).status == "VERIFIED"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"id_number": BAD_CHECK}, "校验位"),
        ({"birth_date": date(1990, 1, 2)}, "出生日期"),
        ({"gender": "FEMALE"}, "性别"),
        ({"birth_date": date(1991, 1, 1), "gender": "FEMALE"}, "出生日期与性别"),
        ({"id_number": id_number("99030519900101123")}, "行政区划"),  # no province 90 or 99
        ({"id_number": id_number("44030519901301123")}, "出生日期"),  # month 13
        ({"id_number": "4403051990"}, "18位"),
    ],
)
async def test_local_identity_mismatches(changes: dict[str, Any], words: str) -> None:
    result = await LocalIdentityVerifier().verify(claim(**changes))
    assert result.status == VerificationStatus.MISMATCH
    assert words in result.explanation, result.explanation


async def test_local_identity_accepts_residence_permit_and_foreign_permanent_numbers() -> None:
    for first17 in ("83000019900101123", "94401319900101123"):
        result = await LocalIdentityVerifier().verify(claim(id_number=id_number(first17)))
        assert result.status == VerificationStatus.VERIFIED, result


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (None, VerificationStatus.UNVERIFIED),
        ("  ", VerificationStatus.UNVERIFIED),
        (DIPLOMA, VerificationStatus.UNVERIFIED),  # well formed, but nobody to ask
        (DIPLOMA[:17], VerificationStatus.UNVERIFIED),
        ("12AB", VerificationStatus.MISMATCH),
        (DIPLOMA + "9", VerificationStatus.MISMATCH),
        ("1056112012050012", VerificationStatus.MISMATCH),
    ],
)
async def test_local_degree_never_claims_verified(
    number: str | None, expected: VerificationStatus
) -> None:
    result = await LocalDegreeVerifier().verify(degree(certificate_number=number))
    assert result.status == expected
    assert result.check == "DEGREE" and result.source == "local"
    if expected == VerificationStatus.UNVERIFIED:
        assert "未配置学历核验服务" in result.explanation


def test_result_json_round_trip() -> None:
    result = VerificationResult(
        "IDENTITY",
        VerificationStatus.MISMATCH,
        "http:gov.example",
        "核验服务：信息不一致",
        utcnow(),
    )
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data  # plain JSON for the JSONB column
    assert data["status"] == "MISMATCH"
    assert VerificationResult.from_json(data) == result


# --- HTTP contract ---------------------------------------------------------------------


@dataclass
class Seen:
    path: str
    body: Any
    content_type: str | None
    authorization: str | None


class _Gov(BaseHTTPRequestHandler):
    """A stand-in for the government service: answers by the path's scenario."""

    seen: ClassVar[list[Seen]] = []
    payloads: ClassVar[dict[str, bytes]] = {
        "match": json.dumps({"result": "MATCH", "message": "姓名与身份证号码一致"}).encode(),
        "mismatch": b'{"result": "MISMATCH", "message": "name differs"}',
        "notfound": b'{"result": "NOT_FOUND"}',
        "garbage": b"<html>oops</html>",
        "list": b'["MATCH"]',
        "unknown": b'{"result": "MAYBE", "message": "ok"}',
        "slow": b'{"result": "MATCH"}',
    }

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        _Gov.seen.append(
            Seen(
                self.path,
                json.loads(raw),
                self.headers.get("Content-Type"),
                self.headers.get("Authorization"),
            )
        )
        scenario = self.path.strip("/")
        if scenario == "slow":
            time.sleep(5.0)  # the client gave up at 0.3 s: the write may hit a closed pipe
        try:
            if scenario in ("500", "503"):
                self.send_response(int(scenario))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"result": "MATCH"}')  # a body must not rescue an error
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(self.payloads[scenario])
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
    server.server_close()
    thread.join(timeout=5)


def last_request(scenario: str) -> Seen:
    seen = _Gov.seen[-1]
    assert seen.path == f"/{scenario}"
    assert seen.content_type == "application/json"
    return seen


SCENARIOS = [
    ("match", VerificationStatus.VERIFIED, "一致"),
    ("mismatch", VerificationStatus.MISMATCH, "不一致"),
    ("notfound", VerificationStatus.MISMATCH, "未查到"),
    ("500", VerificationStatus.UNVERIFIED, "HTTP 500"),
    ("503", VerificationStatus.UNVERIFIED, "HTTP 503"),
    ("garbage", VerificationStatus.UNVERIFIED, "无法解析"),
    ("list", VerificationStatus.UNVERIFIED, "无法解析"),
    ("unknown", VerificationStatus.UNVERIFIED, "未知结果"),
    ("slow", VerificationStatus.UNVERIFIED, "超时"),
]


@pytest.mark.parametrize(("scenario", "expected", "words"), SCENARIOS)
async def test_http_identity_contract(
    gov: str, scenario: str, expected: VerificationStatus, words: str
) -> None:
    v = HttpIdentityVerifier(f"{gov}/{scenario}", timeout_seconds=0.3, token="s3cret")
    started = time.monotonic()
    result = await v.verify(claim())
    # the timeout bounds the whole call: the slow server answers only after 5 s (a wide
    # margin, so that a loaded machine cannot fail it; the answer's words say 超时 too)
    assert time.monotonic() - started < 4.0
    assert result.status == expected, result
    assert words in result.explanation, result.explanation
    assert result.check == "IDENTITY" and result.source == f"http:{gov.removeprefix('http://')}"
    seen = last_request(scenario)
    assert seen.body == {"name": "张伟", "idNumber": GOOD}
    assert set(seen.body) == IDENTITY_KEYS
    assert seen.authorization == "Bearer s3cret"


@pytest.mark.parametrize(("scenario", "expected", "words"), SCENARIOS)
async def test_http_degree_contract(
    gov: str, scenario: str, expected: VerificationStatus, words: str
) -> None:
    v = HttpDegreeVerifier(f"{gov}/{scenario}", timeout_seconds=0.3)
    result = await v.verify(degree())
    assert result.status == expected, result
    assert words in result.explanation, result.explanation
    assert result.check == "DEGREE"
    seen = last_request(scenario)
    assert set(seen.body) == DEGREE_KEYS
    assert seen.body == {
        "name": "张伟",
        "idNumber": GOOD,
        "certificateNumber": DIPLOMA,
        "school": "华南理工大学",
        "education": "BACHELOR",
    }
    assert seen.authorization is None  # no token configured, no header


async def test_http_degree_sends_missing_fields_as_null(gov: str) -> None:
    await HttpDegreeVerifier(f"{gov}/notfound").verify(
        degree(certificate_number=None, school=None, education=None)
    )
    body = last_request("notfound").body
    assert set(body) == DEGREE_KEYS
    assert body["certificateNumber"] is None and body["school"] is None


async def test_http_sends_the_normalized_id_number(gov: str) -> None:
    await HttpIdentityVerifier(f"{gov}/match").verify(claim(id_number=f" {GOOD.lower()} "))
    assert last_request("match").body["idNumber"] == GOOD


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: nobody listens there


async def test_refused_connection_is_unverified_never_verified(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/x"
    for result in (
        await HttpIdentityVerifier(url, timeout_seconds=2).verify(claim()),
        await HttpDegreeVerifier(url, timeout_seconds=2).verify(degree()),
    ):
        assert result.status == VerificationStatus.UNVERIFIED
        assert "不可用" in result.explanation
        assert result.to_json()["status"] == "UNVERIFIED"
    assert GOOD not in caplog.text  # failures are logged, the ID number is not


def test_source_never_carries_url_credentials() -> None:
    v = HttpIdentityVerifier("https://user:pw@gov.example/verify")
    assert v.source == "http:gov.example"


def test_verifiers_from_settings() -> None:
    unset = {"identity_verifier_url": None, "degree_verifier_url": None}
    identity, degree_ = verifiers_from_settings(Settings(**unset))
    assert isinstance(identity, LocalIdentityVerifier)
    assert isinstance(degree_, LocalDegreeVerifier)
    identity, degree_ = verifiers_from_settings(
        Settings(
            identity_verifier_url="http://id.example/v",
            degree_verifier_url="http://chsi.example/v",
            verifier_token="t",
            verifier_timeout_seconds=2.5,
        )
    )
    assert isinstance(identity, HttpIdentityVerifier) and identity.url == "http://id.example/v"
    assert identity.timeout_seconds == 2.5 and identity.token == "t"
    assert isinstance(degree_, HttpDegreeVerifier) and degree_.source == "http:chsi.example"
    # each service is configured on its own
    identity, degree_ = verifiers_from_settings(
        Settings(**{**unset, "degree_verifier_url": "http://x/v"})
    )
    assert isinstance(identity, LocalIdentityVerifier)
    assert isinstance(degree_, HttpDegreeVerifier)
