"""Identity and degree verification behind one interface (``IdentityVerifier``,
``DegreeVerifier``), with a local and an HTTP implementation of each.

Local implementations check what can be checked offline: the GB 11643 check character,
the area code format (a real province code), and birth date and gender against the
person record. They cannot prove that a person or a diploma exists; their explanations
say so ("本地校验：…（未联网核查）") and their ``source`` is ``"local"``.

HTTP implementations call the government services configured by URL
(REGSAFE_IDENTITY_VERIFIER_URL, REGSAFE_DEGREE_VERIFIER_URL). The contract, also in
docs/verification.md::

    POST <url>
    Content-Type: application/json
    Authorization: Bearer <REGSAFE_VERIFIER_TOKEN>        (only when configured)

    identity: {"name": "...", "idNumber": "..."}
    degree:   {"name": "...", "idNumber": "...", "certificateNumber": "..." | null,
               "school": "..." | null, "education": "..." | null}

    200 {"result": "MATCH" | "MISMATCH" | "NOT_FOUND", "message": "..."}

MATCH is VERIFIED; MISMATCH and NOT_FOUND are MISMATCH. Anything else (timeout, refused
connection, non-200 status, malformed JSON, an unknown result) is UNVERIFIED with the
reason in the explanation: a failure is never reported as VERIFIED. ID numbers are never
logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import httpx

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.settings import Settings
from regsafe.identity import rules as id_rules

log = logging.getLogger(__name__)

IDENTITY = "IDENTITY"
DEGREE = "DEGREE"


class VerificationStatus(StrEnum):
    VERIFIED = "VERIFIED"
    MISMATCH = "MISMATCH"
    UNVERIFIED = "UNVERIFIED"


@dataclass(frozen=True)
class VerificationResult:
    check: str  # IDENTITY or DEGREE
    status: VerificationStatus
    source: str  # "local" or "http:<host[:port]>"
    explanation: str  # Chinese, shown to reviewers
    checked_at: datetime  # aware UTC

    def to_json(self) -> dict[str, str]:
        """Plain dict for the application's JSONB ``verifications`` column."""
        return {
            "check": self.check,
            "status": self.status.value,
            "source": self.source,
            "explanation": self.explanation,
            "checked_at": self.checked_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VerificationResult:
        return cls(
            check=data["check"],
            status=VerificationStatus(data["status"]),
            source=data["source"],
            explanation=data["explanation"],
            checked_at=datetime.fromisoformat(data["checked_at"]),
        )


@dataclass(frozen=True)
class IdentityClaim:
    """The person record as stored."""

    name: str
    id_number: str
    birth_date: date
    gender: str  # MALE / FEMALE (identity.rules.Gender is a StrEnum, so it fits too)


@dataclass(frozen=True)
class DegreeClaim:
    name: str
    id_number: str
    certificate_number: str | None = None  # 学历证书编号
    school: str | None = None
    education: str | None = None


class IdentityVerifier(Protocol):
    async def verify(self, claim: IdentityClaim) -> VerificationResult: ...


class DegreeVerifier(Protocol):
    async def verify(self, claim: DegreeClaim) -> VerificationResult: ...


def _result(check: str, status: VerificationStatus, source: str, text: str) -> VerificationResult:
    return VerificationResult(check, status, source, text, utcnow())


# --- Local -----------------------------------------------------------------------------

# Province-level codes of GB/T 2260, plus 83 (港澳台居民居住证, GB 11643 numbers since
# 2018). Province codes have not been retired, unlike county codes, so a set is safe.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def _area_code_problem(number: str) -> str | None:
    """Why the area code cannot be real, or None.

    The 2023 foreign permanent residence card uses the same layout with a leading 9
    followed by the province code of the issuing office, so it is checked there.
    """
    area = id_rules.validate_region_code(number[:6])
    province = id_rules.province_of(area)[:2]
    if area.startswith("9"):
        province = area[1:3]
    if province not in _PROVINCES:
        return "身份证号码前6位不是有效的行政区划代码（省级代码不存在）"
    return None


class LocalIdentityVerifier:
    """Format and consistency only: VERIFIED here means "the number is well formed and
    agrees with the record", never "the person exists"; the explanation says so."""

    source = "local"

    async def verify(self, claim: IdentityClaim) -> VerificationResult:
        def out(status: VerificationStatus, text: str) -> VerificationResult:
            return _result(IDENTITY, status, self.source, f"本地校验：{text}（未联网核查）")

        try:
            parsed = id_rules.parse_id_number(claim.id_number, today=today_shanghai())
            area_problem = _area_code_problem(parsed.value)
        except id_rules.RuleViolation as v:
            return out(VerificationStatus.MISMATCH, v.message)
        if area_problem:
            return out(VerificationStatus.MISMATCH, area_problem)
        problems = []
        if parsed.birth_date != claim.birth_date:
            problems.append("出生日期")
        if parsed.gender != claim.gender:
            problems.append("性别")
        if problems:
            return out(
                VerificationStatus.MISMATCH,
                f"身份证号码中的{'与'.join(problems)}与人员信息不一致",
            )
        return out(
            VerificationStatus.VERIFIED,
            "身份证号码校验位与行政区划代码格式正确，出生日期与性别与人员信息一致；"
            "仅为格式与一致性校验，不能证明身份真实存在",
        )


# Diplomas since 2001 carry a 17- or 18-digit number (school code, year, level, serial).
_CERTIFICATE = re.compile(r"^[0-9]{17,18}$")


class LocalDegreeVerifier:
    """No degree registry offline: a malformed certificate number is the only finding;
    everything else stays UNVERIFIED."""

    source = "local"

    async def verify(self, claim: DegreeClaim) -> VerificationResult:
        def out(status: VerificationStatus, text: str) -> VerificationResult:
            return _result(DEGREE, status, self.source, text)

        number = id_rules.ascii_form(claim.certificate_number or "").strip().replace(" ", "")
        if not number:
            return out(VerificationStatus.UNVERIFIED, "未填写学历证书编号，未配置学历核验服务")
        if not _CERTIFICATE.match(number):
            return out(
                VerificationStatus.MISMATCH,
                "本地校验：学历证书编号应为17或18位数字（2001年以后颁发的证书）",
            )
        return out(VerificationStatus.UNVERIFIED, "未配置学历核验服务，学历证书编号格式正确")


# --- HTTP ------------------------------------------------------------------------------

_OUTCOMES = {
    "MATCH": (VerificationStatus.VERIFIED, "核验服务：信息一致"),
    "MISMATCH": (VerificationStatus.MISMATCH, "核验服务：信息不一致"),
    "NOT_FOUND": (VerificationStatus.MISMATCH, "核验服务：未查到相关记录"),
}


def _source_of(url: str) -> str:
    # host[:port] only: a URL may carry credentials, and the source is stored and shown.
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"http:{host}:{parts.port}" if parts.port else f"http:{host}"


class _HttpVerifier:
    check: ClassVar[str]

    def __init__(self, url: str, timeout_seconds: float = 5.0, *, token: str | None = None) -> None:
        self.url = url
        self.timeout_seconds = timeout_seconds
        self.token = token
        self.source = _source_of(url)

    def _out(self, status: VerificationStatus, text: str) -> VerificationResult:
        return _result(self.check, status, self.source, text)

    def _unverified(self, reason: str) -> VerificationResult:
        log.warning("%s verification unverified via %s: %s", self.check, self.source, reason)
        return self._out(VerificationStatus.UNVERIFIED, reason)

    async def _ask(self, body: dict[str, str | None]) -> VerificationResult:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            # httpx's timeout applies to each read; the outer one bounds the whole call,
            # so a server trickling bytes cannot hold the job.
            async with (
                asyncio.timeout(self.timeout_seconds),
                httpx.AsyncClient(timeout=self.timeout_seconds) as client,
            ):
                resp = await client.post(self.url, json=body, headers=headers)
        except (TimeoutError, httpx.TimeoutException):
            return self._unverified("核验服务超时")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return self._unverified(f"核验服务不可用（{type(exc).__name__}）")
        if resp.status_code != 200:
            return self._unverified(f"核验服务返回 HTTP {resp.status_code}")
        try:
            data = resp.json()
            result, message = data["result"], data.get("message")
        except (ValueError, KeyError, TypeError, AttributeError):
            return self._unverified("核验服务返回的内容无法解析")
        outcome = _OUTCOMES.get(result) if isinstance(result, str) else None
        if outcome is None:
            return self._unverified(f"核验服务返回未知结果：{str(result)[:40]}")
        status, text = outcome
        if isinstance(message, str) and message.strip():
            text = f"{text}（{message.strip()[:200]}）"
        return self._out(status, text)


class HttpIdentityVerifier(_HttpVerifier):
    check = IDENTITY

    async def verify(self, claim: IdentityClaim) -> VerificationResult:
        return await self._ask(
            {"name": claim.name, "idNumber": id_rules.normalize_id_number(claim.id_number)}
        )


class HttpDegreeVerifier(_HttpVerifier):
    check = DEGREE

    async def verify(self, claim: DegreeClaim) -> VerificationResult:
        return await self._ask(
            {
                "name": claim.name,
                "idNumber": id_rules.normalize_id_number(claim.id_number),
                "certificateNumber": claim.certificate_number,
                "school": claim.school,
                "education": claim.education,
            }
        )


def verifiers_from_settings(settings: Settings) -> tuple[IdentityVerifier, DegreeVerifier]:
    """HTTP where a URL is configured, else the local checks (each service on its own)."""
    timeout, token = settings.verifier_timeout_seconds, settings.verifier_token
    identity: IdentityVerifier = (
        HttpIdentityVerifier(settings.identity_verifier_url, timeout, token=token)
        if settings.identity_verifier_url
        else LocalIdentityVerifier()
    )
    degree: DegreeVerifier = (
        HttpDegreeVerifier(settings.degree_verifier_url, timeout, token=token)
        if settings.degree_verifier_url
        else LocalDegreeVerifier()
    )
    return identity, degree
