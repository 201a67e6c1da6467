"""Benchmark: continuing-education requirement status at national scale.

    .venv/bin/python benchmarks/hours.py --engineers 100000 --records 2000000

Seeds persons with `regsafe seed`, gives up to ``--engineers`` of the employed ones an
ACTIVE registration (cycles starting anywhere in the last five years) and spreads
``--records`` hour records over them set-based in SQL: professional in the engineer's
specialty, professional of another specialty, general; 5% pending, 3% rejected; dates
over seven years, so many fall outside the cycle. Then computes the requirement status
of every engineer a page at a time with the service the API and the jobs use
(:func:`regsafe.education.hours.requirement_page`: one SQL statement per page), times
single-engineer lookups, and checks with EXPLAIN that hours are read off
``ix_hour_record_counted``. Results: benchmarks/results/hours.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from harness import on_scratch_database, random_key, write_result
from sqlalchemy import event

from regsafe.core.db import to_libpq_url
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.education import hours
from regsafe.education.rules import RequirementPolicy
from regsafe.seed import seed

TODAY = date(2026, 11, 29)

REGISTER = """
INSERT INTO registration (person_id, employer_id, specialty, valid_from, valid_until, status)
SELECT person_id, employer_id, specialty, start, (start + interval '5 years - 1 day')::date,
       'ACTIVE'
FROM (
    SELECT e.person_id, e.employer_id, coalesce(p.specialty, 'OTHER') AS specialty,
           (%(today)s::date - (random() * 1800)::int) AS start
    FROM employment e JOIN person p ON p.id = e.person_id
    WHERE e.end_date IS NULL
    ORDER BY e.person_id
    LIMIT %(engineers)s
) s
"""
# n-th record of each engineer: a kind by n, a date anywhere in the last seven years.
RECORDS = """
INSERT INTO hour_record (person_id, source, status, dedup_key, provider_name, course_title,
    subject_kind, specialty, hours, recognised_on, rule_version)
SELECT r.person_id,
       'EXTERNAL',
       CASE WHEN random() < 0.05 THEN 'PENDING' WHEN random() < 0.03 THEN 'REJECTED'
            ELSE 'ACCEPTED' END,
       'bench:' || g,
       '基准培训机构',
       '基准课程 ' || g,
       CASE WHEN g %% 3 = 0 THEN 'GENERAL' ELSE 'PROFESSIONAL' END,
       CASE WHEN g %% 3 = 1 THEN r.specialty WHEN g %% 3 = 2 THEN
            (CASE WHEN r.specialty = 'CHEMICAL' THEN 'COAL_MINE' ELSE 'CHEMICAL' END) END,
       (2 + floor(random() * 15)) / 2.0,
       %(today)s::date - (random() * 2555)::int,
       'import-v1'
