"""Issuer keys: signing, verification, key ids, rotation and the published key set.

Ed25519 (``cryptography``) is the default; SM2 with SM3 (国密, see ``_sm2``) is the
alternative. A key id is the first 16 hex digits of SHA-256 of the raw public key
(Ed25519: 32 bytes; SM2: x‖y, 64 bytes), so anyone holding the public key derives the same
id and a published id cannot be attached to another key. Private keys come from a PEM
file or an environment string, never the database.

Every message signed with these keys is self-describing (certificate payloads are JSON
objects with a ``version`` field, tree heads and status lists start with their own tag),
so a signature over one kind of object can never be replayed as another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from regsafe.certificates import _sm2


class Algorithm(StrEnum):
    ED25519 = "Ed25519"
    SM2 = "SM2"  # SM2 signature over SM3(Z‖M), default user id 1234567812345678


_RAW_LENGTH = {Algorithm.ED25519: 32, Algorithm.SM2: 64}


class KeyLoadError(ValueError):
    """A key that cannot be loaded or a key document that does not match its id."""


class UnknownKey(LookupError):
    """A key id that the key ring does not hold."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict unpadded base64url: other spellings of the same bytes are refused."""
    if not isinstance(text, str) or "=" in text:
        raise ValueError("expected unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(data) != text:
        raise ValueError("non-canonical base64url")
    return data


def key_id_of(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A verification key: algorithm and raw public key bytes."""

    algorithm: Algorithm
    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != _RAW_LENGTH[self.algorithm]:
            raise KeyLoadError(
                f"{self.algorithm} public key must be {_RAW_LENGTH[self.algorithm]} bytes"
            )
        if self.algorithm is Algorithm.SM2 and not _sm2.on_curve(self.raw):
            raise KeyLoadError("SM2 public key is not on the curve")

    @property
    def key_id(self) -> str:
        return key_id_of(self.raw)

    def verify(self, message: bytes, signature: bytes) -> bool:
        if self.algorithm is Algorithm.SM2:
            return _sm2.verify(self.raw, message, signature)
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_jwk(self) -> dict[str, str]:
        """JWK-like publication form; SM2 as uncompressed SEC1 hex (04‖x‖y)."""
        if self.algorithm is Algorithm.ED25519:
            return {"kid": self.key_id, "alg": "Ed25519", "kty": "OKP", "crv": "Ed25519",
                    "x": b64url(self.raw)}  # fmt: skip
        return {"kid": self.key_id, "alg": "SM2", "kty": "EC", "crv": "SM2",
                "public_hex": "04" + self.raw.hex()}  # fmt: skip

    @classmethod
    def from_jwk(cls, doc: Mapping[str, Any]) -> PublicKey:
        try:
            algorithm = Algorithm(doc["alg"])
            if algorithm is Algorithm.ED25519:
                raw = b64url_decode(doc["x"])
            else:
                text = doc["public_hex"]
                if not isinstance(text, str) or len(text) != 130 or not text.startswith("04"):
                    raise ValueError("public_hex must be 04‖x‖y, 130 hex digits")
                raw = bytes.fromhex(text[2:])
            key = cls(algorithm, raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyLoadError(f"bad public key document: {exc}") from exc
        if doc.get("kid") != key.key_id:
            raise KeyLoadError("kid does not match the public key")
        return key


class Signer(Protocol):
    """An issuing key. Implementations keep the private key in memory only."""

    @property
    def public_key(self) -> PublicKey: ...

    def sign(self, message: bytes) -> bytes: ...


class Ed25519Signer:
    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_key = PublicKey(Algorithm.ED25519, raw)

    @classmethod
    def generate(cls) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> Ed25519Signer:
        """PKCS#8 PEM (``openssl genpkey -algorithm ed25519``), unencrypted."""
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise KeyLoadError(f"not an unencrypted PKCS#8 PEM private key: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyLoadError("PEM holds a private key that is not Ed25519")
        return cls(key)

    def to_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


class Sm2Signer:
    def __init__(self, private: int) -> None:
        if not _sm2.valid_private(private):
            raise KeyLoadError("SM2 private key out of range [1, n−2]")
        self._private = private
        self.public_key = PublicKey(Algorithm.SM2, _sm2.public_from_private(private))

    @classmethod
    def generate(cls) -> Sm2Signer:
        return cls(secrets.randbelow(_sm2.N - 2) + 1)

    @classmethod
    def from_hex(cls, text: str) -> Sm2Signer:
        """The private scalar d as 64 hex digits (e.g. from ``openssl pkey -text``)."""
        value = "".join(text.split()).replace(":", "")
        if len(value) != 64:
            raise KeyLoadError("SM2 private key must be 64 hex digits")
        try:
            return cls(int(value, 16))
        except ValueError as exc:
            raise KeyLoadError("SM2 private key must be hex") from exc

    def to_hex(self) -> str:
        return f"{self._private:064x}"

    def sign(self, message: bytes) -> bytes:
        return _sm2.sign(self._private, self.public_key.raw, message)


def load_signer_text(text: str, algorithm: Algorithm = Algorithm.ED25519) -> Signer:
    """From an environment-style string: Ed25519 PKCS#8 PEM (literal ``\\n`` accepted, as
    env files often hold one line) or SM2 private key hex."""
    if algorithm is Algorithm.SM2:
        return Sm2Signer.from_hex(text)
    return Ed25519Signer.from_pem(text.replace("\\n", "\n").strip().encode("ascii") + b"\n")


def load_signer_file(path: Path | str, algorithm: Algorithm = Algorithm.ED25519) -> Signer:
    """From a key file with the same content as ``load_signer_text`` expects."""
    return load_signer_text(Path(path).read_text(encoding="ascii"), algorithm)


@dataclass(frozen=True)
class KeyRing:
    """Public keys by id (current and retired) and, on the issuer, the active signer.

    Rotation adds a new active signer and keeps every earlier public key, so certificates,
    tree heads and status lists signed before still verify. A compromised key is removed
    with ``without`` instead, which makes what it signed stop verifying.
    """

    keys: Mapping[str, PublicKey] = field(default_factory=dict)
    active: Signer | None = None

    @classmethod
    def of(cls, keys: Iterable[PublicKey], active: Signer | None = None) -> KeyRing:
        by_id = {k.key_id: k for k in keys}
        if active is not None:
            by_id[active.public_key.key_id] = active.public_key
        return cls(by_id, active)

    def rotate(self, signer: Signer) -> KeyRing:
        return KeyRing.of([*self.keys.values(), signer.public_key], signer)

    def without(self, key_id: str) -> KeyRing:
        active = self.active
        if active is not None and active.public_key.key_id == key_id:
            active = None
        return KeyRing({k: v for k, v in self.keys.items() if k != key_id}, active)

    @property
    def active_key_id(self) -> str:
        if self.active is None:
            raise UnknownKey("no active signing key")
        return self.active.public_key.key_id

    def sign(self, message: bytes) -> tuple[str, bytes]:
        """(key id, signature) with the active key."""
        if self.active is None:
            raise UnknownKey("no active signing key")
        return self.active.public_key.key_id, self.active.sign(message)

    def get(self, key_id: str) -> PublicKey:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None

    def __contains__(self, key_id: object) -> bool:
        return key_id in self.keys

    def verify(self, key_id: str, message: bytes, signature: bytes) -> bool:
        """False for a bad signature; ``UnknownKey`` for a key id not in the ring."""
        return self.get(key_id).verify(message, signature)

    def public(self) -> KeyRing:
        """The same keys without the signer: what verifiers get."""
        return KeyRing(dict(self.keys))

    def to_json(self) -> str:
        """The published key set, ``{"keys": [...]}`` sorted by kid."""
        docs = [self.keys[k].to_jwk() for k in sorted(self.keys)]
        return json.dumps({"keys": docs}, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> KeyRing:
        try:
            doc = json.loads(text)
            entries = doc["keys"]
            if not isinstance(entries, list):
                raise TypeError("keys must be a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyLoadError(f"bad key set document: {exc}") from exc
        return cls.of(PublicKey.from_jwk(e) for e in entries)
