"""Concurrent requests on a database where they really commit (no wrapping transaction)."""

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from regsafe.core.runtime import Runtime
from regsafe.web.app import create_app
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD


@pytest.fixture(scope="module")
async def live(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("concurrency")


def _client(live: Runtime, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(live), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_simultaneous_failed_logins_are_counted_not_crashed(live: Runtime) -> None:
    limit = live.settings.login_max_failures
    async with _client(live, "203.0.113.1") as c:
        api = Api(c)
        # an account with no throttle row yet, hit from one address by several at once
        results = await asyncio.gather(*(api.login("admin", "wrong") for _ in range(limit - 1)))
        assert [r["errors"][0]["code"] for r in results] == ["INVALID_CREDENTIALS"] * (limit - 1)
        # the last allowed failure locks it for this address: all of them were counted
        last = await api.login("admin", "wrong")
        assert last["errors"][0]["code"] == "INVALID_CREDENTIALS"
        locked = await api.login("admin", PASSWORD)
        assert locked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    async with _client(live, "192.0.2.1") as c:
        ok = await asyncio.gather(*(Api(c).login("admin", PASSWORD) for _ in range(3)))
        assert all(r["errors"] == [] for r in ok)


async def test_simultaneous_failures_on_many_names_all_count_for_the_address(
    live: Runtime,
) -> None:
    limit = live.settings.login_address_max_failures
    async with _client(live, "203.0.113.2") as c:
        api = Api(c)
        # unknown names have no row of their own: they all update the address's row
        first = limit // 2
        results = await asyncio.gather(*(api.login(f"nobody-{i}", "wrong") for i in range(first)))
        assert [r["errors"][0]["code"] for r in results] == ["INVALID_CREDENTIALS"] * first
        for i in range(first, limit):
            assert (await api.login(f"nobody-{i}", "wrong"))["errors"][0]["code"] == (
                "INVALID_CREDENTIALS"
            )
        locked = await api.login("nobody-else", "wrong")
        assert locked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
