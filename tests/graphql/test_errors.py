"""Unexpected failures are masked with the request id; expected ones are data."""

import logging
from typing import Any

import pytest

from regsafe.identity import service
from tests.plugins.api import Api
from tests.plugins.identity import World


async def test_a_bug_is_logged_and_masked_with_the_request_id(
    api: Api,
    world: World,
    login_as: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    admin = await login_as("admin")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals: /etc/passwd")

    monkeypatch.setattr(service, "person_query", broken)
    with caplog.at_level(logging.ERROR, logger="regsafe.graphql"):
        resp = await admin.post(
            "{ persons(first: 1) { totalCount } }", headers={"X-Request-ID": "req-test-12345"}
        )
    body = resp.json()
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-test-12345"}
    assert "req-test-12345" in error["message"]
    assert "secret internals" not in resp.text and "Traceback" not in resp.text
    assert resp.headers["x-request-id"] == "req-test-12345"
    logged = [r for r in caplog.records if r.name == "regsafe.graphql"]
    assert logged and logged[0].exc_info is not None


async def test_invalid_json_and_unknown_fields_are_client_errors(api: Api) -> None:
    resp = await api.client.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400
    body = (await api.post("{ nosuchfield }")).json()
    assert "nosuchfield" in body["errors"][0]["message"]


async def test_oversized_request_body_is_refused(api: Api) -> None:
    resp = await api.client.post(
        "/graphql",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert resp.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
