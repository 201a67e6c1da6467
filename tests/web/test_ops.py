"""/healthz, /readyz, /metrics, request ids, structured logs, and the SPA."""

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from regsafe.core.logging import JsonFormatter
from regsafe.core.runtime import Runtime
from regsafe.core.storage import ObjectStore
from regsafe.web.app import create_app
from regsafe.web.metrics import register_operations
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World


async def test_healthz(api: Api) -> None:
    resp = await api.client.get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}


async def test_readyz_checks_database_migrations_and_object_store(api: Api) -> None:
    resp = await api.client.get("/readyz")
    assert resp.status_code == 200, resp.text
    assert resp.json()["checks"] == {"database": "ok", "migrations": "ok", "object_store": "ok"}


async def test_readyz_reports_an_unreachable_object_store(runtime: Runtime) -> None:
    broken = runtime.settings.model_copy(update={"s3_endpoint": "127.0.0.1:1"})
    rt = Runtime(broken, runtime.db, runtime.cipher, ObjectStore.from_settings(broken))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(rt)), base_url="http://t"
    ) as c:
        resp = await c.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["object_store"] == "unreachable"


async def test_metrics_count_operations_by_name(api: Api, world: World) -> None:
    # a name the frontend does not send is labelled only once registered by code
    register_operations("MetricsProbe")
    await api.login("zhang", PASSWORD)
    await api.post("query MetricsProbe { viewer { user { id } } }")
    text = (await api.client.get("/metrics")).text
    assert (
        'regsafe_graphql_operations_total{operation="MetricsProbe",outcome="ok",type="query"}'
        in text
    )
    assert 'regsafe_graphql_operation_seconds_bucket{le="0.005",operation="MetricsProbe"' in text
    assert 'regsafe_db_pool_connections{state="checked_out"}' in text
    assert 'regsafe_http_requests_total{route="/graphql",status="200"}' in text


async def test_request_id_is_echoed_or_generated(api: Api) -> None:
    given = await api.client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert given.headers["x-request-id"] == "abcdef123456"
    fresh = await api.client.get("/healthz", headers={"X-Request-ID": "bad id\n"})
    assert len(fresh.headers["x-request-id"]) == 16


async def test_logs_are_json_with_request_id_and_without_personal_data(
    api: Api, world: World, login_as: Any, caplog: pytest.LogCaptureFixture
) -> None:
    admin = await login_as("admin")
    id_number = "11010519491231002X"
    with caplog.at_level(logging.INFO):
        await admin.post(
            """mutation($i: String!) { personCreate(input: {name: "日志测试", idNumber: $i,
               regionCode: "110105"}) { errors { code } } }""",
            {"i": id_number},
            headers={"X-Request-ID": "log-test-0001"},
        )
    lines = [JsonFormatter().format(r) for r in caplog.records]
    access = [json.loads(line) for line in lines if '"http request"' in line]
    assert access and access[-1]["request_id"] == "log-test-0001"
    assert access[-1]["status"] == 200 and access[-1]["path"] == "/graphql"
    assert access[-1]["operation"] == "anonymous"  # the mutation had no name
    assert not any(id_number in line or "日志测试" in line for line in lines)


async def test_spa_is_served_with_client_side_routes(runtime: Runtime, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>RegSafe SPA</html>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    rt = Runtime(
        runtime.settings.model_copy(update={"spa_dir": tmp_path}),
        runtime.db,
        runtime.cipher,
        runtime.store,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(rt)), base_url="http://t"
    ) as c:
        assert "RegSafe SPA" in (await c.get("/")).text
        assert "RegSafe SPA" in (await c.get("/verify/RS2026440001")).text
        assert (await c.get("/assets/app.js")).text == "console.log(1)"
        assert (await c.get("/../../etc/passwd")).status_code in (200, 404)
        assert "root:" not in (await c.get("/..%2f..%2fetc/passwd")).text
