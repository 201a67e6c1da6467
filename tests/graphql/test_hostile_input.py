"""Hostile transport input gets typed answers, never an internal error or a plain-text 500:
NUL and lone surrogates in strings, bodies that are not UTF-8 or not JSON or nested
100,000 deep, and a database that cannot be reached."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from regsafe.certificates.numbers import format_number
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Specialty
from regsafe.web.app import create_app
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

TOKEN_CREATE = """mutation($u: String!, $p: String!) { tokenCreate(username: $u, password: $p) {
    token { accessToken } errors { field code message } } }"""


async def _post_raw(api: Api, body: bytes, token: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await api.client.post("/graphql", content=body, headers=headers)


def _codes(resp: httpx.Response) -> list[str]:
    assert resp.headers["content-type"].startswith("application/json"), resp.text[:200]
    body: dict[str, Any] = resp.json()
    assert body.get("errors"), body
    return [e.get("extensions", {}).get("code") for e in body["errors"]]


@pytest.mark.parametrize("bad", ["ad\x00min", "ad\ud800min", "\udfff"])
async def test_nul_and_lone_surrogates_in_variables_are_bad_user_input(
    api: Api, world: World, bad: str
) -> None:
    # given a login whose username holds a NUL or a lone surrogate (JSON-escaped, so the
    # body itself is valid UTF-8)
    body = json.dumps({"query": TOKEN_CREATE, "variables": {"u": bad, "p": PASSWORD}})

    # when it is posted
    resp = await _post_raw(api, body.encode())

    # then it is the client's error, named, with the reason
    assert resp.status_code == 200, resp.text
    assert _codes(resp) == ["BAD_USER_INPUT"]
    message = resp.json()["errors"][0]["message"]
    assert "控制字符" in message or "代理" in message, message
    assert "INTERNAL" not in resp.text


async def test_nul_in_an_inline_filter_and_in_free_text_is_bad_user_input(
    api: Api, world: World, login_as: Any
) -> None:
    # given an admin
    admin = await login_as("admin")

    # when a name filter written in the document holds an escaped NUL
    filtered = await admin.post('{ persons(filter: {namePrefix: "张\\u0000"}) { totalCount } }')
    # and when free text in a mutation's variables holds one
    created = await admin.post(
        """mutation($n: String!) { personCreate(input: {name: $n, idNumber: "11010519491231002X",
           regionCode: "110105"}) { errors { code } } }""",
        {"n": "张\x00伟"},
    )

    # then both are typed client errors
    assert _codes(filtered) == ["BAD_USER_INPUT"]
    assert _codes(created) == ["BAD_USER_INPUT"]


async def test_ordinary_strings_still_pass(api: Api, world: World) -> None:
    # given a username with tabs, CJK and an emoji (a surrogate pair in JSON), when it
    # logs in, then the answer is the ordinary typed failure
    body = json.dumps({"query": TOKEN_CREATE, "variables": {"u": "张\t😀", "p": "x"}})
    resp = await _post_raw(api, body.encode())
    assert resp.status_code == 200
    payload = resp.json()["data"]["tokenCreate"]
    assert payload["token"] is None and payload["errors"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"query": "{ __typename \xff\xfe }"}', "INVALID_ENCODING"),
        (b'{"query": "{ __typename }"', "INVALID_JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON_TOO_DEEP"),
        (
            b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 200 + b"]" * 200 + b"}}",
            "JSON_TOO_DEEP",
        ),
    ],
    ids=["invalid-utf8", "invalid-json", "100000-deep", "200-deep-variables"],
)
async def test_bodies_that_are_not_sane_json_get_a_400_graphql_error(
    api: Api, body: bytes, code: str
) -> None:
    # when such a body is posted, then a 400 JSON GraphQL error names the problem
    resp = await _post_raw(api, body)
    assert resp.status_code == 400, resp.text[:200]
    assert _codes(resp) == [code]


async def test_other_transport_refusals_are_json_too(api: Api) -> None:
    # a content type /graphql does not take
    resp = await api.client.post("/graphql", content=b"x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 400
    assert _codes(resp) == ["BAD_REQUEST"]


async def test_an_unreachable_database_is_a_json_503_with_a_retry_hint(
    api: Api, world: World, runtime: Runtime
) -> None:
    # given a valid access token, and the same app over a database nobody listens on
    token = (await api.as_user("zhang", PASSWORD)).token
    assert token
    down = runtime.settings.model_copy(
        update={"database_url": "postgresql://postgres@127.0.0.1:1/regsafe"}
    )
    rt = Runtime.from_settings(down)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(rt), raise_app_exceptions=False),
            base_url="http://t",
        ) as c:
            headers = {"Authorization": f"Bearer {token}"}
            # when an authenticated request needs its viewer (built before any resolver)
            viewer = await c.post(
                "/graphql", json={"query": "{ viewer { user { id } } }"}, headers=headers
            )
            # and when an anonymous resolver reads the database
            login = await c.post(
                "/graphql", json={"query": TOKEN_CREATE, "variables": {"u": "a", "p": "b"}}
            )
            # and when a plain JSON route needs the database
            number = format_number(2026, "44", Specialty.CHEMICAL, 1)
            bundle = await c.get(f"/verify/bundle/{number}", headers=headers)
    finally:
        await rt.db.dispose()

    # then each is a JSON 503 with Retry-After and the code
    for resp in (viewer, login, bundle):
        assert resp.status_code == 503, (resp.request.url, resp.text[:300])
        assert int(resp.headers["retry-after"]) > 0
        assert _codes(resp) == ["DATABASE_UNAVAILABLE"]
        assert "127.0.0.1" not in resp.text and "psycopg" not in resp.text
