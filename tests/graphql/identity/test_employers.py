"""The `employers` query and employerCreate / employerUpdate: scope per role, filters, the
credit-code checks (GB 32100) with the reviewer's checksum override, and versions."""

from __future__ import annotations

from typing import Any

import pytest

from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import (
    EMPLOYER_CREATE,
    EMPLOYER_NAMES,
    EMPLOYER_UPDATE,
    EMPLOYERS,
    Login,
    audit_rows,
    codes,
    counts,
    employer_gid,
    field_codes,
    person_gid,
    user_id,
)
from tests.plugins.api import Api
from tests.plugins.identity import World, make_credit_code

DOMAIN_EXAMPLE = "91350200MA2YJ1XR9G"  # DOMAIN.md: a valid code of 厦门 (350200)
NEW_CODE = make_credit_code("440304", "NEW1")
GOOD: dict[str, Any] = {
    "name": "深圳市新建安全工程有限公司",
    "creditCode": NEW_CODE,
    "kind": "PRODUCTION_UNIT",
    "industry": "E",
}


def bad_check(code: str) -> str:
    """The same credit code with a wrong (but well-formed) check character."""
    return code[:17] + ("0" if code[17] != "0" else "1")


async def visible(api: Api, world: World, f: dict[str, Any] | None = None) -> set[str]:
    """Keys of the world employers the viewer sees with this filter."""
    data = await api.gql(EMPLOYERS, {"f": f or {}})
    conn = data["employers"]
    assert conn["totalCount"] == len(conn["edges"])
    codes_seen = {e["node"]["creditCode"] for e in conn["edges"]}
    return {k for k, e in world.employers.items() if e.credit_code in codes_seen}


async def create(api: Api, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.gql(EMPLOYER_CREATE, {"input": {**GOOD, **changes}}))[
        "employerCreate"
    ]
    return payload


async def update(api: Api, employer_id: str, **changes: Any) -> dict[str, Any]:
    data = await api.gql(EMPLOYER_UPDATE, {"id": employer_id, "input": changes})
    payload: dict[str, Any] = data["employerUpdate"]
    return payload


# --- who sees which employers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", {"chem", "agency", "beijing"}),
        ("ministry", {"chem", "agency", "beijing"}),
        ("gd_reviewer", {"chem", "agency"}),
        ("bj_reviewer", {"beijing"}),
        ("chem_admin", {"chem"}),
        ("zhang", {"chem"}),  # a registrant sees their own employer
        ("zhao", {"beijing"}),
    ],
)
async def test_each_role_sees_exactly_its_employers(
    world: World, login_as: Login, user: str, expected: set[str]
) -> None:
    api = await login_as(user)
    assert await visible(api, world) == expected


@pytest.mark.parametrize("user", ["trainer", "analyst"])
async def test_roles_without_access_are_forbidden(world: World, login_as: Login, user: str) -> None:
    api = await login_as(user)
    body = (await api.post(EMPLOYERS)).json()
    assert codes(body["errors"]) == ["FORBIDDEN"] and body["data"] is None


async def test_anonymous_is_unauthenticated(api: Api, world: World) -> None:
    body = (await api.post(EMPLOYERS)).json()
    assert codes(body["errors"]) == ["UNAUTHENTICATED"] and body["data"] is None


async def test_node_lookup_of_an_employer_follows_the_scope(world: World, login_as: Login) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on Employer { name } } }"
    chem_admin = await login_as("chem_admin")
    assert (await chem_admin.gql(query, {"id": employer_gid(world, "chem")}))["node"] == {
        "name": EMPLOYER_NAMES["chem"]
    }
    assert (await chem_admin.gql(query, {"id": employer_gid(world, "agency")}))["node"] is None


# --- filters and fields ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        ({"namePrefix": "深圳市安泰"}, {"chem"}),
        ({"namePrefix": "广州"}, {"agency"}),
        ({"namePrefix": "%"}, set()),
        ({"regionCode": "440000"}, {"chem", "agency"}),
        ({"regionCode": "440300"}, {"chem"}),
        ({"regionCode": "440100"}, {"agency"}),
        ({"regionCode": "110000"}, {"beijing"}),
        ({"kind": "SERVICE_AGENCY"}, {"agency"}),
        ({"kind": "PRODUCTION_UNIT"}, {"chem", "beijing"}),
        ({"kind": "PRODUCTION_UNIT", "regionCode": "440000"}, {"chem"}),
    ],
)
async def test_employer_filters(
    world: World, login_as: Login, f: dict[str, Any], expected: set[str]
) -> None:
    admin = await login_as("admin")
    assert await visible(admin, world, f) == expected


