"""聘用邀请 over HTTP (issue 11, defect 17): an employer hires by invitation, the person
(or a reviewer of their province) confirms, and the employer's answers never tell whether
an ID number is registered or employed elsewhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import col, select, update
from strawberry.relay import from_base64

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime
from regsafe.identity.models import EmploymentInvitation
from regsafe.identity.service import ID_CONTEXT
from regsafe.web.app import create_app
from tests.graphql.identity.helpers import (
    EMPLOYER_NAMES,
    PERSON_CREATE,
    Login,
    audit_rows,
    codes,
    field_codes,
    full_id_number,
    names_of,
)
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World, make_id_number

INVITATION = """fragment Inv on EmploymentInvitation { id status startsOn socialInsurance sentOn
  expiresOn respondedAt employer { name } person { name } employment { id isCurrent } }"""
INVITE = (
    """mutation($input: EmploymentInviteInput!) { employmentInvite(input: $input) {
  invitation { ...Inv } errors { field code message } } }"""
    + INVITATION
)
ACCEPT = (
    """mutation($id: ID!) { employmentInvitationAccept(id: $id) {
  invitation { ...Inv } errors { field code message } } }"""
    + INVITATION
)
DECLINE = (
    """mutation($id: ID!) { employmentInvitationDecline(id: $id) {
  invitation { ...Inv } errors { field code message } } }"""
    + INVITATION
)
CONFIRM = (
    """mutation($id: ID!) { employmentInvitationConfirm(id: $id) {
  invitation { ...Inv } errors { field code message } } }"""
    + INVITATION
)
MINE = (
    """query($status: EmploymentInvitationStatus) { myEmploymentInvitations(status: $status,
  first: 50) { totalCount edges { node { ...Inv } } } }"""
    + INVITATION
)
LIST = (
    """query($f: EmploymentInvitationFilterInput) { employmentInvitations(filter: $f,
  first: 50) { totalCount edges { node { ...Inv } } } }"""
    + INVITATION
)
NODE = "query($id: ID!) { node(id: $id) { ... on EmploymentInvitation { id status } } }"

NEWCOMER_ID = make_id_number("440304", date(1991, 3, 3), 555)  # registered, employed nowhere
UNREGISTERED_ID = make_id_number("440303", date(1988, 8, 8), 777)  # nobody on the platform


async def add_user(runtime: Runtime, username: str, roles: list[Role], **extra: Any) -> None:
    async with runtime.db.session() as s:
        await auth_service.create_user(
            s, username=username, password=PASSWORD, display_name=username, roles=roles, **extra
        )
        await s.commit()


@pytest.fixture
async def newcomer(world: World, login_as: Login, runtime: Runtime) -> str:
    """孙磊 of Shenzhen: registered by the Guangdong reviewer, employed nowhere, and able
    to sign in as `sun`."""
    reviewer = await login_as("gd_reviewer")
    payload = (
        await reviewer.gql(
            PERSON_CREATE,
            {"input": {"name": "孙磊", "idNumber": NEWCOMER_ID, "regionCode": "440304"}},
        )
    )["personCreate"]
    assert payload["errors"] == []
    person_id: str = payload["person"]["id"]
    await add_user(runtime, "sun", [Role.REGISTRANT], person_id=int(from_base64(person_id)[1]))
    return person_id


async def invite(api: Api, id_number: str, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (
        await api.gql(
            INVITE,
            {"input": {"idNumber": id_number, "startsOn": "2026-01-01", **fields}},
        )
    )["employmentInvite"]
    return payload


async def answer(api: Api, doc: str, invitation_id: str) -> dict[str, Any]:
    data = await api.gql(doc, {"id": invitation_id})
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


async def rows(runtime: Runtime) -> list[EmploymentInvitation]:
    async with runtime.db.session() as s:
        stmt = select(EmploymentInvitation).order_by(col(EmploymentInvitation.id))
        return list((await s.exec(stmt)).all())


# --- the employer's answer ---------------------------------------------------------------


async def test_the_answer_is_the_same_whoever_holds_the_number(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given the chemical employer's admin, and three ID numbers: a registered person who
    # works nowhere, a number nobody registered, and 王芳, employed by the agency
    chem_admin = await login_as("chem_admin")
    numbers = [NEWCOMER_ID, UNREGISTERED_ID, full_id_number(runtime, world, "wang")]

    # when the admin invites each of them, the whole invitation asked for
    answers = []
    for number in numbers:
        resp = await chem_admin.post(
            INVITE, {"input": {"idNumber": number, "startsOn": "2026-01-01"}}
        )
        assert resp.status_code == 200
        answers.append(resp)

    # then the three answers are byte for byte the same apart from the handle
    handles = [r.json()["data"]["employmentInvite"]["invitation"]["id"] for r in answers]
    assert len(set(handles)) == 3
    pairs = zip(answers, handles, strict=True)
    bodies = {r.content.replace(h.encode(), b"HANDLE") for r, h in pairs}
    assert len(bodies) == 1, bodies
    first = answers[0].json()["data"]["employmentInvite"]
    assert first["errors"] == []
    assert first["invitation"]["status"] == "PENDING"
    assert first["invitation"]["person"] is None and first["invitation"]["employment"] is None
    expires_on = today_shanghai() + timedelta(days=runtime.settings.employment_invitation_days)
    assert first["invitation"]["expiresOn"] == expires_on.isoformat()

    # and one row per request, holding the number's blind index and never the number
    stored = await rows(runtime)
    assert len(stored) == 3
    for row, number in zip(stored, numbers, strict=True):
        assert row.id_number_index == runtime.cipher.blind_index(number, context=ID_CONTEXT)
        dump = repr(row.model_dump())
        assert number not in dump and number[6:14] not in dump
    assert [r.person_id is None for r in stored] == [False, True, False]

    # and a repeat of an open invitation answers the same again, with the same handle
    again = await chem_admin.post(
        INVITE, {"input": {"idNumber": numbers[2], "startsOn": "2026-01-01"}}
    )
    assert again.content == answers[2].content
    assert len(await rows(runtime)) == 3

    # and the employer's list shows all three PENDING, with no person among them
    listed = (await chem_admin.gql(LIST))["employmentInvitations"]
    assert listed["totalCount"] == 3
    assert {(e["node"]["status"], e["node"]["person"]) for e in listed["edges"]} == {
        ("PENDING", None)
    }


async def test_a_malformed_number_is_refused_for_its_form_only(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    chem_admin = await login_as("chem_admin")
    bad = await invite(chem_admin, NEWCOMER_ID[:17] + ("1" if NEWCOMER_ID[17] != "1" else "2"))
    assert field_codes(bad) == [("idNumber", "ID_NUMBER_CHECKSUM")]
    tomorrow = (today_shanghai() + timedelta(days=1)).isoformat()
    future = await invite(chem_admin, UNREGISTERED_ID, startsOn=tomorrow)
    assert field_codes(future) == [("startsOn", "EMPLOYMENT_DATES")]
    assert await rows(runtime) == []


# --- the person answers ------------------------------------------------------------------


async def test_the_person_accepts_and_the_employment_starts(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given an invitation from the chemical employer to the newcomer
    chem_admin = await login_as("chem_admin")
    sent = await invite(chem_admin, NEWCOMER_ID, socialInsurance=False)
    handle = sent["invitation"]["id"]

    # when the newcomer looks at their invitations and accepts it
    sun = await login_as("sun")
    mine = (await sun.gql(MINE, {"status": "PENDING"}))["myEmploymentInvitations"]
    assert [e["node"]["id"] for e in mine["edges"]] == [handle]
    assert mine["edges"][0]["node"]["employer"] == {"name": EMPLOYER_NAMES["chem"]}
    assert mine["edges"][0]["node"]["person"] == {"name": "孙磊"}
    resp = await sun.post(ACCEPT, {"id": handle}, headers={"X-Request-ID": "invite-accept-1"})
    accepted = resp.json()["data"]["employmentInvitationAccept"]

    # then the employment is current, on the invitation's terms, and audited
    assert accepted["errors"] == []
    assert accepted["invitation"]["status"] == "ACCEPTED"
    assert accepted["invitation"]["employment"]["isCurrent"] is True
    assert accepted["invitation"]["respondedAt"] is not None
    actions = [r.action for r in await audit_rows(runtime, request_id="invite-accept-1")]
    assert actions == ["EMPLOYMENT_STARTED", "EMPLOYMENT_INVITATION_ACCEPTED"]

    # and the person is now among the employer's staff, who sees the invitation accepted
    assert "孙磊" in {
        e["node"]["name"]
        for e in (await chem_admin.gql("{ persons(first: 50) { edges { node { name } } } }"))[
            "persons"
        ]["edges"]
    }
    listed = (await chem_admin.gql(LIST))["employmentInvitations"]["edges"]
    assert [(e["node"]["status"], e["node"]["person"]) for e in listed] == [("ACCEPTED", None)]

    # and accepting twice, or declining afterwards, is refused as closed
    twice = await answer(sun, ACCEPT, handle)
    assert field_codes(twice) == [("id", "INVITATION_CLOSED")]
    late = await answer(sun, DECLINE, handle)
    assert field_codes(late) == [("id", "INVITATION_CLOSED")]


async def test_an_employed_person_is_told_why_and_may_decline(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given 王芳, employed by the agency, invited by the chemical employer
    await add_user(runtime, "wang", [Role.REGISTRANT], person_id=world.pid("wang"))
    chem_admin = await login_as("chem_admin")
    handle = (await invite(chem_admin, full_id_number(runtime, world, "wang")))["invitation"]["id"]

    # when she accepts, the overlap is hers to see, and nothing changes
    wang = await login_as("wang")
    refused = await answer(wang, ACCEPT, handle)
    assert field_codes(refused) == [("id", "EMPLOYMENT_OVERLAP")]
    assert refused["invitation"] is None
    assert (await wang.gql(NODE, {"id": handle}))["node"]["status"] == "PENDING"

    # and when she declines, the employer sees the invitation declined
    declined = await answer(wang, DECLINE, handle)
    assert declined["errors"] == [] and declined["invitation"]["status"] == "DECLINED"
    listed = (await chem_admin.gql(LIST))["employmentInvitations"]["edges"]
    assert [e["node"]["status"] for e in listed] == ["DECLINED"]
    assert await names_of(chem_admin) == {"张伟", "李娜"}


async def test_another_person_cannot_see_or_answer_it(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given an invitation to the newcomer
    chem_admin = await login_as("chem_admin")
    handle = (await invite(chem_admin, NEWCOMER_ID))["invitation"]["id"]

    # when 张伟, another registrant, looks for it and answers it
    zhang = await login_as("zhang")
    assert (await zhang.gql(MINE))["myEmploymentInvitations"]["totalCount"] == 0
    assert (await zhang.gql(NODE, {"id": handle}))["node"] is None
    accepted = await answer(zhang, ACCEPT, handle)
    declined = await answer(zhang, DECLINE, handle)

    # then it does not exist for him, and stays open for the newcomer
    assert field_codes(accepted) == [("id", "NOT_FOUND")]
    assert field_codes(declined) == [("id", "NOT_FOUND")]
    sun = await login_as("sun")
    assert (await sun.gql(NODE, {"id": handle}))["node"] == {"id": handle, "status": "PENDING"}


async def test_another_employers_admin_cannot_see_it(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given invitations of the chemical employer, and the agency's admin
    chem_admin = await login_as("chem_admin")
    handles = [
        (await invite(chem_admin, n))["invitation"]["id"] for n in (NEWCOMER_ID, UNREGISTERED_ID)
    ]
    await add_user(
        runtime, "agency_admin", [Role.EMPLOYER_ADMIN], employer_id=world.employers["agency"].id
    )
    agency_admin = await login_as("agency_admin")

    # when the agency's admin lists invitations and looks them up
    listed = (await agency_admin.gql(LIST))["employmentInvitations"]
    nodes = await agency_admin.gql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": handles}
    )

    # then they see none of them, and cannot answer them either
    assert listed["totalCount"] == 0
    assert nodes["nodes"] == [None, None]
    forbidden = await agency_admin.errors(ACCEPT, {"id": handles[0]})
    assert codes(forbidden) == ["FORBIDDEN"]


# --- a reviewer confirms on the person's behalf ------------------------------------------


async def test_only_a_reviewer_of_the_persons_province_may_confirm(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given invitations to the (Guangdong) newcomer and to an unregistered number
    chem_admin = await login_as("chem_admin")
    handle = (await invite(chem_admin, NEWCOMER_ID))["invitation"]["id"]
    ghost = (await invite(chem_admin, UNREGISTERED_ID))["invitation"]["id"]

    # when the Beijing reviewer confirms it: not found, nothing started
    bj = await login_as("bj_reviewer")
    assert (await bj.gql(NODE, {"id": handle}))["node"] is None
    assert field_codes(await answer(bj, CONFIRM, handle)) == [("id", "NOT_FOUND")]
    assert (await bj.gql(LIST))["employmentInvitations"]["totalCount"] == 0

    # and the Guangdong reviewer sees only the registered person's, and confirms it
    gd = await login_as("gd_reviewer")
    listed = (await gd.gql(LIST))["employmentInvitations"]["edges"]
    assert [(e["node"]["id"], e["node"]["person"]) for e in listed] == [(handle, {"name": "孙磊"})]
    assert field_codes(await answer(gd, CONFIRM, ghost)) == [("id", "NOT_FOUND")]
    confirmed = await answer(gd, CONFIRM, handle)
    assert confirmed["errors"] == []
    assert confirmed["invitation"]["status"] == "CONFIRMED"
    assert confirmed["invitation"]["employment"]["isCurrent"] is True

    # and the employer sees it confirmed and the ghost still pending
    statuses = [
        e["node"]["status"] for e in (await chem_admin.gql(LIST))["employmentInvitations"]["edges"]
    ]
    assert statuses == ["CONFIRMED", "PENDING"]


# --- expiry and the daily limit ----------------------------------------------------------


async def test_unanswered_invitations_expire_alike(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given invitations to the newcomer and to an unregistered number
    chem_admin = await login_as("chem_admin")
    handle = (await invite(chem_admin, NEWCOMER_ID))["invitation"]["id"]
    await invite(chem_admin, UNREGISTERED_ID)

    # when their deadline has passed (15 days on: the deadline moves back, not the clock)
    async with runtime.db.session() as s:
        await s.exec(
            update(EmploymentInvitation).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await s.commit()

    # then the employer sees both EXPIRED (the unregistered one never anything else)
    listed = (await chem_admin.gql(LIST))["employmentInvitations"]["edges"]
    assert [e["node"]["status"] for e in listed] == ["EXPIRED", "EXPIRED"]
    pending = await chem_admin.gql(LIST, {"f": {"status": "PENDING"}})
    assert pending["employmentInvitations"]["totalCount"] == 0

    # and the person can no longer accept it
    sun = await login_as("sun")
    late = await answer(sun, ACCEPT, handle)
    assert field_codes(late) == [("id", "INVITATION_CLOSED")]
    assert (await sun.gql(MINE, {"status": "EXPIRED"}))["myEmploymentInvitations"][
        "totalCount"
    ] == 1

    # and inviting the same number again opens a new invitation
    renewed = await invite(chem_admin, NEWCOMER_ID)
    assert renewed["errors"] == [] and renewed["invitation"]["id"] != handle
    assert renewed["invitation"]["status"] == "PENDING"


@pytest.fixture
async def strict(runtime: Runtime) -> AsyncIterator[Api]:
    """An API whose employers may send two invitations a day."""
    limited = Runtime(
        runtime.settings.model_copy(update={"employment_invitations_per_day": 2}),
        runtime.db,
        runtime.cipher,
        runtime.store,
    )
    transport = httpx.ASGITransport(app=create_app(limited))
    async with httpx.AsyncClient(transport=transport, base_url="http://regsafe.test") as c:
        yield Api(c)


async def test_an_employer_may_send_only_so_many_a_day(
    world: World, runtime: Runtime, strict: Api, newcomer: str
) -> None:
    # given an employer that has sent its two invitations of the day
    chem_admin = await strict.as_user("chem_admin", PASSWORD)
    first = await invite(chem_admin, NEWCOMER_ID)
    second = await invite(chem_admin, UNREGISTERED_ID)
    assert first["errors"] == [] and second["errors"] == []

    # when it sends a third, to a registered or to an unregistered number
    registered = await invite(chem_admin, full_id_number(runtime, world, "wang"))
    unknown = await invite(chem_admin, make_id_number("440303", date(1990, 1, 1), 778))

    # then both are refused alike, and nothing is written
    assert field_codes(registered) == [("idNumber", "INVITATION_LIMIT")]
    assert [(e["code"], e["message"]) for e in unknown["errors"]] == [
        (e["code"], e["message"]) for e in registered["errors"]
    ]
    assert len(await rows(runtime)) == 2

    # and a repeat of an open invitation still returns it
    repeat = await invite(chem_admin, NEWCOMER_ID)
    assert repeat == first


async def test_an_invitation_reaches_a_person_registered_after_it(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given an invitation to a number nobody has registered yet
    chem_admin = await login_as("chem_admin")
    handle = (await invite(chem_admin, UNREGISTERED_ID))["invitation"]["id"]

    # when the holder is registered and signs in
    reviewer = await login_as("gd_reviewer")
    created = (
        await reviewer.gql(
            PERSON_CREATE,
            {"input": {"name": "周杰", "idNumber": UNREGISTERED_ID, "regionCode": "440303"}},
        )
    )["personCreate"]
    assert created["errors"] == []
    pk = int(from_base64(created["person"]["id"])[1])
    await add_user(runtime, "zhou", [Role.REGISTRANT], person_id=pk)
    zhou = await login_as("zhou")

    # then the invitation is theirs to accept
    mine = (await zhou.gql(MINE))["myEmploymentInvitations"]["edges"]
    assert [e["node"]["id"] for e in mine] == [handle]
    accepted = await answer(zhou, ACCEPT, handle)
    assert accepted["errors"] == [] and accepted["invitation"]["status"] == "ACCEPTED"
