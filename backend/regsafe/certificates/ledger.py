"""The transparency log in PostgreSQL (存证日志): appending leaves, signing tree heads,
and inclusion and consistency proofs read from the stored complete-subtree nodes.

``merkle`` is synchronous and asks its ``NodeStore`` for one batch of nodes; which nodes
it asks for depends only on the indexes and sizes, never on hash values. So each
operation runs twice: once against a recorder that notes the addresses (answering
zeros), then — after one ``WHERE (level, index) IN (…)`` read — against those rows.
That keeps every proof at O(log n) rows in one statement.

Appends are serialised by a transaction-scoped advisory lock: the next leaf index is
``max(index) + 1`` read under the lock, and the lock is held until the issuing
transaction commits or rolls back, so leaves are dense and nodes never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import func, text, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.merkle import (
    HASH_SIZE,
    NodeAddress,
    NodeStore,
    consistency_proof,
    inclusion_proof,
    nodes_to_store_on_append,
    root_at,
)
from regsafe.certificates.models import LogCosignature, LogLeaf, LogNode, LogTreeHead
from regsafe.certificates.signing import KeyRing, Signer
from regsafe.certificates.tree_head import (
    Cosignature,
    SignedTreeHead,
    TreeHead,
    sign_tree_head,
)

log = logging.getLogger("regsafe.certificates")

# pg_advisory_xact_lock key of the log ("RSLOG" in ASCII): one writer at a time.
LOG_LOCK = 0x52534C4F47
_ZERO = b"\x00" * HASH_SIZE
T = TypeVar("T")


class _Recorder:
    def __init__(self) -> None:
        self.wanted: list[NodeAddress] = []

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        self.wanted.extend(addresses)
        return dict.fromkeys(addresses, _ZERO)


class _Rows:
    def __init__(self, nodes: Mapping[NodeAddress, bytes]) -> None:
        self.nodes = nodes

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        return {a: self.nodes[a] for a in addresses if a in self.nodes}


async def read_nodes(
    session: AsyncSession, addresses: Iterable[NodeAddress]
) -> dict[NodeAddress, bytes]:
    wanted = list(dict.fromkeys(addresses))
    if not wanted:
        return {}
    rows = await session.exec(
        select(LogNode.level, LogNode.index, LogNode.hash).where(
            tuple_(col(LogNode.level), col(LogNode.index)).in_(wanted)
        )
    )
    return {(level, index): value for level, index, value in rows.all()}


async def with_nodes(session: AsyncSession, compute: Callable[[NodeStore], T]) -> T:
    """Run a ``merkle`` computation against the stored nodes with one batch read."""
    recorder = _Recorder()
    compute(recorder)
    return compute(_Rows(await read_nodes(session, recorder.wanted)))


async def log_size(session: AsyncSession) -> int:
    size = (await session.exec(select(func.coalesce(func.max(LogLeaf.index) + 1, 0)))).one()
    return int(size)


async def lock_log(session: AsyncSession) -> int:
    """Take the log's append lock (until the transaction ends); returns the next index."""
    conn = await session.connection()
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK})
    return await log_size(session)


async def append_leaf(
    session: AsyncSession,
    *,
    index: int,
    event: LogEvent,
    payload: bytes,
    signature: bytes,
    certificate_id: int,
    now: datetime,
) -> bytes:
    """Append leaf ``index`` (the caller holds ``lock_log``) and the subtrees it closes."""
    leaf = event_leaf_hash(event, payload, signature)
    nodes = await with_nodes(
        session,
        lambda store: nodes_to_store_on_append(index, leaf, store),
    )
    conn = await session.connection()
    await conn.execute(
        pg_insert(LogLeaf).values(
            index=index,
            leaf_hash=leaf,
            event=event.value,
            certificate_id=certificate_id,
            created_at=now,
        )
    )
    await conn.execute(
        pg_insert(LogNode).values([{"level": lv, "index": i, "hash": h} for (lv, i), h in nodes])
    )
    return leaf


# --- tree heads ---------------------------------------------------------------------


