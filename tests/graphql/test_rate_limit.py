"""The public verification rate limit over HTTP: the client address is the socket peer
unless that is a trusted proxy, the budget covers transcript verification too, and it is
one budget for every API process (counted in PostgreSQL).

Where the old behaviour came from the server (uvicorn rewrote the peer from any
X-Forwarded-For), the test talks to a real `regsafe serve` process over a socket."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.web.app import create_app
from tests.plugins.serve import free_port, serve_env

CERT = """query($n: String) { certificateVerification(number: $n) { status } }"""
TRANSCRIPT = """query($c: String!) { transcriptVerification(code: $c) { valid } }"""
RATE = 3

Serve = Callable[..., Awaitable[str]]


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def _verify(c: httpx.AsyncClient, headers: dict[str, str] | None = None) -> str | None:
    resp = await c.post(
        "/graphql", json={"query": CERT, "variables": {"n": "AQ"}}, headers=headers or {}
    )
    assert resp.status_code == 200, resp.text
    return _code(resp.json())


def _strict(runtime: Runtime, **settings: Any) -> Runtime:
    s = runtime.settings.model_copy(update={"verify_rate_per_minute": RATE, **settings})
    return Runtime(s, runtime.db, runtime.cipher, runtime.store)


def _client(rt: Runtime, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(rt), client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


def _env(settings: Settings, port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    return serve_env(
        settings, port, data_dir, **{"REGSAFE_VERIFY_RATE_PER_MINUTE": str(RATE), **extra}
    )


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Serve]:
    """Starts `regsafe serve` (uvicorn as the CLI configures it) in a process of its own."""
    procs: list[asyncio.subprocess.Process] = []

    async def start(settings: Settings, **extra: str) -> str:
        port = free_port()
        log_path = tmp_path / f"serve-{port}.log"
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "regsafe"),
                "serve",
                env=_env(settings, port, tmp_path, **extra),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url) as c:
            for _ in range(150):
                if proc.returncode is not None:
                    break
                try:
                    if (await c.get("/healthz")).status_code == 200:
                        return url
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(log_path.read_text()[-3000:])

    yield start
    for proc in procs:
        if proc.returncode is None:
            proc.terminate()
    for proc in procs:
        try:
            await asyncio.wait_for(proc.wait(), timeout=15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


@pytest.fixture
async def shared_db(
    committed_runtime: Callable[..., Awaitable[Runtime]],
) -> AsyncIterator[Runtime]:
    """A runtime on a database of its own where every count is really committed."""
    rt = await committed_runtime("ratelimit", admin=False)
    yield rt


def _rows(rt: Runtime) -> list[tuple[str, int]]:
    assert rt.settings.database_url
    with psycopg.connect(rt.settings.database_url) as conn:
        return [
            (str(k), int(c))
            for k, c in conn.execute("SELECT key, count FROM rate_limit_bucket").fetchall()
        ]


async def test_rotating_forwarded_headers_from_an_untrusted_peer_are_limited(
    shared_db: Runtime, serve: Serve
) -> None:
    # given the API as `regsafe serve` runs it, with no trusted proxies configured
    url = await serve(shared_db.settings)
    # when one client sends a fresh X-Forwarded-For / Forwarded with every request
    async with httpx.AsyncClient(base_url=url) as c:
        codes = [
            await _verify(
                c, {"X-Forwarded-For": f"198.51.100.{i}", "Forwarded": f"for=192.0.2.{i}"}
            )
            for i in range(RATE + 2)
        ]
        status_list = await c.get("/verify/status-list", headers={"X-Forwarded-For": "1.2.3.4"})
    # then they all count against its own address
    assert codes[:RATE] == [None] * RATE
    assert codes[RATE:] == ["RATE_LIMITED", "RATE_LIMITED"]
    assert status_list.status_code == 429 and int(status_list.headers["Retry-After"]) >= 1
    assert status_list.json()["error"]["code"] == "RATE_LIMITED"
    # and the shared table holds one HMAC key, never an address
    rows = _rows(shared_db)
    assert len(rows) == 1 and rows[0][1] == RATE + 3
    key = rows[0][0]
    assert len(key) == 64 and "127.0.0.1" not in key and "198.51" not in key


async def test_a_trusted_proxys_forwarded_address_is_the_client(runtime: Runtime) -> None:
    # given the API behind a trusted proxy at 10.0.0.5 (a second proxy at 10.1.1.1)
    rt = _strict(runtime, trusted_proxies=["10.0.0.0/8"])
    async with _client(rt, "10.0.0.5") as proxy:
        # when one client's requests arrive through both proxies
        first = [
            await _verify(proxy, {"X-Forwarded-For": "203.0.113.9, 10.1.1.1"}) for _ in range(RATE)
        ]
        # then that client is limited, even when it prepends addresses of its own
        spoofed = await _verify(proxy, {"X-Forwarded-For": "1.1.1.1, 203.0.113.9, 10.1.1.1"})
        # and another client behind the same proxy has a budget of its own
        other = await _verify(proxy, {"X-Forwarded-For": "203.0.113.10"})
    assert first == [None] * RATE and spoofed == "RATE_LIMITED" and other is None
    # given a proxy that maintains RFC 7239 Forwarded instead
    rt = _strict(runtime, trusted_proxies=["10.0.0.5"], forwarded_header="forwarded")
    async with _client(rt, "10.0.0.5") as proxy:
        forwarded = [
            await _verify(proxy, {"Forwarded": 'for="[2001:db8::1]:4711";proto=https'})
            for _ in range(RATE + 1)
        ]
        # the same /64 is one client; X-Forwarded-For is not read (without Forwarded,
        # the requests are the proxy's own)
        same_net = await _verify(proxy, {"Forwarded": "for=[2001:db8::2]"})
        ignored = [
            await _verify(proxy, {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(RATE + 1)
        ]
    assert forwarded == [None] * RATE + ["RATE_LIMITED"] and same_net == "RATE_LIMITED"
    assert ignored == [None] * RATE + ["RATE_LIMITED"]


async def test_transcript_verification_is_limited(runtime: Runtime) -> None:
    # given a client within its budget
    async with _client(_strict(runtime), "203.0.113.20") as c:
        # when it asks for transcript verifications past the limit
        bodies = [
            (
                await c.post(
                    "/graphql", json={"query": TRANSCRIPT, "variables": {"c": f"ZZZZ{i:08d}"}}
                )
            ).json()
            for i in range(RATE + 1)
        ]
    # then the last is refused with the typed error and a retry hint
    assert [_code(b) for b in bodies[:RATE]] == [None] * RATE
    error = bodies[RATE]["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 120
    assert error["path"] == ["transcriptVerification"]


async def test_two_api_processes_share_one_budget(shared_db: Runtime, serve: Serve) -> None:
    # given one API in this process and one `regsafe serve` process on the same database,
    # both trusting the test's loopback as a proxy
    local = Runtime.from_settings(
        shared_db.settings.model_copy(
            update={"verify_rate_per_minute": RATE, "trusted_proxies": ["127.0.0.1"]}
        )
    )
    url = await serve(shared_db.settings, REGSAFE_TRUSTED_PROXIES="127.0.0.1")
    client = {"X-Forwarded-For": "203.0.113.30"}
    try:
        async with _client(local, "127.0.0.1") as here, httpx.AsyncClient(base_url=url) as there:
            # when one client spreads its requests over both
            codes = []
            for i in range(RATE + 1):
                codes.append(await _verify(here if i % 2 else there, client))
            refused_there = await _verify(there, client)
            elsewhere = await _verify(there, {"X-Forwarded-For": "203.0.113.31"})
    finally:
        await local.db.dispose()
    # then the budget is one: the request past it is refused by either process
    assert codes == [None] * RATE + ["RATE_LIMITED"]
    assert refused_there == "RATE_LIMITED" and elsewhere is None


def test_the_buckets_table_is_unlogged(shared_db: Runtime) -> None:
    assert shared_db.settings.database_url
    with psycopg.connect(shared_db.settings.database_url) as conn:
        row = conn.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit_bucket'"
        ).fetchone()
    assert row == ("u",)


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # httpx would send the local requests through a configured HTTP proxy
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield
