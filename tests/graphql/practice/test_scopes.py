"""Scopes over HTTP: a ministry-queue reviewer without a province reaches nobody's
practice or credit (issue 11, defect 3); a project lead is a user of the record's
employer, never the engineer, another employer's user or an admin (defect 11)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from strawberry import relay

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.runtime import Runtime
from tests.plugins.identity import PASSWORD, World

from .conftest import CREATE, ENTER, SCORE, Registered, codes, count, record_input


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


async def _user_id(rt: Runtime, username: str) -> int:
    async with rt.db.session() as s:
        row = (
            await s.exec(  # type: ignore[call-overload]
                text("SELECT id FROM app_user WHERE username = :u").bindparams(u=username)
            )
        ).one()
        return int(row[0])


async def _mohurd(rt: Runtime) -> None:
    async with rt.db.session() as s:
        await auth_service.create_user(
            s,
            username="mohurd",
            password=PASSWORD,
            display_name="住建部初审",
            roles=[Role.PROVINCIAL_REVIEWER],
            review_scope="MOHURD",
        )
        await s.commit()


async def test_ministry_queue_reviewer_without_province_reaches_nobody(
    runtime: Runtime, world: World, registered: Registered, login_as: Any
) -> None:
    # given: a CONSTRUCTION-queue (MOHURD) preliminary reviewer with no province, and a
    # credit event on 张伟 (广东) entered by the 广东 reviewer
    await _mohurd(runtime)
    gd = await login_as("gd_reviewer")
    zhang = gid("Person", world.pid("zhang"))
    event = {
        "personId": zhang,
        "kind": "ADMINISTRATIVE_PENALTY",
        "source": "深应急罚〔2026〕12号",
        "authority": "深圳市应急管理局",
        "occurredOn": "2026-01-05",
        "description": "未按规定开展隐患排查",
    }
    entered = (await gd.gql(ENTER, {"input": event}))["creditEventEnter"]
    assert entered["errors"] == []
    mohurd = await login_as("mohurd")
    events_before = await count(runtime, "credit_event")
    blacklist_before = await count(runtime, "blacklist_entry")

    # when / then: lists are empty, the score is not visible, entering is refused
    data = await mohurd.gql(
        "{ creditEvents(first: 10) { totalCount } practiceRecords(first: 10) { totalCount } }"
    )
    assert data["creditEvents"]["totalCount"] == 0
    assert data["practiceRecords"]["totalCount"] == 0
    assert (await mohurd.gql(SCORE, {"p": zhang}))["creditScore"] is None
    node = await mohurd.gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": entered["event"]["id"]}
    )
    assert node["node"] is None
    refused = (await mohurd.gql(ENTER, {"input": event}))["creditEventEnter"]
    assert codes(refused) == ["NOT_FOUND"] and refused["event"] is None
    listed = (
        await mohurd.gql(
            """mutation($input: BlacklistEntryInput!) { blacklistEntryCreate(input: $input) {
              entry { id } errors { field code message } } }""",
            {
                "input": {
                    "personId": zhang,
                    "grounds": "严重失信",
                    "decisionRef": "应急管理部〔2026〕1号",
                    "authority": "应急管理部",
                    "listedOn": "2026-01-05",
                }
            },
        )
    )["blacklistEntryCreate"]
    assert listed["entry"] is None and listed["errors"]
    assert await count(runtime, "credit_event") == events_before
    assert await count(runtime, "blacklist_entry") == blacklist_before


async def test_project_lead_is_a_user_of_the_records_employer(
    runtime: Runtime, world: World, registered: Registered, login_as: Any
) -> None:
    # given: 张伟 (chemical company) records work
    zhang = await login_as("zhang")

    async def create(lead_username: str) -> dict[str, Any]:
        lead = gid("User", await _user_id(runtime, lead_username))
        payload: dict[str, Any] = (
            await zhang.gql(CREATE, {"input": record_input(projectLeadId=lead)})
        )["practiceRecordCreate"]
        return payload

    before = await count(runtime, "practice_record")
    # when / then: another employer's registrant, the admin, and himself are refused
    assert codes(await create("zhao")) == ["WRONG_EMPLOYER"]
    assert codes(await create("admin")) == ["WRONG_EMPLOYER"]
    assert codes(await create("zhang")) == ["SELF_EVALUATION"]
    assert await count(runtime, "practice_record") == before
    # … and a user of his own employer (李娜, its admin) is accepted
    ok = await create("li_admin")
    assert ok["errors"] == [] and ok["record"] is not None
