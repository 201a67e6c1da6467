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


async def test_simultaneous_failed_logins_are_counted_not_crashed(live: Runtime) -> None:
    transport = httpx.ASGITransport(app=create_app(live))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        api = Api(c)
        # a username with no throttle row yet, hit by several requests at once
        results = await asyncio.gather(*(api.login("never-seen", "wrong") for _ in range(4)))
        assert [r["errors"][0]["code"] for r in results] == ["INVALID_CREDENTIALS"] * 4
        # the fifth failure locks it: all four were counted
        fifth = await api.login("never-seen", "wrong")
        assert fifth["errors"][0]["code"] == "INVALID_CREDENTIALS"
        locked = await api.login("never-seen", "wrong")
        assert locked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
        ok = await asyncio.gather(*(api.login("admin", PASSWORD) for _ in range(3)))
        assert all(r["errors"] == [] for r in ok)
