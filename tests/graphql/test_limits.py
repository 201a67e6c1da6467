"""Validation limits reject expensive operations before any resolver runs."""

from typing import Any

from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World


def _codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", e["message"]) for e in body.get("errors", [])]


async def test_too_deep_query_is_rejected(api: Api, world: World, login_as: Any) -> None:
    admin = await login_as("admin")
    nest = "employments { person { " * 6 + "name" + " } }" * 6
    resp = await admin.post("{ persons(first: 1) { edges { node { %s } } } }" % nest)
    body = resp.json()
    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_rejected(api: Api, world: World) -> None:
    aliases = " ".join(f"a{i}: viewer {{ user {{ id }} }}" for i in range(30))
    body = (await api.post("{ %s }" % aliases)).json()
    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_too_many_tokens_are_rejected(api: Api, world: World) -> None:
    fields = " ".join(["__typename"] * 3000)
    body = (await api.post("{ %s }" % fields)).json()
    assert body.get("data") is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_too_costly_query_is_rejected_with_a_clear_error(api: Api, world: World) -> None:
    page = """persons(first: 100) { edges { node {
        employments { employer { name creditCode regionCode kind industry employeeCount
          version creditCodeChecksumValid } startDate endDate socialInsurance isCurrent
          person { name gender birthDate regionCode idNumberMasked education specialty } }
        name gender birthDate } } }"""
    query = "{ a: %s b: %s }" % (page, page)
    body = (await api.post(query)).json()
    assert body.get("data") is None
    assert _codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] > body["errors"][0]["extensions"]["maxCost"]
    assert "查询代价" in body["errors"][0]["message"]


async def test_cost_counts_variables_at_the_maximum_page(api: Api, world: World) -> None:
    cheap = "query($n: Int) { persons(first: $n) { edges { node { name } } } }"
    body = (await api.post(cheap, {"n": 5})).json()
    assert "QUERY_TOO_COSTLY" not in _codes(body)  # 1 + 100 * 3 is under the limit


async def test_introspection_is_allowed(api: Api) -> None:
    data = await api.gql("{ __schema { queryType { name } } }")
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_graphiql_is_off_outside_dev(api: Api) -> None:
    resp = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in resp.text.lower()


async def test_graphiql_is_served_in_dev(runtime: Any) -> None:
    import httpx

    from regsafe.core.runtime import Runtime
    from regsafe.core.settings import Environment
    from regsafe.web.app import create_app

    dev = Runtime(
        runtime.settings.model_copy(update={"env": Environment.DEV}),
        runtime.db,
        runtime.cipher,
        runtime.store,
    )
    transport = httpx.ASGITransport(app=create_app(dev))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        resp = await c.get("/graphql", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    assert "graphiql" in resp.text.lower()


async def test_mutations_are_refused_over_get(api: Api) -> None:
    resp = await api.client.get(
        "/graphql", params={"query": 'mutation { tokenRevoke(refreshToken: "x") { revoked } }'}
    )
    assert resp.status_code in (400, 405)


async def test_node_ids_that_cannot_be_keys_resolve_to_null(api: Api, world: World) -> None:
    from strawberry.relay import to_base64

    admin = await api.as_user("admin", PASSWORD)
    ids = [to_base64("Person", 2**70), to_base64("Person", "abc"), to_base64("User", -5)]
    data = await admin.gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert data["nodes"] == [None, None, None]


# --- documents are parsed and validated once (issue 20), the limits still hold ---------


def _validate_cache() -> Any:
    from strawberry.extensions.validation_cache import _get_validate_cache

    from regsafe.graphql.schema import DOCUMENT_CACHE_SIZE

    return _get_validate_cache(DOCUMENT_CACHE_SIZE)


async def test_the_same_document_is_parsed_and_validated_once(
    api: Api, world: World, login_as: Any
) -> None:
    from regsafe.graphql.core.limits import _parse_cached

    # given a reviewer and a document never sent before (a unique alias)
    reviewer = await login_as("gd_reviewer")
    query = "query Once { fresh%d: persons(first: 2) { totalCount } }" % id(object())
    parsed, validated = _parse_cached.cache_info(), _validate_cache().cache_info()
    # when it is sent three times, by two viewers
    admin = await login_as("admin")
    for client in (reviewer, reviewer, admin):
        data = await client.gql(query)
        assert isinstance(next(iter(data.values()))["totalCount"], int)
    # then it was parsed once and validated once (every later request hit the caches)
    assert _parse_cached.cache_info().misses == parsed.misses + 1
    assert _validate_cache().cache_info().misses == validated.misses + 1
    assert _validate_cache().cache_info().hits >= validated.hits + 2


async def test_a_refused_document_stays_refused_when_sent_again(api: Api, world: World) -> None:
    # the depth, alias and cost limits are validation rules: their verdict is cached too
    aliases = " ".join(f"a{i}: viewer {{ user {{ id }} }}" for i in range(30))
    nest = "employments { person { " * 6 + "name" + " } }" * 6
    deep = "{ persons(first: 1) { edges { node { %s } } } }" % nest
    for query in ("{ %s }" % aliases, deep):
        first, second = [(await api.post(query)).json() for _ in range(2)]
        assert first.get("data") is None and second.get("data") is None
        assert first["errors"][0]["message"] == second["errors"][0]["message"]


async def test_long_documents_are_parsed_every_time(api: Api, world: World) -> None:
    from regsafe.graphql.core.limits import CACHED_DOCUMENT_CHARS, _parse_cached

    # a document longer than the cache takes (padded with a comment) still works
    query = "{ __typename }\n#" + "x" * CACHED_DOCUMENT_CHARS
    before = _parse_cached.cache_info()
    for _ in range(2):
        assert (await api.gql(query)) == {"__typename": "Query"}
    after = _parse_cached.cache_info()
    assert (after.hits, after.misses, after.currsize) == (
        before.hits,
        before.misses,
        before.currsize,
    )
