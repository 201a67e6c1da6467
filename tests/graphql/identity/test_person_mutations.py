"""personCreate and personUpdate: validation as payload errors, nothing half-written,
the verification job enqueued with the person, and who may change what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from strawberry.relay import from_base64

from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import (
    MAX_BIGINT,
    PERSON_CREATE,
    PERSON_UPDATE,
    PERSONS,
    Login,
    audit_rows,
    codes,
    counts,
    employer_gid,
    field_codes,
    full_id_number,
    gid,
    jobs_for,
    masked,
    person_gid,
    user_id,
    with_check,
    wrong_check,
)
from tests.plugins.api import Api
from tests.plugins.identity import World, make_id_number

GOOD_ID = make_id_number("440305", date(1990, 5, 5), 777)
GOOD: dict[str, Any] = {
    "name": "新人员",
    "idNumber": GOOD_ID,
    "regionCode": "440305",
    "phone": "13912345678",
    "education": "BACHELOR",
    "specialty": "CHEMICAL",
}
NODE = """query($id: ID!) { node(id: $id) { ... on Person { name phone education regionCode
  specialty version } } }"""


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pk_of(global_id: str) -> int:
    type_name, node_id = from_base64(global_id)
    assert type_name == "Person"
    return int(node_id)


async def create(api: Api, **changes: Any) -> dict[str, Any]:
    data = await api.gql(PERSON_CREATE, {"input": {**GOOD, **changes}})
    payload: dict[str, Any] = data["personCreate"]
    return payload


# --- personCreate: success -----------------------------------------------------------------


async def test_reviewer_creates_a_person_in_their_province(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the Guangdong reviewer and the row counts before
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)
    jobs_before = await jobs_for(runtime, "identity.verify_person")

    # when they register a new Shenzhen person
    resp = await reviewer.post(
        PERSON_CREATE, {"input": GOOD}, headers={"X-Request-ID": "create-person-0001"}
    )
    payload = resp.json()["data"]["personCreate"]

    # then the person comes back, derived fields filled, identity check pending
    assert payload["errors"] == []
    p = payload["person"]
    assert {k: p[k] for k in ("name", "gender", "birthDate", "regionCode", "identityStatus")} == {
        "name": "新人员",
        "gender": "MALE",  # sequence 777 is odd
        "birthDate": None,  # masked ID number shown: its birth date never beside it
        "regionCode": "440305",
        "identityStatus": "PENDING",
    }
    assert p["idNumber"] == masked(GOOD_ID)  # a reviewer never sees it in full
    assert p["idNumberMasked"] == masked(GOOD_ID)
    assert p["phoneMasked"] == "139****5678"
    assert (p["education"], p["specialty"], p["version"]) == ("BACHELOR", "CHEMICAL", 1)
    assert p["employments"] == [] and p["currentEmployment"] is None

    # and exactly one person and one verification job were added, and the creation audited
    after = await counts(runtime)
    assert after["persons"] == before["persons"] + 1
    assert after["jobs"] == before["jobs"] + 1
    pk = pk_of(p["id"])
    jobs_after = await jobs_for(runtime, "identity.verify_person")
    assert jobs_after == [*jobs_before, {"person_id": pk}]
    rows = await audit_rows(runtime, request_id="create-person-0001")
    assert [(r.action, r.subject_id) for r in rows] == [("PERSON_CREATED", str(pk))]
    assert rows[0].actor_user_id == await user_id(runtime, "gd_reviewer")


async def test_created_person_is_findable_by_id_number(world: World, login_as: Login) -> None:
    # given a person created by the reviewer
    reviewer = await login_as("gd_reviewer")
    created = await create(reviewer)
    assert created["errors"] == []

    # then both the reviewer and the admin find exactly that person by ID number
    for api in (reviewer, await login_as("admin")):
        data = await api.gql(PERSONS, {"f": {"idNumber": GOOD_ID}, "first": 5})
        assert [e["node"]["id"] for e in data["persons"]["edges"]] == [created["person"]["id"]]


async def test_input_is_normalized(world: World, login_as: Login) -> None:
    # given an ID number ending in x typed in lowercase with spaces, a formatted phone,
    # and a name with stray spaces
    idn = make_id_number("440305", date(1988, 8, 8), 16)
    assert idn.endswith("X")
    reviewer = await login_as("gd_reviewer")
    created = await create(
        reviewer,
        name="  欧阳   娜 ",
        idNumber=f" {idn[:6]} {idn[6:14]} {idn[14:].lower()} ",
        phone="+86 139-1234-5678",
    )
    assert created["errors"] == []

    # then the admin reads them back in canonical form
    admin = await login_as("admin")
    node = (
        await admin.gql(
            "query($id: ID!) { node(id: $id) { ... on Person { name idNumber phone } } }",
            {"id": created["person"]["id"]},
        )
    )["node"]
    assert node == {"name": "欧阳 娜", "idNumber": idn, "phone": "13912345678"}


async def test_age_limits_are_inclusive(world: World, login_as: Login) -> None:
    # given today in Shanghai and the default policy 18..70
    today = today_shanghai()
    reviewer = await login_as("gd_reviewer")

    # then someone turning 18 today and someone 70 until tomorrow are accepted
    turns_18 = make_id_number("440305", years_before(today, 18), 311)
    oldest = make_id_number("440305", years_before(today, 71) + timedelta(days=1), 313)
    assert (await create(reviewer, idNumber=turns_18))["errors"] == []
    assert (await create(reviewer, idNumber=oldest))["errors"] == []


async def test_admin_may_create_anywhere_and_bj_reviewer_in_beijing(
    world: World, login_as: Login
) -> None:
    admin = await login_as("admin")
    bj = await login_as("bj_reviewer")
    a = await create(admin, idNumber=make_id_number("110105", date(1990, 1, 1), 501))
    b = await create(
        bj, idNumber=make_id_number("110105", date(1990, 1, 2), 503), regionCode="110105"
    )
    assert a["errors"] == [] and b["errors"] == []
    wrong = await create(bj, idNumber=make_id_number("440305", date(1990, 1, 3), 505))
    assert field_codes(wrong) == [("regionCode", "NOT_PERMITTED")]


# --- personCreate: payload errors, nothing written ------------------------------------------

TODAY = today_shanghai()

BAD_INPUT = [
    pytest.param(
        {"idNumber": wrong_check(GOOD_ID)}, {("idNumber", "ID_NUMBER_CHECKSUM")}, id="checksum"
    ),
    pytest.param(
        {"idNumber": with_check("44030519990230123")},
        {("idNumber", "BIRTH_DATE_INVALID")},
        id="feb-30",
    ),
    pytest.param(
        {"idNumber": with_check("44030519991301123")},
        {("idNumber", "BIRTH_DATE_INVALID")},
        id="month-13",
    ),
    pytest.param(
        {"idNumber": with_check("44030518991231123")},
        {("idNumber", "BIRTH_DATE_INVALID")},
        id="before-1900",
    ),
    pytest.param(
        {"idNumber": make_id_number("440305", TODAY + timedelta(days=1), 1)},
        {("idNumber", "BIRTH_DATE_INVALID")},
        id="born-tomorrow",
    ),
    pytest.param({"idNumber": GOOD_ID[:17]}, {("idNumber", "ID_NUMBER_FORMAT")}, id="17-chars"),
    pytest.param({"idNumber": GOOD_ID + "1"}, {("idNumber", "ID_NUMBER_FORMAT")}, id="19-chars"),
    pytest.param({"idNumber": GOOD_ID[:17] + "A"}, {("idNumber", "ID_NUMBER_FORMAT")}, id="letter"),
    pytest.param(
        {"idNumber": GOOD_ID[:10] + "X" + GOOD_ID[11:]},
        {("idNumber", "ID_NUMBER_FORMAT")},
        id="x-inside",
    ),
    pytest.param(
        {"idNumber": "0" + GOOD_ID[1:]}, {("idNumber", "ID_NUMBER_FORMAT")}, id="leading-0"
    ),
    pytest.param({"idNumber": ""}, {("idNumber", "ID_NUMBER_FORMAT")}, id="empty-id"),
    pytest.param(
        {"idNumber": make_id_number("440305", years_before(TODAY, 71), 1)},
        {("idNumber", "AGE_OUT_OF_RANGE")},
        id="age-71",
    ),
    pytest.param(
        {"idNumber": make_id_number("440305", years_before(TODAY, 18) + timedelta(days=1), 1)},
        {("idNumber", "AGE_OUT_OF_RANGE")},
        id="age-17",
    ),
    pytest.param({"regionCode": "110105"}, {("regionCode", "NOT_PERMITTED")}, id="other-province"),
    pytest.param({"regionCode": "abc"}, {("regionCode", "REGION_INVALID")}, id="region-letters"),
    pytest.param({"regionCode": "4403"}, {("regionCode", "REGION_INVALID")}, id="region-short"),
    pytest.param({"phone": "12345"}, {("phone", "PHONE_INVALID")}, id="phone-short"),
    pytest.param({"phone": "12800138000"}, {("phone", "PHONE_INVALID")}, id="phone-12x"),
    pytest.param({"name": ""}, {("name", "NAME_INVALID")}, id="name-empty"),
    pytest.param({"name": "   "}, {("name", "NAME_INVALID")}, id="name-blank"),
    pytest.param({"name": "张3"}, {("name", "NAME_INVALID")}, id="name-digit"),
    pytest.param({"name": "张" * 51}, {("name", "NAME_INVALID")}, id="name-51"),
    pytest.param(
        {"name": "", "idNumber": wrong_check(GOOD_ID), "phone": "1"},
        {("name", "NAME_INVALID"), ("idNumber", "ID_NUMBER_CHECKSUM"), ("phone", "PHONE_INVALID")},
        id="three-at-once",
    ),
    pytest.param(
        {"idNumber": make_id_number("110105", date(1940, 1, 1), 3), "regionCode": "110105"},
        {("idNumber", "AGE_OUT_OF_RANGE"), ("regionCode", "NOT_PERMITTED")},
        id="age-and-scope",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), BAD_INPUT)
async def test_bad_input_is_reported_and_nothing_is_written(
    world: World,
    login_as: Login,
    runtime: Runtime,
    changes: dict[str, Any],
    expected: set[tuple[str, str]],
) -> None:
    # given the Guangdong reviewer and the row counts before
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)

    # when they submit a person with bad fields
    payload = await create(reviewer, **changes)

    # then every problem is a payload error on its field, with a message, and no person
    assert payload["person"] is None
    assert set(field_codes(payload)) == expected
    assert len(payload["errors"]) == len(expected)
    assert all(e["message"] for e in payload["errors"])
    # and nothing was written: no person, no job, no audit row
    assert await counts(runtime) == before


async def test_a_ten_thousand_character_name_is_a_payload_error(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)
    resp = await reviewer.post(PERSON_CREATE, {"input": {**GOOD, "name": "张" * 10_000}})
    assert resp.status_code == 200
    payload = resp.json()["data"]["personCreate"]
    assert payload["person"] is None
    assert [e["field"] for e in payload["errors"]] == ["name"]
    assert payload["errors"][0]["code"] in ("NAME_INVALID", "TOO_LONG")
    assert await counts(runtime) == before


async def test_duplicate_id_number(world: World, login_as: Login, runtime: Runtime) -> None:
    # given zhang's ID number, already registered
    idn = full_id_number(runtime, world, "zhang")
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)

    # when registered again, as typed or with spaces
    for variant in (idn, f"{idn[:6]} {idn[6:]}"):
        payload = await create(reviewer, idNumber=variant)

        # then DUPLICATE_PERSON on idNumber, and nothing written
        assert field_codes(payload) == [("idNumber", "DUPLICATE_PERSON")]
        assert payload["person"] is None
    assert await counts(runtime) == before


async def test_duplicate_with_lowercase_x(world: World, login_as: Login, runtime: Runtime) -> None:
    # given a person whose number ends in X
    idn = make_id_number("440305", date(1988, 8, 8), 24)
    assert idn.endswith("X")
    reviewer = await login_as("gd_reviewer")
    assert (await create(reviewer, idNumber=idn))["errors"] == []
    before = await counts(runtime)

    # when the same number is registered with a lowercase x
    payload = await create(reviewer, idNumber=idn.lower())

    # then it is the same person
    assert field_codes(payload) == [("idNumber", "DUPLICATE_PERSON")]
    assert await counts(runtime) == before


async def test_full_width_digits_do_not_create_a_second_person(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang's ID number typed with full-width digits (a Chinese IME's default),
    # keeping its first digit and check character as ASCII
    idn = full_id_number(runtime, world, "zhang")
    full_width = idn[0] + "".join(chr(ord(c) + 0xFEE0) for c in idn[1:17]) + idn[17]
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)

    # when it is registered
    payload = await create(reviewer, idNumber=full_width)

    # then it is recognised as zhang's number (DUPLICATE_PERSON) or refused as malformed;
    # it must not become a second person with the same ID number
    assert payload["person"] is None, payload
    assert field_codes(payload)[0] in (
        ("idNumber", "DUPLICATE_PERSON"),
        ("idNumber", "ID_NUMBER_FORMAT"),
    )
    assert await counts(runtime) == before


def full_width(digits: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in digits)


@pytest.mark.parametrize(
    ("field", "typed", "canonical"),
    [
        pytest.param("phone", "13" + full_width("912345678"), "13912345678", id="phone"),
        pytest.param("regionCode", "4" + full_width("40305"), "440305", id="regionCode"),
    ],
)
async def test_full_width_digits_in_phone_and_region_are_normalized_or_refused(
    world: World, login_as: Login, field: str, typed: str, canonical: str
) -> None:
    # given the admin typing a phone or region code partly in full-width digits
    admin = await login_as("admin")

    # when the person is created
    payload = await create(admin, **{field: typed})

    # then the field is refused, or saved as ASCII digits: never stored as typed (a region
    # stored as typed falls outside every province's scope and every region filter)
    if payload["errors"]:
        assert [e["field"] for e in payload["errors"]] == [field]
        return
    query = "query($id: ID!) { node(id: $id) { ... on Person { phone regionCode } } }"
    node = (await admin.gql(query, {"id": payload["person"]["id"]}))["node"]
    assert node[field] == canonical


async def test_unknown_enum_value_is_a_validation_error(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given the reviewer; when specialty is not one of the seven
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)
    resp = await reviewer.post(PERSON_CREATE, {"input": {**GOOD, "specialty": "FIRE"}})

    # then a GraphQL validation error naming the value, not a server error; nothing written
    assert resp.status_code in (200, 400)
    body = resp.json()
    assert body.get("data") is None
    assert "FIRE" in body["errors"][0]["message"]
    assert "INTERNAL_SERVER_ERROR" not in codes(body["errors"])
    assert await counts(runtime) == before


@pytest.mark.parametrize("user", ["zhang", "chem_admin", "ministry", "trainer", "analyst"])
async def test_only_managers_may_create_persons(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    api = await login_as(user)
    before = await counts(runtime)
    body = (await api.post(PERSON_CREATE, {"input": GOOD})).json()
    assert codes(body["errors"]) == ["FORBIDDEN"]
    assert body["data"] is None
    assert await counts(runtime) == before


async def test_anonymous_may_not_create_persons(api: Api, world: World, runtime: Runtime) -> None:
    before = await counts(runtime)
    body = (await api.post(PERSON_CREATE, {"input": GOOD})).json()
    assert codes(body["errors"]) == ["UNAUTHENTICATED"]
    assert await counts(runtime) == before


# --- personUpdate ---------------------------------------------------------------------------


async def read(api: Api, person_id: str) -> dict[str, Any]:
    node: dict[str, Any] = (await api.gql(NODE, {"id": person_id}))["node"]
    return node


async def update(api: Api, person_id: str, **changes: Any) -> dict[str, Any]:
    data = await api.gql(PERSON_UPDATE, {"id": person_id, "input": changes})
    payload: dict[str, Any] = data["personUpdate"]
    return payload


async def test_registrant_changes_own_phone_and_education(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang signed in
    me = await login_as("zhang")
    zhang = person_gid(world, "zhang")

    # when he changes his phone and education
    payload = await update(me, zhang, phone="13700001111", education="MASTER", expectedVersion=1)

    # then both are saved and the version goes up
    assert payload["errors"] == []
    assert {k: payload["person"][k] for k in ("phone", "education", "version")} == {
        "phone": "13700001111",
        "education": "MASTER",
        "version": 2,
    }
    rows = await audit_rows(runtime, action="PERSON_UPDATED", subject_id=str(world.pid("zhang")))
    assert [r.detail for r in rows] == [{"fields": ["phone", "education"]}]


async def test_registrant_may_remove_own_phone(world: World, login_as: Login) -> None:
    me = await login_as("zhang")
    payload = await update(me, person_gid(world, "zhang"), phone="")
    assert payload["errors"] == []
    assert payload["person"]["phone"] is None and payload["person"]["phoneMasked"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "张三"}, "name"),
        ({"regionCode": "440306"}, "regionCode"),
        ({"specialty": "OTHER"}, "specialty"),
    ],
)
async def test_registrant_may_not_change_managed_fields(
    world: World, login_as: Login, changes: dict[str, Any], field: str
) -> None:
    # given zhang; when he tries to change a field only managers may change
    me = await login_as("zhang")
    zhang = person_gid(world, "zhang")
    payload = await update(me, zhang, education="MASTER", **changes)

    # then NOT_PERMITTED on that field, and nothing changed (not even the allowed field)
    assert field_codes(payload) == [(field, "NOT_PERMITTED")]
    assert payload["person"] is None
    admin = await login_as("admin")
    node = await read(admin, zhang)
    assert node["name"] == "张伟" and node["education"] is None and node["version"] == 1


async def test_registrant_bad_phone_changes_nothing(world: World, login_as: Login) -> None:
    me = await login_as("zhang")
    zhang = person_gid(world, "zhang")
    payload = await update(me, zhang, phone="12345", education="MASTER")
    assert field_codes(payload) == [("phone", "PHONE_INVALID")]
    node = await read(me, zhang)
    assert node["phone"] == "13800138000" and node["education"] is None and node["version"] == 1


@pytest.mark.parametrize("other", ["li", "zhao"])
async def test_registrant_cannot_update_someone_else(
    world: World, login_as: Login, other: str
) -> None:
    me = await login_as("zhang")
    payload = await update(me, person_gid(world, other), phone="13700001111")
    assert field_codes(payload) == [("id", "NOT_FOUND")]
    assert payload["person"] is None


async def test_stale_expected_version(world: World, login_as: Login) -> None:
    # given the reviewer renames zhang at version 1
    reviewer = await login_as("gd_reviewer")
    zhang = person_gid(world, "zhang")
    first = await update(reviewer, zhang, name="张伟伟", expectedVersion=1)
    assert first["errors"] == [] and first["person"]["version"] == 2

    # when a second edit still claims version 1
    stale = await update(reviewer, zhang, name="张大伟", expectedVersion=1)

    # then STALE_VERSION, and the first edit stands
    assert field_codes(stale) == [("expectedVersion", "STALE_VERSION")]
    assert (await read(reviewer, zhang))["name"] == "张伟伟"
    # and with the current version the edit goes through
    current = await update(reviewer, zhang, name="张大伟", expectedVersion=2)
    assert current["errors"] == [] and current["person"]["version"] == 3


async def test_registrants_stale_version(world: World, login_as: Login) -> None:
    me = await login_as("zhang")
    zhang = person_gid(world, "zhang")
    assert (await update(me, zhang, education="MASTER", expectedVersion=1))["errors"] == []
    stale = await update(me, zhang, education="DOCTORATE", expectedVersion=1)
    assert field_codes(stale) == [("expectedVersion", "STALE_VERSION")]
    assert (await read(me, zhang))["education"] == "MASTER"


async def test_reviewer_edits_within_the_province_only(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    zhang = person_gid(world, "zhang")
    moved = await update(reviewer, zhang, regionCode="440106", specialty="OTHER")
    assert moved["errors"] == []
    assert (moved["person"]["regionCode"], moved["person"]["specialty"]) == ("440106", "OTHER")
    away = await update(reviewer, zhang, regionCode="110105")
    assert field_codes(away) == [("regionCode", "NOT_PERMITTED")]
    assert (await read(reviewer, zhang))["regionCode"] == "440106"
    other = await update(reviewer, person_gid(world, "zhao"), name="赵刚")
    assert field_codes(other) == [("id", "NOT_FOUND")]


async def test_update_validates_every_field_at_once(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await update(
        reviewer, person_gid(world, "zhang"), name="", regionCode="abc", phone="99"
    )
    assert set(field_codes(payload)) == {
        ("name", "NAME_INVALID"),
        ("regionCode", "REGION_INVALID"),
        ("phone", "PHONE_INVALID"),
    }


async def test_admin_may_move_a_person_to_any_region(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    payload = await update(admin, person_gid(world, "zhang"), regionCode="110105")
    assert payload["errors"] == [] and payload["person"]["regionCode"] == "110105"


async def test_an_empty_update_changes_nothing(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await update(reviewer, person_gid(world, "zhang"))
    assert payload["errors"] == [] and payload["person"]["version"] == 1
    assert await audit_rows(runtime, action="PERSON_UPDATED") == []


@pytest.mark.parametrize("user", ["chem_admin", "ministry", "trainer", "analyst"])
async def test_roles_that_may_not_update_persons_are_forbidden(
    world: World, login_as: Login, user: str
) -> None:
    api = await login_as(user)
    body = (
        await api.post(PERSON_UPDATE, {"id": person_gid(world, "zhang"), "input": {"name": "x"}})
    ).json()
    assert codes(body["errors"]) == ["FORBIDDEN"]
    assert body["data"] is None


async def test_update_with_an_id_of_another_type_is_not_found(
    world: World, login_as: Login
) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await update(reviewer, employer_gid(world, "chem"), name="张三")
    assert field_codes(payload) == [("id", "NOT_FOUND")]


async def test_update_with_an_out_of_range_id_is_not_found(world: World, login_as: Login) -> None:
    # given a Person global id whose number does not fit the bigint primary key
    admin = await login_as("admin")
    body = (
        await admin.post(
            PERSON_UPDATE, {"id": gid("Person", MAX_BIGINT + 1), "input": {"name": "张三"}}
        )
    ).json()

    # then NOT_FOUND as a payload error, like any id that names no row -- not a server error
    assert not body.get("errors"), body["errors"]
    assert field_codes(body["data"]["personUpdate"]) == [("id", "NOT_FOUND")]
