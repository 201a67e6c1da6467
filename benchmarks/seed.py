"""Benchmark the demo seeder against a raw COPY of the same number of person rows.

    .venv/bin/python benchmarks/seed.py --people 20000 [--database-url postgresql://…]

1. ``regsafe.seed.seed`` (what `regsafe seed` runs): employers, persons with encrypted ID
   numbers and phones and blind indexes, employments, in one transaction → persons/s.
2. The same number of person rows prepared in memory first (ciphertexts included; that
   preparation is timed separately), then only the COPY into a fresh copy of the person
   table with the same indexes, committed → rows/s. Repeated ``--repeat`` times.

Without --database-url a temporary database is created on the server of
REGSAFE_DATABASE_URL (else postgresql://postgres@127.0.0.1:5432/postgres) and dropped at
the end. Results go to benchmarks/results/seed.json.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from regsafe.core.crypto import FieldCipher
from regsafe.core.db import Database, to_libpq_url, to_sqlalchemy_url
from regsafe.core.settings import Settings
from regsafe.seed import build_person_rows, copy_persons, seed

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """A fresh, empty database on the server of ``server_url``; dropped afterwards."""
    admin = to_libpq_url(server_url)
    name = f"regsafe_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, query = admin.partition("?")
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def create_schema(url: str) -> str:
    """Alembic migrations when the project has them, else the SQLModel metadata."""
    try:
        from regsafe.core.migrate import upgrade_head
    except ImportError:
        from sqlalchemy import create_engine
        from sqlmodel import SQLModel

        import regsafe.audit.models
        import regsafe.auth.models
        import regsafe.identity.models  # noqa: F401

        engine = create_engine(to_sqlalchemy_url(url))
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        return "sqlmodel create_all"
    upgrade_head(url)
    return "alembic upgrade head"


async def run(url: str, people: int, province: str, repeat: int) -> dict[str, Any]:
    settings = Settings(
        secret_key=_key(), data_keys=f"b1:{_key()}", data_key_id="b1", blind_index_key=_key()
    )
    cipher = FieldCipher.from_settings(settings)

    # 1. the seeder, end to end
    db = Database.from_url(url, pool_size=1, max_overflow=0)
    try:
        report = await seed(db, cipher, people=people, province=province, demo_users=False)
    finally:
        await db.dispose()

    # 2. preparation alone, then COPY alone, into a copy of the table
    started = time.perf_counter()
    rows = build_person_rows(cipher, people=people, province=province, rng_seed=99)
    prepare_seconds = time.perf_counter() - started
    copy_seconds: list[float] = []
    async with await psycopg.AsyncConnection.connect(to_libpq_url(url)) as conn:
        server_version = str(
            (await (await conn.execute("SHOW server_version")).fetchone() or "?")[0]
        )
        for _ in range(repeat):
            await conn.execute("DROP TABLE IF EXISTS bench_person_copy")
            await conn.execute("CREATE TABLE bench_person_copy (LIKE person INCLUDING ALL)")
            await conn.commit()
            started = time.perf_counter()
            written = await copy_persons(conn, rows, table="bench_person_copy")
            await conn.commit()
            copy_seconds.append(time.perf_counter() - started)
            assert written == people
        await conn.execute("DROP TABLE bench_person_copy")
        await conn.commit()

    best = min(copy_seconds)
    median = statistics.median(copy_seconds)
    return {
        "benchmark": "seed",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "province": province,
        "seed": {
            "seconds": round(report.seconds, 3),
            "persons_per_second": round(people / report.seconds),
            "employers": report.employers,
            "employments": report.employments,
            "demo_users": False,
        },
        "prepare_rows": {
            "what": "names, ID numbers, 2x AES-GCM + HMAC per row, in Python (no database)",
            "seconds": round(prepare_seconds, 3),
            "rows_per_second": round(people / prepare_seconds),
        },
        "raw_copy": {
            "what": "binary COPY of prepared person rows into an indexed copy of the table",
            "repeat": repeat,
            "best_seconds": round(best, 3),
            "median_seconds": round(median, 3),
            "rows_per_second": round(people / best),
            "median_rows_per_second": round(people / median),
        },
        "machine": machine_info(server_version),
    }


def machine_info(server_version: str) -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "psycopg": psycopg.__version__,
        "libpq": psycopg.pq.version(),
        "postgresql": server_version,
    }


def summary(r: dict[str, Any]) -> str:
    m = r["machine"]
    return "\n".join(
        [
            f"seed benchmark: {r['people']:,} persons, province {r['province']}",
            f"  seed()            {r['seed']['seconds']:>7.3f} s  "
            f"{r['seed']['persons_per_second']:>9,} persons/s  "
            f"(+{r['seed']['employers']:,} employers, {r['seed']['employments']:,} employments)",
            f"  prepare rows      {r['prepare_rows']['seconds']:>7.3f} s  "
            f"{r['prepare_rows']['rows_per_second']:>9,} rows/s     (Python + crypto only)",
            f"  raw COPY (best)   {r['raw_copy']['best_seconds']:>7.3f} s  "
            f"{r['raw_copy']['rows_per_second']:>9,} rows/s     "
            f"(median {r['raw_copy']['median_rows_per_second']:,} of {r['raw_copy']['repeat']})",
            f"  machine: {m['cpu_count']} CPUs ({m['cpu_model'] or 'unknown'}), "
            f"Python {m['python']}, PostgreSQL {m['postgresql']}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the COPY-based demo seeder.")
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--province", default="440000")
    parser.add_argument("--repeat", type=int, default=3, help="raw COPY repetitions")
    parser.add_argument(
        "--database-url", help="use this database (rows are added) instead of a temporary one"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "seed.json")
    args = parser.parse_args()

    def measure(url: str) -> dict[str, Any]:
        schema = create_schema(url)
        result = asyncio.run(run(url, args.people, args.province, max(1, args.repeat)))
        result["schema"] = schema
        result["database"] = "given" if args.database_url else "temporary"
        return result

    if args.database_url:
        result = measure(args.database_url)
    else:
        server = os.environ.get("REGSAFE_DATABASE_URL") or DEFAULT_SERVER
        with temporary_database(server) as url:
            result = measure(url)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(summary(result))
    print(f"  written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
