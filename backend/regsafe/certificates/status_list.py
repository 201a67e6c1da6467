"""Revocation status list (吊销状态列表), W3C Bitstring Status List v1.0 style.

Each certificate has an index; bit 1 means revoked (or cancelled). Bit 0 is the leftmost
(most significant) bit of the first byte. The list is at least 16 KiB (131,072 entries),
the spec's privacy minimum, so fetching it tells the server nothing about which
certificate a verifier checks. ``encodedList`` is multibase base64url (prefix ``u``, no
padding) of the GZIP-compressed bitstring. The signed document adds a list id, an issue
time and an expiry (short caching: a verifier refuses a stale list), signed over its
RFC 8785 canonical JSON.
"""

from __future__ import annotations

import binascii
import gzip
import json
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import rfc8785

from regsafe.certificates.signing import KeyRing, Signer, UnknownKey, b64url, b64url_decode

MIN_BYTES = 16 * 1024  # 131,072 entries
MAX_BYTES = 16 * 1024 * 1024  # refuses decompression bombs
_TIME = "%Y-%m-%dT%H:%M:%SZ"


class StatusListError(ValueError):
    """A list or list document that cannot be decoded."""


class StatusList:
    """A mutable bitstring of certificate statuses."""

    def __init__(self, data: bytes | bytearray | None = None, *, entries: int = 0) -> None:
        size = max(MIN_BYTES, -(-entries // 8))
        raw = bytearray(data) if data is not None else bytearray(size)
        if len(raw) < MIN_BYTES:
            raise StatusListError(f"status list must be at least {MIN_BYTES} bytes")
        self._bits = raw

    def __len__(self) -> int:
        return len(self._bits) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < len(self):
            raise IndexError(f"status index {index} outside 0..{len(self) - 1}")
        return index >> 3, 0x80 >> (index & 7)

    def get(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bits[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        byte, mask = self._locate(index)
        if value:
            self._bits[byte] |= mask
        else:
            self._bits[byte] &= ~mask & 0xFF

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def encode(self) -> str:
        """``u`` + base64url(GZIP(bits)); mtime 0 so equal lists encode identically."""
        return "u" + b64url(gzip.compress(bytes(self._bits), compresslevel=9, mtime=0))

    @classmethod
    def decode(cls, text: str) -> StatusList:
        if not isinstance(text, str) or not text.startswith("u"):
            raise StatusListError("encodedList must be multibase base64url ('u' prefix)")
        try:
            compressed = b64url_decode(text[1:])
            inflater = zlib.decompressobj(wbits=31)  # gzip container
            raw = inflater.decompress(compressed, MAX_BYTES + 1)
            if len(raw) > MAX_BYTES or not inflater.eof or inflater.unused_data:
                raise StatusListError("status list too large or trailing data")
        except (ValueError, binascii.Error, zlib.error) as exc:
            raise StatusListError(f"bad encodedList: {exc}") from exc
        return cls(raw)


@dataclass(frozen=True, slots=True)
class SignedStatusList:
    list_id: str
    purpose: str  # "revocation"
    issued_at: datetime
    valid_until: datetime
    encoded_list: str
    key_id: str
    signature: bytes

    def _unsigned(self) -> dict[str, Any]:
        return {
            "type": "RegSafeStatusList",
            "version": 1,
            "list_id": self.list_id,
            "purpose": self.purpose,
            "issued_at": self.issued_at.astimezone(UTC).strftime(_TIME),
            "valid_until": self.valid_until.astimezone(UTC).strftime(_TIME),
            "encoded_list": self.encoded_list,
            "key_id": self.key_id,
        }

    def message(self) -> bytes:
        return rfc8785.dumps(self._unsigned())

    def status_list(self) -> StatusList:
        return StatusList.decode(self.encoded_list)

    def verify(self, keys: KeyRing) -> bool:
        try:
            return keys.verify(self.key_id, self.message(), self.signature)
        except UnknownKey:
            return False

    def is_fresh(self, now: datetime) -> bool:
        return self.issued_at <= now < self.valid_until

    def to_json(self) -> str:
        doc = self._unsigned() | {"signature": b64url(self.signature)}
        return json.dumps(doc, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> SignedStatusList:
        try:
            doc = json.loads(text)
            if doc["type"] != "RegSafeStatusList" or doc["version"] != 1:
                raise ValueError("not a RegSafe status list v1")
            return cls(
                list_id=str(doc["list_id"]),
                purpose=str(doc["purpose"]),
                issued_at=_time(doc["issued_at"]),
                valid_until=_time(doc["valid_until"]),
                encoded_list=str(doc["encoded_list"]),
                key_id=str(doc["key_id"]),
                signature=b64url_decode(doc["signature"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise StatusListError(f"bad status list document: {exc}") from exc


def _time(text: str) -> datetime:
    return datetime.strptime(text, _TIME).replace(tzinfo=UTC)


def sign_status_list(
    bits: StatusList,
    signer: Signer,
    *,
    list_id: str,
    issued_at: datetime,
    valid_until: datetime,
    purpose: str = "revocation",
) -> SignedStatusList:
    draft = SignedStatusList(
        list_id=list_id,
        purpose=purpose,
        issued_at=issued_at.astimezone(UTC).replace(microsecond=0),
        valid_until=valid_until.astimezone(UTC).replace(microsecond=0),
        encoded_list=bits.encode(),
        key_id=signer.public_key.key_id,
        signature=b"",
    )
    return replace(draft, signature=signer.sign(draft.message()))
