"""`regsafe serve --workers N` as production runs it, in real processes on a free port,
against the test PostgreSQL and S3: both API workers answer, /metrics adds up across
them, the job worker runs once (in a process of its own) and /readyz reports it, and a
start whose pools could exceed the connection budget is refused with the reason."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import psycopg
import pytest

from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings, connection_plan
from tests.plugins.serve import free_port, serve_env

REGSAFE = str(Path(sys.executable).parent / "regsafe")
REQUESTS = 120


def _env(settings: Settings, port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    # small pools: several processes of each served instance share the test database
    pools = {"REGSAFE_DB_POOL_SIZE": "3", "REGSAFE_DB_MAX_OVERFLOW": "2"}
    return serve_env(settings, port, data_dir, **{**pools, **extra})


def _spawned(parent: int) -> set[int]:
    """Processes ``parent`` spawned with multiprocessing (from /proc; not its resource
    tracker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            # pid (comm) state ppid …: comm may hold spaces, so split after its ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in cmdline:
                found.add(int(entry.name))
    return found


def _samples(text: str, name: str) -> dict[str, float]:
    """``{labels: value}`` of one metric in the exposition text."""
    out = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            key, _, value = line.rpartition(" ")
            out[key[len(name) :]] = float(value)
    return out


@pytest.fixture
async def shared_db(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("serveworkers", admin=False)


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[tuple[str, int]]]]:
    """Starts `regsafe serve ARGS…`; returns its URL and pid once /readyz says ok."""
    procs: list[asyncio.subprocess.Process] = []
    logs: list[Path] = []

    async def start(settings: Settings, *args: str) -> tuple[str, int]:
        port = free_port()
        log_path = tmp_path / f"serve-{port}.log"
        logs.append(log_path)
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                REGSAFE,
                "serve",
                *args,
                env=_env(settings, port, tmp_path),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url) as c:
            for _ in range(300):
                if proc.returncode is not None:
                    break
                try:
                    ready = await c.get("/readyz")
                    if (
                        ready.status_code == 200
                        and ready.json().get("worker", {}).get("state", "running") == "running"
                    ):
                        return url, proc.pid
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(log_path.read_text()[-3000:])

    yield start
    for proc in procs:
        if proc.returncode is None:
            proc.terminate()
    for proc, log_path in zip(procs, logs, strict=True):
        try:
            await asyncio.wait_for(proc.wait(), timeout=30)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            tail = log_path.read_text()[-2000:]
            raise AssertionError("serve did not stop on SIGTERM: " + tail) from None


async def test_two_workers_answer_and_metrics_add_up(
    shared_db: Runtime, serve: Callable[..., Awaitable[tuple[str, int]]]
) -> None:
    # given `regsafe serve --workers 2 --with-worker` on a database of its own
    url, parent = await serve(shared_db.settings, "--workers", "2", "--with-worker")
    workers = _spawned(parent)
    assert len(workers) == 3, workers  # two API workers and the job worker process

    # when many clients each open a connection of their own (no keep-alive), 8 at a time
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits) as c:
        gate = asyncio.Semaphore(8)

        async def one(i: int) -> int:
            async with gate:
                resp = await c.post("/graphql", json={"query": f"query Q{i} {{ __typename }}"})
                return resp.status_code

        statuses = await asyncio.gather(*(one(i) for i in range(REQUESTS)))
        # /metrics a few times: whichever worker answers sees every worker's counts
        scrapes = [(await c.get("/metrics")).text for _ in range(6)]
        ready = await c.get("/readyz")

    assert statuses == [200] * REQUESTS
    # then both API workers answered some of them (one series per live worker process)
    for text in scrapes:
        per_worker = _samples(text, "regsafe_worker_http_requests")
        pids = {int(re.fullmatch(r'\{pid="(\d+)"\}', k).group(1)) for k in per_worker}  # type: ignore[union-attr]
        assert len(pids) == 2 and pids < workers, (pids, workers)
        assert all(v > 0 for v in per_worker.values()), per_worker
        # and the counters are the sum over both, not one worker's share
        graphql = _samples(text, "regsafe_http_requests_total")
        assert graphql['{route="/graphql",status="200"}'] == REQUESTS, graphql
        ops = _samples(text, "regsafe_graphql_operations_total")
        assert ops['{operation="other",outcome="ok",type="query"}'] == REQUESTS, ops
        pool = _samples(text, "regsafe_db_pool_connections")
        assert pool['{state="size"}'] >= 0  # summed over the live workers, present
    # and /readyz is ok, the job worker included, which runs once: one procrastinate
    # worker registered, not one per API worker
    body = ready.json()
    assert ready.status_code == 200, body
    assert body["checks"]["worker"] == "ok" and body["worker"]["state"] == "running"
    assert shared_db.settings.database_url
    with psycopg.connect(shared_db.settings.database_url) as conn:
        (registered,) = conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone()  # type: ignore[misc]
    assert registered == 1


def test_a_start_over_the_connection_budget_is_refused(settings: Settings, tmp_path: Path) -> None:
    # given pools of 20 connections per process and a budget of 80
    env = _env(
        settings,
        free_port(),
        tmp_path,
        REGSAFE_DB_POOL_SIZE="10",
        REGSAFE_DB_MAX_OVERFLOW="10",
        REGSAFE_DB_CONNECTION_BUDGET="80",
    )
    # when three API workers and the job worker (3 × 20 + 25 = 85) are asked for
    proc = subprocess.run(
        [REGSAFE, "serve", "--workers", "3", "--with-worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then it refuses to start, saying why and what to change
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "connection budget exceeded" in proc.stderr
    assert (
        "3 个 API 进程 × 20 (REGSAFE_DB_POOL_SIZE 10 + REGSAFE_DB_MAX_OVERFLOW 10)" in proc.stderr
    )
    assert "作业进程 job worker 25 = 85 > REGSAFE_DB_CONNECTION_BUDGET 80" in proc.stderr
    assert "Started" not in proc.stdout + proc.stderr  # nothing was served
    # and the same pools without the job worker fit (3 × 20 = 60 ≤ 80)
    fits = connection_plan(
        Settings(db_pool_size=10, db_max_overflow=10, db_connection_budget=80),
        api_processes=3,
        job_worker=False,
    )
    assert fits.total == 60 and fits.problem() is None


def test_the_plan_counts_every_pool() -> None:
    s = Settings(db_pool_size=10, db_max_overflow=5, db_connection_budget=100)
    # one API process with the job worker in it: the queue's pool and LISTEN connection
    # come on top of the shared engine
    assert connection_plan(s, api_processes=1, job_worker=True).total == 15 + 4 + 1
    # N API processes and a job worker process with an engine of its own
    assert connection_plan(s, api_processes=4, job_worker=True).total == 4 * 15 + 15 + 5
    # `regsafe worker`
    assert connection_plan(s, api_processes=0, job_worker=True).total == 20
    over = connection_plan(s, api_processes=6, job_worker=False)
    assert over.total == 90 and over.problem() is None
    assert connection_plan(s.model_copy(update={"db_connection_budget": 89}), api_processes=6,
                           job_worker=False).problem()  # fmt: skip
