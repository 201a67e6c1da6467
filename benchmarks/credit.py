"""Benchmark: the full credit recompute (信用分) at national scale.

    .venv/bin/python benchmarks/credit.py --engineers 1000000

Seeds persons with `regsafe seed`, gives up to ``--engineers`` of the employed ones an
ACTIVE registration (cycles starting anywhere in the last five years) and fills, set-based
in SQL: practice records (0 to 2×``--records-per`` each, 70% confirmed), the evaluation
of 80% of the confirmed ones (5% of them corrected once), continuing-education hours,
credit events for 8% of engineers (5% withdrawn, 10% disputed, half of those upheld).
Then times :func:`regsafe.practice.credit.recompute_all` over every person (one SQL
statement reads a page of inputs, the pure model computes, one statement writes the page
back), runs it a second time (nothing changes: no history rows), and checks a sample
against the per-person computation the job uses. Results: benchmarks/results/credit.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any

import psycopg
from harness import on_scratch_database, random_key, write_result
from sqlalchemy import event

from regsafe.core.db import to_libpq_url
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.education import hours
from regsafe.practice import credit
from regsafe.seed import seed

TODAY = date(2026, 11, 29)
NOW = datetime.combine(TODAY, dtime(2, 30), tzinfo=UTC)

REGISTER = """
INSERT INTO registration (person_id, employer_id, specialty, valid_from, valid_until, status)
SELECT person_id, employer_id, specialty, start, (start + interval '5 years - 1 day')::date,
       'ACTIVE'
FROM (
    SELECT e.person_id, e.employer_id, coalesce(p.specialty, 'OTHER') AS specialty,
           (%(today)s::date - 30 - (random() * 1770)::int) AS start
    FROM employment e JOIN person p ON p.id = e.person_id
    WHERE e.end_date IS NULL AND NOT EXISTS (
        SELECT 1 FROM registration x WHERE x.person_id = e.person_id AND x.status = 'ACTIVE')
    ORDER BY e.person_id
    LIMIT %(engineers)s
) s
"""
RECORDS = """
INSERT INTO practice_record (person_id, registration_id, employer_id, kind, project, role,
    started_on, ended_on, hazards_found, hazards_rectified, description, status, version,
    created_at,
    updated_at, submitted_at)
SELECT r.person_id, r.id, r.employer_id,
       (ARRAY['HAZARD_INVESTIGATION','ACCIDENT_INVESTIGATION','RISK_ASSESSMENT',
              'SAFETY_EVALUATION','EMERGENCY_DRILL','SAFETY_TRAINING','OTHER'])[1 + g %% 7],
       '基准项目 ' || g, '成员', d.ended - 5, d.ended, 10, 8, '',
       CASE WHEN random() < 0.7 THEN 'CONFIRMED' WHEN random() < 0.6 THEN 'SUBMITTED'
            ELSE 'DRAFT' END,
       1, %(now)s, %(now)s, %(now)s
FROM registration r
-- "+ r.id * 0" ties the series to the row, so each engineer draws their own count
CROSS JOIN LATERAL generate_series(1, (random() * 2 * %(per)s)::int + (r.id * 0)) AS g
CROSS JOIN LATERAL (
    SELECT r.valid_from + 5 + (random() * (%(today)s::date - r.valid_from - 5))::int AS ended
) d
WHERE r.status = 'ACTIVE'
"""
EVALUATIONS = """
INSERT INTO practice_evaluation (record_id, evaluator_id, quality, timeliness, compliance,
    conduct, comment, version_no, submitted_at)
SELECT id, %(user)s, 1 + (random() * 4)::int, 1 + (random() * 4)::int,
       2 + (random() * 3)::int, 3 + (random() * 2)::int, '', 1,
       (ended_on + 7)::timestamp AT TIME ZONE 'Asia/Shanghai'
FROM practice_record r
WHERE status = 'CONFIRMED' AND random() < 0.8
  AND NOT EXISTS (SELECT 1 FROM practice_evaluation e WHERE e.record_id = r.id)
"""
CORRECTIONS = """
INSERT INTO practice_evaluation (record_id, evaluator_id, quality, timeliness, compliance,
    conduct, comment, version_no, supersedes_id, submitted_at)
SELECT record_id, evaluator_id, 3, 3, 3, 3, '更正', 2, id, submitted_at + interval '3 days'
FROM practice_evaluation e
WHERE random() < 0.05 AND NOT EXISTS (
    SELECT 1 FROM practice_evaluation n WHERE n.record_id = e.record_id AND n.version_no > 1)
"""
HOURS = """
INSERT INTO hour_record (person_id, source, status, dedup_key, provider_name, course_title,
    subject_kind, specialty, hours, recognised_on, rule_version)
