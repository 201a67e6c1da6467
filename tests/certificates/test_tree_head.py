from __future__ import annotations

import pytest

from regsafe.certificates.merkle import MemoryNodeStore, leaf_hash, root_at
from regsafe.certificates.signing import Ed25519Signer, KeyRing, Sm2Signer
from regsafe.certificates.tree_head import (
    SignedTreeHead,
    TreeHead,
    TreeHeadError,
    cosign,
    sign_tree_head,
)


def _head(size: int = 3) -> TreeHead:
    store = MemoryNodeStore()
    for i in range(size):
        store.append(leaf_hash(bytes([i])))
    return TreeHead("regsafe.test/log", size, root_at(size, store), 1_760_000_000_123)


def test_body_is_a_checkpoint_like_text() -> None:
    head = _head()
    lines = head.body().decode().split("\n")
    assert lines[:2] == ["regsafe.test/log", "3"] and lines[3] == "1760000000123"
    assert head.body().endswith(b"\n")


@pytest.mark.parametrize("kind", ["ed25519", "sm2"])
def test_sign_verify_and_json_round_trip(
    kind: str, ed_signer: Ed25519Signer, sm2_signer: Sm2Signer
) -> None:
    signer = ed_signer if kind == "ed25519" else sm2_signer
    sth = sign_tree_head(_head(), signer)
    keys = KeyRing.of([signer.public_key])
    assert sth.verify(keys)
    again = SignedTreeHead.from_json_dict(sth.to_json_dict())
    assert again == sth and again.verify(keys)
    assert not sth.verify(KeyRing())  # unknown key


def test_any_changed_field_or_byte_fails(ed_signer: Ed25519Signer) -> None:
    sth = sign_tree_head(_head(), ed_signer)
    keys = KeyRing.of([ed_signer.public_key])
    head = sth.head
    variants = [
        TreeHead(head.origin, head.size + 1, head.root_hash, head.timestamp_ms),
        TreeHead(head.origin, head.size, head.root_hash, head.timestamp_ms + 1),
        TreeHead(head.origin + "x", head.size, head.root_hash, head.timestamp_ms),
    ]
    for i in range(32):
        root = bytearray(head.root_hash)
        root[i] ^= 1
        variants.append(TreeHead(head.origin, head.size, bytes(root), head.timestamp_ms))
    for variant in variants:
        assert not SignedTreeHead(variant, sth.key_id, sth.signature).verify(keys)
    for i in range(len(sth.signature)):
        sig = bytearray(sth.signature)
        sig[i] ^= 0x10
        assert not SignedTreeHead(head, sth.key_id, bytes(sig)).verify(keys)


def test_witness_cosignatures(ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    log_sth = sign_tree_head(_head(), ed_signer)
    witness, other = sm2_signer, Ed25519Signer.generate()
    cosigned = log_sth.with_cosignature(cosign(log_sth, witness, 1_760_000_001_000))
    cosigned = cosigned.with_cosignature(cosign(log_sth, other, 1_760_000_002_000))
    witnesses = KeyRing.of([witness.public_key])
    assert cosigned.verified_witnesses(witnesses) == [witness.public_key.key_id]
    restored = SignedTreeHead.from_json_dict(cosigned.to_json_dict())
    assert restored.verified_witnesses(witnesses) == [witness.public_key.key_id]
    # A cosignature is bound to the head and to the witness's timestamp.
    [good, _] = cosigned.cosignatures
    moved = type(good)(good.key_id, good.timestamp_ms + 1, good.signature)
    assert SignedTreeHead(log_sth.head, log_sth.key_id, log_sth.signature, (moved,)) \
        .verified_witnesses(witnesses) == []  # fmt: skip
    other_head = sign_tree_head(_head(4), ed_signer)
    assert SignedTreeHead(other_head.head, other_head.key_id, other_head.signature, (good,)) \
        .verified_witnesses(witnesses) == []  # fmt: skip
    # The log's key is not a witness's: a log cannot cosign itself into the witness list.
    self_signed = log_sth.with_cosignature(cosign(log_sth, ed_signer, 1))
    assert self_signed.verified_witnesses(witnesses) == []


def test_bad_documents() -> None:
    with pytest.raises(TreeHeadError):
        TreeHead("a\nb", 1, b"\x00" * 32, 0)
    with pytest.raises(TreeHeadError):
        TreeHead("a", 1, b"\x00" * 31, 0)
    with pytest.raises(TreeHeadError):
        SignedTreeHead.from_json_dict({"origin": "a", "size": "1"})
    with pytest.raises(TreeHeadError):
        SignedTreeHead.from_json_dict(
            {"origin": "a", "size": True, "root_hash": "", "timestamp_ms": 0}
        )
