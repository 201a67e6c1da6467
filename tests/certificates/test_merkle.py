from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regsafe.certificates.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MissingNode,
    NodeAddress,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    nodes_to_store_on_append,
    root_at,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [f"leaf {i}".encode() for i in range(2100)]


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@cache
def mth(start: int, end: int) -> bytes:
    """RFC 9162 §2.1.1 written out independently (hashlib directly, recursive split)."""
    n = end - start
    if n == 0:
        return _sha(b"")
    if n == 1:
        return _sha(b"\x00" + LEAVES[start])
    k = 1
    while k * 2 < n:
        k *= 2
    return _sha(b"\x01" + mth(start, start + k) + mth(start + k, end))


@pytest.fixture(scope="module")
def store() -> MemoryNodeStore:
    s = MemoryNodeStore()
    for data in LEAVES:
        s.append(leaf_hash(data))
    return s


def test_hashing_prefixes() -> None:
    assert leaf_hash(b"x") == _sha(b"\x00x")
    assert node_hash(b"a" * 32, b"b" * 32) == _sha(b"\x01" + b"a" * 32 + b"b" * 32)
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_rfc6962_reference_root() -> None:
    # Test vector from the RFC 6962 reference implementation (certificate-transparency,
    # merkle_tree_test): eight leaves, root 5dc9da79….
    data = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
    s = MemoryNodeStore()
    for d in data:
        s.append(leaf_hash(d))
    assert root_at(8, s).hex() == (
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    )
    assert root_at(1, s).hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


def test_roots_match_the_definition(store: MemoryNodeStore) -> None:
    for n in [*range(0, 140), 255, 256, 257, 1023, 1024, 1025, 2047, 2100]:
        assert root_at(n, store) == mth(0, n), n


def test_all_inclusion_proofs_up_to_70(store: MemoryNodeStore) -> None:
    for n in range(1, 71):
        root = mth(0, n)
        for i in range(n):
            proof = inclusion_proof(i, n, store)
            assert verify_inclusion(leaf_hash(LEAVES[i]), i, n, proof, root), (i, n)
            assert len(proof) <= math.ceil(math.log2(n))
            # The same proof does not prove another leaf, index or size.
            assert not verify_inclusion(leaf_hash(LEAVES[i] + b"!"), i, n, proof, root)
            if n > 1:
                assert not verify_inclusion(leaf_hash(LEAVES[i]), (i + 1) % n, n, proof, root)
            if i < n - 1:  # against the previous size's root
                assert not verify_inclusion(leaf_hash(LEAVES[i]), i, n, proof, mth(0, n - 1))


def test_all_consistency_proofs_up_to_70(store: MemoryNodeStore) -> None:
    for n in range(1, 71):
        for m in range(0, n + 1):
            proof = consistency_proof(m, n, store)
            assert verify_consistency(m, n, mth(0, m), mth(0, n), proof), (m, n)
            if 0 < m < n:
                assert not verify_consistency(m, n, mth(0, m), mth(0, n - 1), proof)
                assert not verify_consistency(m, n, mth(1, m + 1), mth(0, n), proof)
                assert not verify_consistency(m, n, mth(0, m), mth(0, n), proof[:-1])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_proofs_property(store: MemoryNodeStore, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, len(LEAVES)))
    i = data.draw(st.integers(0, n - 1))
    m = data.draw(st.integers(1, n))
    assert verify_inclusion(leaf_hash(LEAVES[i]), i, n, inclusion_proof(i, n, store), mth(0, n))
    assert verify_consistency(m, n, mth(0, m), mth(0, n), consistency_proof(m, n, store))


def _flip_each_byte(items: list[bytes]) -> list[list[bytes]]:
    variants = []
    for k, item in enumerate(items):
        for j in range(len(item)):
            changed = item[:j] + bytes([item[j] ^ 0x40]) + item[j + 1 :]
            variants.append([*items[:k], changed, *items[k + 1 :]])
    return variants