SELECT r.person_id, 'EXTERNAL', 'ACCEPTED', 'bench:' || g, '基准培训机构', '基准课程 ' || g,
       CASE WHEN g %% 3 = 0 THEN 'GENERAL' ELSE 'PROFESSIONAL' END,
       CASE WHEN g %% 3 = 0 THEN NULL ELSE r.specialty END,
       (2 + floor(random() * 15)) / 2.0,
       r.valid_from + (random() * (%(today)s::date - r.valid_from))::int,
       'import-v1'
FROM registration r
CROSS JOIN LATERAL generate_series(1, (random() * 6)::int + (r.id * 0)) AS g
WHERE r.status = 'ACTIVE'
"""
EVENTS = """
INSERT INTO credit_event (person_id, kind, source, authority, occurred_on, description, status,
    entered_by, entered_role, created_at)
SELECT r.person_id,
       (ARRAY['COMMENDATION','AWARD','ADMINISTRATIVE_PENALTY','FALSE_REPORT',
              'CERTIFICATE_LENDING','MISSED_EDUCATION','COMPLAINT_UPHELD'])
         [1 + (random() * 6)::int],
       '基准文书', '基准机关', %(today)s::date - (random() * 1800)::int, '',
       CASE WHEN random() < 0.05 THEN 'WITHDRAWN' ELSE 'ACTIVE' END,
       %(user)s, 'ADMIN', %(now)s
FROM registration r
WHERE r.status = 'ACTIVE' AND random() < 0.08
"""
DISPUTES = """
INSERT INTO credit_dispute (event_id, person_id, opened_by, event_entered_by, reason, status,
    decided_by, decided_at, opened_at)
SELECT id, person_id, %(other)s, entered_by, '基准异议', status,
       CASE WHEN status = 'OPEN' THEN NULL ELSE %(other)s END,
       CASE WHEN status = 'OPEN' THEN NULL ELSE %(now)s::timestamptz END, %(now)s
