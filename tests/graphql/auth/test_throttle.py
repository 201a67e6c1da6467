"""Login throttling per account and address, known devices, no typed secrets kept
(issue 11, defect 10), over HTTP from several client addresses.

Which lock applies (docs/auth.md):
- account from one address (login_max_failures): always, known device or not;
- account from anywhere (login_account_max_failures): not for a known device;
- address whatever the username (login_address_max_failures): not for a known device.
"""

import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from regsafe.core.runtime import Runtime
from regsafe.web.app import create_app
from tests.plugins.identity import PASSWORD, World

LOGIN = """mutation($u: String!, $p: String!, $d: String) {
  tokenCreate(username: $u, password: $p, deviceToken: $d) {
    token { accessToken } deviceToken errors { field code message } } }"""
# Without the device token (as older clients send it; runs on the code before the fix).
PLAIN_LOGIN = """mutation($u: String!, $p: String!) {
  tokenCreate(username: $u, password: $p) { token { accessToken } errors { code } } }"""


class Client:
    """A browser at one client address."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def _post(self, query: str, variables: dict[str, Any]) -> Any:
        resp = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body = resp.json()
        assert resp.status_code == 200 and not body.get("errors"), body
        return body["data"]["tokenCreate"]

    async def login(self, username: str, password: str, device: str | None = None) -> Any:
        return await self._post(LOGIN, {"u": username, "p": password, "d": device})

    async def code(self, username: str, password: str, device: str | None = None) -> str | None:
        """The first error code of a login (None when it succeeded)."""
        if device is None:
            payload = await self._post(PLAIN_LOGIN, {"u": username, "p": password})
        else:
            payload = await self.login(username, password, device)
        errors = payload["errors"]
        return errors[0]["code"] if errors else None


@pytest.fixture
async def at(runtime: Runtime) -> AsyncIterator[Callable[[str], Client]]:
    """``at("203.0.113.5")``: a client whose requests come from that address."""
    app = create_app(runtime)
    opened: list[httpx.AsyncClient] = []

    def make(address: str) -> Client:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        opened.append(httpx.AsyncClient(transport=transport, base_url="http://regsafe.test"))
        return Client(opened[-1])

    yield make
    for c in opened:
        await c.aclose()


async def _lock_account(at: Callable[[str], Client], runtime: Runtime, username: str) -> None:
    """Strangers at many addresses guess until the account itself is locked."""
    s = runtime.settings
    failures = 0
    n = 0
    while failures < s.login_account_max_failures:
        guesser = at(f"198.51.100.{n}")
        for _ in range(min(s.login_max_failures, s.login_account_max_failures - failures)):
            assert await guesser.code(username, "Wrong-Passw0rd!") == "INVALID_CREDENTIALS"
            failures += 1
        n += 1


async def test_five_wrong_passwords_lock_that_address_not_the_owner(
    at: Callable[[str], Client], runtime: Runtime, world: World
) -> None:
    # given five wrong passwords for admin from address A
    a, b = at("203.0.113.10"), at("192.0.2.20")
    for _ in range(runtime.settings.login_max_failures):
        assert await a.code("admin", "Wrong-Passw0rd!") == "INVALID_CREDENTIALS"
    # then A may not try admin again, not even with the right password
    assert await a.code("admin", PASSWORD) == "TOO_MANY_ATTEMPTS"
    # but admin logs in from B (even from a device never seen before) ...
    assert await b.code("admin", PASSWORD) is None
    # ... and other accounts from A are not affected
    assert await a.code("zhang", PASSWORD) is None


async def test_a_locked_account_still_lets_its_known_device_in(
    at: Callable[[str], Client], runtime: Runtime, world: World
) -> None:
    # given admin's own browser at home, known from an earlier login
    home = at("192.0.2.77")
    first = await home.login("admin", PASSWORD)
    device = first["deviceToken"]
    assert first["errors"] == [] and device
    # when strangers at many addresses lock the account
    await _lock_account(at, runtime, "admin")
    # then a new device is refused, even with the right password
    cafe = at("192.0.2.99")
    assert await cafe.code("admin", PASSWORD) == "TOO_MANY_ATTEMPTS"
    # but the known device gets in, from wherever it is now, and keeps its token
    again = await cafe.login("admin", PASSWORD, device)
    assert again["errors"] == [] and again["token"]["accessToken"]
    assert again["deviceToken"] == device
    # a known device with a wrong password is still a failure
    assert await home.code("admin", "Wrong-Passw0rd!", device) == "INVALID_CREDENTIALS"
    # and it does not get past the lock of a guessing address
    guesser = at("198.51.100.0")
    assert await guesser.code("admin", PASSWORD, device) == "TOO_MANY_ATTEMPTS"


async def test_a_device_token_of_another_user_is_ignored(
    at: Callable[[str], Client], runtime: Runtime, world: World
) -> None:
    # given zhang's known-device token, and zhao's account locked by strangers
    office = at("192.0.2.30")
    zhang_device = (await office.login("zhang", PASSWORD))["deviceToken"]
    assert zhang_device
    await _lock_account(at, runtime, "zhao")
    # then neither zhang's token nor a made-up one opens zhao's account
    assert await office.code("zhao", PASSWORD, zhang_device) == "TOO_MANY_ATTEMPTS"
    assert await office.code("zhao", PASSWORD, "made-up-token") == "TOO_MANY_ATTEMPTS"
    # and the token still works for zhang
    assert await office.code("zhang", PASSWORD, zhang_device) is None


async def test_guessing_over_many_unknown_usernames_from_one_address_is_slowed(
    at: Callable[[str], Client], runtime: Runtime, world: World
) -> None:
    # when one address tries 20 different unknown usernames
    sprayer = at("203.0.113.50")
    limit = runtime.settings.login_address_max_failures
    assert limit <= 20
    codes = [await sprayer.code(f"guess-{i}", "Wrong-Passw0rd!") for i in range(20)]
    # then it is stopped once it reaches the address limit, whatever name it tries next
    assert codes[:limit] == ["INVALID_CREDENTIALS"] * limit
    assert codes[limit:] == ["TOO_MANY_ATTEMPTS"] * (20 - limit)
    assert await sprayer.code("guess-new", "Wrong-Passw0rd!") == "TOO_MANY_ATTEMPTS"
    assert await sprayer.code("zhang", PASSWORD) == "TOO_MANY_ATTEMPTS"
    # another address is not affected, and a known device behind the same address gets in
    zhang_device = (await at("192.0.2.40").login("zhang", PASSWORD))["deviceToken"]
    assert await sprayer.code("zhang", PASSWORD, zhang_device) is None


async def _rows(runtime: Runtime, table: str) -> list[str]:
    async with runtime.db.session() as s:
        rows = await s.exec(text(f"SELECT t::text FROM {table} t"))  # type: ignore[call-overload]
        return [r[0] for r in rows]


async def test_no_row_keeps_a_typed_username_password_or_address(
    at: Callable[[str], Client], runtime: Runtime, world: World
) -> None:
    # given failed logins with unknown names (a password typed into the wrong field, say)
    address = "203.0.113.77"
    c = at(address)
    typed_name, typed_password, wrong = (
        "Typed-Secret-Name-42",
        "Typed-Passw0rd-xyz",
        "Zhang-Typo-99!",
    )
    before = len(await _rows(runtime, "login_throttle"))
    for name in (typed_name, f"{typed_name}-b", f"{typed_name}-c"):
        assert await c.code(name, typed_password) == "INVALID_CREDENTIALS"
    # then they added one counter between them (the address's), not one each
    assert len(await _rows(runtime, "login_throttle")) == before + 1
    # and a wrong password for a known account, then the right one
    assert await c.code("zhang", wrong) == "INVALID_CREDENTIALS"
    ok = await c.login("zhang", PASSWORD)
    assert ok["errors"] == []

    throttle = await _rows(runtime, "login_throttle")
    audit = await _rows(runtime, "audit_event")
    devices = await _rows(runtime, "login_device")
    # then no row holds what was typed, the address in clear, or the device token
    for row in throttle + audit + devices:
        for secret in (typed_name, typed_password, wrong, address, ok["deviceToken"]):
            assert secret.lower() not in row.lower(), row
    # the device token is kept only as its SHA-256
    digest = hashlib.sha256(ok["deviceToken"].encode()).hexdigest()
    assert any(digest in d for d in devices)
