"""A PostgreSQL cluster of the test's own (pgserver's bundled PostgreSQL, started through
EmbeddedServices as `regsafe dev` does), which the test may stop, start and restart:
for outage tests that must not disturb the suite's shared server."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from regsafe.core.embedded import EmbeddedServices
from regsafe.core.settings import Environment, Settings


@dataclass
class PrivatePostgres:
    services: EmbeddedServices
    pgdata: Path
    url: str  # the `regsafe` database, over the cluster's Unix socket
    socket_dir: str

    def pg_ctl(self, *args: str) -> None:
        from pgserver._commands import POSTGRES_BIN_PATH  # type: ignore[import-untyped]

        # As root pgserver runs PostgreSQL as its `pgserver` user; postgres refuses root.
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), *args],
            user="pgserver" if os.geteuid() == 0 else None,
            check=True,
            stdout=subprocess.DEVNULL,  # a pipe would be held open by the postmaster
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        log = str(self.pgdata / "log")
        self.pg_ctl("-w", "-l", log, "-o", '-h ""', "-o", f"-k {self.socket_dir}", "start")

    def restart(self) -> None:
        old = self.postmaster()
        # pg_ctl restart reuses the options of the running server (postmaster.opts)
        self.pg_ctl("-w", "-m", "fast", "-l", str(self.pgdata / "log"), "restart")
        _reap(old)

    def postmaster(self) -> int | None:
        """The live postmaster's pid, from postmaster.pid."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None
        return pid if psutil.pid_exists(pid) else None

    def processes(self) -> list[psutil.Process]:
        """Every postgres process still serving this data directory."""
        found = []
        for proc in psutil.process_iter(["name", "cmdline"]):
            if proc.info["name"] == "postgres" and str(self.pgdata) in (proc.info["cmdline"] or []):
                found.append(proc)
        pid = self.postmaster()
        if pid is not None and all(p.pid != pid for p in found):
            found.append(psutil.Process(pid))
        return found


_PR_SET_CHILD_SUBREAPER = 36


@contextlib.contextmanager
def _adopting_orphans() -> Iterator[None]:
    """The postmaster pg_ctl starts is orphaned at once. A normal init reaps it when it
    exits; this sandbox's pid 1 does not, and a zombie looks alive to psutil (and so to
    pgserver). Adopting it (Linux child subreaper) lets the test reap it like init."""
    libc = ctypes.CDLL(None, use_errno=True)
    adopted = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    try:
        yield
    finally:
        if adopted:
            libc.prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def _reap(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(ChildProcessError):  # not ours: init reaps it
        os.waitpid(pid, 0)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    # Not under pytest's tmp_path: every pytest run resets /tmp/pytest-of-<user> to mode
    # 0700, which locks the `pgserver` user out of a cluster a parallel run is using.
    tmp_path = Path(tempfile.mkdtemp(prefix="regsafe-pg-"))
    services = EmbeddedServices(
        Settings(data_dir=tmp_path, s3_endpoint="unused", env=Environment.TEST)
    )
    with _adopting_orphans():
        url = services.start().database_url
    assert url
    pgdata = (tmp_path / "pg").resolve()
    socket_dir = (pgdata / "postmaster.pid").read_text().split("\n")[4].strip()
    cluster = PrivatePostgres(services, pgdata, url, socket_dir)
    try:
        yield cluster
    finally:
        services.stop()
        if cluster.postmaster() is not None:  # never leave a server behind
            cluster.stop()
        shutil.rmtree(tmp_path, ignore_errors=True)
