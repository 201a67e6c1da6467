"""Login, throttling, refresh-token rotation, revocation and bad tokens, over HTTP."""

import base64
import json
import uuid
from datetime import timedelta

from regsafe.auth.tokens import AccessTokenCodec
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

REFRESH = """mutation($t: String!) { tokenRefresh(refreshToken: $t) {
  token { accessToken refreshToken } errors { field code message } } }"""
REVOKE = """mutation($t: String!) { tokenRevoke(refreshToken: $t) { revoked errors { code } } }"""
ME = "{ viewer { user { username } } }"
PERSONS = "{ persons(first: 1) { totalCount } }"


async def test_login_returns_tokens_that_identify_the_user(api: Api, world: World) -> None:
    payload = await api.login("ZHANG ", PASSWORD)  # usernames are case- and space-insensitive
    assert payload["errors"] == []
    token = payload["token"]
    data = await api.gql(ME, token=token["accessToken"])
    assert data["viewer"]["user"]["username"] == "zhang"
    assert token["accessTokenExpiresAt"] < token["refreshTokenExpiresAt"]


async def test_wrong_password_and_unknown_user_look_the_same(api: Api, world: World) -> None:
    wrong = await api.login("zhang", "nope")
    unknown = await api.login("nobody-here", "nope")
    assert wrong["token"] is None and unknown["token"] is None
    assert (
        wrong["errors"]
        == unknown["errors"]
        == [{"field": "password", "code": "INVALID_CREDENTIALS", "message": "用户名或密码错误"}]
    )


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    api: Api, world: World
) -> None:
    for _ in range(world.runtime.settings.login_max_failures):
        assert (await api.login("zhao", "wrong"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    locked = await api.login("zhao", PASSWORD)
    assert locked["token"] is None
    assert locked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    # another account is not affected
    assert (await api.login("zhang", PASSWORD))["errors"] == []


async def test_refresh_rotates_and_reuse_revokes_the_whole_session(api: Api, world: World) -> None:
    first = (await api.login("zhang", PASSWORD))["token"]
    rotated = (await api.gql(REFRESH, {"t": first["refreshToken"]}))["tokenRefresh"]
    assert rotated["errors"] == []
    second = rotated["token"]
    assert second["refreshToken"] != first["refreshToken"]
    assert (await api.gql(ME, token=second["accessToken"]))["viewer"]["user"]["username"] == "zhang"

    # the first refresh token is used up: presenting it again is a replay
    replay = (await api.gql(REFRESH, {"t": first["refreshToken"]}))["tokenRefresh"]
    assert replay["token"] is None
    assert replay["errors"][0]["code"] == "REFRESH_TOKEN_REUSED"
    # ... which revokes the whole family, including tokens issued after it
    errors = await api.errors(PERSONS, token=second["accessToken"])
    assert errors[0]["extensions"]["code"] == "TOKEN_REVOKED"
    again = (await api.gql(REFRESH, {"t": second["refreshToken"]}))["tokenRefresh"]
    assert again["errors"][0]["code"] == "REFRESH_TOKEN_INVALID"


async def test_revoke_logs_out_at_once(api: Api, world: World) -> None:
    token = (await api.login("admin", PASSWORD))["token"]
    assert (await api.gql(PERSONS, token=token["accessToken"]))["persons"]["totalCount"] >= 4
    revoked = (await api.gql(REVOKE, {"t": token["refreshToken"]}))["tokenRevoke"]
    assert revoked == {"revoked": True, "errors": []}
    errors = await api.errors(PERSONS, token=token["accessToken"])
    assert errors[0]["extensions"]["code"] == "TOKEN_REVOKED"
    bogus = (await api.gql(REVOKE, {"t": "not-a-token"}))["tokenRevoke"]
    assert bogus["errors"][0]["code"] == "REFRESH_TOKEN_INVALID"


async def test_expired_token_is_rejected_with_its_own_code(
    api: Api, world: World, runtime: Runtime
) -> None:
    s = runtime.settings
    assert s.secret_key
    codec = AccessTokenCodec(s.secret_key, timedelta(seconds=s.access_token_seconds))
    token, _ = codec.issue(
        user_id=world.runtime.db and 1, session_id=uuid.uuid4(), now=utcnow() - timedelta(hours=1)
    )
    errors = await api.errors(PERSONS, token=token)
    assert errors[0]["extensions"]["code"] == "TOKEN_EXPIRED"
    assert errors[0]["path"] == ["persons"]


async def test_forged_and_malformed_tokens_are_rejected(api: Api, world: World) -> None:
    good = (await api.login("zhang", PASSWORD))["token"]["accessToken"]
    header, claims, sig = good.split(".")
    body = json.loads(base64.urlsafe_b64decode(claims + "=="))
    body["sub"] = "1"  # try to become someone else
    forged_claims = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    for bad in (f"{header}.{forged_claims}.{sig}", "garbage", good[:-3] + "abc"):
        errors = await api.errors(PERSONS, token=bad)
        assert errors[0]["extensions"]["code"] == "TOKEN_INVALID"
    none_alg = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    errors = await api.errors(PERSONS, token=f"{none_alg}.{claims}.")
    assert errors[0]["extensions"]["code"] == "TOKEN_INVALID"
    resp = await api.client.post(
        "/graphql", json={"query": PERSONS}, headers={"Authorization": "Basic abc"}
    )
    assert resp.json()["errors"][0]["extensions"]["code"] == "TOKEN_INVALID"


async def test_public_fields_work_with_a_bad_token(api: Api, world: World) -> None:
    """A stale token in the browser must not block logging in again."""
    payload = await api.login("zhang", PASSWORD)
    resp = await api.post(
        """mutation { tokenCreate(username: "zhang", password: "%s") { errors { code } } }"""
        % PASSWORD,
        token="garbage",
    )
    assert resp.json()["data"]["tokenCreate"]["errors"] == []
    assert payload["errors"] == []


async def test_every_role_can_log_in_and_sees_its_roles(api: Api, world: World) -> None:
    for username, role in world.users.items():
        me = await api.as_user(username, PASSWORD)
        data = await me.gql("{ viewer { user { roles provinceCode } } }")
        assert data["viewer"]["user"]["roles"] == [role]


async def test_viewer_reports_a_rejected_token_instead_of_going_anonymous(
    api: Api, world: World
) -> None:
    errors = await api.errors(ME, token="garbage")
    assert errors[0]["extensions"]["code"] == "TOKEN_INVALID"
    assert errors[0]["path"] == ["viewer"]


async def test_anonymous_is_told_to_sign_in(api: Api, world: World) -> None:
    errors = await api.errors(PERSONS)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
