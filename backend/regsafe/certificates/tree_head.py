"""Signed tree heads (签名树头) of the certificate log, and witness cosignatures.

The signed message follows the shape of a C2SP checkpoint body: origin, tree size,
base64 root hash, then the timestamp in milliseconds, one per line. A witness cosigns
``cosignature/v1`` ‖ its own time ‖ the same body (as in C2SP tlog-cosignature), so it
vouches for the log state it has seen, and two witnesses holding heads of one size with
different roots prove a split view. Shaped like, not wire-compatible with, C2SP.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from regsafe.certificates.merkle import HASH_SIZE
from regsafe.certificates.signing import KeyRing, Signer, UnknownKey, b64url, b64url_decode

DEFAULT_ORIGIN = "regsafe.certificates/v1"


class TreeHeadError(ValueError):
    """A tree head document that cannot be read."""


@dataclass(frozen=True, slots=True)
class TreeHead:
    origin: str
    size: int
    root_hash: bytes
    timestamp_ms: int

    def __post_init__(self) -> None:
        if not self.origin or any(c in self.origin for c in "\n\r"):
            raise TreeHeadError("origin must be one non-empty line")
        if self.size < 0 or self.timestamp_ms < 0 or len(self.root_hash) != HASH_SIZE:
            raise TreeHeadError("bad size, timestamp or root hash")

    def body(self) -> bytes:
        root = base64.b64encode(self.root_hash).decode("ascii")
        return f"{self.origin}\n{self.size}\n{root}\n{self.timestamp_ms}\n".encode()


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A witness's signature over a tree head body, at the witness's own time."""

    key_id: str
    timestamp_ms: int
    signature: bytes

    def to_json_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "timestamp_ms": self.timestamp_ms,
                "signature": b64url(self.signature)}  # fmt: skip

    @classmethod
    def from_json_dict(cls, doc: dict[str, Any]) -> Cosignature:
        try:
            return cls(_str(doc["key_id"]), _int(doc["timestamp_ms"]),
                       b64url_decode(doc["signature"]))  # fmt: skip
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise TreeHeadError(f"bad cosignature: {exc}") from exc


def cosignature_message(head: TreeHead, timestamp_ms: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp_ms + head.body()


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    head: TreeHead
    key_id: str
    signature: bytes
    cosignatures: tuple[Cosignature, ...] = ()

    def verify(self, keys: KeyRing) -> bool:
        """The log's signature; False for an unknown key too (callers that need to tell
        the two apart check ``key_id in keys`` first)."""
        try:
            return keys.verify(self.key_id, self.head.body(), self.signature)
        except UnknownKey:
            return False

    def with_cosignature(self, cosignature: Cosignature) -> SignedTreeHead:
        return SignedTreeHead(self.head, self.key_id, self.signature,
                              (*self.cosignatures, cosignature))  # fmt: skip

    def verified_witnesses(self, witnesses: KeyRing) -> list[str]:
        """Key ids of the witnesses whose cosignatures verify."""
        good = []
        for cos in self.cosignatures:
            message = cosignature_message(self.head, cos.timestamp_ms)
            if cos.key_id in witnesses and witnesses.verify(cos.key_id, message, cos.signature):
                good.append(cos.key_id)
        return good

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "origin": self.head.origin,
            "size": self.head.size,
            "root_hash": b64url(self.head.root_hash),
            "timestamp_ms": self.head.timestamp_ms,
            "key_id": self.key_id,
            "signature": b64url(self.signature),
            "cosignatures": [c.to_json_dict() for c in self.cosignatures],
        }

    @classmethod
    def from_json_dict(cls, doc: dict[str, Any]) -> SignedTreeHead:
        try:
            head = TreeHead(_str(doc["origin"]), _int(doc["size"]),
                            b64url_decode(doc["root_hash"]), _int(doc["timestamp_ms"]))  # fmt: skip
            cosignatures = tuple(Cosignature.from_json_dict(c) for c in doc.get("cosignatures", []))
            return cls(head, _str(doc["key_id"]), b64url_decode(doc["signature"]), cosignatures)
        except TreeHeadError:
            raise
        except (KeyError, TypeError, ValueError, binascii.Error, AttributeError) as exc:
            raise TreeHeadError(f"bad tree head document: {exc}") from exc


def sign_tree_head(head: TreeHead, signer: Signer) -> SignedTreeHead:
    return SignedTreeHead(head, signer.public_key.key_id, signer.sign(head.body()))


def cosign(sth: SignedTreeHead, witness: Signer, timestamp_ms: int) -> Cosignature:
    """What a witness returns after checking the head (e.g. consistency with its last)."""
    message = cosignature_message(sth.head, timestamp_ms)
    return Cosignature(witness.public_key.key_id, timestamp_ms, witness.sign(message))


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected an integer")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value
