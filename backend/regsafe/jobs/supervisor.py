"""Keeps a procrastinate worker running: procrastinate 3.x stops its worker for good when
a side task fails (the LISTEN connection after a PostgreSQL restart, a heartbeat), so
the supervisor starts a new one after a capped exponential wait, and records what
happened for ``/readyz`` and the logs."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import procrastinate
import psycopg
from procrastinate.worker import Worker

from regsafe.core.db import to_libpq_url
from regsafe.core.settings import Settings

log = logging.getLogger("regsafe.jobs.supervisor")


class WorkerState(StrEnum):
    STARTING = "starting"  # no worker registered with the database yet
    RUNNING = "running"
    RESTARTING = "restarting"  # stopped unexpectedly; a new one is on its way
    STOPPED = "stopped"  # asked to stop, or the supervisor itself ended


@dataclass(frozen=True)
class WorkerStatus:
    state: WorkerState
    since: datetime  # when the worker entered this state (UTC)
    down_seconds: float  # how long it has been without a running worker, 0 when running
    last_error: str | None
    restarts: int

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "since": self.since.isoformat(),
            "last_error": self.last_error,
            "restarts": self.restarts,
        }


class WorkerProbe(Protocol):
    """What /readyz asks of a job worker: a supervisor in the same process, or the
    status file another process's supervisor publishes."""

    def readiness(self) -> str: ...

    def status(self) -> WorkerStatus: ...


class _SideTaskFailures(logging.Handler):
    """Procrastinate only logs why it stopped a worker (then returns normally): keep the
    message so the status can say "listener: connection closed" rather than nothing."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "action", None) == "side_task_failed":
            self.last = f"{getattr(record, 'task_name', '?')}: {getattr(record, 'exception', '')}"


class WorkerSupervisor:
    """Runs ``Worker(app, **options)`` until :meth:`stop` or cancellation, restarting it
    after ``min_wait`` seconds, doubling per consecutive failure up to ``max_wait``. It
    opens (and closes) the app's connection pool itself, one per worker; ``conninfo``
    is probed before each start.

    A worker counts as running once procrastinate has registered it in the database;
    ``grace`` is how long starting or restarting still counts as ready."""

    def __init__(
        self,
        app: procrastinate.App,
        *,
        conninfo: str | None = None,
        min_wait: float = 1.0,
        max_wait: float = 60.0,
        grace: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        **options: Any,
    ) -> None:
        self.app = app
        self.conninfo = conninfo
        self.min_wait = min_wait
        self.max_wait = max(max_wait, min_wait)
        self.grace = grace
        self.options = {**options, "install_signal_handlers": False}  # we decide on stop
        self._clock = clock
        self._worker: Worker | None = None
        self._stopping = False
        self._state = WorkerState.STARTING
        self._since = datetime.now(UTC)
        self._down_since: float | None = clock()
        self._last_error: str | None = None
        self._restarts = 0
        self._failures = 0  # consecutive, for the backoff

    # -- status ---------------------------------------------------------------------

    def status(self) -> WorkerStatus:
        down = 0.0 if self._down_since is None else self._clock() - self._down_since
        return WorkerStatus(self._state, self._since, down, self._last_error, self._restarts)

    def readiness(self) -> str:
        """``"ok"``, or why the in-process worker does not count as ready (for /readyz)."""
        s = self.status()
        if s.state is WorkerState.RUNNING:
            return "ok"
        if s.state is WorkerState.STOPPED:
            return "stopped" + (f": {s.last_error}" if s.last_error else "")
        if s.down_seconds <= self.grace:
            return "ok"
        error = f": {s.last_error}" if s.last_error else ""
        return f"{s.state.value} for {s.down_seconds:.0f} s{error}"

    def _set(self, state: WorkerState) -> None:
        if state is not self._state:
            self._state = state
            self._since = datetime.now(UTC)

    # -- running --------------------------------------------------------------------

    def stop(self) -> None:
        """Stop for good (signal handlers call this): the current worker finishes its
        jobs and no new one starts."""
        self._stopping = True
        if self._worker is not None:
            self._worker.stop()  # type: ignore[no-untyped-call]

    async def run(self) -> None:
        """Supervise until :meth:`stop` (returns) or cancellation (stops the worker)."""
        handler = _SideTaskFailures()
        procrastinate_log = logging.getLogger("procrastinate.worker")
        procrastinate_log.addHandler(handler)
        try:
            while not self._stopping:
                handler.last = None
                up_for = 0.0
                error = "worker stopped unexpectedly"
                try:
                    up_for = await self._attempt(handler)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # any failure means: wait, then a new worker
                    error = f"{type(exc).__name__}: {exc}"
                if self._stopping:
                    break
                self._went_down(handler.last or error)
                # A worker that ran for a while starts the backoff again from the bottom.
                self._failures = 1 if up_for > self.max_wait else self._failures + 1
                self._restarts += 1
                wait = min(self.min_wait * 2 ** (self._failures - 1), self.max_wait)
                log.warning(
                    "job worker stopped; restarting",
                    extra={"error": self._last_error, "wait_s": wait, "restarts": self._restarts},
                )
                await asyncio.sleep(wait)
        finally:
            procrastinate_log.removeHandler(handler)
            self._worker = None
            self._set(WorkerState.STOPPED)

    def _went_down(self, error: str) -> None:
        self._last_error = error[:300]
        if self._down_since is None:
            self._down_since = self._clock()
        self._set(WorkerState.RESTARTING)

    async def _attempt(self, handler: _SideTaskFailures) -> float:
        """One worker's life; returns how long it was up (registered)."""
        if self.conninfo:
            # Fail fast while PostgreSQL is down (the pool would wait 30 s per attempt),
            # so the retries follow our backoff.
            conn = await psycopg.AsyncConnection.connect(self.conninfo, connect_timeout=5)
            await conn.close()
        self.app.perform_import_paths()  # type: ignore[no-untyped-call]
        worker = Worker(app=self.app, **{**self.app.worker_defaults, **self.options})
        self._worker = worker
        if self._stopping:  # stop() came between two attempts
            return 0.0
        up_since: float | None = None
        # A fresh pool per worker: after an outage the old one retries on its own slow
        # schedule, a new one connects at once.
        async with self.app.open_async():
            task = asyncio.create_task(worker.run(), name="procrastinate worker")  # type: ignore[no-untyped-call]
            try:
                while not task.done():
                    await asyncio.wait({task}, timeout=0.2)
                    if self._stopping:  # run() clears a stop() that came before it started
                        worker.stop()
                    if up_since is None and worker.worker_id is not None:
                        # registered in the database: really up
                        up_since = self._clock()
                        self._set(WorkerState.RUNNING)
                        self._down_since = None
                        if self._restarts:
                            log.info("job worker running again", extra={"restarts": self._restarts})
                    if handler.last and self._state is WorkerState.RUNNING and not self._stopping:
                        # procrastinate is shutting this worker down: say so at once, not
                        # after its shutdown has waited out a dead database
                        self._went_down(handler.last)
                task.result()
            except asyncio.CancelledError:
                task.cancel()  # procrastinate turns this into a graceful stop
                await asyncio.gather(task, return_exceptions=True)
                raise
            finally:
                self._worker = None
        return 0.0 if up_since is None else self._clock() - up_since


