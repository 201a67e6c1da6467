"""Shared by the benchmarks: a scratch database on the configured server (dropped
afterwards), random secrets for it, and the JSON result file."""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from regsafe.core.db import to_libpq_url
from regsafe.core.migrate import upgrade_head

RESULTS = Path(__file__).parent / "results"


def random_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def on_scratch_database(run: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Create and migrate a fresh database, call ``run(url)``, drop the database."""
    server = to_libpq_url(
        os.environ.get("REGSAFE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    name = f"regsafe_bench_{secrets.token_hex(3)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    base, _, query = server.partition("?")
    url = base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    try:
        upgrade_head(url)
        return run(url)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def write_result(name: str, result: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def print_operations(result: dict[str, Any]) -> None:
    for op, r in result["operations"].items():
        print(
            f"  {op:<32} p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms  "
            f"{r['sql_statements']} SQL"
        )
