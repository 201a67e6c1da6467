"""Field encryption (AES-256-GCM with key ids, for rotation) and blind indexes (HMAC-SHA256).

Ciphertext layout: ``b"v1" | len(kid) | kid | nonce(12) | ciphertext+tag``. The key id
travels with the data, so old rows stay readable after the active key changes.
The column name is bound as associated data: a ciphertext moved into another column
does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from regsafe.core.settings import Settings

_VERSION = b"v1"


def _b64(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise ValueError(
            f"{name} is not valid base64 (generate one with: openssl rand -base64 32)"
        ) from None


class DecryptionError(Exception):
    """Ciphertext is corrupt, was moved, or its key is unknown."""


@dataclass(frozen=True)
class FieldCipher:
    keys: dict[str, bytes]
    active_key_id: str
    index_key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> FieldCipher:
        assert settings.data_keys and settings.data_key_id and settings.blind_index_key
        keys: dict[str, bytes] = {}
        for item in settings.data_keys.split(","):
            kid, _, b64 = item.strip().partition(":")
            key = _b64(b64, f"REGSAFE_DATA_KEYS entry {kid!r}")
            if len(key) != 32 or not kid or len(kid) > 32:
                raise ValueError(
                    f"REGSAFE_DATA_KEYS entry {kid!r} must be 'id:<base64 of 32 bytes>'"
                )
            keys[kid] = key
        if settings.data_key_id not in keys:
            raise ValueError(
                f"REGSAFE_DATA_KEY_ID {settings.data_key_id!r} is not in REGSAFE_DATA_KEYS"
            )
        index_key = _b64(settings.blind_index_key, "REGSAFE_BLIND_INDEX_KEY")
        if len(index_key) < 32:
            raise ValueError("REGSAFE_BLIND_INDEX_KEY must be base64 of at least 32 bytes")
        return cls(keys=keys, active_key_id=settings.data_key_id, index_key=index_key)

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        kid = self.active_key_id.encode()
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.active_key_id]).encrypt(
            nonce, plaintext.encode(), context.encode()
        )
        return _VERSION + bytes([len(kid)]) + kid + nonce + sealed

    def decrypt(self, blob: bytes, *, context: str) -> str:
        if blob[:2] != _VERSION:
            raise DecryptionError("unknown ciphertext version")
        kid_len = blob[2]
        kid = blob[3 : 3 + kid_len].decode()
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        nonce = blob[3 + kid_len : 15 + kid_len]
        try:
            plain = AESGCM(key).decrypt(nonce, blob[15 + kid_len :], context.encode())
        except Exception as exc:  # InvalidTag: tampered, moved or wrong key
            raise DecryptionError("ciphertext failed authentication") from exc
        return plain.decode()

    def key_id_of(self, blob: bytes) -> str:
        return blob[3 : 3 + blob[2]].decode()

    def blind_index(self, value: str, *, context: str) -> bytes:
        """Deterministic keyed hash for exact-match lookup without storing the value."""
        return hmac.new(self.index_key, f"{context}\x00{value}".encode(), hashlib.sha256).digest()