async def test_credit_code_filter_is_exact_and_normalized(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    code = world.employers["chem"].credit_code
    for variant in (code, code.lower(), f" {code[:9]} {code[9:]} "):
        assert await visible(admin, world, {"creditCode": variant}) == {"chem"}
    assert await visible(admin, world, {"creditCode": code[:17]}) == set()


async def test_region_filter_wildcards_are_literal(world: World, login_as: Login) -> None:
    # given the admin; when the region filter is a bare LIKE wildcard
    admin = await login_as("admin")
    resp = await admin.post(EMPLOYERS, {"f": {"regionCode": "%"}})
    body = resp.json()

    # then it is refused or matches nothing -- it must not match every employer
    if body.get("errors"):
        assert codes(body["errors"])[0] in ("BAD_USER_INPUT", "REGION_INVALID")
    else:
        seen = {e["node"]["name"] for e in body["data"]["employers"]["edges"]}
        assert seen.isdisjoint(EMPLOYER_NAMES.values()), seen


async def test_filters_never_widen_the_scope(world: World, login_as: Login) -> None:
    gd = await login_as("gd_reviewer")
    assert await visible(gd, world, {"regionCode": "110000"}) == set()
    code = world.employers["beijing"].credit_code
    assert await visible(gd, world, {"creditCode": code}) == set()


async def test_employer_fields(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    data = await admin.gql(EMPLOYERS, {"f": {"creditCode": world.employers["chem"].credit_code}})
    node = data["employers"]["edges"][0]["node"]
    assert {k: v for k, v in node.items() if k != "id"} == {
        "name": EMPLOYER_NAMES["chem"],
        "creditCode": world.employers["chem"].credit_code,
        "creditCodeChecksumValid": True,
        "kind": "PRODUCTION_UNIT",
        "industry": "C",
        "regionCode": "440300",
        "version": 1,
        "employeeCount": 2,
    }
    assert node["id"] == employer_gid(world, "chem")


async def test_employee_count_per_employer(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    data = await admin.gql(EMPLOYERS, {"f": {}})
    count = {e["node"]["name"]: e["node"]["employeeCount"] for e in data["employers"]["edges"]}
    assert {n: count[n] for n in EMPLOYER_NAMES.values()} == {
        EMPLOYER_NAMES["chem"]: 2,
        EMPLOYER_NAMES["agency"]: 1,
        EMPLOYER_NAMES["beijing"]: 1,
    }


# --- employerCreate -------------------------------------------------------------------------


async def test_reviewer_creates_an_employer(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the Guangdong reviewer
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)

    # when they register a Shenzhen employer, typing the code in lowercase and the industry
    # letter in lowercase
    resp = await reviewer.post(
        EMPLOYER_CREATE,
        {"input": {**GOOD, "creditCode": NEW_CODE.lower(), "industry": "e"}},
        headers={"X-Request-ID": "employer-create-01"},
    )
    payload = resp.json()["data"]["employerCreate"]

    # then it is saved in canonical form, its region taken from the code
    assert payload["errors"] == []
    e = payload["employer"]
    assert {k: v for k, v in e.items() if k != "id"} == {
        "name": GOOD["name"],
        "creditCode": NEW_CODE,
        "creditCodeChecksumValid": True,
        "kind": "PRODUCTION_UNIT",
        "industry": "E",
        "regionCode": "440304",
        "version": 1,
        "employeeCount": 0,
    }
    assert (await counts(runtime))["employers"] == before["employers"] + 1
    rows = await audit_rows(runtime, request_id="employer-create-01")
    assert [r.action for r in rows] == ["EMPLOYER_CREATED"]
    assert rows[0].actor_user_id == await user_id(runtime, "gd_reviewer")
    # and it can be found by its code
    assert (await reviewer.gql(EMPLOYERS, {"f": {"creditCode": NEW_CODE}}))["employers"][
        "totalCount"
    ] == 1


async def test_explicit_region_code(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    ok = await create(reviewer, regionCode="440305")
    assert ok["errors"] == [] and ok["employer"]["regionCode"] == "440305"


async def test_explicit_region_outside_the_province(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await create(reviewer, regionCode="110105")
    assert field_codes(payload) == [("regionCode", "NOT_PERMITTED")]


async def test_checksum_failure_is_a_warning_a_reviewer_may_accept(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given a code whose check character is wrong
    reviewer = await login_as("gd_reviewer")
    wrong = bad_check(make_credit_code("440304", "NEW2"))
    before = await counts(runtime)

    # when the reviewer saves it without accepting the warning
    warned = await create(reviewer, creditCode=wrong)

    # then CREDIT_CODE_CHECKSUM on creditCode, and nothing is written
    assert field_codes(warned) == [("creditCode", "CREDIT_CODE_CHECKSUM")]
    assert warned["employer"] is None
    assert await counts(runtime) == before

    # when they accept the warning
    resp = await reviewer.post(
        EMPLOYER_CREATE,
        {"input": {**GOOD, "creditCode": wrong, "acceptChecksumWarning": True}},
        headers={"X-Request-ID": "employer-override-1"},
    )
    accepted = resp.json()["data"]["employerCreate"]

    # then it is saved, flagged, and the override is on the audit trail with who did it
    assert accepted["errors"] == []
    assert accepted["employer"]["creditCodeChecksumValid"] is False
    assert accepted["employer"]["creditCode"] == wrong
    rows = await audit_rows(runtime, request_id="employer-override-1")
    assert sorted(r.action for r in rows) == ["CREDIT_CODE_OVERRIDE", "EMPLOYER_CREATED"]
    override = next(r for r in rows if r.action == "CREDIT_CODE_OVERRIDE")
    assert override.detail == {"creditCode": wrong}
    assert override.actor_user_id == await user_id(runtime, "gd_reviewer")


async def test_a_valid_code_writes_no_override(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # accepting the warning when there is none changes nothing
    reviewer = await login_as("gd_reviewer")
    payload = await create(reviewer, acceptChecksumWarning=True)
    assert payload["employer"]["creditCodeChecksumValid"] is True
    assert await audit_rows(runtime, action="CREDIT_CODE_OVERRIDE") == []


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(NEW_CODE[:17], id="17-chars"),
        pytest.param(NEW_CODE + "1", id="19-chars"),
        pytest.param("", id="empty"),
        *[
            pytest.param(NEW_CODE[:10] + letter + NEW_CODE[11:], id=f"contains-{letter}")
            for letter in "IOZSV"
        ],
        pytest.param("91" + "000000" + NEW_CODE[8:], id="area-000000"),
        pytest.param(NEW_CODE[:10] + "-" + NEW_CODE[11:], id="punctuation"),
    ],
)
async def test_malformed_credit_codes(
    world: World, login_as: Login, runtime: Runtime, code: str
) -> None:
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)
    payload = await create(reviewer, creditCode=code, acceptChecksumWarning=True)
    assert field_codes(payload) == [("creditCode", "CREDIT_CODE_FORMAT")]
    assert payload["employer"] is None
    assert await counts(runtime) == before


async def test_domain_example_code_is_valid_but_outside_guangdong(
    world: World, login_as: Login
) -> None:
    # given the DOMAIN.md example, a Xiamen (35) code
    reviewer = await login_as("gd_reviewer")

    # then the Guangdong reviewer is refused only for the region (no checksum complaint)
    payload = await create(reviewer, creditCode=DOMAIN_EXAMPLE)
    assert field_codes(payload) == [("regionCode", "NOT_PERMITTED")]

    # and the admin saves it, checksum valid, region from the code
    admin = await login_as("admin")
    saved = await create(admin, creditCode=DOMAIN_EXAMPLE, name="厦门示例有限公司")
    assert saved["errors"] == []
    assert saved["employer"]["creditCodeChecksumValid"] is True
    assert saved["employer"]["regionCode"] == "350200"


async def test_duplicate_credit_code(world: World, login_as: Login, runtime: Runtime) -> None:
    reviewer = await login_as("gd_reviewer")
    code = world.employers["chem"].credit_code
    before = await counts(runtime)
    for variant in (code, code.lower()):
        payload = await create(reviewer, creditCode=variant)
        assert field_codes(payload) == [("creditCode", "DUPLICATE_EMPLOYER")]
    assert await counts(runtime) == before


@pytest.mark.parametrize("industry", ["Z", "U", "AB", "", "1", "中"])
async def test_bad_industry(world: World, login_as: Login, industry: str) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await create(reviewer, industry=industry)
    assert field_codes(payload) == [("industry", "INDUSTRY_INVALID")]


async def test_industry_letters_a_to_t_are_accepted(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    for i, letter in enumerate("AT"):
        payload = await create(
            reviewer, industry=letter, creditCode=make_credit_code("440304", f"TND{i}")
        )
        assert payload["errors"] == [] and payload["employer"]["industry"] == letter


@pytest.mark.parametrize("name", ["x", " ", "x" * 101, "公" * 10_000])
async def test_bad_employer_name(world: World, login_as: Login, name: str) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await create(reviewer, name=name)
    assert [e["field"] for e in payload["errors"]] == ["name"]
    assert payload["errors"][0]["code"] in ("NAME_INVALID", "TOO_LONG")


async def test_several_problems_are_reported_together(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await create(reviewer, name="x", industry="Z", creditCode=NEW_CODE[:17])
    assert set(field_codes(payload)) == {
        ("name", "NAME_INVALID"),
        ("industry", "INDUSTRY_INVALID"),
        ("creditCode", "CREDIT_CODE_FORMAT"),
    }


@pytest.mark.parametrize("user", ["chem_admin", "zhang", "ministry", "trainer"])
async def test_only_managers_create_employers(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    api = await login_as(user)
    before = await counts(runtime)
    body = (await api.post(EMPLOYER_CREATE, {"input": GOOD})).json()
    assert codes(body["errors"]) == ["FORBIDDEN"] and body["data"] is None
    assert await counts(runtime) == before


# --- employerUpdate -------------------------------------------------------------------------


async def test_employer_admin_updates_own_employer(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the chemical employer's admin
    chem_admin = await login_as("chem_admin")

    # when they rename it, change the kind and the industry (in lowercase)
    payload = await update(
        chem_admin,
        employer_gid(world, "chem"),
        name="深圳市安泰化工集团有限公司",
        kind="SERVICE_AGENCY",
        industry="g",
        expectedVersion=1,
    )

    # then saved, canonical, one version later, and audited by field name
    assert payload["errors"] == []
    assert {k: v for k, v in payload["employer"].items() if k != "id"} == {
        "name": "深圳市安泰化工集团有限公司",
        "kind": "SERVICE_AGENCY",
        "industry": "G",
        "regionCode": "440300",
        "version": 2,
    }
    rows = await audit_rows(
        runtime, action="EMPLOYER_UPDATED", subject_id=str(world.employers["chem"].id)
    )
    assert [r.detail for r in rows] == [{"fields": ["name", "kind", "industry"]}]


async def test_employer_admin_cannot_update_another_employer(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    payload = await update(chem_admin, employer_gid(world, "agency"), name="改名有限公司")
    assert payload["employer"] is None
    assert [e["code"] for e in payload["errors"]] in (["NOT_FOUND"], ["NOT_PERMITTED"])
    admin = await login_as("admin")
    data = await admin.gql(EMPLOYERS, {"f": {"creditCode": world.employers["agency"].credit_code}})
    assert data["employers"]["edges"][0]["node"]["name"] == EMPLOYER_NAMES["agency"]


async def test_stale_version_on_employer(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    chem = employer_gid(world, "chem")
    first = await update(chem_admin, chem, name="深圳市安泰一号有限公司", expectedVersion=1)
    assert first["errors"] == [] and first["employer"]["version"] == 2
    stale = await update(chem_admin, chem, name="深圳市安泰二号有限公司", expectedVersion=1)
    assert field_codes(stale) == [("expectedVersion", "STALE_VERSION")]
    assert stale["employer"] is None


async def test_reviewer_updates_within_the_province(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    agency = await update(reviewer, employer_gid(world, "agency"), regionCode="440106")
    assert agency["errors"] == [] and agency["employer"]["regionCode"] == "440106"
    away = await update(reviewer, employer_gid(world, "chem"), regionCode="110105")
    assert field_codes(away) == [("regionCode", "NOT_PERMITTED")]
    beijing = await update(reviewer, employer_gid(world, "beijing"), name="北京改名有限公司")
    assert field_codes(beijing) == [("id", "NOT_FOUND")]


async def test_update_validates_fields(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await update(reviewer, employer_gid(world, "chem"), name="x", industry="Z")
    assert set(field_codes(payload)) == {("name", "NAME_INVALID"), ("industry", "INDUSTRY_INVALID")}


async def test_update_with_an_id_of_another_type_is_not_found(
    world: World, login_as: Login
) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await update(reviewer, person_gid(world, "zhang"), name="某某有限公司")
    assert field_codes(payload) == [("id", "NOT_FOUND")]


@pytest.mark.parametrize("user", ["zhang", "ministry", "analyst"])
async def test_roles_that_may_not_update_employers(
    world: World, login_as: Login, user: str
) -> None:
    api = await login_as(user)
    body = (
        await api.post(
            EMPLOYER_UPDATE, {"id": employer_gid(world, "chem"), "input": {"name": "改名有限公司"}}
        )
    ).json()
    assert codes(body["errors"]) == ["FORBIDDEN"] and body["data"] is None
