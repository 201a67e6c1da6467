"""Benchmark: reviewer queues over a province's applications, in-process over HTTP (ASGI).

    .venv/bin/python benchmarks/review_queue.py --people 100000 [--rounds 30]

Seeds persons with `regsafe seed`, then one application per person set-based in SQL
(statuses spread like a working year: most decided, a fifth waiting for 初审, a tenth in
终审), four documents and three history events each. Times the 初审 and 终审 queues with
their nested fields as the province reviewer / ministry reviewer, the counts, and checks
with EXPLAIN that the queue is read by its index. Results: benchmarks/results/review_queue.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from typing import Any

import httpx
import psycopg
from harness import on_scratch_database, print_operations, random_key, write_result
from sqlalchemy import event

from regsafe.core.db import to_libpq_url
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.seed import DEMO_PASSWORD, seed
from regsafe.web.app import create_app

QUEUE = """query Q($stage: ReviewStage!, $n: Int, $f: ReviewQueueFilter) {
  reviewQueue(stage: $stage, first: $n, filter: $f) { edges { node {
    kind status dueAt deadlineStatus applicantIdNumber applicant { name }
    employer { name creditCode } documents { kind ocrStatus } missingDocuments
    history { action actorName } checks { code result } flags { code } } } } }"""
COUNTS = """query C($stage: ReviewStage!) { reviewQueueCounts(stage: $stage) {
  total breached dueSoon onTime unclaimed } }"""
OPERATIONS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "初审 queue, first 20, nested": ("reviewer", QUEUE, {"stage": "PRELIMINARY", "n": 20}),
    "初审 queue, first 100, nested": ("reviewer", QUEUE, {"stage": "PRELIMINARY", "n": 100}),
    "初审 queue, breached only": (
        "reviewer",
        QUEUE,
        {"stage": "PRELIMINARY", "n": 20, "f": {"deadline": "BREACHED"}},
    ),
    "初审 queue, kind RENEWAL": (
        "reviewer",
        QUEUE,
        {"stage": "PRELIMINARY", "n": 20, "f": {"kind": "RENEWAL"}},
    ),
    "初审 counts": ("reviewer", COUNTS, {"stage": "PRELIMINARY"}),
    "终审 queue, first 20, nested": ("ministry", QUEUE, {"stage": "FINAL", "n": 20}),
    "终审 counts": ("ministry", COUNTS, {"stage": "FINAL"}),
}
FILL = """
INSERT INTO application (person_id, kind, specialty, employer_id, status, version,
  review_scope, province_code, form, checks, flags, verifications, return_items,
  submitted_at, preliminary_started_at, final_started_at, due_at, created_at, updated_at)
SELECT p.id,
  (ARRAY['INITIAL','RENEWAL','CHANGE','INITIAL','RENEWAL'])[1 + p.id % 5],
  coalesce(p.specialty, 'CHEMICAL'), e.employer_id, s.status, 1,
  CASE WHEN p.specialty = 'CONSTRUCTION' THEN 'MOHURD'
       WHEN p.specialty = 'ROAD_TRANSPORT' THEN 'MOT' ELSE 'PROVINCE' END,
  '440000', '{}'::jsonb,
  '[{"code":"AGE","result":"PASS","explanation":"ok"}]'::jsonb, '[]'::jsonb, '[]'::jsonb,
  '[]'::jsonb, s.submitted,
  CASE WHEN s.status <> 'SUBMITTED' THEN s.submitted + interval '2 days' END,
  CASE WHEN s.status = 'FINAL_REVIEW' THEN s.submitted + interval '10 days' END,
  CASE s.status WHEN 'SUBMITTED' THEN s.submitted + interval '5 days'
                WHEN 'PRELIMINARY_REVIEW' THEN s.submitted + interval '20 days'
                WHEN 'FINAL_REVIEW' THEN s.submitted + interval '30 days' END,
  s.submitted, s.submitted
FROM person p
JOIN employment e ON e.person_id = p.id AND e.end_date IS NULL
CROSS JOIN LATERAL (SELECT
  CASE WHEN p.id % 20 < 12 THEN 'APPROVED' WHEN p.id % 20 < 14 THEN 'DRAFT'
       WHEN p.id % 20 < 16 THEN 'SUBMITTED' WHEN p.id % 20 < 18 THEN 'PRELIMINARY_REVIEW'
       ELSE 'FINAL_REVIEW' END AS status,
  now() - make_interval(days => ((p.id * 7919) % 40)::int, hours => (p.id % 24)::int)
    AS submitted) s
