"""Benchmark: `regsafe seed` (persons/s, with encryption and blind indexes) against a raw
COPY of the same person rows (prepared in advance, so only COPY is timed).

    .venv/bin/python benchmarks/seed.py --people 20000 [--database-url postgresql://…]

Without --database-url a fresh database is created on REGSAFE_DATABASE_URL's server, or on
127.0.0.1:5432, and dropped afterwards. Results go to benchmarks/results/seed.json.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import secrets
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

from regsafe.core.db import raw_connection, to_libpq_url
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.seed import seed

RESULTS = Path(__file__).parent / "results"


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


async def run(url: str, people: int) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=_key(),
        data_keys=f"b1:{_key()}",
        data_key_id="b1",
        blind_index_key=_key(),
    )
    rt = Runtime.from_settings(settings)
    report = await seed(
        rt.db,
        rt.cipher,
        people=people,
        province="440000",
        demo_users=False,
        today=date(2026, 11, 28),
    )

    # The same rows once more, prepared in memory, into an empty copy of the table.
    async with rt.db.session() as s:
        conn = await raw_connection(s)
        await conn.execute("CREATE TEMP TABLE person_copy (LIKE person INCLUDING ALL)")
        cur = await conn.execute(
            "SELECT id, name, gender, birth_date, id_number_cipher, id_number_index,"
            " phone_cipher, education, region_code, specialty, identity_status, version"
            " FROM person ORDER BY id LIMIT %s",
            (people,),
        )
        rows = await cur.fetchall()
        started = time.perf_counter()
        async with conn.cursor().copy(
            "COPY person_copy (id, name, gender, birth_date, id_number_cipher, id_number_index,"
            " phone_cipher, education, region_code, specialty, identity_status, version)"
            " FROM STDIN"
        ) as copy:
            for row in rows:
                await copy.write_row(row)
        raw_seconds = time.perf_counter() - started
        version = (await (await conn.execute("SHOW server_version")).fetchone() or ["?"])[0]
        await s.rollback()
    await rt.db.dispose()
    return {
        "benchmark": "seed",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "seed_seconds": round(report.seconds, 3),
        "seed_persons_per_second": round(people / report.seconds),
        "seed_employers": report.employers,
        "seed_employments": report.employments,
        "raw_copy_seconds": round(raw_seconds, 3),
        "raw_copy_rows_per_second": round(len(rows) / raw_seconds),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "postgresql": version,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    created: tuple[str, str] | None = None
    url = args.database_url
    if url is None:
        server = os.environ.get(
            "REGSAFE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
        admin = to_libpq_url(server)
        name = f"regsafe_bench_{secrets.token_hex(3)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        base, _, query = admin.partition("?")
        url = base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
        created = (admin, name)
    try:
        upgrade_head(url)
        result = asyncio.run(run(url, args.people))
    finally:
        if created:
            with psycopg.connect(created[0], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created[1]}" WITH (FORCE)')  # type: ignore[arg-type]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "seed.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        f"regsafe seed: {result['people']} persons in {result['seed_seconds']} s "
        f"= {result['seed_persons_per_second']:,} persons/s "
        f"(+{result['seed_employers']} employers, {result['seed_employments']} employments)\n"
        f"raw COPY of the same person rows: {result['raw_copy_seconds']} s "
        f"= {result['raw_copy_rows_per_second']:,} rows/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
