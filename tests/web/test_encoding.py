"""GraphQL responses encoded with orjson mean exactly what strawberry's default
``json.dumps`` encoding meant: same documents for dates, datetimes, decimal hours,
Chinese text, control characters and errors; raw UTF-8 instead of ``\\u`` escapes is
the only visible difference; what orjson refuses falls back to ``json``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import orjson
from strawberry.http.base import BaseView

from graphql import GraphQLFloat
from regsafe.core.runtime import Runtime
from regsafe.web.app import GraphQLApp
from regsafe.web.encoding import encode_json
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World


def _stock(data: object) -> bytes:
    """strawberry's own encoding (what responses were before)."""
    encoded = BaseView.encode_json(None, data)  # type: ignore[arg-type]
    return encoded.encode() if isinstance(encoded, str) else encoded


class StockGraphQLApp(GraphQLApp):
    def encode_json(self, data: object) -> bytes:
        return _stock(data)


def test_the_same_documents_as_json_dumps() -> None:
    # given a response as graphql-core hands it over: scalars already serialised
    # (Decimal hours through the Float scalar, datetimes as ISO strings), errors as dicts
    hours = [GraphQLFloat.serialize(Decimal(v)) for v in ("12.5", "0.1", "48", "1E+16", "1E-7")]
    data: dict[str, Any] = {
        "data": {
            "person": {
                "name": "张伟 😀",
                "note": 'quote " backslash \\ tab \t nul \x00 line-sep \u2028',
                "createdAt": datetime(2026, 11, 28, 8, 30, 1, 123456).isoformat() + "+00:00",
                "birthDate": "1985-06-15",
                "hours": hours,
                "count": 2**40,
                "flags": [True, False, None],
            }
        },
        "errors": [
            {
                "message": "无权查看该人员",
                "locations": [{"line": 1, "column": 9}],
                "path": ["person", "records", 0, "hours"],
                "extensions": {"code": "FORBIDDEN", "requestId": "abc123"},
            }
        ],
    }
    # when both encoders write it
    ours, before = encode_json(data), _stock(data)
    # then both parse to the same document, with either parser
    assert orjson.loads(ours) == json.loads(before) == data
    assert json.loads(ours) == data
    assert all(isinstance(h, float) for h in hours) and hours[0] == 12.5
    # and the bytes differ only in how non-ASCII text is written
    assert "张伟 😀".encode() in ours and b"\\u5f20\\u4f1f" in before
    assert ours != before


def test_what_orjson_refuses_falls_back_to_json() -> None:
    # integers past 64 bits, non-string keys and lone surrogates are json-only
    for data in ({"n": 2**70}, {1: "a"}, {"s": "\ud800"}):
        assert encode_json(data) == _stock(data)
    # and what neither can encode still fails as it did (a bug, answered 500)
    for bad in ({"d": Decimal("1.5")}, {"x": object()}):
        for encoder in (encode_json, _stock):
            try:
                encoder(bad)
            except TypeError:
                continue
            raise AssertionError(f"{encoder.__name__} encoded {bad!r}")


async def test_responses_mean_what_they_meant(runtime: Runtime, api: Api, world: World) -> None:
    # given a reviewer's token and the API with today's encoder beside strawberry's own
    token = (await api.login("gd_reviewer", PASSWORD))["token"]["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    queries = [
        # datetimes, dates, Chinese names, and an error with path and extensions
        """query Enc { persons(first: 5) { totalCount edges { node {
             name createdAt birthDate idNumberMasked gender } } }
           bogus: node(id: "not-a-global-id") { id } }""",
        # a validation error (quotes in the message, locations)
        "{ persons(first: 1) { nope } }",
    ]
    bodies: list[list[httpx.Response]] = []
    for app in (GraphQLApp(runtime), StockGraphQLApp(runtime)):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            bodies.append([await c.post("/", json={"query": q}, headers=headers) for q in queries])
    # when the same requests are answered by both
    for ours, before in zip(*bodies, strict=True):
        # then status and document are the same
        assert ours.status_code == before.status_code
        assert ours.headers["content-type"] == before.headers["content-type"]
        assert orjson.loads(ours.content) == json.loads(before.content)
    # and the encoder really changed (the Chinese names; the ASCII-only error is the same)
    assert bodies[0][0].content != bodies[1][0].content
    listed = orjson.loads(bodies[0][0].content)
    people = [e["node"] for e in listed["data"]["persons"]["edges"]]
    assert people and any(not p["name"].isascii() for p in people)
    assert all(datetime.fromisoformat(p["createdAt"]).tzinfo is not None for p in people)
    assert listed["errors"][0]["path"] == ["bogus"] and listed["errors"][0]["extensions"]["code"]
    invalid = orjson.loads(bodies[0][1].content)
    assert "nope" in invalid["errors"][0]["message"] and invalid["errors"][0]["locations"]
    # and the app `regsafe serve` builds answers with it: raw UTF-8, no \\u escapes
    resp = await api.post(queries[0], token=token)
    assert people[0]["name"].encode() in resp.content and b"\\u" not in resp.content
