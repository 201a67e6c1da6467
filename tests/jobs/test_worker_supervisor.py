"""The in-process job worker survives a PostgreSQL restart: procrastinate stops a worker
whose LISTEN connection dies, the supervisor starts a new one, and /readyz says 503 while
the worker is down and 200 once it runs again. Against a cluster of the test's own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import psycopg

from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.jobs.supervisor import WorkerState, supervised_worker
from regsafe.web.app import create_app
from tests.conftest import make_settings
from tests.plugins.postgres_cluster import PrivatePostgres


async def _until(check: Callable[[], Awaitable[bool]], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def test_worker_restarts_after_postgres_restarts_and_readyz_reports_it(
    private_postgres: PrivatePostgres, s3_settings: dict[str, Any]
) -> None:
    # given the API and its in-process worker on a PostgreSQL of the test's own
    pg = private_postgres
    upgrade_head(pg.url)
    settings = make_settings(
        pg.url,
        s3_settings,
        worker_restart_min_seconds=0.2,
        worker_restart_max_seconds=1,
        worker_ready_grace_seconds=0,  # any time down shows
    )
    rt = Runtime.from_settings(settings)
    assert rt.store is not None
    await rt.store.ensure_bucket()
    supervisor = supervised_worker(
        settings, queues=["certificates"], concurrency=1, fetch_job_polling_interval=0.5
    )
    app = create_app(rt, worker=supervisor)
    readyz: list[httpx.Response] = []

    async def ready(status: int) -> bool:
        readyz.append(await client.get("/readyz"))
        return readyz[-1].status_code == status

    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://regsafe.test") as client:
            running = asyncio.create_task(supervisor.run())
            try:
                await _until(lambda: ready(200), "the worker to start")
                assert readyz[-1].json()["checks"]["worker"] == "ok"
                assert supervisor.status().state is WorkerState.RUNNING

                # when PostgreSQL stops, the worker goes down with it, and /readyz says so
                pg.stop()
                await _until(lambda: ready(503), "/readyz to notice the outage")
                await _until(
                    lambda: asyncio.sleep(0, supervisor.status().state is WorkerState.RESTARTING),
                    "the supervisor to notice the worker stopped",
                )
                down = (await client.get("/readyz")).json()
                assert down["checks"]["worker"].startswith("restarting for")
                assert down["worker"]["state"] == "restarting" and down["worker"]["last_error"]

                # and when it is back, a new worker runs and /readyz is 200 again
                pg.start()
                await _until(lambda: ready(200), "/readyz to recover", seconds=60)
                body = readyz[-1].json()
                assert body["checks"]["worker"] == "ok" and body["worker"]["restarts"] >= 1

                # then a job deferred after the restart (by a request's own connection,
                # as the API defers) is executed
                async with await psycopg.AsyncConnection.connect(pg.url) as conn:
                    job_id = await certificate_tasks.render_pdf.configure(
                        connection=conn
                    ).defer_async(certificate_id=0)

                async def done() -> bool:
                    async with await psycopg.AsyncConnection.connect(pg.url) as conn:
                        row = await (
                            await conn.execute(
                                "SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)
                            )
                        ).fetchone()
                    return row == ("succeeded",)

                await _until(done, "the job deferred after the restart to run")
            finally:
                supervisor.stop()
                await asyncio.wait_for(running, 30)
        assert supervisor.status().state is WorkerState.STOPPED
    finally:
        set_runtime(None)
        await rt.db.dispose()
