"""Test services: a real PostgreSQL and a real S3-compatible server.

PostgreSQL: REGSAFE_TEST_DATABASE_URL if set; else a fresh database on the server at
127.0.0.1:5432 when one answers; else an embedded pgserver cluster in a temp dir.
S3: REGSAFE_TEST_S3_ENDPOINT (+ _ACCESS_KEY/_SECRET_KEY) if set; else SeaweedFS
(`weed mini`) in a temp dir on ports offset by 100, so tests run beside `make dev`.

Each test gets a connection inside a transaction that is rolled back at its end; the
code under test commits into savepoints (``join_transaction_mode="create_savepoint"``).
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from regsafe.core.db import Database, to_sqlalchemy_url
from regsafe.core.embedded import EmbeddedServices
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.core.settings import Environment, Settings

pytest_plugins = [
    "tests.plugins.api",
    "tests.plugins.fonts",
    "tests.plugins.identity",
    "tests.plugins.postgres_cluster",
    "tests.plugins.seaweed",
]


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


class _Postgres:
    """Creates (and later drops) fresh databases on one server."""

    def __init__(self, tmp: Path) -> None:
        self.embedded: EmbeddedServices | None = None
        self.created: list[str] = []
        explicit = os.environ.get("REGSAFE_TEST_DATABASE_URL")
        if explicit:
            self.admin_url: str | None = None
            self.explicit = explicit
            return
        self.explicit = ""
        local = "postgresql://postgres@127.0.0.1:5432/postgres"
        try:
            psycopg.connect(local, connect_timeout=2).close()
            self.admin_url = local
        except psycopg.Error:
            self.embedded = EmbeddedServices(
                Settings(data_dir=tmp, s3_endpoint="unused", env=Environment.TEST)
            )
            url = self.embedded.start().database_url
            assert url
            self.admin_url = url.replace("/regsafe?", "/postgres?")

    def new_database(self, label: str) -> str:
        if self.explicit:
            return self.explicit
        assert self.admin_url
        name = f"regsafe_test_{label}_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        self.created.append(name)
        base, _, query = self.admin_url.partition("?")
        return base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")

    def close(self) -> None:
        if self.admin_url:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                for name in self.created:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        if self.embedded:
            self.embedded.stop()


@pytest.fixture(scope="session")
def tmp_services_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="regsafe-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(tmp_services_dir: Path) -> Iterator[_Postgres]:
    pg = _Postgres(tmp_services_dir / "pg")
    yield pg
    pg.close()


@pytest.fixture(scope="session")
def s3_settings(tmp_services_dir: Path) -> Iterator[dict[str, Any]]:
    if endpoint := os.environ.get("REGSAFE_TEST_S3_ENDPOINT"):
        yield {
            "s3_endpoint": endpoint,
            "s3_access_key": os.environ["REGSAFE_TEST_S3_ACCESS_KEY"],
            "s3_secret_key": os.environ["REGSAFE_TEST_S3_SECRET_KEY"],
        }
        return
    if "REGSAFE_EMBEDDED_PORT_OFFSET" not in os.environ:
        os.environ["REGSAFE_EMBEDDED_PORT_OFFSET"] = str(_free_weed_offset())
    embedded = EmbeddedServices(
        Settings(
            data_dir=tmp_services_dir / "s3",
            database_url="unused",
            s3_access_key="regsafe-test",
            s3_secret_key=secrets.token_urlsafe(24),
            env=Environment.TEST,
        )
    )
    s = embedded.start()
    yield {
        "s3_endpoint": s.s3_endpoint,
        "s3_access_key": s.s3_access_key,
        "s3_secret_key": s.s3_secret_key,
    }
    embedded.stop()


def _free_weed_offset() -> int:
    """An offset at which every port `weed mini` opens is free (a leftover server from an
    interrupted run, or `make dev`, must not break the suite)."""
    from regsafe.core.embedded import _WEED_PORTS

    for offset in range(100, 2000, 100):
        ports = [p + offset for p in _WEED_PORTS.values()]
        ports += [p + 10000 for p in ports]  # gRPC ports sit 10000 above
        if all(_port_free(p) for p in ports):
            return offset
    raise RuntimeError("no free port range for the test S3 server")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def make_settings(database_url: str, s3: dict[str, Any], **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": Environment.TEST,
        "database_url": database_url,
        "s3_bucket": "regsafe-test",
        "secret_key": _TEST_KEYS["secret"],
        "data_keys": f"t1:{_TEST_KEYS['data']}",
        "data_key_id": "t1",
        "blind_index_key": _TEST_KEYS["index"],
        "certificate_signing_key": _TEST_KEYS["certificate"],
        "db_pool_size": 5,
        **s3,
    }
    values.update(overrides)
    return Settings(**values)


def _signing_key() -> str:
    from regsafe.certificates.signing import Ed25519Signer

    return Ed25519Signer.generate().to_pem().decode("ascii")


_TEST_KEYS = {"secret": _key(), "data": _key(), "index": _key(), "certificate": _signing_key()}


@pytest.fixture(scope="session")
def settings(postgres: _Postgres, s3_settings: dict[str, Any]) -> Settings:
    url = postgres.new_database("main")
    upgrade_head(url)
    return make_settings(url, s3_settings)


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    assert settings.database_url
    eng = create_async_engine(to_sqlalchemy_url(settings.database_url), pool_size=5)
    yield eng
    await eng.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[Database]:
    """A Database whose every session lives inside one transaction, rolled back after."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        yield Database(engine, bind=conn)
        if trans.is_active:
            await trans.rollback()


@pytest.fixture(scope="session")
async def committed_runtime(
    postgres: _Postgres, s3_settings: dict[str, Any]
) -> AsyncIterator[Callable[..., Awaitable[Runtime]]]:
    """Factory of runtimes on fresh, migrated databases of their own, where requests
    really commit (no wrapping transaction): for concurrency and worker tests. Each gets
    an admin user `admin` with the test password unless ``admin=False``."""
    from regsafe.auth import service as auth_service
    from regsafe.auth.roles import Role
    from tests.plugins.identity import PASSWORD

    made: list[Runtime] = []

    async def make(label: str, *, admin: bool = True) -> Runtime:
        url = postgres.new_database(label)
        upgrade_head(url)
        rt = Runtime.from_settings(make_settings(url, s3_settings))
        if admin:
            async with rt.db.session() as s:
                await auth_service.create_user(
                    s,
                    username="admin",
                    password=PASSWORD,
                    display_name="admin",
                    roles=[Role.ADMIN],
                )
                await s.commit()
        made.append(rt)
        return rt

    yield make
    for rt in made:
        await rt.db.dispose()


@pytest.fixture
def runtime(settings: Settings, db: Database) -> Iterator[Runtime]:
    rt = Runtime.from_settings(settings, db=db)
    set_runtime(rt)
    yield rt
    set_runtime(None)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    from regsafe.web.app import create_app

    app = create_app(runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://regsafe.test") as c:
        yield c
