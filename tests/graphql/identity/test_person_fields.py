"""Fields of Person: masking of personal identifiers, the audit of unmasked reads, derived
fields, employments, and lookups by global id (`node`, `nodes`)."""

from __future__ import annotations

from datetime import date

import pytest

from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import (
    EMPLOYER_NAMES,
    MAX_BIGINT,
    NAMES,
    PERSON_UPDATE,
    Login,
    audit_rows,
    codes,
    employer_gid,
    full_id_number,
    gid,
    masked,
    person_gid,
    user_id,
)
from tests.plugins.identity import World

NODE = """query($id: ID!) { node(id: $id) { ... on Person { id name gender birthDate idNumber
  idNumberMasked phone phoneMasked education regionCode specialty identityStatus version
  createdAt } } }"""
ID_ONLY = "query($id: ID!) { node(id: $id) { ... on Person { idNumber } } }"
PHONE_ONLY = "query($id: ID!) { node(id: $id) { ... on Person { phone } } }"
MASKED_ONLY = """query($id: ID!) { node(id: $id) { ... on Person { idNumberMasked phoneMasked
  } } }"""
EMPLOYMENTS = """query($id: ID!) { node(id: $id) { ... on Person {
  employments { id startDate endDate isCurrent socialInsurance person { name }
    employer { name } }
  currentEmployment { isCurrent employer { id name creditCode employeeCount } } } } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename
  ... on Person { name } ... on Employer { name } } }"""


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "unmasked"),
    [
        ("zhang", True),
        ("admin", True),
        ("gd_reviewer", False),
        ("chem_admin", False),
        ("ministry", False),
    ],
)
async def test_id_number_and_phone_are_full_only_for_self_and_admin(
    world: World, login_as: Login, runtime: Runtime, user: str, unmasked: bool
) -> None:
    # given zhang's real ID number and a viewer who can see zhang
    idn = full_id_number(runtime, world, "zhang")
    api = await login_as(user)

    # when the viewer reads every identifier field
    node = (await api.gql(NODE, {"id": person_gid(world, "zhang")}))["node"]

    # then idNumber/phone are full or masked by role; the *Masked fields always masked
    assert node["idNumber"] == (idn if unmasked else masked(idn))
    assert node["phone"] == ("13800138000" if unmasked else "138****8000")
    assert node["idNumberMasked"] == masked(idn)
    assert node["phoneMasked"] == "138****8000"


