"""A failed operation is logged by name, document hash and error codes: never the query
text or the variables, where clients write ID numbers and names."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import pytest

from regsafe.core.logging import JsonFormatter
from tests.plugins.api import Api
from tests.plugins.identity import World

ID_NUMBER = "11010519491231002X"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [JsonFormatter().format(r) for r in caplog.records]


async def test_a_failed_operation_logs_its_name_and_hash_never_its_literals(
    api: Api, world: World, login_as: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # given an admin, and an operation with an ID number written inline that fails
    # validation (an unknown field) so that the error points at the document
    admin = await login_as("admin")
    query = (
        'query FindByNumber { persons(filter: {idNumber: "%s"}) { totalCount nosuch } }' % ID_NUMBER
    )

    # when it runs
    with caplog.at_level(logging.INFO):
        resp = await admin.post(query, {"extra": ID_NUMBER})
    assert resp.json()["errors"]

    # then the log holds the operation name, the document's SHA-256 and the codes …
    lines = _lines(caplog)
    failed = [json.loads(line) for line in lines if '"graphql operation failed"' in line]
    assert len(failed) == 1, lines
    assert failed[0]["operation"] == "FindByNumber"
    assert failed[0]["document_sha256"] == hashlib.sha256(query.encode()).hexdigest()
    assert failed[0]["error_codes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert failed[0]["request_id"]
    # … and nothing anywhere in it holds the literal or the query text
    assert not any(ID_NUMBER in line or "nosuch" in line for line in lines), lines


async def test_a_client_chosen_operation_name_is_logged_only_when_it_is_a_name(
    api: Api, world: World, login_as: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # given an operationName that is free text holding an ID number
    admin = await login_as("admin")
    query = "query Q { persons(first: 1) { totalCount } }"

    # when it is sent (it names no operation of the document, so the operation fails)
    with caplog.at_level(logging.INFO):
        resp = await admin.client.post(
            "/graphql",
            json={"query": query, "operationName": f"号码 {ID_NUMBER}"},
            headers={"Authorization": f"Bearer {admin.token}"},
        )
    assert resp.status_code in (200, 400) and resp.json()["errors"]

    # then the log names it "invalid" and the text is nowhere in it
    lines = _lines(caplog)
    logged = [json.loads(line) for line in lines if '"operation"' in line]
    assert logged and all(r["operation"] == "invalid" for r in logged), lines
    assert not any(ID_NUMBER in line for line in lines), lines


def test_the_formatter_writes_only_plain_values() -> None:
    # given a record whose message and extras are objects that print a literal
    class Leaky:
        def __str__(self) -> str:
            return ID_NUMBER

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "looked up %s", (Leaky(),), None)
    record.context = Leaky()
    record.variables = {"idNumber": ID_NUMBER}
    record.path = ["persons", 0, "name"]
    record.count = 3
    bare = logging.LogRecord("t", logging.ERROR, __file__, 1, Leaky(), (), None)  # type: ignore[arg-type]

    # when they are formatted
    line, bare_line = JsonFormatter().format(record), JsonFormatter().format(bare)

    # then objects are named by type, plain values kept, and the literal is nowhere
    out = json.loads(line)
    assert out["event"] == "looked up <Leaky>"
    assert out["context"] == "<Leaky>" and out["variables"] == "<dict>"
    assert out["path"] == ["persons", 0, "name"] and out["count"] == 3
    assert json.loads(bare_line)["event"] == "<Leaky>"
    assert ID_NUMBER not in line and ID_NUMBER not in bare_line
