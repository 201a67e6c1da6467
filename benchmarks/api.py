"""Benchmark: GraphQL read latency over a seeded province, in-process over HTTP (ASGI).

    .venv/bin/python benchmarks/api.py --people 100000 [--rounds 30]

Seeds a fresh database (dropped afterwards), then times each operation below as a
province reviewer: p50/p95 in milliseconds and SQL statements per request, and checks
with EXPLAIN that every exposed filter uses an index. Results: benchmarks/results/api.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
from regsafe.identity.models import Person
from regsafe.identity.service import decrypt_id_number
from regsafe.seed import DEMO_PASSWORD, seed
from regsafe.web.app import create_app

NESTED = """query Page($f: PersonFilterInput, $n: Int) { persons(filter: $f, first: $n) {
  totalCount edges { node { name idNumber regionCode specialty
  currentEmployment { employer { name creditCode employeeCount } } } } } }"""
OPERATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "first page of 50, nested": (NESTED, {"n": 50}),
    "first page of 100, nested": (NESTED, {"n": 100}),
    "name prefix 王": (NESTED, {"n": 20, "f": {"namePrefix": "王"}}),
    "ID number exact (blind index)": (NESTED, {"n": 20, "f": {"idNumber": "<id>"}}),
    "region 440300 (city)": (NESTED, {"n": 20, "f": {"regionCode": "440300"}}),
    "specialty CHEMICAL": (NESTED, {"n": 20, "f": {"specialty": "CHEMICAL"}}),
    "employer's staff": (NESTED, {"n": 20, "f": {"employerId": "<employer>"}}),
    "viewer": ("{ viewer { user { username roles } } }", {}),
}
EXPLAIN = {
    "name prefix": "SELECT id FROM person WHERE name LIKE '王%%' ORDER BY id LIMIT 21",
    "ID number exact": "SELECT id FROM person WHERE id_number_index = %(idx)s",
    "region prefix": "SELECT id FROM person WHERE region_code LIKE '4403%%' ORDER BY id LIMIT 21",
    "employer's staff": (
        "SELECT person_id FROM employment WHERE employer_id = %(emp)s AND end_date IS NULL"
    ),
}


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
    report = await seed(
        rt.db, rt.cipher, people=people, province="440000", today=date(2026, 11, 28)
    )
    async with rt.db.session() as s:
        sample = await s.get(Person, people // 2)
        assert sample is not None
        id_number = decrypt_id_number(rt.cipher, sample)
        employer_id = (
            await (await s.connection()).exec_driver_sql(
                "SELECT employer_id FROM employment WHERE end_date IS NULL"
                " GROUP BY employer_id ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar()
        index = sample.id_number_index
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
        login = await client.post(
            "/graphql",
            json={
                "query": 'mutation($p: String!) { tokenCreate(username: "reviewer", '
                "password: $p) { token { accessToken } } }",
                "variables": {"p": DEMO_PASSWORD},
            },
        )
        token = login.json()["data"]["tokenCreate"]["token"]["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        from strawberry.relay import to_base64

        for name, (query, variables) in OPERATIONS.items():
            v = json.loads(
                json.dumps(variables)
                .replace("<id>", id_number)
                .replace("<employer>", to_base64("Employer", employer_id))
            )
            timings = []
            for i in range(rounds + 3):
                statements = 0
                started = time.perf_counter()
                resp = await client.post(
                    "/graphql", json={"query": query, "variables": v}, headers=headers
                )
                elapsed = (time.perf_counter() - started) * 1000
                body = resp.json()
                assert "errors" not in body, body
                if i >= 3:  # warm-up
                    timings.append(elapsed)
            timings.sort()
            results[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                "sql_statements": statements,
            }
    plans = {}
    with psycopg.connect(to_libpq_url(url)) as conn:
        conn.execute("ANALYZE")
        for name, sql in EXPLAIN.items():
            rows = conn.execute("EXPLAIN " + sql, {"idx": index, "emp": employer_id}).fetchall()
            plan = " / ".join(r[0].strip() for r in rows)
            plans[name] = {"uses_index": "Index" in plan, "plan": plan[:300]}
        version = conn.execute("SHOW server_version").fetchone()
    await rt.db.dispose()
    return {
        "benchmark": "api",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "employers": report.employers,
        "rounds": rounds,
        "operations": results,
        "indexes": plans,
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
    write_result("api", result)
    print(
        f"{result['people']:,} persons, {result['employers']:,} employers; "
        f"{result['rounds']} timed rounds each (in-process ASGI, one client)"
    )
    print_operations(result)
    for name_, p in result["indexes"].items():
        print(f"  index for {name_:<20} {'yes' if p['uses_index'] else 'NO'}: {p['plan'][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
