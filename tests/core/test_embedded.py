"""Embedded services stop what they started, even when PostgreSQL was restarted meanwhile
(its postmaster pid changed) and when a start fails half-way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psutil
import pytest

from regsafe.cli import services
from regsafe.core.settings import Environment, Settings
from tests.plugins.postgres_cluster import PrivatePostgres


def test_stop_after_a_postgres_restart_leaves_no_postgres_running(
    private_postgres: PrivatePostgres,
) -> None:
    # given an embedded cluster whose PostgreSQL was restarted (a new postmaster pid)
    pg = private_postgres
    first = pg.postmaster()
    pg.restart()
    second = pg.postmaster()
    assert first is not None and second is not None and second != first
    # when the services stop (Ctrl-C on `regsafe dev`)
    pg.services.stop()
    # then no postgres process serves the data directory any more
    assert pg.processes() == []


def test_a_failed_start_stops_the_postgres_it_started(
    tmp_services_dir: Path, s3_settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given SeaweedFS cannot start: the suite's S3 server already holds its ports
    port = int(s3_settings["s3_endpoint"].rsplit(":", 1)[1])
    monkeypatch.setenv("REGSAFE_EMBEDDED_PORT_OFFSET", str(port - 8333))
    data_dir = tmp_services_dir / "failed-start"
    settings = Settings(data_dir=data_dir, env=Environment.TEST)
    # when `regsafe dev` starts its services
    with pytest.raises(RuntimeError, match="already serves S3"), services(settings, s3=True):
        pass
    # then the PostgreSQL started before the failure is stopped again
    pgdata = (data_dir / "pg").resolve()
    assert (pgdata / "PG_VERSION").exists()  # it did start
    left = [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and str(pgdata) in (p.info["cmdline"] or [])
    ]
    assert left == []
