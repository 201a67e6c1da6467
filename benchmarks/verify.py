"""Benchmark: certificate verification online and offline, and log proofs at a million leaves.

    .venv/bin/python benchmarks/verify.py --leaves 1000000 [--certificates 1000] [--rounds 300]

Seeds persons with `regsafe seed`, gives the first ``--certificates`` of them a
registration (set-based SQL) and issues their certificates through the real issuer (row,
leaf and nodes in the transaction). Then fills the transparency log up to ``--leaves``
by a fast path: synthetic leaf hashes, every complete subtree computed in memory and
COPYed into the leaf and node tables; a tree head is signed by the real service over the
whole log. Measures: online verifications per second (GraphQL ``certificateVerification``
in-process over ASGI, sequential and 8 concurrent clients), offline verification of the
QR and of the proof bundle, inclusion- and consistency-proof generation from the stored
nodes (with the number of SQL statements), and one more issuance at that log size.
Results: benchmarks/results/verify.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import psycopg
from harness import on_scratch_database, random_key, write_result
from sqlalchemy import event
from sqlmodel import col, select

from regsafe.certificates import ledger, service
from regsafe.certificates.canonical import IssueKind
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.merkle import node_hash, verify_consistency, verify_inclusion
from regsafe.certificates.models import Certificate
from regsafe.certificates.offline import VerificationStatus, verify_bundle, verify_qr
from regsafe.certificates.qr import encode_qr_text, qr_version
from regsafe.certificates.signing import Ed25519Signer
from regsafe.core.db import to_libpq_url
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.registration.models import Registration
from regsafe.seed import seed
from regsafe.web.app import create_app

TODAY = date(2026, 11, 29)
VERIFY = """query V($n: String) { certificateVerification(number: $n) { status
  holderNameMasked idNumberMasked specialty employerName validFrom validUntil
  signatureValid inclusionVerified revocationReason treeHead { size rootHash } } }"""
REGISTRATIONS = """
INSERT INTO registration (person_id, employer_id, specialty, valid_from, valid_until, status)
SELECT DISTINCT ON (p.id) p.id, e.employer_id, coalesce(p.specialty, 'CHEMICAL'),
  %(start)s, %(end)s, 'ACTIVE'