FROM (
    SELECT id, person_id, entered_by,
           CASE WHEN y < 0.5 THEN 'UPHELD' WHEN y < 0.75 THEN 'REJECTED' ELSE 'OPEN' END AS status
    FROM (SELECT id, person_id, entered_by, random() AS x, random() AS y
          FROM credit_event WHERE status = 'ACTIVE') e
    WHERE x < 0.1
) d
"""


async def run(url: str, engineers: int, per: int, page: int) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=random_key(),
        data_keys=f"b1:{random_key()}",
        data_key_id="b1",
        blind_index_key=random_key(),
        env="test",
        credit_recompute_page_size=page,
    )
    rt = Runtime.from_settings(settings)
    people = int(engineers * 1.15)  # not everyone is employed
    t0 = time.perf_counter()
    await seed(rt.db, rt.cipher, people=people, province="440000", today=TODAY, demo_users=True)
    seed_seconds = time.perf_counter() - t0
    started = time.perf_counter()
    fill: dict[str, float] = {}
    with psycopg.connect(to_libpq_url(url)) as conn:
        users = conn.execute("SELECT min(id), max(id) FROM app_user").fetchone()
        assert users is not None and users[0] != users[1]
        params = {"today": TODAY, "now": NOW, "engineers": engineers, "per": per}
        params |= {"user": users[0], "other": users[1]}
        for name, sql in (
            ("registrations", REGISTER),
            ("practice_records", RECORDS),
            ("evaluations", EVALUATIONS),
            ("corrections", CORRECTIONS),
            ("hour_records", HOURS),
            ("credit_events", EVENTS),
            ("disputes", DISPUTES),
        ):
            t = time.perf_counter()
            conn.execute(sql, params)  # type: ignore[arg-type]
            fill[name] = round(time.perf_counter() - t, 1)
        conn.commit()
        conn.autocommit = True
        for table in ("practice_record", "practice_evaluation", "credit_event", "credit_dispute",
                      "hour_record", "registration", "person"):  # fmt: skip
            conn.execute(f"VACUUM ANALYZE {table}")  # type: ignore[arg-type]
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM registration),"
            " (SELECT count(*) FROM practice_record),"
            " (SELECT count(*) FROM practice_record WHERE status = 'CONFIRMED'),"
            " (SELECT count(*) FROM practice_evaluation), (SELECT count(*) FROM hour_record),"
            " (SELECT count(*) FROM credit_event), (SELECT count(*) FROM credit_dispute)"
        ).fetchone()
        version = conn.execute("SHOW server_version").fetchone()
    fill_seconds = time.perf_counter() - started
    assert counts is not None

    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
    t = time.perf_counter()
    async with rt.db.session() as s:
        first = await credit.recompute_all(s, settings=settings, now=NOW, commit_each_page=True)
        await s.commit()
    first_seconds = time.perf_counter() - t
    first_statements = statements
    t = time.perf_counter()
    async with rt.db.session() as s:
        second = await credit.recompute_all(s, settings=settings, now=NOW, commit_each_page=True)
        await s.commit()
    second_seconds = time.perf_counter() - t

    # a sample checked against the per-person path the job takes
    rng = random.Random(5)
    policy = hours.requirement_policy(settings)
    grades = credit.GradePolicy.parse(
        settings.credit_grade_floors, settings.credit_provincial_colours
    )
    mismatches = 0
    single_ms: list[float] = []
    with psycopg.connect(to_libpq_url(url)) as conn:
        grade_counts = dict(
            conn.execute("SELECT grade, count(*) FROM credit_score GROUP BY grade ORDER BY 1")
            .fetchall()
        )  # fmt: skip
        ids = [r[0] for r in conn.execute("SELECT person_id FROM practice_record "
                                           "WHERE status = 'CONFIRMED' LIMIT 20000")]  # fmt: skip
        stored = {}
        sample = rng.sample(ids, min(200, len(ids)))
        for pid in sample:
            stored[pid] = conn.execute(
                "SELECT value FROM credit_score WHERE person_id = %s", (pid,)
            ).fetchone()
        history = conn.execute("SELECT count(*) FROM credit_score_history").fetchone()
        factors: Counter[str] = Counter()
        for (contribs,) in conn.execute(
            "SELECT contributions FROM credit_score WHERE person_id = ANY(%s)", (sample,)
        ):
            factors.update(c["factor"] for c in contribs)
    async with rt.db.session() as s:
        for pid in sample:
            t = time.perf_counter()
            inputs = await credit.gather_person(s, pid, policy=policy, today=TODAY)
            value = credit.compute(inputs, today=TODAY, grades=grades).value
            single_ms.append((time.perf_counter() - t) * 1000)
            row = stored[pid]
            if row is None or row[0] != value:
                mismatches += 1
    single_ms.sort()
    await rt.db.dispose()
    return {
        "benchmark": "credit",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seeded_persons": counts[0],
        "seed_seconds": round(seed_seconds, 1),
        "inputs": {
            "registrations": counts[1],
            "practice_records": counts[2],
            "confirmed_records": counts[3],
            "evaluations": counts[4],
            "hour_records": counts[5],
            "credit_events": counts[6],
            "disputes": counts[7],
            "fill_seconds": round(fill_seconds, 1),
            "fill_seconds_by_table": fill,
        },
        "recompute_all": {
            "page_size": page,
            "pages": first.pages,
            "persons": first.persons,
            "seconds": round(first_seconds, 1),
            "persons_per_second": round(first.persons / first_seconds),
            # per page: the inputs statement and the write-back (psycopg, on the session's
            # connection) and the education domain's requirement page (SQLAlchemy, counted)
            "sqlalchemy_statements_per_page": round(first_statements / max(first.pages, 1), 2),
            "sql_statements_per_page": 2 + round(first_statements / max(first.pages, 1), 2),
            "history_rows": history[0] if history else None,
            "grades": grade_counts,
        },
        "recompute_all_unchanged": {
            "seconds": round(second_seconds, 1),
            "persons_per_second": round(second.persons / second_seconds),
            "changed": second.changed,
        },
        "per_person_check": {
            "sample": len(sample),
            "mismatches": mismatches,
            "p50_ms": round(single_ms[len(single_ms) // 2], 2) if single_ms else None,
            "factors_in_sample": dict(factors),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "postgresql": version[0] if version else "?",
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engineers", type=int, default=1_000_000)
    parser.add_argument("--records-per", type=int, default=2)
    parser.add_argument("--page", type=int, default=5000)
    args = parser.parse_args()
    result = on_scratch_database(
        lambda url: asyncio.run(run(url, args.engineers, args.records_per, args.page))
    )
    write_result("credit", result)
    r, i = result["recompute_all"], result["inputs"]
    print(
        f"{result['seeded_persons']} persons, {i['registrations']} engineers, "
        f"{i['practice_records']} records, {i['evaluations']} evaluations, "
        f"{i['credit_events']} events (filled in {i['fill_seconds']} s)"
    )
    print(
        f"  full recompute: {r['seconds']} s ({r['persons_per_second']}/s), "
        f"{r['pages']} pages of {r['page_size']}, {r['sql_statements_per_page']} SQL per page"
    )
    u = result["recompute_all_unchanged"]
    print(f"  again (unchanged): {u['seconds']} s, changed {u['changed']}")
    c = result["per_person_check"]
    print(f"  per-person check: {c['mismatches']} mismatches in {c['sample']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
