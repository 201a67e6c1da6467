"""The certificate's canonical payload: public fields as RFC 8785 (JCS) JSON bytes.

Canonical JSON rather than deterministic CBOR: the signed bytes are readable in a bundle,
a browser verifies them with ``JSON`` and WebCrypto alone, and the W3C VC export
(``eddsa-jcs-2022``) uses the same canonicalisation. Parsing is strict: the bytes must be
exactly what ``to_bytes`` produces (no duplicate, unknown or missing keys, no other
spelling of the same value), so one payload has one byte string and one signature input.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import rfc8785

from regsafe.certificates.numbers import InvalidNumber, parse_number
from regsafe.core.errors import DomainError
from regsafe.identity.models import Specialty

PAYLOAD_VERSION = 1
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")  # GB 32100 alphabet
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_TEXT = 100


class IssueKind(StrEnum):
    """How the certificate came to be: 初始/重新/逾期初始 → ISSUED, 延续, 变更, 补证."""

    ISSUED = "ISSUED"
    RENEWED = "RENEWED"
    CHANGED = "CHANGED"
    REISSUED = "REISSUED"


class PayloadErrorCode(StrEnum):
    NOT_JSON = "NOT_JSON"
    NOT_OBJECT = "NOT_OBJECT"
    DUPLICATE_FIELD = "DUPLICATE_FIELD"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    MISSING_FIELD = "MISSING_FIELD"
    BAD_VALUE = "BAD_VALUE"
    UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION"
    NOT_CANONICAL = "NOT_CANONICAL"


class PayloadError(DomainError):
    """Bytes or values that are not a valid canonical certificate payload."""

    def __init__(self, code: PayloadErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(code, message, field)
        self.code: PayloadErrorCode = code


def _bad(field: str, message: str) -> PayloadError:
    return PayloadError(PayloadErrorCode.BAD_VALUE, f"{field}: {message}", field)


def _text(field: str, value: object, *, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str):
        raise _bad(field, "应为字符串")
    # NFC so that the same visible text is the same bytes; RFC 8785 does not normalise.
    value = unicodedata.normalize("NFC", value)
    if not value or value != value.strip() or len(value) > MAX_TEXT or _CONTROL.search(value):
        raise _bad(field, "为空、过长、首尾有空白或含控制字符")
    if pattern is not None and not pattern.match(value):
        raise _bad(field, "格式不正确")
    return value


@dataclass(frozen=True, slots=True)
class CertificatePayload:
    """注册证书的公开字段, the signed content of a registration certificate."""

    number: str
    holder_name_masked: str
    id_number_masked: str
    holder_blind_index: str  # hex of the identity domain's 32-byte keyed hash
    specialty: Specialty
    employer_name: str
    employer_credit_code: str
    valid_from: date
    valid_until: date
    issued_at: datetime  # normalised to UTC, whole seconds
    kind: IssueKind
    previous_number: str | None
    status_list_index: int
    key_id: str
    version: int = PAYLOAD_VERSION

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if self.version != PAYLOAD_VERSION:
            raise PayloadError(PayloadErrorCode.UNSUPPORTED_VERSION, f"不支持的版本 {self.version}")
        try:
            parsed = parse_number(self.number)
        except InvalidNumber as exc:
            raise _bad("number", exc.message) from exc
        if str(parsed) != self.number:
            raise _bad("number", "证书编号应为规范写法")
        for name in ("holder_name_masked", "id_number_masked", "employer_name"):
            set_(self, name, _text(name, getattr(self, name)))
        _text("holder_blind_index", self.holder_blind_index, pattern=_HEX64)
        _text("employer_credit_code", self.employer_credit_code, pattern=_CREDIT_CODE)
        _text("key_id", self.key_id, pattern=_KEY_ID)
        try:
            set_(self, "specialty", Specialty(self.specialty))
            set_(self, "kind", IssueKind(self.kind))
        except ValueError as exc:
            raise _bad("specialty/kind", str(exc)) from exc
        if parsed.specialty != self.specialty:
            raise _bad("specialty", "与证书编号中的专业代码不一致")
        for name in ("valid_from", "valid_until"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise _bad(name, "应为日期")
        if self.valid_until <= self.valid_from:
            raise _bad("valid_until", "有效期截止日应晚于起始日")
        issued = self.issued_at
        if not isinstance(issued, datetime) or issued.utcoffset() is None:
            raise _bad("issued_at", "应为带时区的时间")
        set_(self, "issued_at", issued.astimezone(UTC).replace(microsecond=0))
        if self.previous_number is not None:
            try:
                previous = str(parse_number(self.previous_number))
            except InvalidNumber as exc:
                raise _bad("previous_number", exc.message) from exc
            if previous != self.previous_number or previous == self.number:
                raise _bad("previous_number", "应为另一证书编号的规范写法")
        elif self.kind is not IssueKind.ISSUED:
            raise _bad("previous_number", "延续、变更、补证须关联原证书编号")
        index = self.status_list_index
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise _bad("status_list_index", "应为非负整数")

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "holder_name_masked": self.holder_name_masked,
            "id_number_masked": self.id_number_masked,
            "holder_blind_index": self.holder_blind_index,
            "specialty": self.specialty.value,
            "employer_name": self.employer_name,
            "employer_credit_code": self.employer_credit_code,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "issued_at": self.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kind": self.kind.value,
            "previous_number": self.previous_number,
            "status_list_index": self.status_list_index,
            "key_id": self.key_id,
            "version": self.version,
        }

    def to_bytes(self) -> bytes:
        """The RFC 8785 canonical UTF-8 bytes: what is signed, logged and put in the QR."""
        return rfc8785.dumps(self.to_json_dict())

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> CertificatePayload:
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise PayloadError(PayloadErrorCode.UNKNOWN_FIELD, f"未知字段 {unknown}", unknown[0])
        missing = [n for n in names if n not in data]
        if missing:
            raise PayloadError(PayloadErrorCode.MISSING_FIELD, f"缺少字段 {missing}", missing[0])
        values = dict(data)
        for name in ("valid_from", "valid_until"):
            values[name] = _parse(name, data[name], date.fromisoformat)
        values["issued_at"] = _parse("issued_at", data["issued_at"], _parse_utc)
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int):
            raise _bad("version", "应为整数")
        return cls(**values)

    @classmethod
    def from_bytes(cls, raw: bytes) -> CertificatePayload:
        """Parse canonical bytes; anything ``to_bytes`` would not produce is refused."""
        try:
            data = json.loads(
                raw.decode("utf-8"),
                object_pairs_hook=_no_duplicates,
                parse_constant=_no_constants,
            )
        except PayloadError:
            raise
        except (UnicodeDecodeError, ValueError) as exc:
            raise PayloadError(PayloadErrorCode.NOT_JSON, "不是有效的 UTF-8 JSON") from exc
        if not isinstance(data, dict):
            raise PayloadError(PayloadErrorCode.NOT_OBJECT, "应为 JSON 对象")
        payload = cls.from_json_dict(data)
        if payload.to_bytes() != raw:
            raise PayloadError(PayloadErrorCode.NOT_CANONICAL, "不是 RFC 8785 规范编码")
        return payload


def _parse_utc(text: str) -> datetime:
    if not text.endswith("Z"):
        raise ValueError("not UTC")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _parse(field: str, value: object, parser: Any) -> Any:
    if not isinstance(value, str):
        raise _bad(field, "应为字符串")
    try:
        return parser(value)
    except ValueError as exc:
        raise _bad(field, "日期或时间格式不正确") from exc


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise PayloadError(PayloadErrorCode.DUPLICATE_FIELD, f"字段重复: {key}", key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise PayloadError(PayloadErrorCode.NOT_JSON, f"不允许 {name}")


@dataclass(frozen=True, slots=True)
class SignedPayload:
    """Canonical payload bytes with the issuer's signature over exactly those bytes."""

    payload: bytes
    key_id: str
    signature: bytes

    def certificate(self) -> CertificatePayload:
        return CertificatePayload.from_bytes(self.payload)


