from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime, timedelta

import pytest

from regsafe.certificates.signing import Ed25519Signer, KeyRing, Sm2Signer
from regsafe.certificates.status_list import (
    MIN_BYTES,
    SignedStatusList,
    StatusList,
    StatusListError,
    sign_status_list,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_minimum_size_and_bit_order() -> None:
    bits = StatusList()
    assert len(bits) == 131_072 == MIN_BYTES * 8
    bits.set(0)
    bits.set(9)
    bits.set(131_071)
    raw = bits.to_bytes()
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000 and raw[-1] == 0b0000_0001
    assert bits.get(0) and bits.get(9) and not bits.get(1) and bits.get(131_071)
    bits.set(9, False)
    assert not bits.get(9) and bits.to_bytes()[1] == 0
    with pytest.raises(IndexError):
        bits.get(131_072)
    with pytest.raises(IndexError):
        bits.set(-1)
    assert len(StatusList(entries=200_000)) == 200_000
    with pytest.raises(StatusListError):
        StatusList(b"\x00" * 100)


def test_encode_decode_spec_shape() -> None:
    bits = StatusList()
    for i in (3, 4242, 99_999):
        bits.set(i)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded and len(encoded) < 400
    assert encoded == bits.encode()  # deterministic (gzip mtime 0)
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == bits.to_bytes()
    decoded = StatusList.decode(encoded)
    assert [i for i in (2, 3, 4, 4242, 99_999) if decoded.get(i)] == [3, 4242, 99_999]


@pytest.mark.parametrize(
    "text",
    ["", "z" + StatusList().encode()[1:], "u!!!", "u" + base64.urlsafe_b64encode(b"x").decode()],
)
def test_decode_rejects(text: str) -> None:
    with pytest.raises(StatusListError):
        StatusList.decode(text)


def test_decode_refuses_a_bomb() -> None:
    bomb = gzip.compress(b"\x00" * (17 * 1024 * 1024))
    with pytest.raises(StatusListError):
        StatusList.decode("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))


@pytest.mark.parametrize("kind", ["ed25519", "sm2"])
def test_signed_list(kind: str, ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    signer = ed_signer if kind == "ed25519" else sm2_signer
    bits = StatusList()
    bits.set(4242)
    doc = sign_status_list(bits, signer, list_id="https://regsafe.example/status/1",
                           issued_at=NOW, valid_until=NOW + timedelta(hours=1))  # fmt: skip
    keys = KeyRing.of([signer.public_key])
    restored = SignedStatusList.from_json(doc.to_json())
    assert restored == doc and restored.verify(keys)
    assert restored.status_list().get(4242) and not restored.status_list().get(4243)
    assert doc.is_fresh(NOW + timedelta(minutes=59)) and not doc.is_fresh(NOW + timedelta(hours=1))


def test_signed_list_tamper(ed_signer: Ed25519Signer) -> None:
    bits = StatusList()
    bits.set(4242)
    doc = sign_status_list(bits, ed_signer, list_id="l1", issued_at=NOW,
                           valid_until=NOW + timedelta(hours=1))  # fmt: skip
    keys = KeyRing.of([ed_signer.public_key])
    unrevoked = StatusList()
    from dataclasses import replace

    for changed in [
        replace(doc, encoded_list=unrevoked.encode()),  # "un-revoke" by swapping the list
        replace(doc, valid_until=doc.valid_until + timedelta(days=30)),  # extend freshness
        replace(doc, list_id="l2"),
        replace(doc, purpose="suspension"),
    ]:
        assert not changed.verify(keys)
    for i in range(len(doc.signature)):
        sig = bytearray(doc.signature)
        sig[i] ^= 0x04
        assert not replace(doc, signature=bytes(sig)).verify(keys)
    assert not doc.verify(KeyRing())
    with pytest.raises(StatusListError):
        SignedStatusList.from_json('{"type": "other"}')
