"""注册账号 over HTTP: an account links to a person on file only when the details match
and the phone on file returns the code; every other case gets the same answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regsafe.core.messaging import MemorySender
from regsafe.core.runtime import Runtime
from regsafe.identity import service as identity
from regsafe.identity.service import AgePolicy, PersonInput
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, SYSTEM, World, make_id_number

REGISTER = """mutation($i: String!, $n: String!, $p: String!, $w: String!) {
  accountRegister(idNumber: $i, name: $n, phone: $p, password: $w) {
    accepted errors { field code } } }"""
CONFIRM = """mutation($p: String!, $c: String!) { accountRegisterConfirm(phone: $p, code: $c) {
  registered errors { field code } } }"""
ME = "{ viewer { user { username roles } person { name } } }"
SUN_ID = make_id_number("440307", date(1988, 8, 8), 731)
SUN_PHONE = "13900139000"
NEW_PASSWORD = "Signup-Passw0rd!"


@pytest.fixture
def sms(runtime: Runtime) -> MemorySender:
    sender = MemorySender()
    runtime.sender = sender
    return sender


@pytest.fixture
async def sun(runtime: Runtime, world: World) -> int:
    """A person on file with a phone and no account (registered by a reviewer)."""
    async with runtime.db.session() as s:
        p = await identity.create_person(
            s,
            data=PersonInput(name="孙丽", id_number=SUN_ID, region_code="440307", phone=SUN_PHONE),
            viewer=SYSTEM,
            cipher=runtime.cipher,
            today=date(2026, 11, 28),
            ages=AgePolicy(),
        )
        await s.commit()
    assert p.id is not None
    return p.id


def details(**overrides: Any) -> dict[str, Any]:
    return {"i": SUN_ID, "n": "孙丽", "p": SUN_PHONE, "w": NEW_PASSWORD, **overrides}


async def test_matching_details_and_the_phone_code_create_a_linked_account(
    api: Api, sun: int, sms: MemorySender
) -> None:
    out = await api.gql(REGISTER, details(p="139-0013-9000"))
    assert out["accountRegister"] == {"accepted": True, "errors": []}
    code = sms.last_code(SUN_PHONE)
    assert code is not None
    # nothing exists before the code comes back
    assert (await api.login(SUN_PHONE, NEW_PASSWORD))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    done = (await api.gql(CONFIRM, {"p": SUN_PHONE, "c": code}))["accountRegisterConfirm"]
    assert done == {"registered": True, "errors": []}
    me = await (await api.as_user(SUN_PHONE, NEW_PASSWORD)).gql(ME)
    assert me["viewer"] == {
        "user": {"username": SUN_PHONE, "roles": ["REGISTRANT"]},
        "person": {"name": "孙丽"},
    }
    # the code cannot be replayed, and the person cannot sign up twice
    replay = (await api.gql(CONFIRM, {"p": SUN_PHONE, "c": code}))["accountRegisterConfirm"]
    assert replay["errors"] == [{"field": "code", "code": "REGISTRATION_CODE_INVALID"}]
    sms.sent.clear()
    assert (await api.gql(REGISTER, details()))["accountRegister"]["accepted"] is True
    assert sms.sent == []


async def test_the_answer_is_the_same_whatever_does_not_match(
    api: Api, world: World, sun: int, sms: MemorySender
) -> None:
    cases = [
        details(n="孙莉"),  # another name
        details(p="13700137000"),  # another phone: no code to the typed phone either
        details(i=make_id_number("440307", date(1990, 1, 1), 11)),  # not on file
        details(i=make_id_number("440305", date(1985, 6, 15), 123), n="张伟", p="13800138000"),
        # ^ 张伟 matches but already has an account
    ]
    answers = [(await api.post(REGISTER, c)).json() for c in cases]
    matched = (await api.post(REGISTER, details())).json()
    assert all(a == matched for a in answers)
    assert matched == {"data": {"accountRegister": {"accepted": True, "errors": []}}}
    assert [m.destination for m in sms.sent] == [SUN_PHONE]  # only the match got a code


async def test_wrong_codes_spend_the_sign_up(api: Api, sun: int, sms: MemorySender) -> None:
    await api.gql(REGISTER, details())
    code = sms.last_code(SUN_PHONE)
    assert code is not None
    wrong = "000000" if code != "000000" else "111111"
    for attempt in [wrong] * 4 + ["x" * 10_240]:
        out = (await api.gql(CONFIRM, {"p": SUN_PHONE, "c": attempt}))["accountRegisterConfirm"]
        assert out["errors"][0]["code"] == "REGISTRATION_CODE_INVALID"
    late = (await api.gql(CONFIRM, {"p": SUN_PHONE, "c": code}))["accountRegisterConfirm"]
    assert late["errors"][0]["code"] == "REGISTRATION_CODE_INVALID"
    unknown = (await api.gql(CONFIRM, {"p": "13600136000", "c": code}))["accountRegisterConfirm"]
    assert unknown == late


async def test_malformed_details_get_typed_errors(api: Api, world: World) -> None:
    bad = await api.gql(
        REGISTER,
        details(
            i=SUN_ID[:-1] + ("0" if SUN_ID[-1] != "0" else "1"), n="x" * 10_240, p="12", w="weak"
        ),
    )
    assert {(e["field"], e["code"]) for e in bad["accountRegister"]["errors"]} == {
        ("idNumber", "ID_NUMBER_INVALID"),
        ("name", "NAME_INVALID"),
        ("phone", "PHONE_INVALID"),
        ("password", "PASSWORD_TOO_WEAK"),
    }
    assert bad["accountRegister"]["accepted"] is False
    nul = await api.errors(REGISTER, details(n="孙\x00丽"))
    assert nul[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert PASSWORD  # the world's users are untouched
