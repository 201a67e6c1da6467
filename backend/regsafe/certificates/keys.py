"""The issuer's key ring, built from settings: the active signing key (from
``REGSAFE_CERTIFICATE_SIGNING_KEY`` or ``…_FILE``, never the database) plus the retired
public keys published in ``REGSAFE_CERTIFICATE_VERIFY_KEYS``. Loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from regsafe.certificates.signing import (
    Algorithm,
    KeyLoadError,
    KeyRing,
    load_signer_file,
    load_signer_text,
)
from regsafe.core.settings import Settings

ALGORITHMS = {"ED25519": Algorithm.ED25519, "SM2": Algorithm.SM2}


class SigningKeyMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "certificate signing key not configured (REGSAFE_CERTIFICATE_SIGNING_KEY or "
            "REGSAFE_CERTIFICATE_SIGNING_KEY_FILE); 未配置证书签发密钥"
        )


def issuer_keys(settings: Settings) -> KeyRing:
    return _ring(
        settings.certificate_signing_key,
        str(settings.certificate_signing_key_file or ""),
        settings.certificate_algorithm,
        settings.certificate_verify_keys,
    )


@lru_cache(maxsize=8)
def _ring(text: str | None, path: str, algorithm: str, published: str) -> KeyRing:
    alg = ALGORITHMS[algorithm]
    if path:
        signer = load_signer_file(Path(path), alg)
    elif text:
        signer = load_signer_text(text, alg)
    else:
        raise SigningKeyMissing()
    ring = KeyRing.from_json(published) if published.strip() else KeyRing()
    return ring.rotate(signer)


def check_keys(settings: Settings) -> None:
    """Fail at start-up, not at the first approval, when the key cannot be loaded. (A
    missing key already stops production in ``Settings.with_dev_secrets``; tools that
    build settings by hand without one only fail when they issue.)"""
    if settings.certificate_signing_key is None and settings.certificate_signing_key_file is None:
        return
    try:
        issuer_keys(settings)
    except KeyLoadError as exc:
        raise RuntimeError(f"certificate signing key unusable: {exc}") from exc
