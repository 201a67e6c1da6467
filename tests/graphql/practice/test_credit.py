"""Credit over HTTP: events entered with authority by reviewers, disputes by the person
concerned decided by another reviewer, the blacklist with its policy periods, and the
explainable score (every contribution traces to a record, evaluation, event or
registration)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import text
from strawberry import relay

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime
from regsafe.practice import credit, service
from regsafe.practice.rules import BlacklistPolicy
from regsafe.registration.rules import CheckResult
from tests.graphql.identity.helpers import Login
from tests.graphql.registration.conftest import png
from tests.plugins.api import SLOT, upload
from tests.plugins.identity import World

from .conftest import (
    CREATE,
    DECIDE,
    DISPUTE,
    ENTER,
    EVALUATE,
    GOOD_SCORES,
    SCORE,
    SUBMIT,
    Registered,
    codes,
    count,
    record_input,
)

LIST = """mutation($input: BlacklistEntryInput!) { blacklistEntryCreate(input: $input) {
  entry { id listedOn expiresOn removalOpensOn current } errors { field code message } } }"""
REMOVAL = """mutation($id: ID!, $n: String!) { blacklistRemovalRequest(id: $id, note: $n) {
  entry { id removalRequestedAt } errors { field code message } } }"""
REMOVE = """mutation($id: ID!, $r: String!) { blacklistEntryRemove(id: $id, reason: $r) {
  entry { id current removedAt } errors { field code message } } }"""


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def event_input(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "personId": gid("Person", world.pid("zhang")),
        "kind": "ADMINISTRATIVE_PENALTY",
        "source": "深应急罚〔2026〕12号",
        "authority": "深圳市应急管理局",
        "occurredOn": (today_shanghai() - timedelta(days=100)).isoformat(),
        "description": "未按规定开展隐患排查",
    }
    data.update(overrides)
    return data


async def _jobs(runtime: Runtime) -> list[int]:
    async with runtime.db.session() as s:
        rows = (
            await s.exec(  # type: ignore[call-overload]
                text(
                    "SELECT args FROM procrastinate_jobs"
                    " WHERE task_name = 'practice.recompute_credit' ORDER BY id"
                )
            )
        ).all()
    return [r[0]["person_id"] for r in rows]


async def _recompute(runtime: Runtime, person_id: int) -> None:
    async with runtime.db.session() as s:
        await credit.recompute_person(s, person_id, settings=runtime.settings, now=utcnow())
        await s.commit()


async def test_events_need_authority_and_disputes_are_the_person_concerned(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    gd = await login_as("gd_reviewer")
    no_authority = (await gd.gql(ENTER, {"input": event_input(world, authority="  ")}))[
        "creditEventEnter"
    ]
    assert codes(no_authority) == ["AUTHORITY_REQUIRED"] and no_authority["event"] is None
    no_source = (await gd.gql(ENTER, {"input": event_input(world, source="")}))["creditEventEnter"]
    assert codes(no_source) == ["SOURCE_REQUIRED"]
    assert await count(runtime, "credit_event") == 0 and await _jobs(runtime) == []
    zhang = await login_as("zhang")
    forbidden = await zhang.errors(ENTER, {"input": event_input(world)})
    assert forbidden[0]["extensions"]["code"] == "FORBIDDEN"
    # Beijing's reviewer has no authority over a Guangdong engineer
    bj = await login_as("bj_reviewer")
    outside = (await bj.gql(ENTER, {"input": event_input(world)}))["creditEventEnter"]
    assert codes(outside) == ["NOT_FOUND"]

    entered = (await gd.gql(ENTER, {"input": event_input(world)}))["creditEventEnter"]
    assert entered["errors"] == []
    event = entered["event"]
    assert (
        event["enteredRole"] == "PROVINCIAL_REVIEWER" and event["authority"] == "深圳市应急管理局"
    )
    await _recompute(runtime, world.pid("zhang"))
    before = (await zhang.gql(SCORE))["creditScore"]
    assert any(c["source"]["id"] == event["id"] for c in before["contributions"])

    # someone else cannot dispute 张伟's event; he can, once
    zhao = await login_as("zhao")
    others = (await zhao.gql(DISPUTE, {"e": event["id"], "r": "不是我的"}))["creditDisputeOpen"]
    assert codes(others) == ["NOT_FOUND"]
    assert await count(runtime, "credit_dispute") == 0
    opened = (await zhang.gql(DISPUTE, {"e": event["id"], "r": "已整改并获撤销决定"}))[
        "creditDisputeOpen"
    ]
    assert opened["errors"] == [] and opened["dispute"]["status"] == "OPEN"
    again = (await zhang.gql(DISPUTE, {"e": event["id"], "r": "再次"}))["creditDisputeOpen"]
    assert codes(again) == ["DISPUTE_OPEN"]

    # the entrant does not decide; their queue does not even show it
    queue = """{ creditDisputes(first: 10, filter: {status: OPEN}) { totalCount } }"""
    assert (await gd.gql(queue))["creditDisputes"]["totalCount"] == 0
    same = (await gd.gql(DECIDE, {"d": opened["dispute"]["id"], "u": True, "n": "成立"}))[
        "creditDisputeDecide"
    ]
    assert codes(same) == ["SAME_REVIEWER"]
    ministry = await login_as("ministry")
    assert (await ministry.gql(queue))["creditDisputes"]["totalCount"] == 1
    upheld = (
        await ministry.gql(DECIDE, {"d": opened["dispute"]["id"], "u": True, "n": "处罚已撤销"})
    )["creditDisputeDecide"]
    assert upheld["dispute"]["status"] == "UPHELD"
    assert await _jobs(runtime) == [world.pid("zhang")] * 2
    twice = (await ministry.gql(DECIDE, {"d": opened["dispute"]["id"], "u": False, "n": "改"}))[
        "creditDisputeDecide"
    ]
    assert codes(twice) == ["ALREADY_DECIDED"]
    await _recompute(runtime, world.pid("zhang"))
    after = (await zhang.gql(SCORE))["creditScore"]
    assert not any(c["source"]["id"] == event["id"] for c in after["contributions"])
    assert after["value"] > before["value"]
    history = await zhang.gql("{ creditScoreHistory { value } }")
    assert [h["value"] for h in history["creditScoreHistory"]] == [after["value"], before["value"]]


async def test_score_is_explained_by_its_sources(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    zhang = await login_as("zhang")
    record = (await zhang.gql(CREATE, {"input": record_input()}))["practiceRecordCreate"]["record"]
    await zhang.gql(SUBMIT, {"id": record["id"], "v": record["version"]})
    admin = await login_as("chem_admin")
    evaluated = (await admin.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": "好"}))[
        "evaluationSubmit"
    ]
    gd = await login_as("gd_reviewer")
    award = (await gd.gql(ENTER, {"input": event_input(world, kind="COMMENDATION")}))[
        "creditEventEnter"
    ]["event"]
    await _recompute(runtime, world.pid("zhang"))
    score = (await zhang.gql(SCORE))["creditScore"]
    by_factor = {c["factor"]: c for c in score["contributions"]}
    assert by_factor["BASE"]["source"] == {"kind": "BASE", "id": None, "description": "基础分"}
    assert by_factor["EVALUATION"]["source"]["id"] == evaluated["evaluation"]["id"]
    assert by_factor["EVALUATION"]["source"]["kind"] == "EVALUATION"
    assert by_factor["ACTIVITY"]["source"] == {
        "kind": "PRACTICE_RECORD",
        "id": record["id"],
        "description": "近三年第1项已确认执业记录",
    }
    assert by_factor["EVENT"]["source"]["id"] == award["id"]
    assert by_factor["EDUCATION"]["source"]["id"] == gid("Registration", registered.zhang)
    assert math.isclose(
        sum(c["points"] for c in score["contributions"]), score["value"], abs_tol=0.6
    )
    assert score["modelVersion"] == "credit-v1" and score["grade"] in "ABCD"
    assert score["provincialColour"] == {"A": "蓝", "B": "黄", "C": "橙", "D": "红"}[score["grade"]]
    # the evaluation's source resolves to the evaluation itself
    node = await zhang.gql(
        "query($id: ID!) { node(id: $id) { ... on Evaluation { versionNo quality } } }",
        {"id": by_factor["EVALUATION"]["source"]["id"]},
    )
    assert node["node"] == {"versionNo": 1, "quality": 5}
    # another engineer cannot read it; a reviewer in scope can
    zhao = await login_as("zhao")
    assert (await zhao.gql(SCORE, {"p": gid("Person", world.pid("zhang"))}))["creditScore"] is None
    seen = (await gd.gql(SCORE, {"p": gid("Person", world.pid("zhang"))}))["creditScore"]
    assert seen["value"] == score["value"]


async def test_blacklist_periods_and_the_registration_check(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    gd = await login_as("gd_reviewer")
    today = today_shanghai()
    listing = {
        "personId": gid("Person", world.pid("zhang")),
        "grounds": "出借注册证书（挂证）",
        "decisionRef": "粤应急信〔2026〕3号",
        "authority": "广东省应急管理厅",
        "listedOn": (today - timedelta(days=30)).isoformat(),
    }
    no_authority = (await gd.gql(LIST, {"input": {**listing, "authority": ""}}))[
        "blacklistEntryCreate"
    ]
    assert codes(no_authority) == ["AUTHORITY_REQUIRED"]
    made = (await gd.gql(LIST, {"input": listing}))["blacklistEntryCreate"]
    assert made["errors"] == []
    entry = made["entry"]
    policy = BlacklistPolicy()
    listed = today - timedelta(days=30)
    assert entry["expiresOn"] == policy.expires_on(listed).isoformat()
    assert entry["removalOpensOn"] == policy.removal_opens_on(listed).isoformat()
    assert entry["current"] is True
    twice = (await gd.gql(LIST, {"input": listing}))["blacklistEntryCreate"]
    assert codes(twice) == ["ALREADY_LISTED"]

    check = service.BlacklistEligibility()
    async with runtime.db.session() as s:
        listed_check = await check.blacklist_check(s, person_id=world.pid("zhang"), today=today)
        clear = await check.blacklist_check(s, person_id=world.pid("li"), today=today)
    assert listed_check.result == CheckResult.FAIL and listed_check.code == "BLACKLIST"
    assert clear.result == CheckResult.PASS

    zhang = await login_as("zhang")
    early = (await zhang.gql(REMOVAL, {"id": entry["id"], "n": "已整改"}))[
        "blacklistRemovalRequest"
    ]
    assert codes(early) == ["REMOVAL_TOO_EARLY"]
    zhao = await login_as("zhao")
    others = (await zhao.gql(REMOVAL, {"id": entry["id"], "n": "x"}))["blacklistRemovalRequest"]
    assert codes(others) == ["NOT_FOUND"]
    removed = (await gd.gql(REMOVE, {"id": entry["id"], "r": "复议撤销"}))["blacklistEntryRemove"]
    assert removed["entry"]["current"] is False
    async with runtime.db.session() as s:
        after = await check.blacklist_check(s, person_id=world.pid("zhang"), today=today)
    assert after.result == CheckResult.PASS


async def test_removal_may_be_requested_after_twelve_months(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    admin = await login_as("admin")
    listed = today_shanghai() - timedelta(days=400)
    made = (
        await admin.gql(
            LIST,
            {
                "input": {
                    "personId": gid("Person", world.pid("zhang")),
                    "grounds": "出具虚假报告",
                    "decisionRef": "应急信〔2025〕1号",
                    "authority": "应急管理部",
                    "listedOn": listed.isoformat(),
                }
            },
        )
    )["blacklistEntryCreate"]
    zhang = await login_as("zhang")
    asked = (await zhang.gql(REMOVAL, {"id": made["entry"]["id"], "n": "已完成信用修复"}))[
        "blacklistRemovalRequest"
    ]
    assert asked["errors"] == [] and asked["entry"]["removalRequestedAt"]
    pending = await admin.gql(
        "{ blacklist(first: 5, filter: {removalRequested: true, current: true}) { totalCount } }"
    )
    assert pending["blacklist"]["totalCount"] == 1


CREDIT_UPLOAD = (
    """mutation($s: Int!, $t: String!) {
  creditEvidenceUploadRequest(size: $s, contentType: $t) { upload { """
    + SLOT
    + """ } errors { field code message } } }"""
)
ENTER_WITH_EVIDENCE = """mutation($input: CreditEventInput!) { creditEventEnter(input: $input) {
  event { id evidenceUrl evidenceMediaType } errors { field code message } } }"""
MY_EVENTS = """query { creditEvents(first: 10) { edges { node { id evidenceUrl } } } }"""


async def test_event_evidence_is_checked_stored_and_shown(
    login_as: Login, world: World, runtime: Runtime, registered: Registered
) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    reviewer = await login_as("gd_reviewer")
    image = png()
    ticket = (await reviewer.gql(CREDIT_UPLOAD, {"s": len(image), "t": "image/png"}))[
        "creditEvidenceUploadRequest"
    ]
    slot = ticket["upload"]
    # not yet confirmed: no evidence to name
    early = await reviewer.gql(
        ENTER_WITH_EVIDENCE, {"input": event_input(world, evidenceUploadId=slot["id"])}
    )
    assert codes(early["creditEventEnter"]) == ["UPLOAD_MISSING"]
    confirmed = await upload(reviewer, slot, image)
    assert confirmed["errors"] == [] and confirmed["target"] is None
    assert confirmed["upload"]["status"] == "CONFIRMED"

    # someone else's slot is refused as if it did not exist
    ministry = await login_as("ministry")
    other = await ministry.gql(
        ENTER_WITH_EVIDENCE, {"input": event_input(world, evidenceUploadId=slot["id"])}
    )
    assert codes(other["creditEventEnter"]) == ["UPLOAD_MISSING"]
    before = await count(runtime, "credit_event")

    made = (
        await reviewer.gql(
            ENTER_WITH_EVIDENCE, {"input": event_input(world, evidenceUploadId=slot["id"])}
        )
    )["creditEventEnter"]
    assert made["errors"] == [] and made["event"]["evidenceMediaType"] == "image/png"
    assert await count(runtime, "credit_event") == before + 1
    # one event per piece of evidence
    twice = await reviewer.gql(
        ENTER_WITH_EVIDENCE, {"input": event_input(world, evidenceUploadId=slot["id"])}
    )
    assert codes(twice["creditEventEnter"]) == ["UPLOAD_ALREADY_USED"]
    assert await count(runtime, "credit_event") == before + 1
    async with httpx.AsyncClient() as s3:
        assert (await s3.get(made["event"]["evidenceUrl"])).content == image
        # the person concerned sees the same evidence
        zhang = await login_as("zhang")
        mine = (await zhang.gql(MY_EVENTS))["creditEvents"]["edges"]
        urls = [e["node"]["evidenceUrl"] for e in mine if e["node"]["id"] == made["event"]["id"]]
        assert len(urls) == 1 and (await s3.get(urls[0])).content == image
