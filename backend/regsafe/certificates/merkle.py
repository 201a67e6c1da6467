"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and verification.

Storage layout: the node at (level, index) is the hash of the complete subtree over
leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. Only complete
subtrees are stored, and a node never changes once written, so the store is append-only.
Any subtree hash RFC 9162 needs for a tree of size n is either such a node or (on the
right edge) a fold of at most log₂ n of them, so a root or a proof reads O(log n) nodes,
fetched in one ``get_nodes`` batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256()

NodeAddress = tuple[int, int]  # (level, index)


class MissingNode(LookupError):
    """The store lacks a node the tree size says must exist."""


class ProofError(ValueError):
    """Arguments that describe no proof (index out of range, sizes in the wrong order)."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class NodeStore(Protocol):
    """Where the complete-subtree nodes live (a table keyed by level and index)."""

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]: ...


class MemoryNodeStore:
    """A dict-backed store that counts reads, for tests and small tools."""

    def __init__(self) -> None:
        self.nodes: dict[NodeAddress, bytes] = {}
        self.size = 0
        self.reads = 0
        self.batches = 0

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        self.batches += 1
        self.reads += len(addresses)
        return {a: self.nodes[a] for a in addresses if a in self.nodes}

    def put_nodes(self, nodes: Iterable[tuple[NodeAddress, bytes]]) -> None:
        for address, value in nodes:
            if self.nodes.setdefault(address, value) != value:
                raise ValueError(f"node {address} is already stored with another hash")

    def append(self, leaf: bytes) -> int:
        """Append a leaf *hash*; returns its index."""
        index = self.size
        self.put_nodes(nodes_to_store_on_append(index, leaf, self))
        self.size += 1
        return index


def nodes_to_store_on_append(
    leaf_index: int, leaf: bytes, store: NodeStore
) -> list[tuple[NodeAddress, bytes]]:
    """The nodes to insert when leaf hash ``leaf`` becomes leaf ``leaf_index``: the leaf and
    every complete subtree it closes (one per trailing 1 bit of the index). Reads the left
    siblings in one batch."""
    closed = 0
    while (leaf_index >> closed) & 1:
        closed += 1
    siblings = [(level, (leaf_index >> level) - 1) for level in range(closed)]
    found = _fetch(store, siblings)
    result: list[tuple[NodeAddress, bytes]] = [((0, leaf_index), leaf)]
    current = leaf
    for level in range(closed):
        current = node_hash(found[siblings[level]], current)
        result.append(((level + 1, leaf_index >> (level + 1)), current))
    return result


def _fetch(store: NodeStore, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
    unique = list(dict.fromkeys(addresses))
    if not unique:
        return {}
    found = store.get_nodes(unique)
    missing = [a for a in unique if a not in found]
    if missing:
        raise MissingNode(f"missing tree nodes {missing[:5]}")
    return found


def _largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k (n > 1), RFC 9162's split point."""
    return 1 << ((n - 1).bit_length() - 1)


def _peaks(start: int, end: int) -> list[NodeAddress]:
    """Complete subtrees covering [start, end), left to right. ``start`` must be aligned
    to the range's own subtree (always true for ranges RFC 9162's recursion produces)."""
    result: list[NodeAddress] = []
    size = end - start
    position = start
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            if position % (1 << level):
                raise AssertionError(f"unaligned range [{start}, {end})")
            result.append((level, position >> level))
            position += 1 << level
    return result


Range = tuple[int, int]


def _resolve(ranges: Sequence[Range], store: NodeStore) -> list[bytes]:
    """MTH of each range, from one batch read of their peaks."""
    peaks = [_peaks(start, end) for start, end in ranges]
    found = _fetch(store, [p for group in peaks for p in group])
    hashes = []
    for group in peaks:
        value = found[group[-1]]
        for address in reversed(group[:-1]):  # MTH splits at the largest power of two
            value = node_hash(found[address], value)
        hashes.append(value)
    return hashes


def root_at(size: int, store: NodeStore) -> bytes:
    """MTH of the first ``size`` leaves (popcount(size) reads)."""
    if size < 0:
        raise ProofError("negative tree size")
    if size == 0:
        return EMPTY_ROOT
    return _resolve([(0, size)], store)[0]


def _path(m: int, start: int, end: int) -> list[Range]:
    """RFC 9162 §2.1.3.1 PATH(m, D[start:end]) as ranges, leaf-side first."""
    n = end - start
    if n == 1:
        return []
    k = _largest_power_of_two_below(n)
    if m < k:
        return [*_path(m, start, start + k), (start + k, end)]
    return [*_path(m - k, start + k, end), (start, start + k)]


def inclusion_proof(index: int, size: int, store: NodeStore) -> list[bytes]:
    """Audit path for leaf ``index`` in the tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    return _resolve(_path(index, 0, size), store)


def _subproof(m: int, start: int, end: int, whole: bool) -> list[Range]:
    """RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b) as ranges."""
    n = end - start
    if m == n:
        return [] if whole else [(start, end)]
    k = _largest_power_of_two_below(n)
    if m <= k:
        return [*_subproof(m, start, start + k, whole), (start + k, end)]
    return [*_subproof(m - k, start + k, end, False), (start, start + k)]


def consistency_proof(old_size: int, new_size: int, store: NodeStore) -> list[bytes]:
    """Proof that the tree of ``old_size`` leaves is a prefix of the one of ``new_size``."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    return _resolve(_subproof(old_size, 0, new_size, True), store)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2, with the leaf *hash*."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