async def test_masked_id_number_keeps_area_code_and_last_four(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given a reviewer reading wang
    idn = full_id_number(runtime, world, "wang")
    reviewer = await login_as("gd_reviewer")
    node = (await reviewer.gql(NODE, {"id": person_gid(world, "wang")}))["node"]

    # then 6 digits, 8 stars and 4 characters: nothing of the birth date shows
    value = node["idNumber"]
    assert len(value) == 18
    assert value[:6] == idn[:6] and value[6:14] == "********" and value[14:] == idn[14:]
    assert idn[6:14] not in value


async def test_person_without_phone_has_null_phone_fields(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    node = (await admin.gql(NODE, {"id": person_gid(world, "li")}))["node"]
    assert node["phone"] is None and node["phoneMasked"] is None


# --- audit of unmasked reads ---------------------------------------------------------------


@pytest.mark.parametrize("user", ["zhang", "admin"])
async def test_unmasked_id_number_read_writes_one_audit_row(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    # given a viewer allowed to see zhang's full ID number
    api = await login_as(user)
    rid = f"audit-id-{user}-0001"

    # when they read it once
    resp = await api.post(
        ID_ONLY, {"id": person_gid(world, "zhang")}, headers={"X-Request-ID": rid}
    )
    assert "*" not in resp.json()["data"]["node"]["idNumber"]

    # then exactly one audit row names the action, the reader, the person and the request
    rows = await audit_rows(runtime, request_id=rid)
    assert [(r.action, r.subject_type, r.subject_id) for r in rows] == [
        ("PERSON_ID_NUMBER_READ", "person", str(world.pid("zhang")))
    ]
    assert rows[0].actor_user_id == await user_id(runtime, user)
    assert rows[0].at is not None


@pytest.mark.parametrize("user", ["zhang", "admin"])
async def test_unmasked_phone_read_writes_one_audit_row(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    api = await login_as(user)
    rid = f"audit-phone-{user}-01"
    resp = await api.post(
        PHONE_ONLY, {"id": person_gid(world, "zhang")}, headers={"X-Request-ID": rid}
    )
    assert resp.json()["data"]["node"]["phone"] == "13800138000"
    rows = await audit_rows(runtime, request_id=rid)
    assert [(r.action, r.subject_id) for r in rows] == [
        ("PERSON_PHONE_READ", str(world.pid("zhang")))
    ]
    assert rows[0].actor_user_id == await user_id(runtime, user)


@pytest.mark.parametrize("user", ["gd_reviewer", "chem_admin", "ministry"])
async def test_masked_reads_write_no_audit_rows(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    # given a viewer who only ever gets masked values
    api = await login_as(user)
    rid = f"audit-masked-{user}"

    # when they read every identifier field
    resp = await api.post(NODE, {"id": person_gid(world, "zhang")}, headers={"X-Request-ID": rid})
    assert "*" in resp.json()["data"]["node"]["idNumber"]

    # then nothing is written to the audit trail
    assert await audit_rows(runtime, request_id=rid) == []


async def test_always_masked_fields_are_not_audited_even_for_admin(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    admin = await login_as("admin")
    rid = "audit-masked-admin"
    await admin.post(MASKED_ONLY, {"id": person_gid(world, "zhang")}, headers={"X-Request-ID": rid})
    assert await audit_rows(runtime, request_id=rid) == []


async def test_a_null_phone_is_not_a_read_of_personal_data(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given li, who has no phone; when the admin reads li's phone
    admin = await login_as("admin")
    rid = "audit-null-phone"
    resp = await admin.post(
        PHONE_ONLY, {"id": person_gid(world, "li")}, headers={"X-Request-ID": rid}
    )

    # then null and no audit row
    assert resp.json()["data"]["node"]["phone"] is None
    assert await audit_rows(runtime, request_id=rid) == []


async def test_listing_full_id_numbers_audits_one_row_per_person(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the admin listing the Guangdong people with full ID numbers
    admin = await login_as("admin")
    rid = "audit-list-admin"
    resp = await admin.post(
        """{ persons(first: 50, filter: {regionCode: "440000"}) {
             edges { node { id idNumber } } } }""",
        headers={"X-Request-ID": rid},
    )
    edges = resp.json()["data"]["persons"]["edges"]
    assert len(edges) >= 3

    # then one PERSON_ID_NUMBER_READ per person listed, each naming that person
    rows = await audit_rows(runtime, request_id=rid)
    assert {r.action for r in rows} == {"PERSON_ID_NUMBER_READ"}
    assert len(rows) == len(edges)
    expected = {str(world.pid(k)) for k in ("zhang", "li", "wang")}
    assert expected <= {r.subject_id for r in rows}


async def test_unmasked_read_in_a_mutation_payload_is_audited(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang changing his own phone and reading it back in the payload
    me = await login_as("zhang")
    rid = "audit-mutation-zhang"
    resp = await me.post(
        PERSON_UPDATE,
        {"id": person_gid(world, "zhang"), "input": {"phone": "13700001111"}},
        headers={"X-Request-ID": rid},
    )
    payload = resp.json()["data"]["personUpdate"]
    assert payload["errors"] == [] and payload["person"]["phone"] == "13700001111"

    # then the change and the full read are both on the trail, and no value is stored in it
    rows = await audit_rows(runtime, request_id=rid)
    assert sorted(r.action for r in rows) == ["PERSON_PHONE_READ", "PERSON_UPDATED"]
    assert all("13700001111" not in str(r.detail) for r in rows)


# --- derived and plain fields ----------------------------------------------------------------


@pytest.mark.parametrize("key", list(NAMES))
async def test_gender_and_birth_date_are_derived_from_the_id_number(
    world: World, login_as: Login, runtime: Runtime, key: str
) -> None:
    # given a world person's ID number
    idn = full_id_number(runtime, world, key)
    admin = await login_as("admin")

    # when their fields are read
    node = (await admin.gql(NODE, {"id": person_gid(world, key)}))["node"]

    # then birth date = digits 7-14 and gender = parity of digit 17
    born = date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14]))
    assert node["birthDate"] == born.isoformat()
    assert node["gender"] == ("MALE" if int(idn[16]) % 2 else "FEMALE")
    assert node["name"] == NAMES[key]
    assert node["regionCode"] == world.people[key].region_code
    assert node["identityStatus"] == "PENDING"
    assert node["version"] == 1
    assert node["createdAt"] is not None


async def test_world_genders_are_what_the_sequence_numbers_say(
    world: World, login_as: Login
) -> None:
    # sequence 123 and 017 are odd (male), 224 and 046 even (female)
    admin = await login_as("admin")
    genders = {}
    for key in NAMES:
        genders[key] = (await admin.gql(NODE, {"id": person_gid(world, key)}))["node"]["gender"]
    assert genders == {"zhang": "MALE", "li": "FEMALE", "wang": "FEMALE", "zhao": "MALE"}


async def test_specialty_and_education(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    zhang = (await admin.gql(NODE, {"id": person_gid(world, "zhang")}))["node"]
    wang = (await admin.gql(NODE, {"id": person_gid(world, "wang")}))["node"]
    assert zhang["specialty"] == "CHEMICAL" and wang["specialty"] == "CONSTRUCTION"
    assert zhang["education"] is None


# --- employments ---------------------------------------------------------------------------


async def test_employments_and_current_employment(world: World, login_as: Login) -> None:
    # given the chemical employer's admin reading their two people
    chem = await login_as("chem_admin")
    zhang = (await chem.gql(EMPLOYMENTS, {"id": person_gid(world, "zhang")}))["node"]
    li = (await chem.gql(EMPLOYMENTS, {"id": person_gid(world, "li")}))["node"]

    # then each has one open employment at that employer, with the insurance flag
    assert [
        {k: e[k] for k in ("startDate", "endDate", "isCurrent", "socialInsurance")}
        for e in zhang["employments"]
    ] == [{"startDate": "2020-01-01", "endDate": None, "isCurrent": True, "socialInsurance": True}]
    assert zhang["employments"][0]["employer"]["name"] == EMPLOYER_NAMES["chem"]
    assert zhang["employments"][0]["person"]["name"] == "张伟"
    assert li["employments"][0]["socialInsurance"] is False
    current = zhang["currentEmployment"]
    assert current["isCurrent"] is True
    assert current["employer"] == {
        "id": employer_gid(world, "chem"),
        "name": EMPLOYER_NAMES["chem"],
        "creditCode": world.employers["chem"].credit_code,
        "employeeCount": 2,
    }


@pytest.mark.parametrize(("key", "employer"), [("wang", "agency"), ("zhao", "beijing")])
async def test_current_employer_names(
    world: World, login_as: Login, key: str, employer: str
) -> None:
    admin = await login_as("admin")
    node = (await admin.gql(EMPLOYMENTS, {"id": person_gid(world, key)}))["node"]
    assert node["currentEmployment"]["employer"]["name"] == EMPLOYER_NAMES[employer]


# --- node / nodes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "key", "visible"),
    [
        ("gd_reviewer", "zhang", True),
        ("gd_reviewer", "zhao", False),
        ("bj_reviewer", "zhao", True),
        ("bj_reviewer", "wang", False),
        ("chem_admin", "li", True),
        ("chem_admin", "wang", False),
        ("zhang", "zhang", True),
        ("zhang", "li", False),
        ("ministry", "zhao", True),
    ],
)
async def test_node_returns_visible_people_and_null_for_others(
    world: World, login_as: Login, user: str, key: str, visible: bool
) -> None:
    # given a viewer; when they look a person up by global id
    api = await login_as(user)
    resp = await api.post(NODE, {"id": person_gid(world, key)})
    body = resp.json()

    # then the person, or null without any error (indistinguishable from "no such person")
    assert not body.get("errors")
    node = body["data"]["node"]
    assert (node["name"] if node else None) == (NAMES[key] if visible else None)


async def test_node_for_an_id_that_does_not_exist_is_null(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    body = (await admin.post(NODE, {"id": gid("Person", 987_654_321)})).json()
    assert not body.get("errors") and body["data"]["node"] is None


async def test_nodes_keep_order_and_hide_what_is_out_of_scope(
    world: World, login_as: Login
) -> None:
    # given the Guangdong reviewer and ids of people and employers in and out of scope
    reviewer = await login_as("gd_reviewer")
    ids = [
        person_gid(world, "zhao"),
        employer_gid(world, "chem"),
        person_gid(world, "zhang"),
        employer_gid(world, "beijing"),
        person_gid(world, "wang"),
    ]

    # when fetched together
    data = await reviewer.gql(NODES, {"ids": ids})

    # then one entry per id, in order, null where the reviewer may not look
    assert data["nodes"] == [
        None,
        {"__typename": "Employer", "name": EMPLOYER_NAMES["chem"]},
        {"__typename": "Person", "name": "张伟"},
        None,
        {"__typename": "Person", "name": "王芳"},
    ]


async def test_employment_node_follows_the_persons_visibility(
    world: World, login_as: Login
) -> None:
    # given zhao's employment id, as the admin sees it
    admin = await login_as("admin")
    found = await admin.gql(EMPLOYMENTS, {"id": person_gid(world, "zhao")})
    employment_id = found["node"]["employments"][0]["id"]
    query = """query($id: ID!) { node(id: $id) { ... on Employment { isCurrent
      person { name } } } }"""

    # then the Beijing reviewer can fetch it and the Guangdong reviewer gets null
    bj = await login_as("bj_reviewer")
    assert (await bj.gql(query, {"id": employment_id}))["node"] == {
        "isCurrent": True,
        "person": {"name": "赵强"},
    }
    gd = await login_as("gd_reviewer")
    assert (await gd.gql(query, {"id": employment_id}))["node"] is None


@pytest.mark.parametrize(
    "bad_id",
    [
        pytest.param(gid("Person", MAX_BIGINT + 1), id="person-id-over-bigint"),
        pytest.param("UGVyc29uOmFiYw==", id="person-id-not-a-number"),  # "Person:abc"
        pytest.param("garbage", id="not-a-global-id"),
        pytest.param(gid("NoSuchType", 1), id="unknown-type"),
    ],
)
async def test_malformed_global_id_is_a_client_error_not_a_server_error(
    world: World, login_as: Login, bad_id: str
) -> None:
    # given the admin; when node() is handed an id that is not a valid Person id
    admin = await login_as("admin")
    body = (await admin.post(NODE, {"id": bad_id})).json()

    # then null (as for an unknown id) or a client error -- never a masked server error,
    # which logs a stack trace and tells the user to call the administrator
    errs = codes(body.get("errors") or [])
    assert set(errs) <= {"BAD_USER_INPUT", "INVALID_ID"}, body["errors"]
    if not errs:
        assert body["data"]["node"] is None
