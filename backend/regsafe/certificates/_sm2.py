"""SM2 signatures with SM3 (GB/T 32918.2, GM/T 0009) over gmssl 3.2.2; the only gmssl user.

gmssl supplies the curve arithmetic, SM3 and the Z value (ENTL 0x0080, default user id
``1234567812345678``, a, b, G, public key). Around it this module adds what gmssl lacks:
a CSPRNG nonce (gmssl's default uses ``random.choice``), range checks on r and s, an
on-curve check for public keys, and it sets the public key attribute directly because
gmssl's constructor strips a leading "04" with ``str.lstrip`` (which also eats the first
digits of an x coordinate that starts with 0 or 4).
"""

from __future__ import annotations

import secrets

from gmssl import sm2  # type: ignore[import-untyped]

_TABLE: dict[str, str] = sm2.default_ecc_table
N = int(_TABLE["n"], 16)
P = int(_TABLE["p"], 16)
A = int(_TABLE["a"], 16)
B = int(_TABLE["b"], 16)
DEFAULT_USER_ID = b"1234567812345678"  # the Z value below is fixed to it by gmssl


def _crypt(private_hex: str, public: bytes) -> sm2.CryptSM2:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public.hex()
    return crypt


def valid_private(d: int) -> bool:
    return 1 <= d <= N - 2


def on_curve(public: bytes) -> bool:
    """Raw 64-byte x‖y public key is a point of the SM2 curve."""
    if len(public) != 64:
        return False
    x, y = int.from_bytes(public[:32], "big"), int.from_bytes(public[32:], "big")
    return x < P and y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def public_from_private(d: int) -> bytes:
    """Raw x‖y of d·G."""
    if not valid_private(d):
        raise ValueError("SM2 private key out of range")
    point: str = _crypt(f"{d:064x}", b"")._kg(d, _TABLE["g"])
    return bytes.fromhex(point)


def sign(d: int, public: bytes, message: bytes) -> bytes:
    """r‖s (64 bytes) over SM3(Z‖message)."""
    crypt = _crypt(f"{d:064x}", public)
    while True:
        k = secrets.randbelow(N - 1) + 1
        result: str | None = crypt.sign_with_sm3(message, f"{k:064x}")
        if result is not None:  # gmssl returns None for the rare r = 0 / s = 0 cases
            return bytes.fromhex(result)


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(signature) != 64 or not on_curve(public):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < N and 1 <= s < N):
        return False
    try:
        return bool(_crypt("0" * 64, public).verify_with_sm3(signature.hex(), message))
    except (TypeError, ValueError):  # gmssl fails this way on the point at infinity
        return False