FROM person p JOIN employment e ON e.person_id = p.id AND e.end_date IS NULL
WHERE NOT EXISTS (SELECT 1 FROM registration r WHERE r.person_id = p.id)
ORDER BY p.id LIMIT %(n)s
"""


def _ms(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[max(int(len(samples) * 0.95) - 1, 0)], 3),
        "mean_ms": round(statistics.fmean(samples), 3),
    }


def fill_log(url: str, target: int) -> float:
    """Leaves up to ``target`` and every complete subtree over them, by COPY."""
    started = time.perf_counter()
    with psycopg.connect(to_libpq_url(url)) as conn:
        existing = [
            bytes(r[0])
            for r in conn.execute("SELECT leaf_hash FROM certificate_log_leaf ORDER BY index")
        ]
        first_id = conn.execute("SELECT min(id) FROM certificate").fetchone()
        assert first_id is not None
        start = len(existing)
        leaves = existing + [
            hashlib.sha256(b"\x00bench-leaf-" + i.to_bytes(8, "big")).digest()
            for i in range(start, target)
        ]
        with conn.cursor().copy(
            "COPY certificate_log_leaf (index, leaf_hash, event, certificate_id) FROM STDIN"
        ) as copy:
            for i in range(start, target):
                copy.write_row((i, leaves[i], "ISSUED", first_id[0]))
        level, nodes, stored = 0, leaves, 0
        with conn.cursor().copy(
            "COPY certificate_log_node (level, index, hash) FROM STDIN"
        ) as copy:
            while nodes:
                for i, value in enumerate(nodes):
                    # nodes inside the first `start` leaves were written by real appends
                    if (i + 1) << level > start:
                        copy.write_row((level, i, value))
                        stored += 1
                if len(nodes) < 2:
                    break
                nodes = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
                level += 1
        conn.commit()
        conn.execute("ANALYZE certificate_log_leaf")
        conn.execute("ANALYZE certificate_log_node")
    return time.perf_counter() - started


async def _timed(n: int, fn: Callable[[], Awaitable[Any]]) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


async def run(url: str, people: int, certificates: int, leaves: int, rounds: int) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=random_key(),
        data_keys=f"b1:{random_key()}",
        data_key_id="b1",
        blind_index_key=random_key(),
        certificate_signing_key=Ed25519Signer.generate().to_pem().decode(),
        verify_rate_per_minute=10**9,  # the benchmark is one client
        env="test",
    )
    rt = Runtime.from_settings(settings)
    keys = issuer_keys(settings)
    await seed(rt.db, rt.cipher, people=people, province="440000", today=TODAY)
    with psycopg.connect(to_libpq_url(url)) as conn:
        conn.execute(REGISTRATIONS, {"start": TODAY, "end": date(2031, 11, 28), "n": certificates})
        conn.commit()
    t0 = time.perf_counter()
    async with rt.db.session() as s:
        regs = (await s.exec(select(Registration).order_by(col(Registration.id)))).all()
        for reg in regs:
            await service.issue_certificate(
                s,
                keys=keys,
                cipher=rt.cipher,
                registration=reg,
                kind=IssueKind.ISSUED,
                now=datetime.now(UTC),
            )
        await s.commit()
    issue_seconds = time.perf_counter() - t0
    fill_seconds = fill_log(url, leaves)
    async with rt.db.session() as s:
        t0 = time.perf_counter()
        head = await ledger.sign_now(s, keys=keys, origin="bench", now=datetime.now(UTC))
        sign_ms = (time.perf_counter() - t0) * 1000
        await s.commit()
        certs = (await s.exec(select(Certificate).order_by(col(Certificate.id)))).all()
    assert head is not None and head.row.size == leaves
    size = head.row.size

    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
    rng = random.Random(7)
    async with rt.db.session() as s:
        indexes = [rng.randrange(size) for _ in range(rounds)]
        proofs: list[float] = []
        proof_statements = 0
        for index in indexes:
            statements = 0
            t0 = time.perf_counter()
            proof = await ledger.inclusion(s, index, size)
            proofs.append((time.perf_counter() - t0) * 1000)
            proof_statements = max(proof_statements, statements)
        leaf = (
            await s.exec(
                select(ledger.LogLeaf.leaf_hash).where(col(ledger.LogLeaf.index) == indexes[-1])
            )
        ).one()
        assert verify_inclusion(leaf, indexes[-1], size, proof, head.row.root_hash)
        consistency: list[float] = []
        for _ in range(rounds // 3):
            old = rng.randrange(1, size)
            t0 = time.perf_counter()
            cproof = await ledger.consistency(s, old, size)
            consistency.append((time.perf_counter() - t0) * 1000)
        old_root = await ledger.root(s, old)
        assert verify_consistency(old, size, old_root, head.row.root_hash, cproof)
        bundle = await service.bundle(
            s, cert=certs[0], keys=keys, origin="bench", now=datetime.now(UTC)
        )
    event.remove(rt.db.engine.sync_engine, "before_cursor_execute", count)

    public = keys.public()
    qr = encode_qr_text(service.signed_of(certs[0]))
    bundle_text = bundle.to_json()
    assert verify_qr(qr, public, today=TODAY).status is VerificationStatus.VALID
    assert verify_bundle(bundle_text, public, today=TODAY).status is VerificationStatus.VALID
    offline_qr, offline_bundle = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        verify_qr(qr, public, today=TODAY)
        offline_qr.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        verify_bundle(bundle_text, public, today=TODAY)
        offline_bundle.append((time.perf_counter() - t0) * 1000)

    app = create_app(rt)
    numbers = [c.number for c in certs]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as c:

        async def one(number: str) -> None:
            resp = await c.post("/graphql", json={"query": VERIFY, "variables": {"n": number}})
            body = resp.json()
            assert body["data"]["certificateVerification"]["status"] == "VALID", body

        for n in numbers[:5]:
            await one(n)  # warm up
        statements = 0
        event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
        await one(numbers[0])
        online_statements = statements
        event.remove(rt.db.engine.sync_engine, "before_cursor_execute", count)
        sequential = await _timed(rounds, lambda: one(rng.choice(numbers)))
        t0 = time.perf_counter()
        for _ in range(rounds // 8):
            await asyncio.gather(*(one(rng.choice(numbers)) for _ in range(8)))
        concurrent_rate = (rounds // 8) * 8 / (time.perf_counter() - t0)

    # one more real issuance at this log size (leaf + nodes appended in the transaction)
    async with rt.db.session() as s:
        reg = Registration(
            person_id=certs[0].person_id,
            employer_id=certs[0].employer_id,
            specialty="CHEMICAL",
            valid_from=TODAY,
            valid_until=date(2031, 11, 28),
            status="ACTIVE",
        )
        old = await s.get(Registration, certs[0].registration_id)
        assert old is not None
        old.status = "SUPERSEDED"
        s.add(old)
        await s.flush()
        s.add(reg)
        await s.flush()
        t0 = time.perf_counter()
        await service.issue_certificate(
            s,
            keys=keys,
            cipher=rt.cipher,
            registration=reg,
            kind=IssueKind.RENEWED,
            now=datetime.now(UTC),
        )
        issue_at_size_ms = (time.perf_counter() - t0) * 1000
        await s.rollback()

    with psycopg.connect(to_libpq_url(url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('certificate_log_leaf')),"
            " pg_size_pretty(pg_total_relation_size('certificate_log_node')),"
            " (SELECT count(*) FROM certificate_log_node)"
        ).fetchone()
    await rt.db.dispose()
    assert sizes is not None
    return {
        "benchmark": "verify",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "certificates": len(certs),
        "log_leaves": size,
        "log_nodes": sizes[2],
        "table_sizes": {"leaf": sizes[0], "node": sizes[1]},
        "issue_seconds_per_certificate_ms": round(issue_seconds * 1000 / len(certs), 2),
        "fill_seconds": round(fill_seconds, 1),
        "sign_tree_head_ms": round(sign_ms, 1),
        "rounds": rounds,
        "online": {
            "sequential_per_second": round(1000 / statistics.fmean(sequential), 1),
            "concurrent_8_per_second": round(concurrent_rate, 1),
            "latency": _ms(sequential),
            "sql_statements": online_statements,
        },
        "offline": {
            "qr": _ms(offline_qr),
            "bundle": _ms(offline_bundle),
            "qr_version": qr_version(qr),
            "qr_chars": len(qr),
        },
        "inclusion_proof_at_size": {
            **_ms(proofs),
            "sql_statements": proof_statements,
            "hashes": len(proof),
        },
        "consistency_proof_at_size": _ms(consistency),
        "issue_at_size_ms": round(issue_at_size_ms, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "postgresql": version[0] if version else "?",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    result = on_scratch_database(
        lambda url: asyncio.run(run(url, args.people, args.certificates, args.leaves, args.rounds))
    )
    write_result("verify", result)
    online, offline = result["online"], result["offline"]
    proof = result["inclusion_proof_at_size"]
    print(
        f"log: {result['log_leaves']:,} leaves, {result['log_nodes']:,} nodes "
        f"(filled in {result['fill_seconds']} s)"
    )
    print(
        f"online verifications: {online['sequential_per_second']}/s sequential, "
        f"{online['concurrent_8_per_second']}/s with 8 clients, p50 "
        f"{online['latency']['p50_ms']} ms, {online['sql_statements']} SQL"
    )
    print(
        f"offline: QR p50 {offline['qr']['p50_ms']} ms, bundle p50 "
        f"{offline['bundle']['p50_ms']} ms (QR version {offline['qr_version']})"
    )
    print(
        f"inclusion proof at {result['log_leaves']:,}: p50 {proof['p50_ms']} ms, p95 "
        f"{proof['p95_ms']} ms, {proof['sql_statements']} SQL, {proof['hashes']} hashes"
    )


if __name__ == "__main__":
    main()
