"""找回密码 over HTTP: codes by SMS, single use, expiring, rate-limited, and the same
answer whether or not the account exists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from regsafe.core.clock import utcnow
from regsafe.core.messaging import MemorySender
from regsafe.core.runtime import Runtime
from regsafe.graphql.auth import accounts as account_fields
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

REQUEST = """mutation($u: String!) { passwordResetRequest(username: $u) {
  accepted errors { field code } } }"""
CONFIRM = """mutation($u: String!, $c: String!, $p: String!) {
  passwordResetConfirm(username: $u, code: $c, newPassword: $p) {
    reset errors { field code message } } }"""
PERSONS = "{ persons(first: 1) { totalCount } }"
ZHANG_PHONE = "13800138000"
NEW_PASSWORD = "Recovered-Passw0rd"


@pytest.fixture
def sms(runtime: Runtime) -> MemorySender:
    sender = MemorySender()
    runtime.sender = sender
    return sender


async def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    api: Api, world: World, sms: MemorySender
) -> None:
    # given an account with a phone (zhang), one without (zhao) and no account at all
    answers = [
        (await api.post(REQUEST, {"u": name})).json()
        for name in ("zhang", "zhao", "nobody-here", "x" * 10_240)
    ]
    # then every answer is the same, and only zhang's phone got a code
    assert all(
        a == {"data": {"passwordResetRequest": {"accepted": True, "errors": []}}} for a in answers
    )
    assert [m.destination for m in sms.sent] == [ZHANG_PHONE]
    code = sms.sent[0].code
    assert len(code) == 6 and code.isdigit()


async def test_a_code_resets_the_password_once_and_ends_the_sessions(
    api: Api, world: World, sms: MemorySender
) -> None:
    old = (await api.login("zhang", PASSWORD))["token"]
    await api.gql(REQUEST, {"u": "ZHANG"})
    code = sms.last_code(ZHANG_PHONE)
    assert code is not None
    # weak passwords are refused before the code is looked at (the code stays usable)
    weak = (await api.gql(CONFIRM, {"u": "zhang", "c": code, "p": "weak"}))["passwordResetConfirm"]
    assert weak["errors"][0]["code"] == "PASSWORD_TOO_WEAK"
    done = (await api.gql(CONFIRM, {"u": "zhang", "c": code, "p": NEW_PASSWORD}))[
        "passwordResetConfirm"
    ]
    assert done == {"reset": True, "errors": []}
    assert (await api.errors(PERSONS, token=old["accessToken"]))[0]["extensions"][
        "code"
    ] == "TOKEN_REVOKED"
    assert (await api.login("zhang", PASSWORD))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await api.login("zhang", NEW_PASSWORD))["errors"] == []
    # the code cannot be replayed
    replay = (await api.gql(CONFIRM, {"u": "zhang", "c": code, "p": "Another-Passw0rd1"}))[
        "passwordResetConfirm"
    ]
    assert replay["reset"] is False
    assert [(e["field"], e["code"]) for e in replay["errors"]] == [("code", "RESET_CODE_INVALID")]


async def test_wrong_codes_spend_the_code_and_unknown_accounts_look_the_same(
    api: Api, world: World, sms: MemorySender
) -> None:
    await api.gql(REQUEST, {"u": "zhang"})
    code = sms.last_code(ZHANG_PHONE)
    assert code is not None
    wrong = "000000" if code != "000000" else "111111"
    answers = []
    for attempt in [wrong, wrong, "12a456", "x" * 10_240, wrong]:
        answers.append(
            (await api.gql(CONFIRM, {"u": "zhang", "c": attempt, "p": NEW_PASSWORD}))[
                "passwordResetConfirm"
            ]
        )
    unknown = (await api.gql(CONFIRM, {"u": "nobody-here", "c": code, "p": NEW_PASSWORD}))[
        "passwordResetConfirm"
    ]
    assert all(a == unknown for a in answers)
    assert unknown["errors"][0]["code"] == "RESET_CODE_INVALID"
    # five wrong attempts: even the right code no longer works
    late = (await api.gql(CONFIRM, {"u": "zhang", "c": code, "p": NEW_PASSWORD}))[
        "passwordResetConfirm"
    ]
    assert late == unknown
    assert (await api.login("zhang", PASSWORD))["errors"] == []


async def test_codes_expire_and_a_new_request_voids_the_old_code(
    api: Api, world: World, sms: MemorySender, monkeypatch: pytest.MonkeyPatch
) -> None:
    await api.gql(REQUEST, {"u": "zhang"})
    first = sms.last_code(ZHANG_PHONE)
    await api.gql(REQUEST, {"u": "zhang"})
    second = sms.last_code(ZHANG_PHONE)
    assert first is not None and second is not None
    if first != second:
        voided = (await api.gql(CONFIRM, {"u": "zhang", "c": first, "p": NEW_PASSWORD}))[
            "passwordResetConfirm"
        ]
        assert voided["errors"][0]["code"] == "RESET_CODE_INVALID"
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr(account_fields, "utcnow", lambda: later)
    expired = (await api.gql(CONFIRM, {"u": "zhang", "c": second, "p": NEW_PASSWORD}))[
        "passwordResetConfirm"
    ]
    assert expired["errors"][0]["code"] == "RESET_CODE_INVALID"


async def test_requests_are_limited_per_account_and_per_client_address(
    api: Api, world: World, sms: MemorySender
) -> None:
    # per account: three codes in ten minutes; the fourth request looks the same
    for _ in range(4):
        out = await api.gql(REQUEST, {"u": "zhang"})
        assert out["passwordResetRequest"] == {"accepted": True, "errors": []}
    assert len(sms.sent) == 3
    # per client address: ten requests in ten minutes, whatever the username
    for i in range(account_fields.PASSWORD_RESET_PER_ADDRESS - 4):
        await api.gql(REQUEST, {"u": f"someone-{i}"})
    errors = await api.errors(REQUEST, {"u": "someone-else"})
    assert errors[0]["extensions"]["code"] == "RATE_LIMITED"
    assert errors[0]["extensions"]["retryAfter"] >= 1


async def test_hostile_input_is_a_typed_error(api: Api, world: World) -> None:
    nul = await api.errors(REQUEST, {"u": "zh\x00ang"})
    assert nul[0]["extensions"]["code"] == "BAD_USER_INPUT"
    big = (await api.gql(CONFIRM, {"u": "zhang", "c": "1" * 6, "p": "p" * 10_240}))[
        "passwordResetConfirm"
    ]
    assert big["errors"][0]["code"] == "PASSWORD_TOO_WEAK"
