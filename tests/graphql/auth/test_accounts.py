"""用户管理 (administrators) and 修改密码 (everyone), over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from strawberry import relay

from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

LoginAs = Callable[[str], Awaitable[Api]]

USERS = """query($f: UserFilterInput, $first: Int) { users(filter: $f, first: $first) {
  totalCount edges { node { id username roles isActive provinceCode } } } }"""
USER = """fragment U on User { id username displayName roles provinceCode reviewScope isActive
  mustChangePassword person { id } employer { id } }"""
CREATE = (
    USER
    + """mutation($input: UserCreateInput!) { userCreate(input: $input) {
  user { ...U } errors { field code message } } }"""
)
UPDATE = (
    USER
    + """mutation($id: ID!, $input: UserUpdateInput!) { userUpdate(id: $id, input: $input) {
  user { ...U } errors { field code message } } }"""
)
RESET = """mutation($id: ID!) { userPasswordReset(id: $id) {
  user { id mustChangePassword } temporaryPassword errors { field code message } } }"""
LOCK = """mutation($id: ID!) { userLock(id: $id) { user { id isActive } errors { field code } } }"""
UNLOCK = """mutation($id: ID!) { userUnlock(id: $id) {
  user { id isActive } errors { field code } } }"""
CHANGE = """mutation($c: String!, $n: String!) { passwordChange(currentPassword: $c,
  newPassword: $n) { changed errors { field code message } } }"""
REFRESH = """mutation($t: String!) { tokenRefresh(refreshToken: $t) {
  token { accessToken } errors { code } } }"""
AUDIT = """query($id: ID!) { node(id: $id) { ... on User {
  recentAuditEvents(first: 5) { action subjectType subjectId at } } } }"""
PERSONS = "{ persons(first: 1) { totalCount } }"
NEW_PASSWORD = "Brand-New-Passw0rd"


def gid(type_name: str, pk: int | None) -> str:
    assert pk is not None
    return str(relay.GlobalID(type_name, str(pk)))


async def user_id(admin: Api, username: str) -> str:
    data = await admin.gql(USERS, {"f": {"usernamePrefix": username}, "first": 5})
    (node,) = [e["node"] for e in data["users"]["edges"] if e["node"]["username"] == username]
    uid: str = node["id"]
    return uid


def new_user(**overrides: Any) -> dict[str, Any]:
    return {
        "username": "new.reviewer",
        "displayName": "新审核员",
        "password": "Strong-Passw0rd!",
        "roles": ["PROVINCIAL_REVIEWER"],
        "provinceCode": "440000",
        **overrides,
    }


def codes(payload: dict[str, Any]) -> set[tuple[str | None, str]]:
    return {(e["field"], e["code"]) for e in payload["errors"]}


# --- who may call it -------------------------------------------------------------------


ADMIN_CALLS = [
    (USERS, {}),
    (CREATE, {"input": new_user()}),
    (UPDATE, {"id": "VXNlcjox", "input": {"displayName": "x"}}),
    (RESET, {"id": "VXNlcjox"}),
    (LOCK, {"id": "VXNlcjox"}),
    (UNLOCK, {"id": "VXNlcjox"}),
]
NOT_ADMINS = [
    "gd_reviewer",
    "ministry",
    "chem_admin",
    "zhang",
    "trainer",
    "analyst",
]


@pytest.mark.parametrize("username", NOT_ADMINS)
async def test_every_other_role_is_refused_user_management(
    login_as: LoginAs, username: str
) -> None:
    # given a signed-in user who is not an administrator
    client = await login_as(username)
    for query, variables in ADMIN_CALLS:
        # when they call any 用户管理 field, then it is FORBIDDEN
        errors = await client.errors(query, variables)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", (query, errors)


async def test_anonymous_callers_must_sign_in(api: Api, world: World) -> None:
    for query, variables in [*ADMIN_CALLS, (CHANGE, {"c": PASSWORD, "n": NEW_PASSWORD})]:
        errors = await api.errors(query, variables)
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- administrators' flows -------------------------------------------------------------


async def test_admin_creates_an_account_that_can_sign_in_and_it_is_audited(
    api: Api, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    created = (await admin.gql(CREATE, {"input": new_user(username="New.Reviewer")}))["userCreate"]
    assert created["errors"] == []
    user = created["user"]
    assert user["username"] == "new.reviewer"
    assert user["roles"] == ["PROVINCIAL_REVIEWER"] and user["provinceCode"] == "440000"
    assert user["isActive"] and not user["mustChangePassword"]

    reviewer = await api.as_user("new.reviewer", "Strong-Passw0rd!")
    assert (await reviewer.gql("{ viewer { user { username } } }"))["viewer"]["user"] == {
        "username": "new.reviewer"
    }
    me = await admin.gql("{ viewer { user { id } } }")
    events = (await admin.gql(AUDIT, {"id": me["viewer"]["user"]["id"]}))["node"]
    assert events["recentAuditEvents"][0]["action"] == "USER_CREATED"
    assert events["recentAuditEvents"][0]["subjectType"] == "user"
    # the username is taken now
    again = (await admin.gql(CREATE, {"input": new_user()}))["userCreate"]
    assert codes(again) == {("username", "USERNAME_TAKEN")}


async def test_role_and_scope_combinations_are_checked(login_as: LoginAs, world: World) -> None:
    admin = await login_as("admin")
    cases: list[tuple[dict[str, Any], set[tuple[str | None, str]]]] = [
        ({"provinceCode": None}, {("provinceCode", "PROVINCE_REQUIRED")}),
        ({"provinceCode": "440300"}, {("provinceCode", "PROVINCE_INVALID")}),
        (
            {"roles": ["EMPLOYER_ADMIN"], "provinceCode": None},
            {("employerId", "EMPLOYER_REQUIRED")},
        ),
        ({"roles": ["REGISTRANT"], "provinceCode": None}, {("personId", "PERSON_REQUIRED")}),
        (
            {
                "roles": ["REGISTRANT"],
                "provinceCode": None,
                "personId": gid("Person", world.pid("zhang")),
            },
            {("personId", "PERSON_TAKEN")},
        ),
        (
            {"roles": ["REGISTRANT"], "provinceCode": None, "personId": gid("Person", 10**12)},
            {("personId", "PERSON_NOT_FOUND")},
        ),
        ({"roles": ["TRAINER"]}, {("provinceCode", "SCOPE_NOT_ALLOWED")}),
        (
            {"roles": ["ADMIN"], "provinceCode": None, "reviewScope": "MOT"},
            {("reviewScope", "SCOPE_NOT_ALLOWED")},
        ),
        ({"roles": []}, {("roles", "ROLES_REQUIRED"), ("provinceCode", "SCOPE_NOT_ALLOWED")}),
        ({"password": "short"}, {("password", "PASSWORD_TOO_WEAK")}),
        (
            {"username": "x", "displayName": " "},
            {("username", "USERNAME_INVALID"), ("displayName", "DISPLAY_NAME_INVALID")},
        ),
    ]
    for overrides, expected in cases:
        payload = (await admin.gql(CREATE, {"input": new_user(**overrides)}))["userCreate"]
        assert payload["user"] is None
        assert codes(payload) == expected, overrides
    # a reviewer of a ministry queue needs no province; an employer admin names a unit
    mohurd = new_user(username="mohurd.reviewer", provinceCode=None, reviewScope="MOHURD")
    assert (await admin.gql(CREATE, {"input": mohurd}))["userCreate"]["errors"] == []
    unit = gid("Employer", world.employers["chem"].id)
    ea = new_user(
        username="chem.admin2", roles=["EMPLOYER_ADMIN"], provinceCode=None, employerId=unit
    )
    made = (await admin.gql(CREATE, {"input": ea}))["userCreate"]
    assert made["errors"] == [] and made["user"]["employer"] == {"id": unit}


async def test_hostile_input_gets_typed_errors(login_as: LoginAs) -> None:
    admin = await login_as("admin")
    big = "x" * 10_240
    for overrides, field in [
        ({"username": big}, "username"),
        ({"displayName": big}, "displayName"),
        ({"password": big}, "password"),
        ({"displayName": "名\u202e字"}, "displayName"),
    ]:
        payload = (await admin.gql(CREATE, {"input": new_user(**overrides)}))["userCreate"]
        assert [e["field"] for e in payload["errors"]] == [field], payload
    nul = await admin.errors(CREATE, {"input": new_user(username="a\x00b")})
    assert nul[0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown_role = await admin.errors(CREATE, {"input": new_user(roles=["SUPERUSER"])})
    assert unknown_role[0]["extensions"]["code"] in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")
    # a long filter is answered (nothing matches), a bad id is a typed refusal
    found = await admin.gql(USERS, {"f": {"usernamePrefix": big + "%_"}})
    assert found["users"]["totalCount"] == 0
    wrong = (await admin.gql(LOCK, {"id": gid("Person", 1)}))["userLock"]
    assert wrong["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    bad_page = await admin.errors(USERS, {"first": 10_000})
    assert bad_page[0]["extensions"]["code"] == "INVALID_PAGINATION"


async def test_users_are_filtered_by_prefix_role_and_state(login_as: LoginAs) -> None:
    admin = await login_as("admin")
    reviewers = await admin.gql(USERS, {"f": {"role": "PROVINCIAL_REVIEWER"}, "first": 50})
    names = {e["node"]["username"] for e in reviewers["users"]["edges"]}
    assert {"gd_reviewer", "bj_reviewer"} <= names and "zhang" not in names
    by_prefix = await admin.gql(USERS, {"f": {"usernamePrefix": "ZH"}, "first": 50})
    assert {e["node"]["username"] for e in by_prefix["users"]["edges"]} == {"zhang", "zhao"}
    trainer = await user_id(admin, "trainer")
    assert (await admin.gql(LOCK, {"id": trainer}))["userLock"]["errors"] == []
    locked = await admin.gql(USERS, {"f": {"isActive": False}, "first": 50})
    assert [e["node"]["username"] for e in locked["users"]["edges"]] == ["trainer"]


async def test_update_changes_roles_and_scopes_together(login_as: LoginAs, world: World) -> None:
    admin = await login_as("admin")
    reviewer = await user_id(admin, "gd_reviewer")
    # given a provincial reviewer, when their roles become ANALYST the province stays
    out = (await admin.gql(UPDATE, {"id": reviewer, "input": {"roles": ["ANALYST"]}}))["userUpdate"]
    assert out["errors"] == [] and out["user"]["roles"] == ["ANALYST"]
    assert out["user"]["provinceCode"] == "440000"
    # a registrant needs a person; a scope the roles do not use must be cleared
    bad = (await admin.gql(UPDATE, {"id": reviewer, "input": {"roles": ["REGISTRANT"]}}))[
        "userUpdate"
    ]
    assert codes(bad) == {("personId", "PERSON_REQUIRED"), ("provinceCode", "SCOPE_NOT_ALLOWED")}
    person = gid("Person", world.pid("li"))
    good = (
        await admin.gql(
            UPDATE,
            {
                "id": reviewer,
                "input": {"roles": ["REGISTRANT"], "provinceCode": None, "personId": person},
            },
        )
    )["userUpdate"]
    assert good["errors"] == [] and good["user"]["person"] == {"id": person}
    renamed = (await admin.gql(UPDATE, {"id": reviewer, "input": {"displayName": " 李 娜 "}}))[
        "userUpdate"
    ]
    assert renamed["user"]["displayName"] == "李 娜" and renamed["user"]["roles"] == ["REGISTRANT"]


async def test_an_admin_cannot_lock_themself_out(login_as: LoginAs) -> None:
    admin = await login_as("admin")
    me = await user_id(admin, "admin")
    locked = (await admin.gql(LOCK, {"id": me}))["userLock"]
    assert locked["errors"] == [{"field": "id", "code": "SELF_LOCKOUT"}]
    demoted = (await admin.gql(UPDATE, {"id": me, "input": {"roles": ["ANALYST"]}}))["userUpdate"]
    assert ("roles", "SELF_LOCKOUT") in codes(demoted)
    # still an administrator
    assert (await admin.gql(USERS, {"f": {"usernamePrefix": "admin"}}))["users"]["totalCount"] >= 1


async def test_locking_ends_sessions_and_unlocking_lets_the_user_back_in(
    api: Api, login_as: LoginAs
) -> None:
    # given zhang signed in
    session = await api.login("zhang", PASSWORD)
    token = session["token"]
    assert (await api.gql(PERSONS, token=token["accessToken"]))["persons"]["totalCount"] == 1
    admin = await login_as("admin")
    zhang = await user_id(admin, "zhang")
    # when an administrator locks the account
    assert (await admin.gql(LOCK, {"id": zhang}))["userLock"]["user"]["isActive"] is False
    # then the access token and the refresh token stop working, and so does the password
    errors = await api.errors(PERSONS, token=token["accessToken"])
    assert errors[0]["extensions"]["code"] == "TOKEN_REVOKED"
    refreshed = (await api.gql(REFRESH, {"t": token["refreshToken"]}))["tokenRefresh"]
    assert refreshed["token"] is None and refreshed["errors"][0]["code"] == "REFRESH_TOKEN_INVALID"
    assert (await api.login("zhang", PASSWORD))["errors"][0]["code"] == "ACCOUNT_DISABLED"
    # unlocked, they sign in again
    assert (await admin.gql(UNLOCK, {"id": zhang}))["userUnlock"]["user"]["isActive"] is True
    assert (await api.login("zhang", PASSWORD))["errors"] == []


async def test_password_reset_issues_a_one_time_password_that_must_be_changed(
    api: Api, login_as: LoginAs
) -> None:
    old = (await api.login("zhao", PASSWORD))["token"]
    admin = await login_as("admin")
    zhao = await user_id(admin, "zhao")
    reset = (await admin.gql(RESET, {"id": zhao}))["userPasswordReset"]
    assert reset["errors"] == [] and reset["user"]["mustChangePassword"] is True
    temporary = reset["temporaryPassword"]
    assert len(temporary) >= 10
    # the old password and the old session are gone
    assert (await api.login("zhao", PASSWORD))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    revoked = await api.errors(PERSONS, token=old["accessToken"])
    assert revoked[0]["extensions"]["code"] == "TOKEN_REVOKED"
    # with the temporary password only passwordChange answers
    zhao_api = await api.as_user("zhao", temporary)
    blocked = await zhao_api.errors(PERSONS)
    assert blocked[0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    viewer = await zhao_api.gql("{ viewer { user { mustChangePassword } } }")
    assert viewer["viewer"]["user"]["mustChangePassword"] is True
    changed = (await zhao_api.gql(CHANGE, {"c": temporary, "n": NEW_PASSWORD}))["passwordChange"]
    assert changed == {"changed": True, "errors": []}
    assert (await zhao_api.gql(PERSONS))["persons"]["totalCount"] == 1
    # the temporary password cannot be used again
    assert (await api.login("zhao", temporary))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await api.login("zhao", NEW_PASSWORD))["errors"] == []
    # the admin's actions are on the trail, newest first
    me = (await admin.gql("{ viewer { user { id } } }"))["viewer"]["user"]["id"]
    events = (await admin.gql(AUDIT, {"id": me}))["node"]["recentAuditEvents"]
    assert events[0]["action"] == "USER_PASSWORD_RESET"
    mine = (await zhao_api.gql(AUDIT, {"id": zhao}))["node"]["recentAuditEvents"]
    assert [e["action"] for e in mine[:2]] == ["LOGIN_SUCCEEDED", "PASSWORD_CHANGED"]


async def test_password_change_keeps_this_session_and_ends_the_others(
    api: Api, login_as: LoginAs
) -> None:
    other = (await api.login("chem_admin", PASSWORD))["token"]
    me = await login_as("chem_admin")
    wrong = (await me.gql(CHANGE, {"c": "not-my-password", "n": NEW_PASSWORD}))["passwordChange"]
    assert wrong["changed"] is False
    assert codes(wrong) == {("currentPassword", "INVALID_CREDENTIALS")}
    weak = (await me.gql(CHANGE, {"c": PASSWORD, "n": "weak"}))["passwordChange"]
    assert codes(weak) == {("newPassword", "PASSWORD_TOO_WEAK")}
    same = (await me.gql(CHANGE, {"c": PASSWORD, "n": PASSWORD}))["passwordChange"]
    assert codes(same) == {("newPassword", "PASSWORD_UNCHANGED")}
    big = (await me.gql(CHANGE, {"c": "x" * 10_240, "n": "y" * 10_240}))["passwordChange"]
    assert codes(big) == {("currentPassword", "INVALID_CREDENTIALS")}

    done = (await me.gql(CHANGE, {"c": PASSWORD, "n": NEW_PASSWORD}))["passwordChange"]
    assert done == {"changed": True, "errors": []}
    assert (await me.gql("{ viewer { user { username } } }"))["viewer"]["user"]["username"]
    errors = await api.errors(PERSONS, token=other["accessToken"])
    assert errors[0]["extensions"]["code"] == "TOKEN_REVOKED"
    assert (await api.login("chem_admin", NEW_PASSWORD))["errors"] == []


async def test_recent_audit_events_are_the_admins_and_the_users_own(login_as: LoginAs) -> None:
    admin = await login_as("admin")
    zhang = await login_as("zhang")
    admin_id = await user_id(admin, "admin")
    # zhang cannot see the administrator's account, nor its trail
    assert (await zhang.gql(AUDIT, {"id": admin_id}))["node"] is None
    bad = await admin.errors(
        "query($id: ID!) { node(id: $id) { ... on User { recentAuditEvents(first: 500) "
        "{ action } } } }",
        {"id": admin_id},
    )
    assert bad[0]["extensions"]["code"] == "INVALID_PAGINATION"
