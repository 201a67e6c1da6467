from tests.plugins.api import Api
from tests.plugins.identity import World


async def test_viewer_is_anonymous_without_token(api: Api) -> None:
    data = await api.gql("{ viewer { user { id } person { id } } }")
    assert data == {"viewer": {"user": None, "person": None}}


async def test_registrant_sees_own_masked_id(api: Api, world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    me = await login_as("zhang")
    data = await me.gql(
        "{ viewer { user { username roles } person { name idNumberMasked idNumber } } }"
    )
    person = data["viewer"]["person"]
    assert data["viewer"]["user"] == {"username": "zhang", "roles": ["REGISTRANT"]}
    assert person["name"] == "张伟"
    assert (
        person["idNumberMasked"] == "440305********1231"[:6] + "********" + person["idNumber"][-4:]
    )
    assert "*" not in person["idNumber"]
