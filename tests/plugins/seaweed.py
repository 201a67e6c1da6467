"""An S3 server of the test's own (SeaweedFS `weed mini`, started through EmbeddedServices
as `regsafe dev` does), which the test may stop and start again: for outage tests that
must not disturb the suite's shared server. Objects persist across a restart (same dir)."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from minio import Minio

from regsafe.core.embedded import _WEED_PORTS, EmbeddedServices
from regsafe.core.settings import Environment, Settings
from regsafe.core.storage import ObjectStore

_PROBE_BUCKET = "regsafe-probe"

# Above the suite's own range (conftest tries offsets 100..1900), so both can run.
_OFFSETS = range(2100, 6000, 100)


@dataclass
class PrivateS3:
    services: EmbeddedServices
    offset: int
    s3: dict[str, Any] = field(default_factory=dict)  # s3_endpoint, s3_access_key, …
    running: bool = False

    def start(self) -> None:
        with _port_offset(self.offset):
            started = self.services.start()
        self.s3 = {
            "s3_endpoint": started.s3_endpoint,
            "s3_access_key": started.s3_access_key,
            "s3_secret_key": started.s3_secret_key,
            "s3_secure": False,
        }
        self._wait_for_s3()
        self.running = True

    def _wait_for_s3(self, timeout: float = 60.0) -> None:
        # `weed mini` answers /healthz before its S3 gateway, and after a restart before
        # its volume server is registered again (reads and writes of objects answer 500
        # meanwhile, longer on a loaded machine): wait until an object is written and read.
        client = Minio(
            self.s3["s3_endpoint"],
            access_key=self.s3["s3_access_key"],
            secret_key=self.s3["s3_secret_key"],
            secure=False,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if not client.bucket_exists(_PROBE_BUCKET):
                    client.make_bucket(_PROBE_BUCKET)
                client.put_object(_PROBE_BUCKET, "probe", io.BytesIO(b"ok"), 2)
                reply = client.get_object(_PROBE_BUCKET, "probe")
                try:
                    if reply.read() == b"ok":
                        return
                finally:
                    reply.close()
                    reply.release_conn()
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM and wait (a few seconds): afterwards nothing listens on the port."""
        self.services.stop()
        self.running = False

    def store(self, settings: Settings, **overrides: Any) -> ObjectStore:
        """A store on this server, with ``settings``' bucket and presign TTL."""
        return ObjectStore.from_settings(settings.model_copy(update={**self.s3, **overrides}))


@contextlib.contextmanager
def _port_offset(offset: int) -> Iterator[None]:
    # EmbeddedServices reads the offset from the environment; the suite's own server
    # may have set it for itself, so it is put back afterwards.
    before = os.environ.get("REGSAFE_EMBEDDED_PORT_OFFSET")
    os.environ["REGSAFE_EMBEDDED_PORT_OFFSET"] = str(offset)
    try:
        yield
    finally:
        if before is None:
            del os.environ["REGSAFE_EMBEDDED_PORT_OFFSET"]
        else:
            os.environ["REGSAFE_EMBEDDED_PORT_OFFSET"] = before


def _free_offset() -> int:
    for offset in _OFFSETS:
        ports = [p + offset for p in _WEED_PORTS.values()]
        ports += [p + 10000 for p in ports]  # gRPC ports sit 10000 above
        if all(_port_free(p) for p in ports):
            return offset
    raise RuntimeError("no free port range for a private S3 server")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture
def private_s3() -> Iterator[PrivateS3]:
    """A running SeaweedFS of this test's own; stopped (and its data removed) after."""
    tmp = Path(tempfile.mkdtemp(prefix="regsafe-s3-"))
    services = EmbeddedServices(
        Settings(
            data_dir=tmp,
            database_url="unused",
            # passed on every start: SeaweedFS does not persist them
            s3_access_key="regsafe-outage",
            s3_secret_key=secrets.token_urlsafe(24),
            env=Environment.TEST,
        )
    )
    server = PrivateS3(services, _free_offset())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