def test_tamper_any_byte_of_inclusion_proof_root_or_leaf(store: MemoryNodeStore) -> None:
    for i, n in [(0, 1), (5, 13), (12, 13), (63, 64), (40, 70), (1000, 2100)]:
        leaf, root = leaf_hash(LEAVES[i]), mth(0, n)
        proof = inclusion_proof(i, n, store)
        for bad_proof in _flip_each_byte(proof):
            assert not verify_inclusion(leaf, i, n, bad_proof, root)
        for [bad_root] in _flip_each_byte([root]):
            assert not verify_inclusion(leaf, i, n, proof, bad_root)
        for [bad_leaf] in _flip_each_byte([leaf]):
            assert not verify_inclusion(bad_leaf, i, n, proof, root)
        assert not verify_inclusion(leaf, i, n, [*proof, root], root)  # extra element
        assert not verify_inclusion(leaf, i, n, [p[:31] for p in proof], root) or not proof


def test_tamper_any_byte_of_consistency_proof_or_roots(store: MemoryNodeStore) -> None:
    for m, n in [(1, 2), (3, 7), (4, 8), (6, 13), (64, 70), (777, 2100)]:
        old, new = mth(0, m), mth(0, n)
        proof = consistency_proof(m, n, store)
        for bad in _flip_each_byte(proof):
            assert not verify_consistency(m, n, old, new, bad)
        for [bad_old] in _flip_each_byte([old]):
            assert not verify_consistency(m, n, bad_old, new, proof)
        for [bad_new] in _flip_each_byte([new]):
            assert not verify_consistency(m, n, old, bad_new, proof)


def test_bad_arguments(store: MemoryNodeStore) -> None:
    with pytest.raises(ProofError):
        inclusion_proof(5, 5, store)
    with pytest.raises(ProofError):
        consistency_proof(6, 5, store)
    with pytest.raises(MissingNode):
        root_at(len(LEAVES) + 1, store)
    assert not verify_inclusion(leaf_hash(LEAVES[0]), 0, 0, [], EMPTY_ROOT)
    assert not verify_consistency(5, 4, mth(0, 5), mth(0, 4), [])
    assert not verify_consistency(4, 8, mth(0, 4), mth(0, 8), [])  # RFC: empty path fails
    assert verify_consistency(7, 7, mth(0, 7), mth(0, 7), [])
    assert not verify_consistency(7, 7, mth(0, 7), mth(0, 6), [])


def test_append_writes_only_closed_subtrees() -> None:
    s = MemoryNodeStore()
    for data in LEAVES[:7]:
        s.append(leaf_hash(data))
    new = nodes_to_store_on_append(7, leaf_hash(LEAVES[7]), s)
    assert [address for address, _ in new] == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert dict(new)[(3, 0)] == mth(0, 8)
    # One sibling read per trailing 1 bit of each index: 0+1+0+2+0+1+0, then 3 for leaf 7.
    assert s.reads == 7 and s.batches == 4  # leaves 1, 3, 5 and 7 closed subtrees
    s.put_nodes(new)
    with pytest.raises(ValueError):
        s.put_nodes([((3, 0), b"\x00" * 32)])  # append-only: a node never changes


class LazyStore:
    """A store of a tree of a million synthetic leaves, computed on demand; counts reads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.reads = 0
        self.batches = 0

    @cache  # noqa: B019 — test-only, the store lives for one test
    def node(self, level: int, index: int) -> bytes:
        if level == 0:
            return leaf_hash(index.to_bytes(8, "big"))
        return node_hash(self.node(level - 1, 2 * index), self.node(level - 1, 2 * index + 1))

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        self.batches += 1
        self.reads += len(addresses)
        for level, index in addresses:
            assert (index + 1) << level <= self.size, "only complete subtrees are stored"
        return {a: self.node(*a) for a in addresses}


def test_proofs_read_o_log_n_nodes_at_a_million_leaves() -> None:
    n = 1_000_000
    bound = 2 * math.ceil(math.log2(n))  # 40
    s = LazyStore(n)
    root = root_at(n, s)
    assert s.reads == bin(n).count("1") and s.batches == 1
    for i in [0, 1, 4_095, 500_000, 999_999, 524_287, 999_936]:
        s.reads = s.batches = 0
        proof = inclusion_proof(i, n, s)
        assert s.batches == 1 and s.reads <= bound, (i, s.reads)
        assert verify_inclusion(leaf_hash(i.to_bytes(8, "big")), i, n, proof, root)
    for m in [1, 3, 65_536, 524_287, 999_999]:
        s.reads = s.batches = 0
        proof = consistency_proof(m, n, s)
        assert s.batches == 1 and s.reads <= bound, (m, s.reads)
        s_old = root_at(m, s)
        assert verify_consistency(m, n, s_old, root, proof)