# -- status across processes ---------------------------------------------------------
# `regsafe serve --workers N` runs the job worker in a process of its own; the API
# workers' /readyz learn its state from a small JSON file it rewrites every second.


async def publish_status(supervisor: WorkerSupervisor, path: Path, every: float = 1.0) -> None:
    """Write ``supervisor``'s status (and readiness) to ``path`` until cancelled;
    replaced atomically, so readers never see half a file."""
    tmp = path.with_name(path.name + ".tmp")
    while True:
        s = supervisor.status()
        body = {
            **s.as_json(),
            "down_seconds": s.down_seconds,
            "readiness": supervisor.readiness(),
            "written_at": time.time(),
        }
        tmp.write_text(json.dumps(body))
        os.replace(tmp, path)
        await asyncio.sleep(every)


class WorkerStatusFile:
    """Reads what :func:`publish_status` writes. No file yet counts as starting (ready
    within ``grace`` of this reader's creation); a file not rewritten for ``stale``
    seconds means the job worker process is gone or hung."""

    def __init__(
        self,
        path: Path,
        *,
        grace: float = 30.0,
        stale: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.grace = grace
        self.stale = stale
        self._clock = clock
        self._created = clock()

    def _read(self) -> dict[str, Any] | None:
        try:
            body = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        return body if isinstance(body, dict) else None

    def readiness(self) -> str:
        body = self._read()
        now = self._clock()
        if body is None:
            waited = now - self._created
            return (
                "ok"
                if waited <= self.grace
                else f"no status from the job worker for {waited:.0f} s"
            )
        silent = now - float(body.get("written_at", 0))
        if silent > self.stale:
            return f"job worker process silent for {silent:.0f} s"
        return str(body.get("readiness", "unknown"))

    def status(self) -> WorkerStatus:
        body = self._read()
        if body is None:
            return WorkerStatus(WorkerState.STARTING, datetime.now(UTC), 0.0, None, 0)
        return WorkerStatus(
            state=WorkerState(body["state"]),
            since=datetime.fromisoformat(body["since"]),
            down_seconds=float(body.get("down_seconds", 0.0)),
            last_error=body.get("last_error"),
            restarts=int(body.get("restarts", 0)),
        )


def supervised_worker(settings: Settings, **options: Any) -> WorkerSupervisor:
    """The supervised worker on the platform's database, as the settings configure it."""
    from regsafe.jobs.app import configured_app

    assert settings.database_url
    return WorkerSupervisor(
        configured_app(settings.database_url),
        conninfo=to_libpq_url(settings.database_url),
        min_wait=settings.worker_restart_min_seconds,
        max_wait=settings.worker_restart_max_seconds,
        grace=settings.worker_ready_grace_seconds,
        **options,
    )