def _signed(row: LogTreeHead, cosignatures: Sequence[LogCosignature] = ()) -> SignedTreeHead:
    head = TreeHead(row.origin, row.size, row.root_hash, row.timestamp_ms)
    return SignedTreeHead(
        head,
        row.key_id,
        row.signature,
        tuple(Cosignature(c.witness_key_id, c.timestamp_ms, c.signature) for c in cosignatures),
    )


@dataclass(frozen=True)
class StoredTreeHead:
    row: LogTreeHead
    cosignatures: tuple[LogCosignature, ...]

    @property
    def signed(self) -> SignedTreeHead:
        return _signed(self.row, self.cosignatures)


async def latest_tree_head(session: AsyncSession) -> StoredTreeHead | None:
    row = (
        await session.exec(select(LogTreeHead).order_by(col(LogTreeHead.id).desc()).limit(1))
    ).first()
    if row is None:
        return None
    cos = (
        await session.exec(
            select(LogCosignature)
            .where(col(LogCosignature.tree_head_id) == row.id)
            .order_by(col(LogCosignature.id))
        )
    ).all()
    return StoredTreeHead(row, tuple(cos))


class Anchor(Protocol):
    """An external witness (见证方) that tree heads are exported to. It checks the new
    head is consistent with the last one it saw, and returns its cosignature."""

    name: str

    def last_seen(self) -> SignedTreeHead | None: ...

    def cosign(self, sth: SignedTreeHead, proof: Sequence[bytes]) -> Cosignature: ...


async def sign_now(
    session: AsyncSession,
    *,
    keys: KeyRing,
    origin: str,
    now: datetime,
    min_interval_seconds: float = 0,
    anchors: Sequence[Anchor] = (),
) -> StoredTreeHead | None:
    """Sign a tree head over every leaf so far, unless the log is empty, nothing was
    appended since the last one, or that one is younger than ``min_interval_seconds``
    (policy). Then export it to the anchors; a witness that refuses or fails is logged,
    never fatal."""
    conn = await session.connection()
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK})
    size = await log_size(session)
    latest = await latest_tree_head(session)
    if size == 0:  # nothing to attest yet
        return None
    if latest is not None:
        if latest.row.size == size:
            return None
        age = (now - latest.row.created_at).total_seconds() if latest.row.created_at else 1e9
        if age < min_interval_seconds:
            return None
    root = await with_nodes(session, lambda store: root_at(size, store))
    sth = sign_tree_head(TreeHead(origin, size, root, int(now.timestamp() * 1000)), _active(keys))
    row = LogTreeHead(
        origin=origin,
        size=size,
        root_hash=root,
        timestamp_ms=sth.head.timestamp_ms,
        key_id=sth.key_id,
        signature=sth.signature,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    assert row.id is not None
    cosignatures: list[LogCosignature] = []
    for anchor in anchors:
        try:
            seen = anchor.last_seen()
            old = seen.head.size if seen is not None and seen.head.size <= size else 0
            proof = await consistency(session, old, size)
            cos = anchor.cosign(sth, proof)
        except Exception:
            log.exception("witness refused or failed", extra={"witness": anchor.name})
            continue
        c = LogCosignature(
            tree_head_id=row.id,
            witness_name=anchor.name,
            witness_key_id=cos.key_id,
            timestamp_ms=cos.timestamp_ms,
            signature=cos.signature,
            created_at=now,
        )
        session.add(c)
        cosignatures.append(c)
    await session.flush()
    return StoredTreeHead(row, tuple(cosignatures))


def _active(keys: KeyRing) -> Signer:
    if keys.active is None:
        raise RuntimeError("no active certificate signing key")
    return keys.active


# --- proofs -------------------------------------------------------------------------


async def inclusion(session: AsyncSession, index: int, size: int) -> list[bytes]:
    return await with_nodes(
        session,
        lambda store: inclusion_proof(index, size, store),
    )


async def consistency(session: AsyncSession, old_size: int, new_size: int) -> list[bytes]:
    return await with_nodes(
        session,
        lambda store: consistency_proof(old_size, new_size, store),
    )


async def root(session: AsyncSession, size: int) -> bytes:
    return await with_nodes(session, lambda store: root_at(size, store))
