"""nodes(ids:) is capped and costed like a page, and a global id names one row in one
form only (issue 11, defects 7 and 18)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from strawberry.relay import to_base64

from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Person { name } } }"


def _codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", e["message"]) for e in body.get("errors", [])]


async def test_nodes_takes_at_most_max_node_ids(api: Api, world: World) -> None:
    # given an administrator (who may see every person) and the default cap of 100
    admin = await api.as_user("admin", PASSWORD)
    person = to_base64("Person", world.pid("zhang"))
    # when they ask for 100 ids, then every one is answered
    data = await admin.gql(NODES, {"ids": [person] * 100})
    assert len(data["nodes"]) == 100 and data["nodes"][0] == {"id": person}
    # when they ask for 101, then a typed error and no data, before anything is loaded
    body = (await admin.post(NODES, {"ids": [person] * 101})).json()
    assert body["data"] is None
    assert _codes(body) == ["TOO_MANY_IDS"]
    assert "100" in body["errors"][0]["message"] and "101" in body["errors"][0]["message"]


async def test_many_ids_are_refused_quickly(api: Api, world: World) -> None:
    # given the request from the probe: 45,000 ids (under the 1 MiB body limit)
    admin = await api.as_user("admin", PASSWORD)
    ids = [to_base64("Person", i) for i in range(1, 45_001)]
    started = time.perf_counter()
    resp = await admin.post(NODES, {"ids": ids})
    elapsed = time.perf_counter() - started
    # then one small typed error, not 11 MB of nulls
    assert resp.status_code == 200
    assert _codes(resp.json()) == ["TOO_MANY_IDS"]
    assert len(resp.content) < 1000
    assert elapsed < 5, elapsed


async def test_nodes_costs_per_id_like_a_connection(api: Api, world: World) -> None:
    wide = " ".join(["id"] * 60)  # 60 fields per object
    # a variable list counts at the cap: 1 + 100 × 60
    body = (
        await api.post("query($ids: [ID!]!) { nodes(ids: $ids) { %s } }" % wide, {"ids": []})
    ).json()
    assert _codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == 1 + 100 * 60
    # a literal list counts its length: 1 + 90 × 60
    literal = ", ".join(f'"{to_base64("Person", i)}"' for i in range(1, 91))
    body = (await api.post("{ nodes(ids: [%s]) { %s } }" % (literal, wide))).json()
    assert _codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == 1 + 90 * 60
    # a cheap selection over the same variable stays under the limit
    body = (await api.post(NODES, {"ids": []})).json()
    assert body == {"data": {"nodes": []}}


def _fullwidth(digits: str) -> str:
    return "".join(chr(ord(d) - ord("0") + ord("０")) for d in digits)


def _arabic_indic(digits: str) -> str:
    return "".join(chr(ord(d) - ord("0") + 0x0660) for d in digits)


NON_CANONICAL = {
    "leading space": lambda k: f" {k}",
    "trailing space": lambda k: f"{k} ",
    "trailing newline": lambda k: f"{k}\n",
    "plus sign": lambda k: f"+{k}",
    "leading zero": lambda k: f"0{k}",
    "underscore": lambda k: f"{k[0]}_{k[1:]}" if len(k) > 1 else f"0_{k}",
    "full-width digits": _fullwidth,
    "arabic-indic digits": _arabic_indic,
}


@pytest.mark.parametrize("form", sorted(NON_CANONICAL))
async def test_non_canonical_global_ids_name_nothing(api: Api, world: World, form: str) -> None:
    # given a person the administrator may see, by its canonical id
    admin = await api.as_user("admin", PASSWORD)
    key = str(world.pid("zhang"))
    canonical = to_base64("Person", key)
    assert (await admin.gql(NODE, {"id": canonical}))["node"]["id"] == canonical
    # when the same key is written in another form, then it names nothing
    other = to_base64("Person", NON_CANONICAL[form](key))
    assert (await admin.gql(NODE, {"id": other}))["node"] is None
    data = await admin.gql(NODES, {"ids": [other, canonical]})
    assert data["nodes"] == [None, {"id": canonical}]
