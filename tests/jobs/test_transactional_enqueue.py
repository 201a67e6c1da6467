"""A job is enqueued in the same transaction as its data and run by the real worker."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import psycopg
import pytest

from regsafe.core.runtime import Runtime, set_runtime
from regsafe.jobs.app import configured_app
from regsafe.web.app import create_app
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, make_id_number

CREATE = """mutation($i: String!) { personCreate(input: {name: "任务测试", idNumber: $i,
  regionCode: "440305"}) { person { id identityStatus } errors { code } } }"""


@pytest.fixture(scope="module")
async def committed(committed_runtime: Callable[..., Awaitable[Runtime]]) -> Runtime:
    return await committed_runtime("jobs")


def _jobs(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT task_name, args, status FROM procrastinate_jobs ORDER BY id"
        ).fetchall()


async def test_job_commits_with_the_person_and_the_worker_runs_it(committed: Runtime) -> None:
    set_runtime(committed)
    url = committed.settings.database_url
    assert url
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(committed)), base_url="http://t"
    ) as c:
        admin = await Api(c).as_user("admin", PASSWORD)
        idn = make_id_number("440305", __import__("datetime").date(1988, 8, 8), 321)
        created = (await admin.gql(CREATE, {"i": idn}))["personCreate"]
        assert created["errors"] == [] and created["person"]["identityStatus"] == "PENDING"
        jobs = _jobs(url)
        assert len(jobs) == 1
        assert jobs[0][0] == "identity.verify_person" and jobs[0][2] == "todo"
        person_pk = jobs[0][1]["person_id"]

        # a failing mutation (duplicate) rolls back its job together with its data
        dup = (await admin.gql(CREATE, {"i": idn}))["personCreate"]
        assert dup["errors"] == [{"code": "DUPLICATE_PERSON"}]
        assert len(_jobs(url)) == 1

        # the real worker picks the job up and records the verification
        app = configured_app(url)
        async with app.open_async():
            await app.run_worker_async(wait=False, install_signal_handlers=False)
        assert _jobs(url)[0][2] == "succeeded"
        node = await admin.gql(
            "query($id: ID!) { node(id: $id) { ... on Person { identityStatus } } }",
            {"id": created["person"]["id"]},
        )
        assert node["node"]["identityStatus"] == "VERIFIED"
        assert person_pk > 0
    set_runtime(None)