FROM registration r
CROSS JOIN generate_series(1, %(per_engineer)s) AS g
WHERE r.status = 'ACTIVE'
"""
EXPLAIN_PAGE = (
    "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) "
    + hours._CYCLE_SUMS
    + " WHERE r.status = 'ACTIVE' AND r.person_id > 0 ORDER BY r.person_id LIMIT 500"
)


async def run(url: str, engineers: int, records: int, page: int) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=random_key(),
        data_keys=f"b1:{random_key()}",
        data_key_id="b1",
        blind_index_key=random_key(),
        env="test",
    )
    rt = Runtime.from_settings(settings)
    people = int(engineers * 1.15)  # not everyone is employed
    t0 = time.perf_counter()
    await seed(rt.db, rt.cipher, people=people, province="440000", today=TODAY, demo_users=False)
    seed_seconds = time.perf_counter() - t0
    started = time.perf_counter()
    with psycopg.connect(to_libpq_url(url)) as conn:
        conn.execute(REGISTER, {"today": TODAY, "engineers": engineers})
        registered = conn.execute("SELECT count(*) FROM registration").fetchone()
        assert registered is not None
        per = max(1, round(records / registered[0]))
        conn.execute(RECORDS, {"today": TODAY, "per_engineer": per})
        conn.commit()
        # the visibility map makes the index-only scan real, as autovacuum would
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE hour_record")
        conn.execute("ANALYZE registration")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM registration), (SELECT count(*) FROM hour_record),"
            " (SELECT count(*) FROM hour_record WHERE status = 'ACCEPTED')"
        ).fetchone()
        plan = [r[0] for r in conn.execute(EXPLAIN_PAGE)]
        size = conn.execute(
            "SELECT pg_size_pretty(pg_relation_size('ix_hour_record_counted'))"
        ).fetchone()
        version = conn.execute("SHOW server_version").fetchone()
    fill_seconds = time.perf_counter() - started
    assert counts is not None

    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
    policy = RequirementPolicy()
    outlooks: Counter[str] = Counter()
    page_ms: list[float] = []
    per_page_sql: set[int] = set()
    full_started = time.perf_counter()
    after = 0
    async with rt.db.session() as s:
        while True:
            statements = 0
            t = time.perf_counter()
            rows = await hours.requirement_page(
                s, after_person_id=after, limit=page, policy=policy, today=TODAY
            )
            page_ms.append((time.perf_counter() - t) * 1000)
            per_page_sql.add(statements)
            if not rows:
                break
            outlooks.update(r.status.outlook.value for r in rows)
            after = rows[-1].person_id
    full_seconds = time.perf_counter() - full_started
    page_ms.sort()

    # one engineer at a time, as 我的学时 and the renewal check ask
    rng = random.Random(7)
    async with rt.db.session() as s:
        ids = [
            r[0]
            for r in (
                await (await s.connection()).exec_driver_sql(
                    "SELECT id FROM registration ORDER BY id"
                )
            ).all()
        ]
        single_ms = []
        for reg_id in rng.sample(ids, 200):
            t = time.perf_counter()
            await hours.cycle_status(s, registration_id=reg_id, policy=policy, today=TODAY)
            single_ms.append((time.perf_counter() - t) * 1000)
    single_ms.sort()
    await rt.db.dispose()
    plan_text = "\n".join(plan)
    return {
        "benchmark": "hours",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seeded_persons": people,
        "seed_seconds": round(seed_seconds, 1),
        "engineers": counts[0],
        "hour_records": counts[1],
        "accepted_records": counts[2],
        "fill_seconds": round(fill_seconds, 1),
        "index_size": size[0] if size else "?",
        "requirement_status_all": {
            "page_size": page,
            "pages": len(page_ms) - 1,
            "seconds": round(full_seconds, 2),
            "engineers_per_second": round(counts[0] / full_seconds),
            "page_p50_ms": round(statistics.median(page_ms), 1),
            "page_p95_ms": round(page_ms[int(len(page_ms) * 0.95) - 1], 1),
            "sql_statements_per_page": sorted(per_page_sql),
            "outlooks": dict(outlooks),
        },
        "one_engineer": {
            "p50_ms": round(statistics.median(single_ms), 2),
            "p95_ms": round(single_ms[int(len(single_ms) * 0.95) - 1], 2),
        },
        "plan": {
            "index_only_scan_on_counted": "Index Only Scan using ix_hour_record_counted"
            in plan_text,
            "execution": next((line.strip() for line in plan if "Execution Time" in line), ""),
            "text": plan_text[:1500],
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "postgresql": version[0] if version else "?",
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engineers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--page", type=int, default=1000)
    args = parser.parse_args()
    result = on_scratch_database(
        lambda url: asyncio.run(run(url, args.engineers, args.records, args.page))
    )
    write_result("hours", result)
    s = result["requirement_status_all"]
    print(
        f"{result['engineers']} engineers, {result['hour_records']} hour records "
        f"(filled in {result['fill_seconds']} s)"
    )
    print(
        f"  requirement status of all: {s['seconds']} s ({s['engineers_per_second']}/s), "
        f"page of {s['page_size']}: p50 {s['page_p50_ms']} ms, p95 {s['page_p95_ms']} ms, "
        f"SQL per page {s['sql_statements_per_page']}"
    )
    print(f"  one engineer: p50 {result['one_engineer']['p50_ms']} ms")
    ok = result["plan"]["index_only_scan_on_counted"]
    print(f"  index only scan on ix_hour_record_counted: {ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
