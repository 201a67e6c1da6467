"""Certificate scopes over HTTP (issue 11, defect 2): a provincial reviewer sees and
revokes only the certificates of their own province; the database does not change."""

from __future__ import annotations

from sqlmodel import select

from regsafe.certificates.models import Certificate
from regsafe.core.runtime import Runtime
from tests.certificates.helpers import register
from tests.graphql.identity.helpers import Login, gid
from tests.plugins.identity import World

REVOKE = """mutation($id: ID!, $r: String!) { certificateRevoke(id: $id, reason: $r) {
  certificate { status } errors { field code message } } }"""


async def _status(rt: Runtime, pk: int) -> str:
    async with rt.db.session() as s:
        cert = (await s.exec(select(Certificate).where(Certificate.id == pk))).one()
        return cert.status


async def test_reviewer_of_another_province_cannot_see_or_revoke(
    world: World, runtime: Runtime, login_as: Login
) -> None:
    # given: 张伟's certificate, issued for his 广东 employer
    cert = await register(runtime, world)
    assert cert is not None and cert.id is not None
    cid = gid("Certificate", cert.id)
    bj = await login_as("bj_reviewer")

    # when: the 北京 reviewer looks it up and tries to revoke it
    seen = await bj.gql(
        "query($id: ID!, $n: String!) { node(id: $id) { id } certificate(number: $n) { id } }",
        {"id": cid, "n": cert.number},
    )
    refused = (await bj.gql(REVOKE, {"id": cid, "r": "跨省撤销"}))["certificateRevoke"]

    # then: nothing is visible, the revocation is a typed refusal, and nothing changed
    assert seen["node"] is None and seen["certificate"] is None
    assert refused["certificate"] is None
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    assert await _status(runtime, cert.id) == "ACTIVE"

    # and the 广东 reviewer may
    gd = await login_as("gd_reviewer")
    done = (await gd.gql(REVOKE, {"id": cid, "r": "提供虚假材料"}))["certificateRevoke"]
    assert done["errors"] == [] and done["certificate"]["status"] == "REVOKED"
