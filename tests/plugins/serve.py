"""Running `regsafe serve` as a real process in a test: a free port and the environment
that points it at the test's database, object store and keys (shared by the rate-limit
and the multi-worker tests)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from regsafe.core.settings import Settings

# The settings a served process needs from the test's own.
FIELDS = (
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
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_env(settings: Settings, port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without its REGSAFE_* (and prometheus multiprocess)
    variables, plus the test's settings, a port, a data dir and no SPA; ``extra`` last."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REGSAFE_") and k != "PROMETHEUS_MULTIPROC_DIR"
    }
    env.update({f"REGSAFE_{f.upper()}": str(getattr(settings, f)) for f in FIELDS})
    env.update(
        REGSAFE_ENV="test",
        REGSAFE_HOST="127.0.0.1",
        REGSAFE_PORT=str(port),
        REGSAFE_DATA_DIR=str(data_dir),
        REGSAFE_SPA_DIR=str(data_dir / "no-spa"),
        REGSAFE_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env
