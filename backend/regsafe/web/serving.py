"""`regsafe serve --workers N`: N API worker processes on one listening socket, and with
``--with-worker`` one job worker process beside them (docs/deployment.md, "Serving").

The parent binds the socket and runs uvicorn's process supervisor: it spawns the
workers (fresh interpreters, each building its own app, engine and pool from the
settings it is handed), starts a worker again when one dies, stops them all on SIGINT or
SIGTERM and replaces them one at a time on SIGHUP. A worker that cannot build its app
exits with uvicorn's start-up failure code, and the parent then stops instead of
starting it again forever.

The job worker runs exactly once, in a process of its own rather than in one of the API
workers: uvicorn replaces API workers without telling them apart (there is no stable
"worker 0"), and OCR and PDF jobs would take CPU from the requests of whichever worker
hosted them. The API workers' /readyz learn its state from the status file it rewrites
every second (jobs.supervisor.publish_status).

Metrics: PROMETHEUS_MULTIPROC_DIR is set (to a fresh directory, or the operator's,
emptied) before any child starts, so every process writes its values there and
/metrics sums them whichever worker answers; files of dead workers' live gauges are
removed as uvicorn replaces them."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from multiprocessing import get_context
from multiprocessing.context import SpawnProcess
from pathlib import Path
from socket import socket
from typing import Any

from regsafe.core.logging import configure_logging
from regsafe.core.settings import Settings

log = logging.getLogger("regsafe.serving")

STATUS_FILE = "job-worker.json"
JOB_WORKER_CONCURRENCY = 2  # as `serve --with-worker` always had; `regsafe worker` to scale
JOB_RESTART_SECONDS = 5.0  # at most one new job worker process this often
JOB_STOP_SECONDS = 55.0  # running jobs get this long to finish on shutdown


def api_process_app(settings: Settings, worker_status: str | None) -> Any:
    """The ASGI app of one API worker process (uvicorn calls it in the child)."""
    from uvicorn.config import STARTUP_FAILURE

    configure_logging(settings.log_level)
    try:
        from regsafe.core.runtime import Runtime
        from regsafe.jobs.supervisor import WorkerStatusFile
        from regsafe.web.app import create_app

        probe = (
            WorkerStatusFile(Path(worker_status), grace=settings.worker_ready_grace_seconds)
            if worker_status
            else None
        )
        return create_app(Runtime.from_settings(settings), worker=probe)
    except Exception:
        log.exception("API worker could not start")
        sys.exit(STARTUP_FAILURE)  # the parent stops rather than restart it in a loop


async def run_job_worker(
    settings: Settings,
    *,
    queues: list[str] | None,
    concurrency: int,
    status_path: Path | None = None,
) -> None:
    """The supervised job worker until SIGINT/SIGTERM (`regsafe worker`, and the job
    worker process of a multi-worker `serve`, which also publishes its status)."""
    from regsafe.core.runtime import Runtime, set_runtime
    from regsafe.jobs.supervisor import publish_status, supervised_worker

    rt = Runtime.from_settings(settings)
    set_runtime(rt)
    # queues=None: every queue. Restarted when it stops unexpectedly (a PostgreSQL
    # restart); SIGINT/SIGTERM stop it for good once its running jobs are done.
    supervisor = supervised_worker(settings, queues=queues or None, concurrency=concurrency)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, supervisor.stop)
    publisher = (
        asyncio.create_task(publish_status(supervisor, status_path)) if status_path else None
    )
    try:
        await supervisor.run()  # opens its own connection pool
    finally:
        if publisher is not None:
            publisher.cancel()
            await asyncio.gather(publisher, return_exceptions=True)
            assert status_path is not None
            # readers then see "no status" rather than a stale "running"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(status_path)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await rt.db.dispose()


def job_worker_process(settings: Settings, status_path: str) -> None:
    """Entry point of the spawned job worker process."""
    configure_logging(settings.log_level)
    asyncio.run(
        run_job_worker(
            settings,
            queues=None,
            concurrency=JOB_WORKER_CONCURRENCY,
            status_path=Path(status_path),
        )
    )


def _processes_class() -> type:
    """uvicorn's supervisor, plus the job worker process and metrics bookkeeping
    (built lazily: the CLI imports this module for every command)."""
    from prometheus_client.multiprocess import mark_process_dead
    from uvicorn.supervisors import Multiprocess

    class Processes(Multiprocess):
        def __init__(self, config: Any, sockets: list[socket], job: Any) -> None:
            super().__init__(config, sockets)
            self.job_factory = job
            self.job: SpawnProcess | None = None
            self.job_started = 0.0
            self.stopping = False  # asked to stop (a signal), not stopped by a failure
            self.failed = False
            self.known: set[int] = set()

        def start_job(self) -> None:
            self.job = self.job_factory()
            self.job.start()
            self.job_started = time.monotonic()
            log.info("job worker process started", extra={"pid": self.job.pid})

        def init_processes(self) -> None:
            if self.job_factory is not None:
                self.start_job()
            super().init_processes()
            self.known = {p.pid for p in self.processes if p.pid is not None}

        def keep_subprocess_alive(self) -> None:
            super().keep_subprocess_alive()
            current = {p.pid for p in self.processes if p.pid is not None}
            for pid in self.known - current:  # died, or replaced on SIGHUP / SIGTTOU
                mark_process_dead(pid)  # type: ignore[no-untyped-call]
            self.known = current
            if self.should_exit.is_set():
                self.failed = self.failed or not self.stopping
                return
            job = self.job
            waited = time.monotonic() - self.job_started
            if job is not None and not job.is_alive() and waited >= JOB_RESTART_SECONDS:
                log.warning("job worker process exited; starting a new one",
                            extra={"exit_code": job.exitcode})  # fmt: skip
                job.join()
                self.start_job()

        def handle_int(self) -> None:
            self.stopping = True
            super().handle_int()

        def handle_term(self) -> None:
            self.stopping = True
            super().handle_term()

        def stop_job(self) -> None:
            job = self.job
            if job is None or job.pid is None:
                return
            if job.is_alive():
                os.kill(job.pid, signal.SIGTERM)  # finishes its running jobs, then exits
                job.join(JOB_STOP_SECONDS)
            if job.is_alive():
                log.warning("job worker process did not stop in time; killing it")
                job.kill()
                job.join()

    return Processes


def _metrics_dir(run_dir: Path) -> Path:
    """prometheus-client's multiprocess directory: the operator's (emptied, as its docs
    require between runs) or a fresh one. Set in the environment, which the spawned
    children inherit, before any of them imports prometheus-client."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    path = Path(given) if given else run_dir / "metrics"
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def serve_workers(settings: Settings, *, workers: int, with_worker: bool) -> int:
    """Serve with ``workers`` (≥ 2) API processes until SIGINT/SIGTERM; the exit code."""
    import uvicorn

    run_dir = Path(tempfile.mkdtemp(prefix="regsafe-serve-"))
    _metrics_dir(run_dir)
    status = run_dir / STATUS_FILE if with_worker else None
    config = uvicorn.Config(
        functools.partial(api_process_app, settings, str(status) if status else None),
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        # The default loop and HTTP parser ("auto"): uvloop and httptools when installed.
        loop="auto",
        http="auto",
        log_config=None,
        # No proxy_headers: core.net.client_address reads forwarded headers from
        # REGSAFE_TRUSTED_PROXIES only.
        proxy_headers=False,
    )
    job = (
        functools.partial(
            get_context("spawn").Process,
            target=job_worker_process,
            args=(settings, str(status)),
            name="regsafe-job-worker",
        )
        if status
        else None
    )
    sock = config.bind_socket()
    processes = _processes_class()(config, [sock], job)
    log.info("serving", extra={"workers": workers, "job_worker": with_worker, "pid": os.getpid()})
    try:
        processes.run()
    finally:
        processes.stop_job()
        sock.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    if processes.failed:
        print("API 工作进程启动失败，已停止 (an API worker failed to start; see the log)",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0
