"""Introspection in production needs a signed-in viewer; elsewhere it stays open
(issue 11, defect 18)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from regsafe.core.runtime import Runtime, set_runtime
from regsafe.core.settings import Environment
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Person") { name } }'
TYPENAME = "{ __typename }"


def _codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", e["message"]) for e in body.get("errors", [])]


@asynccontextmanager
async def _api_in(runtime: Runtime, env: Environment) -> AsyncIterator[Api]:
    from regsafe.web.app import create_app

    rt = Runtime.from_settings(runtime.settings.model_copy(update={"env": env}), db=runtime.db)
    set_runtime(rt)
    try:
        transport = httpx.ASGITransport(app=create_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://regsafe.test") as c:
            yield Api(c)
    finally:
        set_runtime(runtime)


@pytest.fixture
def api_in(runtime: Runtime) -> Callable[[Environment], Any]:
    return lambda env: _api_in(runtime, env)


async def test_anonymous_introspection_is_refused_in_production(
    api_in: Callable[[Environment], Any], world: World
) -> None:
    async with api_in(Environment.PROD) as api:
        for query in (SCHEMA, TYPE, "query Q { a: __schema { types { name } } }"):
            body = (await api.post(query)).json()
            assert body.get("data") is None, query
            assert _codes(body) == ["INTROSPECTION_DISABLED"], query
        # __typename is not introspection: clients and caches rely on it
        assert await api.gql(TYPENAME) == {"__typename": "Query"}
        assert (await api.gql("{ viewer { __typename } }"))["viewer"]["__typename"] == "Viewer"


async def test_a_bad_token_is_anonymous_for_introspection(
    api_in: Callable[[Environment], Any], world: World
) -> None:
    async with api_in(Environment.PROD) as api:
        body = (await api.post(SCHEMA, token="not-a-token")).json()
        assert "INTROSPECTION_DISABLED" in _codes(body)


async def test_signed_in_viewers_introspect_in_production(
    api_in: Callable[[Environment], Any], world: World
) -> None:
    async with api_in(Environment.PROD) as api:
        registrant = await api.as_user("zhang", PASSWORD)
        assert (await registrant.gql(SCHEMA))["__schema"]["queryType"]["name"] == "Query"
        assert (await registrant.gql(TYPE))["__type"]["name"] == "Person"


@pytest.mark.parametrize("env", [Environment.DEV, Environment.TEST])
async def test_anonymous_introspection_is_open_outside_production(
    api_in: Callable[[Environment], Any], world: World, env: Environment
) -> None:
    async with api_in(env) as api:
        assert (await api.gql(SCHEMA))["__schema"]["queryType"]["name"] == "Query"
        assert (await api.gql(TYPE))["__type"]["name"] == "Person"


async def test_a_cached_validation_does_not_open_introspection_to_anonymous_callers(
    api_in: Callable[[Environment], Any], world: World
) -> None:
    # given the schema query validated (and cached) for a signed-in viewer
    async with api_in(Environment.PROD) as api:
        registrant = await api.as_user("zhang", PASSWORD)
        assert (await registrant.gql(SCHEMA))["__schema"]["queryType"]["name"] == "Query"
        # when an anonymous caller sends the very same document
        body = (await api.post(SCHEMA)).json()
        # then it is still refused (its rules differ, so its validation is its own)
        assert _codes(body) == ["INTROSPECTION_DISABLED"]
        assert (await registrant.gql(SCHEMA))["__schema"]["queryType"]["name"] == "Query"