"""
DOCS = """
INSERT INTO document (person_id, application_id, kind, filename, declared_size,
  declared_content_type, object_key, status, size, media_type, sha256, pages, ocr_status)
SELECT a.person_id, a.id, k.kind, k.kind || '.jpg', 100000, 'image/jpeg',
  'documents/' || a.person_id || '/' || a.id || '-' || k.kind, 'CONFIRMED', 100000,
  'image/jpeg', md5(a.id::text) || md5(k.kind), 1,
  CASE WHEN k.kind IN ('ID_CARD','QUALIFICATION_CERTIFICATE') THEN 'DONE'
       ELSE 'NOT_APPLICABLE' END
FROM application a CROSS JOIN (VALUES ('APPLICATION_FORM'), ('ID_CARD'),
  ('QUALIFICATION_CERTIFICATE'), ('LABOUR_CONTRACT')) k(kind)
"""
EVENTS = """
INSERT INTO application_event (application_id, action, from_status, to_status, items, at)
SELECT a.id, e.action, e.from_status, e.to_status, '[]'::jsonb, a.created_at
FROM application a CROSS JOIN (VALUES ('CREATE', NULL, 'DRAFT'),
  ('SUBMIT', 'DRAFT', 'SUBMITTED'), ('START_PRELIMINARY', 'SUBMITTED',
  'PRELIMINARY_REVIEW')) e(action, from_status, to_status)
"""
EXPLAIN_QUEUE = """
SELECT id FROM application WHERE status IN ('SUBMITTED','PRELIMINARY_REVIEW')
  AND review_scope = 'PROVINCE' AND province_code = '440000'
ORDER BY due_at, id LIMIT 21
"""


async def run(url: str, people: int, rounds: int) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=random_key(),
        data_keys=f"b1:{random_key()}",
        data_key_id="b1",
        blind_index_key=random_key(),
        env="test",
    )
    rt = Runtime.from_settings(settings)
    await seed(rt.db, rt.cipher, people=people, province="440000", today=date(2026, 11, 29))
    started = time.perf_counter()
    with psycopg.connect(to_libpq_url(url)) as conn:
        conn.execute(FILL)
        conn.execute(DOCS)
        conn.execute(EVENTS)
        conn.commit()
        conn.execute("ANALYZE")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM application), (SELECT count(*) FROM document),"
            " (SELECT count(*) FROM application_event)"
        ).fetchone()
        plan = " / ".join(r[0].strip() for r in conn.execute("EXPLAIN " + EXPLAIN_QUEUE))
        version = conn.execute("SHOW server_version").fetchone()
    fill_seconds = time.perf_counter() - started
    assert counts is not None
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
    app = create_app(rt)
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        tokens = {}
        for user in ("reviewer", "ministry"):
            login = await client.post(
                "/graphql",
                json={
                    "query": "mutation($u: String!, $p: String!) { tokenCreate(username: $u, "
                    "password: $p) { token { accessToken } } }",
                    "variables": {"u": user, "p": DEMO_PASSWORD},
                },
            )
            tokens[user] = login.json()["data"]["tokenCreate"]["token"]["accessToken"]
        for name, (user, query, variables) in OPERATIONS.items():
            timings = []
            for i in range(rounds + 3):
                statements = 0
                t0 = time.perf_counter()
                resp = await client.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers={"Authorization": f"Bearer {tokens[user]}"},
                )
                elapsed = (time.perf_counter() - t0) * 1000
                body = resp.json()
                assert "errors" not in body, body
                if i >= 3:
                    timings.append(elapsed)
            timings.sort()
            results[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                "sql_statements": statements,
            }
    await rt.db.dispose()
    return {
        "benchmark": "review_queue",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "applications": counts[0],
        "documents": counts[1],
        "events": counts[2],
        "fill_seconds": round(fill_seconds, 1),
        "rounds": rounds,
        "operations": results,
        "queue_index": {
            "uses_index": "ix_application_preliminary_queue" in plan,
            "plan": plan[:400],
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "postgresql": version[0] if version else "?",
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    result = on_scratch_database(lambda url: asyncio.run(run(url, args.people, args.rounds)))
    write_result("review_queue", result)
    print(
        f"{result['people']:,} persons, {result['applications']:,} applications, "
        f"{result['documents']:,} documents, {result['events']:,} events "
        f"(filled in {result['fill_seconds']} s); {result['rounds']} timed rounds each"
    )
    print_operations(result)
    q = result["queue_index"]
    print(f"  queue index: {'yes' if q['uses_index'] else 'NO'}: {q['plan'][:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
