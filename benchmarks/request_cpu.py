"""Benchmark: CPU time per GraphQL request in the API process (parse, validation,
execution, serialisation), in-process over ASGI as a province reviewer.

    .venv/bin/python benchmarks/request_cpu.py [--people 2000] [--requests 300] [--profile]

Seeds a fresh database (dropped afterwards), then sends each operation below
``--requests`` times after a warm-up and reports ``time.process_time`` per request (CPU
of this process only: PostgreSQL's work is in its own processes; the httpx client's
encoding and decoding is included and is the same before and after a change) and the
wall-clock p50. ``--profile`` prints the top functions by cumulative time (cProfile).
Results: benchmarks/results/request_cpu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time
from datetime import UTC, date, datetime
from typing import Any

import httpx
from harness import on_scratch_database, random_key, write_result
from strawberry.relay import to_base64

from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.seed import DEMO_PASSWORD, seed
from regsafe.web.app import create_app

PAGE = """query Page($n: Int) { persons(first: $n) { totalCount edges { node {
  id name gender regionCode specialty idNumberMasked
  currentEmployment { startDate employer { id name creditCode } } } } } }"""
STATUS_PAGE = """query Status($n: Int) { persons(first: $n) { totalCount edges { node {
  id name regionCode currentEmployment { employer { name } }
  registration { status number validUntil }
  currentCertificate { number validUntil }
  hours { required counted shortfall }
  creditScore { value grade } } } } }"""
NODE = """query Node($id: ID!) { node(id: $id) { id ... on Person {
  name gender regionCode specialty idNumberMasked } } }"""


async def _login(client: httpx.AsyncClient) -> dict[str, str]:
    login = await client.post(
        "/graphql",
        json={
            "query": 'mutation($p: String!) { tokenCreate(username: "reviewer", '
            "password: $p) { token { accessToken } } }",
            "variables": {"p": DEMO_PASSWORD},
        },
    )
    token = login.json()["data"]["tokenCreate"]["token"]["accessToken"]
    return {"Authorization": f"Bearer {token}"}


async def _measure(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    query: str,
    variables: dict[str, Any],
    requests: int,
    profile: bool,
) -> dict[str, Any]:
    payload = {"query": query, "variables": variables}
    for _ in range(20):  # warm-up: caches, connection pool, imports
        body = (await client.post("/graphql", json=payload, headers=headers)).json()
        assert "errors" not in body, body
    profiler = cProfile.Profile() if profile else None
    cpu: list[float] = []
    wall: list[float] = []
    if profiler:
        profiler.enable()
    for _ in range(requests):
        c0, w0 = time.process_time(), time.perf_counter()
        resp = await client.post("/graphql", json=payload, headers=headers)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        assert resp.status_code == 200
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    assert "errors" not in resp.json()
    return {
        "cpu_ms_mean": round(statistics.fmean(cpu), 2),
        "cpu_ms_p50": round(statistics.median(cpu), 2),
        "wall_ms_p50": round(statistics.median(wall), 2),
        "requests": requests,
    }


async def run(url: str, people: int, requests: int, profile: bool) -> dict[str, Any]:
    settings = Settings(
        database_url=url,
        secret_key=random_key(),
        data_keys=f"b1:{random_key()}",
        data_key_id="b1",
        blind_index_key=random_key(),
        env="test",
    )
    rt = Runtime.from_settings(settings)
    await seed(rt.db, rt.cipher, people=people, province="440000", today=date(2026, 11, 28))
    app = create_app(rt)
    gc.collect()
    gc.freeze()  # as the app's lifespan does under `regsafe serve` (not run over ASGITransport)
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        headers = await _login(client)
        person = to_base64("Person", people // 2)
        operations = {
            "node(id:) of a person": (NODE, {"id": person}),
            "persons(first: 50) with employer, totalCount": (PAGE, {"n": 50}),
            "the same page with registration, certificate, hours, credit": (
                STATUS_PAGE,
                {"n": 50},
            ),
        }
        for name, (query, variables) in operations.items():
            results[name] = await _measure(client, headers, query, variables, requests, profile)
    await rt.db.dispose()
    return {
        "benchmark": "request_cpu",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "operations": results,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write results")
    args = parser.parse_args()
    result = on_scratch_database(
        lambda url: asyncio.run(run(url, args.people, args.requests, args.profile))
    )
    if not args.no_write:
        write_result("request_cpu", result)
    for op, r in result["operations"].items():
        print(
            f"  {op:<62} CPU {r['cpu_ms_mean']:>6} ms/request (p50 {r['cpu_ms_p50']})"
            f"  wall p50 {r['wall_ms_p50']} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
