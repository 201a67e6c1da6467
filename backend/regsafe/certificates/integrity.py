"""Full audit of the certificate log (``regsafe verify --audit``, 全量审计).

Recomputes the whole tree from the leaves and checks, without trusting any stored hash:
- leaves are dense (0 … n−1) and each equals the leaf its certificate's stored signed
  bytes imply (issuance, and revocation/cancellation records);
- every stored node equals the recomputed complete subtree, and none is missing or extra;
- every signed tree head's signature verifies and its root is the recomputed root at its
  size (so heads are mutually consistent), sizes never shrink;
- every certificate row: signature over its payload, the row against the payload, the
  end record (see ``service.check_row``); witnesses' cosignatures when their keys are given.

Memory is O(n) hashes (about 150 MB at a million leaves); reads are streamed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.certificates import service
from regsafe.certificates.merkle import NodeAddress, node_hash, root_at
from regsafe.certificates.models import (
    Certificate,
    LogCosignature,
    LogLeaf,
    LogNode,
    LogTreeHead,
)
from regsafe.certificates.signing import KeyRing, UnknownKey
from regsafe.certificates.tree_head import Cosignature, SignedTreeHead, TreeHead

BATCH = 10_000


@dataclass
class AuditReport:
    leaves: int = 0
    nodes: int = 0
    tree_heads: int = 0
    certificates: int = 0
    cosignatures: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, zh: str, en: str) -> None:
        self.problems.append(f"{zh} ({en})")


class _Levels:
    """The recomputed tree: levels[l][i] is the complete subtree (l, i)."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.levels = [leaves]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    def get(self, level: int, index: int) -> bytes | None:
        if level < len(self.levels) and index < len(self.levels[level]):
            return self.levels[level][index]
        return None

    def get_nodes(self, addresses: Sequence[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        found = {}
        for level, index in addresses:
            value = self.get(level, index)
            if value is not None:
                found[(level, index)] = value
        return found

    def count(self) -> int:
        return sum(len(level) for level in self.levels)


async def audit_log(
    session: AsyncSession, keys: KeyRing, *, witnesses: KeyRing | None = None
) -> AuditReport:
    report = AuditReport()
    # Certificates first: what each leaf must be, from the rows' own signed bytes.
    expected: dict[int, tuple[bytes, int, str]] = {}
    last_id = 0
    while True:
        rows = (
            await session.exec(
                select(Certificate)
                .where(col(Certificate.id) > last_id)
                .order_by(col(Certificate.id))
                .limit(BATCH // 10)
            )
        ).all()
        if not rows:
            break
        for cert in rows:
            assert cert.id is not None
            last_id = cert.id
            report.certificates += 1
            for problem in service.check_row(cert, keys).problems:
                report.problem(f"证书 {cert.number}：{problem}", f"certificate row {cert.id}")
            for index, leaf in service.expected_leaves(cert):
                expected[index] = (leaf, cert.id, cert.number)
        session.expunge_all()

    leaves: list[bytes] = []
    after = -1
    while True:
        rows_ = (
            await session.exec(
                select(LogLeaf.index, LogLeaf.leaf_hash, LogLeaf.certificate_id)
                .where(col(LogLeaf.index) > after)
                .order_by(col(LogLeaf.index))
                .limit(BATCH)
            )
        ).all()
        if not rows_:
            break
        for index, leaf_hash, certificate_id in rows_:
            if index != len(leaves):
                report.problem(
                    f"日志叶子序号不连续：期望 {len(leaves)}，实际 {index}",
                    f"leaf indexes not dense at {len(leaves)}",
                )
            want = expected.pop(index, None)
            if want is None:
                report.problem(
                    f"第 {index} 号叶子没有对应的证书事件", f"leaf {index} matches no certificate"
                )
            elif want[0] != leaf_hash or want[1] != certificate_id:
                report.problem(
                    f"第 {index} 号叶子与证书 {want[2]} 的签名内容不符",
                    f"leaf {index} does not match certificate {want[2]}",
                )
            leaves.append(leaf_hash)
            after = index
    report.leaves = len(leaves)
    for index, (_, _, number) in sorted(expected.items()):
        report.problem(
            f"证书 {number} 的第 {index} 号叶子不在日志中", f"leaf {index} missing from the log"
        )

    tree = _Levels(leaves)
    seen = 0
    last: tuple[int, int] = (-1, -1)
    while True:
        node_rows = (
            await session.exec(
                select(LogNode.level, LogNode.index, LogNode.hash)
                .where(
                    (col(LogNode.level) > last[0])
                    | ((col(LogNode.level) == last[0]) & (col(LogNode.index) > last[1]))
                )
                .order_by(col(LogNode.level), col(LogNode.index))
                .limit(BATCH)
            )
        ).all()
        if not node_rows:
            break
        for level, index, value in node_rows:
            seen += 1
            if tree.get(level, index) != value:
                report.problem(
                    f"日志节点 ({level}, {index}) 与重算结果不符",
                    f"node ({level}, {index}) differs from the recomputed tree",
                )
            last = (level, index)
    report.nodes = seen
    if seen != tree.count():
        report.problem(
            f"日志节点数 {seen} 与应有的 {tree.count()} 不符",
            f"{seen} nodes stored, {tree.count()} expected",
        )

    heads = (await session.exec(select(LogTreeHead).order_by(col(LogTreeHead.id)))).all()
    cos_rows = (await session.exec(select(LogCosignature))).all()
    by_head: dict[int, list[LogCosignature]] = {}
    for c in cos_rows:
        by_head.setdefault(c.tree_head_id, []).append(c)
    previous = 0
    for row in heads:
        report.tree_heads += 1
        label = f"树头 #{row.id}（大小 {row.size}）"
        try:
            sth = SignedTreeHead(
                TreeHead(row.origin, row.size, row.root_hash, row.timestamp_ms),
                row.key_id,
                row.signature,
                tuple(
                    Cosignature(c.witness_key_id, c.timestamp_ms, c.signature)
                    for c in by_head.get(row.id or 0, [])
                ),
            )
        except ValueError:
            report.problem(f"{label} 数据无效", f"tree head {row.id} unreadable")
            continue
        try:
            signed = keys.verify(row.key_id, sth.head.body(), row.signature)
        except UnknownKey:
            signed = False
        if not signed:
            report.problem(f"{label} 签名无效", f"tree head {row.id} signature invalid")
        if row.size > len(leaves) or root_at(row.size, tree) != row.root_hash:
            report.problem(
                f"{label} 的根哈希与重算结果不符",
                f"tree head {row.id} root differs from the recomputed tree",
            )
        if row.size < previous:
            report.problem(f"{label} 比之前的树头小", f"tree head {row.id} shrinks the log")
        previous = max(previous, row.size)
        report.cosignatures += len(sth.cosignatures)
        if witnesses is not None:
            good = set(sth.verified_witnesses(witnesses))
            for cos in sth.cosignatures:
                if cos.key_id in witnesses and cos.key_id not in good:
                    report.problem(
                        f"{label} 的见证方 {cos.key_id} 副署无效",
                        f"cosignature by {cos.key_id} on tree head {row.id} invalid",
                    )
    return report