class EndKind(StrEnum):
    REVOKED = "REVOKED"  # 撤销, with a reason
    CANCELLED = "CANCELLED"  # 注销


@dataclass(frozen=True, slots=True)
class RevocationRecord:
    """撤销/注销记录: the signed, logged statement that a certificate ended, and why."""

    number: str
    kind: EndKind
    effective_at: datetime
    reason: str
    status_list_index: int
    key_id: str
    version: int = PAYLOAD_VERSION

    def __post_init__(self) -> None:
        if self.version != PAYLOAD_VERSION:
            raise PayloadError(PayloadErrorCode.UNSUPPORTED_VERSION, f"不支持的版本 {self.version}")
        try:
            if str(parse_number(self.number)) != self.number:
                raise _bad("number", "证书编号应为规范写法")
            object.__setattr__(self, "kind", EndKind(self.kind))
        except (InvalidNumber, ValueError) as exc:
            raise _bad("number/kind", str(exc)) from exc
        object.__setattr__(self, "reason", _text("reason", self.reason))
        _text("key_id", self.key_id, pattern=_KEY_ID)
        at = self.effective_at
        if not isinstance(at, datetime) or at.utcoffset() is None:
            raise _bad("effective_at", "应为带时区的时间")
        object.__setattr__(self, "effective_at", at.astimezone(UTC).replace(microsecond=0))
        index = self.status_list_index
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise _bad("status_list_index", "应为非负整数")

    def to_bytes(self) -> bytes:
        return rfc8785.dumps(
            {
                "type": "revocation",
                "number": self.number,
                "kind": self.kind.value,
                "effective_at": self.effective_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "reason": self.reason,
                "status_list_index": self.status_list_index,
                "key_id": self.key_id,
                "version": self.version,
            }
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> RevocationRecord:
        try:
            data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except PayloadError:
            raise
        except (UnicodeDecodeError, ValueError) as exc:
            raise PayloadError(PayloadErrorCode.NOT_JSON, "不是有效的 UTF-8 JSON") from exc
        expected = {"type", "number", "kind", "effective_at", "reason", "status_list_index",
                    "key_id", "version"}  # fmt: skip
        if not isinstance(data, dict) or set(data) != expected or data["type"] != "revocation":
            raise PayloadError(PayloadErrorCode.NOT_OBJECT, "不是撤销记录")
        del data["type"]
        data["effective_at"] = _parse("effective_at", data["effective_at"], _parse_utc)
        record = cls(**data)
        if record.to_bytes() != raw:
            raise PayloadError(PayloadErrorCode.NOT_CANONICAL, "不是 RFC 8785 规范编码")
        return record
