"""Start and stop `regsafe serve` as a subprocess for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pytest

from regsafe.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "frontend" / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def check_prerequisites() -> None:
    if not (WEB / "dist" / "index.html").exists():
        pytest.fail("frontend/web/dist is missing: build the SPA first (make web)")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install the Debian package chromium "
            "(scripts/ensure-chromium.sh does it as root)"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(settings: Settings, port: int, label: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGSAFE_")}
    for name in (
        "database_url",
        "s3_endpoint",
        "s3_access_key",
        "s3_secret_key",
        "s3_bucket",
        "secret_key",
        "data_keys",
        "data_key_id",
        "blind_index_key",
        "certificate_signing_key",
    ):
        if getattr(settings, name) is not None:
            env[f"REGSAFE_{name.upper()}"] = str(getattr(settings, name))
    env.update(
        REGSAFE_ENV="test",
        REGSAFE_PORT=str(port),
        REGSAFE_SPA_DIR=str(WEB / "dist"),
        REGSAFE_DATA_DIR=str(ROOT / f".regsafe-{label}"),
    )
    return env


def start_server(
    settings: Settings,
    *,
    with_worker: bool = False,
    label: str = "e2e",
    extra_env: Mapping[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """`regsafe serve` on a free port, once /readyz answers; logs in .regsafe-<label>.log.
    ``extra_env``: further settings for this server only (e.g. REGSAFE_HEARTBEAT_*)."""
    port = _free_port()
    env = _env(settings, port, label)
    env.update(extra_env or {})
    log_path = ROOT / f".regsafe-{label}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    cmd = [str(Path(sys.executable).parent / "regsafe"), "serve"]
    if with_worker:
        cmd.append("--with-worker")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not become ready; see {log_path}")
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=15)
