from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from regsafe.certificates import _sm2
from regsafe.certificates.signing import (
    Algorithm,
    Ed25519Signer,
    KeyLoadError,
    KeyRing,
    PublicKey,
    Signer,
    Sm2Signer,
    UnknownKey,
    load_signer_file,
    load_signer_text,
)

MESSAGE = "注册证书 AQ202544HG1234565".encode()


@pytest.fixture(params=["ed25519", "sm2"])
def signer(request: pytest.FixtureRequest, ed_signer: Signer, sm2_signer: Signer) -> Signer:
    return ed_signer if request.param == "ed25519" else sm2_signer


def test_sign_and_verify(signer: Signer) -> None:
    signature = signer.sign(MESSAGE)
    assert len(signature) == 64
    assert signer.public_key.verify(MESSAGE, signature)
    assert not signer.public_key.verify(MESSAGE + b".", signature)
    assert not signer.public_key.verify(MESSAGE, signature[:-1])
    assert not signer.public_key.verify(MESSAGE, b"\x00" * 64)


def test_any_flipped_bit_of_message_or_signature_fails(signer: Signer) -> None:
    signature = signer.sign(MESSAGE)
    positions = range(0, len(signature), 1 if isinstance(signer, Ed25519Signer) else 7)
    for i in positions:
        bad = signature[:i] + bytes([signature[i] ^ 0x01]) + signature[i + 1 :]
        assert not signer.public_key.verify(MESSAGE, bad), i
    for i in range(0, len(MESSAGE), 1 if isinstance(signer, Ed25519Signer) else 5):
        bad = MESSAGE[:i] + bytes([MESSAGE[i] ^ 0x80]) + MESSAGE[i + 1 :]
        assert not signer.public_key.verify(bad, signature), i


def test_key_id_is_derived_from_the_public_key(signer: Signer) -> None:
    key = signer.public_key
    assert key.key_id == hashlib.sha256(key.raw).hexdigest()[:16]
    assert re.fullmatch(r"[0-9a-f]{16}", key.key_id)


def test_sm2_signature_range_checks(sm2_signer: Sm2Signer) -> None:
    n = _sm2.N.to_bytes(32, "big")
    good = sm2_signer.sign(MESSAGE)
    for bad in (n + good[32:], good[:32] + n, bytes(32) + good[32:], good[:32] + bytes(32)):
        assert not sm2_signer.public_key.verify(MESSAGE, bad)


def test_sm2_signatures_are_randomised_but_all_verify(sm2_signer: Sm2Signer) -> None:
    first, second = sm2_signer.sign(MESSAGE), sm2_signer.sign(MESSAGE)
    assert first != second
    assert sm2_signer.public_key.verify(MESSAGE, first)
    assert sm2_signer.public_key.verify(MESSAGE, second)


def test_sm2_key_whose_x_starts_with_zero_or_four_works() -> None:
    # gmssl's constructor would eat such digits with lstrip("04"); we bypass it.
    d = next(d for d in range(2, 500) if _sm2.public_from_private(d).hex()[0] in "04")
    signer = Sm2Signer(d)
    assert signer.public_key.verify(MESSAGE, signer.sign(MESSAGE))


def test_public_keys_must_be_valid() -> None:
    with pytest.raises(KeyLoadError):
        PublicKey(Algorithm.ED25519, b"\x00" * 31)
    with pytest.raises(KeyLoadError):
        PublicKey(Algorithm.SM2, b"\x01" * 64)  # not on the curve
    with pytest.raises(KeyLoadError):
        Sm2Signer(0)
    with pytest.raises(KeyLoadError):
        Sm2Signer.from_hex("12")


def test_load_from_pem_text_env_and_file(tmp_path: Path, ed_signer: Ed25519Signer) -> None:
    pem = ed_signer.to_pem().decode()
    assert load_signer_text(pem).public_key == ed_signer.public_key
    one_line = pem.strip().replace("\n", "\\n")  # as an env file holds it
    assert load_signer_text(one_line).public_key == ed_signer.public_key
    path = tmp_path / "issuer.pem"
    path.write_text(pem)
    assert load_signer_file(path).public_key == ed_signer.public_key
    with pytest.raises(KeyLoadError):
        load_signer_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")


def test_load_sm2_from_hex(tmp_path: Path, sm2_signer: Sm2Signer) -> None:
    text = sm2_signer.to_hex()
    assert load_signer_text(text, Algorithm.SM2).public_key == sm2_signer.public_key
    spaced = ":".join(text[i : i + 2] for i in range(0, 64, 2))  # openssl -text style
    path = tmp_path / "sm2.key"
    path.write_text(spaced + "\n")
    assert load_signer_file(path, Algorithm.SM2).public_key == sm2_signer.public_key


