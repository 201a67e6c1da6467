"""Identity and degree verification behind one interface.

Local implementations check what can be checked offline (GB 11643 check character,
birth date and gender against the person record, area code format). HTTP
implementations call the government services configured by URL. The contract (also in
docs/verification.md)::

    POST <url>  {"name": "...", "idNumber": "...",
                 ["certificateNumber", "school", "education" for degrees]}
    200         {"result": "MATCH" | "MISMATCH" | "NOT_FOUND", "message": "..."}

Anything else — timeout, refused connection, non-200, malformed JSON, an unknown result
— is UNVERIFIED with the reason. A failure is never reported as VERIFIED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.settings import Settings
from regsafe.identity import rules as id_rules


class VerificationStatus(StrEnum):
    VERIFIED = "VERIFIED"
    MISMATCH = "MISMATCH"
    UNVERIFIED = "UNVERIFIED"


@dataclass(frozen=True)
class VerificationResult:
    check: str  # IDENTITY or DEGREE
    status: VerificationStatus
    source: str
    explanation: str
    checked_at: datetime

    def to_json(self) -> dict[str, str]:
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
    gender: str  # MALE / FEMALE


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


class LocalIdentityVerifier:
    """Format and consistency only: it cannot prove the person exists, and says so."""

    async def verify(self, claim: IdentityClaim) -> VerificationResult:
        def out(status: VerificationStatus, text: str) -> VerificationResult:
            return _result("IDENTITY", status, "local", text)

        try:
            parsed = id_rules.parse_id_number(claim.id_number, today=today_shanghai())
        except id_rules.RuleViolation as v:
            return out(VerificationStatus.MISMATCH, f"本地校验：{v.message}")
        if parsed.birth_date != claim.birth_date:
            return out(VerificationStatus.MISMATCH, "本地校验：出生日期与身份证号码不一致")
        if parsed.gender.value != claim.gender:
            return out(VerificationStatus.MISMATCH, "本地校验：性别与身份证号码不一致")
        return out(
            VerificationStatus.VERIFIED,
            "本地校验：校验位正确，出生日期、性别与人员信息一致（未联网核查）",
        )


class LocalDegreeVerifier:
    """No degree registry offline: only a malformed certificate number is a finding."""

    async def verify(self, claim: DegreeClaim) -> VerificationResult:
        number = (claim.certificate_number or "").strip()
        if not number:
            return _result("DEGREE", VerificationStatus.UNVERIFIED, "local", "未填写学历证书编号")
        if not (number.isdigit() and 17 <= len(number) <= 18):
            return _result(
                "DEGREE",
                VerificationStatus.MISMATCH,
                "local",
                "本地校验：学历证书编号应为17或18位数字",
            )
        return _result("DEGREE", VerificationStatus.UNVERIFIED, "local", "未配置学历核验服务")


class _HttpVerifier:
    check = ""

    def __init__(self, url: str, *, timeout_seconds: float = 5.0, token: str | None = None):
        self.url = url
        self.timeout = timeout_seconds
        self.token = token
        self.source = f"http:{urlsplit(url).netloc}"

    async def _ask(self, body: dict[str, Any]) -> VerificationResult:
        def out(status: VerificationStatus, text: str) -> VerificationResult:
            return _result(self.check, status, self.source, text)

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                resp = await client.post(self.url, json=body, headers=headers)
        except httpx.TimeoutException:
            return out(VerificationStatus.UNVERIFIED, "核验服务超时")
        except httpx.HTTPError as exc:
            return out(VerificationStatus.UNVERIFIED, f"核验服务不可用（{type(exc).__name__}）")
        if resp.status_code != 200:
            return out(VerificationStatus.UNVERIFIED, f"核验服务返回 HTTP {resp.status_code}")
        try:
            data = resp.json()
            result, message = data["result"], str(data.get("message", ""))
        except (ValueError, KeyError, TypeError):
            return out(VerificationStatus.UNVERIFIED, "核验服务返回的内容无法解析")
        if result == "MATCH":
            return out(VerificationStatus.VERIFIED, message or "核验一致")
        if result in ("MISMATCH", "NOT_FOUND"):
            return out(VerificationStatus.MISMATCH, message or f"核验结果：{result}")
        return out(VerificationStatus.UNVERIFIED, f"核验服务返回未知结果：{result}")


class HttpIdentityVerifier(_HttpVerifier):
    check = "IDENTITY"

    async def verify(self, claim: IdentityClaim) -> VerificationResult:
        return await self._ask({"name": claim.name, "idNumber": claim.id_number})


class HttpDegreeVerifier(_HttpVerifier):
    check = "DEGREE"

    async def verify(self, claim: DegreeClaim) -> VerificationResult:
        return await self._ask(
            {
                "name": claim.name,
                "idNumber": claim.id_number,
                "certificateNumber": claim.certificate_number,
                "school": claim.school,
                "education": claim.education,
            }
        )


def verifiers_from_settings(settings: Settings) -> tuple[IdentityVerifier, DegreeVerifier]:
    """HTTP where a URL is configured, else the local checks."""
    options: dict[str, Any] = {
        "timeout_seconds": settings.verifier_timeout_seconds,
        "token": settings.verifier_token,
    }
    identity: IdentityVerifier = (
        HttpIdentityVerifier(settings.identity_verifier_url, **options)
        if settings.identity_verifier_url
        else LocalIdentityVerifier()
    )
    degree: DegreeVerifier = (
        HttpDegreeVerifier(settings.degree_verifier_url, **options)
        if settings.degree_verifier_url
        else LocalDegreeVerifier()
    )
    return identity, degree