def test_rotation_keeps_old_keys_verifying(ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    ring = KeyRing.of([], ed_signer)
    old_kid, old_sig = ring.sign(MESSAGE)
    rotated = ring.rotate(sm2_signer)
    new_kid, new_sig = rotated.sign(MESSAGE)
    assert old_kid == ed_signer.public_key.key_id and new_kid == sm2_signer.public_key.key_id
    assert rotated.active_key_id == new_kid
    assert rotated.verify(old_kid, MESSAGE, old_sig)
    assert rotated.verify(new_kid, MESSAGE, new_sig)
    assert not rotated.verify(old_kid, MESSAGE, new_sig)  # ids are not interchangeable
    published = KeyRing.from_json(rotated.public().to_json())
    assert published.verify(old_kid, MESSAGE, old_sig) and published.verify(
        new_kid, MESSAGE, new_sig
    )
    assert published.active is None
    with pytest.raises(UnknownKey):
        published.sign(MESSAGE)
    removed = rotated.without(old_kid)
    with pytest.raises(UnknownKey):
        removed.verify(old_kid, MESSAGE, old_sig)


def test_key_set_document(ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    doc = json.loads(KeyRing.of([ed_signer.public_key, sm2_signer.public_key]).to_json())
    by_alg = {k["alg"]: k for k in doc["keys"]}
    assert by_alg["Ed25519"]["kid"] == ed_signer.public_key.key_id
    assert by_alg["Ed25519"]["crv"] == "Ed25519" and len(by_alg["Ed25519"]["x"]) == 43
    assert by_alg["SM2"]["public_hex"] == "04" + sm2_signer.public_key.raw.hex()
    # A document whose kid does not belong to its key is refused.
    forged = dict(by_alg["SM2"], kid=ed_signer.public_key.key_id)
    with pytest.raises(KeyLoadError):
        PublicKey.from_jwk(forged)
    with pytest.raises(KeyLoadError):
        KeyRing.from_json('{"keys": {}}')
    with pytest.raises(KeyLoadError):
        PublicKey.from_jwk(dict(by_alg["Ed25519"], x=by_alg["Ed25519"]["x"] + "="))


# --- SM2 against an independent implementation (OpenSSL 3) ------------------------------

_OPENSSL = shutil.which("openssl")
_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d03420004")


def _der_int(value: int) -> bytes:
    body = value.to_bytes((value.bit_length() + 8) // 8, "big")
    return b"\x02" + bytes([len(body)]) + body


def _der_signature(raw: bytes) -> bytes:
    body = _der_int(int.from_bytes(raw[:32], "big")) + _der_int(int.from_bytes(raw[32:], "big"))
    return b"\x30" + bytes([len(body)]) + body


def _raw_signature(der: bytes) -> bytes:
    assert der[0] == 0x30
    i, out = 2, b""
    for _ in range(2):
        assert der[i] == 0x02
        length = der[i + 1]
        out += int.from_bytes(der[i + 2 : i + 2 + length], "big").to_bytes(32, "big")
        i += 2 + length
    return out


def _openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert _OPENSSL
    return subprocess.run([_OPENSSL, *args], capture_output=True, check=False)


def _openssl_has_sm2() -> bool:
    return bool(_OPENSSL) and b"SM2" in _openssl("list", "-public-key-algorithms").stdout


needs_openssl = pytest.mark.skipif(not _openssl_has_sm2(), reason="OpenSSL with SM2 needed")
_DISTID = "distid:1234567812345678"


@needs_openssl
def test_openssl_verifies_our_sm2_signature(tmp_path: Path, sm2_signer: Sm2Signer) -> None:
    import base64

    spki = base64.encodebytes(_SPKI_PREFIX + sm2_signer.public_key.raw).decode()
    (tmp_path / "pub.pem").write_text(
        f"-----BEGIN PUBLIC KEY-----\n{spki}-----END PUBLIC KEY-----\n"
    )
    (tmp_path / "msg").write_bytes(MESSAGE)
    for message, expected in ((MESSAGE, 0), (MESSAGE + b"!", 1)):
        (tmp_path / "sig").write_bytes(_der_signature(sm2_signer.sign(MESSAGE)))
        (tmp_path / "msg").write_bytes(message)
        result = _openssl("pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "pub.pem"),
                          "-rawin", "-digest", "sm3", "-in", str(tmp_path / "msg"),
                          "-sigfile", str(tmp_path / "sig"), "-pkeyopt", _DISTID)  # fmt: skip
        assert result.returncode == expected, result.stderr


@needs_openssl
def test_we_verify_openssl_sm2_signature_and_derive_its_public_key(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    assert _openssl("genpkey", "-algorithm", "SM2", "-out", str(key)).returncode == 0
    text = _openssl("pkey", "-in", str(key), "-text", "-noout").stdout.decode()
    private = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)", text)
    public = re.search(r"pub:\s*((?:[0-9a-f]{2}:?\s*)+)", text)
    assert private and public
    signer = Sm2Signer(int(re.sub(r"[\s:]", "", private.group(1)), 16))
    assert "04" + signer.public_key.raw.hex() == re.sub(r"[\s:]", "", public.group(1))
    (tmp_path / "msg").write_bytes(MESSAGE)
    result = _openssl("pkeyutl", "-sign", "-inkey", str(key), "-rawin", "-digest", "sm3",
                      "-in", str(tmp_path / "msg"), "-pkeyopt", _DISTID)  # fmt: skip
    assert result.returncode == 0, result.stderr
    signature = _raw_signature(result.stdout)
    assert signer.public_key.verify(MESSAGE, signature)
    assert not signer.public_key.verify(MESSAGE + b"!", signature)
