"""Persons, employers and employments over HTTP: every query and mutation, every role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, func, select
from strawberry.relay import to_base64

from regsafe.audit.models import AuditEvent
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Person
from regsafe.identity.rules import id_check_character
from tests.plugins.api import Api
from tests.plugins.identity import World, make_credit_code, make_id_number

Login = Callable[[str], Awaitable[Api]]

PERSONS = """query($f: PersonFilterInput, $first: Int, $after: String, $last: Int,
  $before: String) { persons(filter: $f, first: $first, after: $after, last: $last,
  before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  edges { cursor node { id name idNumber idNumberMasked phone phoneMasked gender birthDate
  regionCode specialty version currentEmployment { employer { name } } } } } }"""
EMPLOYERS = """query($f: EmployerFilterInput) { employers(filter: $f, first: 50) { totalCount
  edges { node { id name creditCode kind industry regionCode employeeCount
  creditCodeChecksumValid } } } }"""
PERSON_CREATE = """mutation($input: PersonCreateInput!) { personCreate(input: $input) {
  person { id name gender birthDate identityStatus idNumberMasked }
  errors { field code message } } }"""
PERSON_UPDATE = """mutation($id: ID!, $input: PersonUpdateInput!) { personUpdate(id: $id,
  input: $input) { person { name phoneMasked education version } errors { field code } } }"""
EMPLOYER_CREATE = """mutation($input: EmployerCreateInput!) { employerCreate(input: $input) {
  employer { id name creditCode creditCodeChecksumValid regionCode }
  errors { field code message } } }"""
EMPLOYER_UPDATE = """mutation($id: ID!, $input: EmployerUpdateInput!) { employerUpdate(id: $id,
  input: $input) { employer { name version } errors { field code } } }"""
EMPLOYMENT_START = """mutation($input: EmploymentStartInput!) { employmentStart(input: $input) {
  employment { id isCurrent person { name } employer { name } } errors { field code } } }"""
EMPLOYMENT_END = """mutation($id: ID!, $d: Date!) { employmentEnd(id: $id, endDate: $d) {
  employment { endDate isCurrent } errors { field code } } }"""
WORLD = {"张伟", "李娜", "王芳", "赵强"}


def gid(type_name: str, pk: int | None) -> str:
    assert pk is not None
    return to_base64(type_name, pk)


async def names(api: Api, f: dict[str, Any] | None = None) -> set[str]:
    data = await api.gql(PERSONS, {"f": f or {}, "first": 100})
    return {e["node"]["name"] for e in data["persons"]["edges"]} & WORLD


# --- who sees whom -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("admin", WORLD),
        ("ministry", WORLD),
        ("gd_reviewer", {"张伟", "李娜", "王芳"}),
        ("bj_reviewer", {"赵强"}),
        ("chem_admin", {"张伟", "李娜"}),
        ("zhang", {"张伟"}),
        ("zhao", {"赵强"}),
    ],
)
async def test_persons_visible_per_role(
    world: World, login_as: Login, user: str, visible: set[str]
) -> None:
    api = await login_as(user)
    assert await names(api) == visible


@pytest.mark.parametrize("user", ["trainer", "analyst"])
async def test_roles_without_access_to_people_are_forbidden(
    world: World, login_as: Login, user: str
) -> None:
    api = await login_as(user)
    for query in (PERSONS, EMPLOYERS):
        errors = await api.errors(query)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("admin", {"chem", "agency", "beijing"}),
        ("gd_reviewer", {"chem", "agency"}),
        ("chem_admin", {"chem"}),
        ("zhang", {"chem"}),
        ("zhao", {"beijing"}),
    ],
)
async def test_employers_visible_per_role(
    world: World, login_as: Login, user: str, visible: set[str]
) -> None:
    api = await login_as(user)
    data = await api.gql(EMPLOYERS)
    got = {e["node"]["creditCode"] for e in data["employers"]["edges"]}
    expected = {world.employers[k].credit_code for k in visible}
    assert got & {e.credit_code for e in world.employers.values()} == expected


# --- fields, masking and audit -------------------------------------------------------------


async def test_full_id_number_only_for_self_and_admin_and_each_read_is_audited(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    zhang_id = world.pid("zhang")
    f = {"namePrefix": "张伟"}
    seen: dict[str, dict[str, Any]] = {}
    for user in ("zhang", "admin", "gd_reviewer", "chem_admin"):
        api = await login_as(user)
        data = await api.gql(PERSONS, {"f": f, "first": 5})
        seen[user] = data["persons"]["edges"][0]["node"]
    full = seen["zhang"]["idNumber"]
    assert len(full) == 18 and "*" not in full
    assert seen["admin"]["idNumber"] == full
    assert seen["zhang"]["phone"] == "13800138000"
    for user in ("gd_reviewer", "chem_admin"):
        assert seen[user]["idNumber"] == full[:6] + "********" + full[-4:]
        assert seen[user]["phone"] == "138****8000"
    assert {s["idNumberMasked"] for s in seen.values()} == {full[:6] + "********" + full[-4:]}
    assert seen["zhang"]["gender"] == "MALE" and seen["zhang"]["birthDate"] == "1985-06-15"

    async with runtime.db.session() as s:
        reads = (
            await s.exec(
                select(AuditEvent).where(
                    AuditEvent.subject_id == str(zhang_id),
                    col(AuditEvent.action).in_(["PERSON_ID_NUMBER_READ", "PERSON_PHONE_READ"]),
                )
            )
        ).all()
    # zhang and admin each read the ID number and the phone once; the others nothing
    assert len(reads) == 4
    assert all(r.request_id for r in reads)


async def test_node_lookup_respects_scope(world: World, login_as: Login) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { name } } }"
    ids = [gid("Person", world.pid("zhang")), gid("Person", world.pid("zhao"))]
    gd = await login_as("gd_reviewer")
    assert (await gd.gql(query, {"ids": ids}))["nodes"] == [{"name": "张伟"}, None]
    admin = await login_as("admin")
    assert (await admin.gql(query, {"ids": ids}))["nodes"] == [{"name": "张伟"}, {"name": "赵强"}]


# --- filters and pagination ---------------------------------------------------------------


async def test_filters(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    zhang_full = (await admin.gql(PERSONS, {"f": {"namePrefix": "张伟"}}))["persons"]["edges"][0][
        "node"
    ]["idNumber"]
    assert await names(admin, {"namePrefix": "王"}) == {"王芳"}
    assert await names(admin, {"idNumber": zhang_full.lower()}) == {"张伟"}
    assert await names(admin, {"idNumber": " " + zhang_full}) == {"张伟"}
    assert await names(admin, {"regionCode": "440000"}) == {"张伟", "李娜", "王芳"}
    assert await names(admin, {"regionCode": "440300"}) == {"张伟", "王芳"}
    assert await names(admin, {"regionCode": "440305"}) == {"张伟"}
    assert await names(admin, {"specialty": "CONSTRUCTION"}) == {"王芳", "赵强"}
    chem = gid("Employer", world.employers["chem"].id)
    assert await names(admin, {"employerId": chem}) == {"张伟", "李娜"}
    assert await names(admin, {"employerId": chem, "specialty": "CHEMICAL"}) == {"张伟", "李娜"}
    errors = await admin.errors(PERSONS, {"f": {"employerId": gid("Person", 1)}})
    assert errors[0]["extensions"]["code"] == "INVALID_ID"
    employers = await admin.gql(
        EMPLOYERS, {"f": {"kind": "SERVICE_AGENCY", "regionCode": "440000"}}
    )
    assert [e["node"]["name"] for e in employers["employers"]["edges"]] == [
        "广州市安评技术咨询有限公司"
    ]
    by_code = await admin.gql(EMPLOYERS, {"f": {"creditCode": world.employers["chem"].credit_code}})
    chem_node = by_code["employers"]["edges"][0]["node"]
    assert chem_node["employeeCount"] == 2 and chem_node["industry"] == "C"


async def test_keyset_pages_forward_and_backward(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    f = {"regionCode": "440000"}
    seen: list[str] = []
    after = None
    while True:
        page = (await admin.gql(PERSONS, {"f": f, "first": 1, "after": after}))["persons"]
        seen += [e["node"]["name"] for e in page["edges"]]
        assert page["totalCount"] == 3
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 3 and set(seen) == {"张伟", "李娜", "王芳"}
    last = (await admin.gql(PERSONS, {"f": f, "last": 2}))["persons"]
    assert [e["node"]["name"] for e in last["edges"]] == seen[1:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    before = await admin.gql(PERSONS, {"f": f, "last": 5, "before": last["edges"][0]["cursor"]})
    assert [e["node"]["name"] for e in before["persons"]["edges"]] == seen[:1]


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 1, "last": 1}, "INVALID_PAGINATION"),
        ({"first": 101}, "INVALID_PAGINATION"),
        ({"first": -1}, "INVALID_PAGINATION"),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR"),
    ],
)
async def test_bad_pagination_is_a_clear_error(
    world: World, login_as: Login, variables: dict[str, Any], code: str
) -> None:
    admin = await login_as("admin")
    errors = await admin.errors(PERSONS, variables)
    assert errors[0]["extensions"]["code"] == code


# --- personCreate / personUpdate -------------------------------------------------------------


async def _count(runtime: Runtime) -> tuple[int, int]:
    async with runtime.db.session() as s:
        persons = (await s.exec(select(func.count()).select_from(Person))).one()
        conn = await s.connection()
        jobs = (await conn.exec_driver_sql("SELECT count(*) FROM procrastinate_jobs")).scalar()
    return persons, int(jobs or 0)


def _bad_date_id() -> str:
    body = "44030519990230123"  # 30 February
    return body + id_check_character(body)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"idNumber": "440305198506151231"}, [("idNumber", "ID_NUMBER_CHECKSUM")]),
        ({"idNumber": _bad_date_id()}, [("idNumber", "BIRTH_DATE_INVALID")]),
        ({"idNumber": "4403051985061512"}, [("idNumber", "ID_NUMBER_FORMAT")]),
        (
            {"idNumber": make_id_number("440305", date(1950, 1, 1), 1)},
            [("idNumber", "AGE_OUT_OF_RANGE")],
        ),
        (
            {"idNumber": make_id_number("440305", date(2012, 1, 1), 1)},
            [("idNumber", "AGE_OUT_OF_RANGE")],
        ),
        ({"regionCode": "110105"}, [("regionCode", "NOT_PERMITTED")]),
        ({"phone": "12345"}, [("phone", "PHONE_INVALID")]),
        ({"name": "张" * 10_000}, [("name", "NAME_INVALID")]),
        (
            {"name": "", "phone": "1", "regionCode": "abc"},
            [
                ("name", "NAME_INVALID"),
                ("regionCode", "REGION_INVALID"),
                ("phone", "PHONE_INVALID"),
            ],
        ),
    ],
)
async def test_person_create_rejects_bad_input_and_writes_nothing(
    world: World,
    login_as: Login,
    runtime: Runtime,
    changes: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    reviewer = await login_as("gd_reviewer")
    before = await _count(runtime)
    good = {
        "name": "新人员",
        "idNumber": make_id_number("440305", date(1990, 5, 5), 777),
        "regionCode": "440305",
    }
    payload = (await reviewer.gql(PERSON_CREATE, {"input": {**good, **changes}}))["personCreate"]
    assert payload["person"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
    assert all(e["message"] for e in payload["errors"])
    assert await _count(runtime) == before


async def test_person_create_then_duplicate(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    reviewer = await login_as("gd_reviewer")
    before = await _count(runtime)
    idn = make_id_number("440305", date(1990, 5, 5), 778)
    new = {
        "name": "欧阳·娜",
        "idNumber": idn,
        "regionCode": "440305",
        "phone": "13912345678",
        "education": "MASTER",
        "specialty": "CHEMICAL",
    }
    created = (await reviewer.gql(PERSON_CREATE, {"input": new}))["personCreate"]
    assert created["errors"] == []
    assert created["person"]["gender"] == "FEMALE"  # sequence 778 is even
    # a reviewer outside a case sees the masked ID number, so never its birth date
    assert created["person"]["birthDate"] is None
    assert created["person"]["identityStatus"] == "PENDING"
    assert created["person"]["idNumberMasked"] == idn[:6] + "********" + idn[-4:]
    assert await _count(runtime) == (before[0] + 1, before[1] + 1)  # person and its job
    dup = (await reviewer.gql(PERSON_CREATE, {"input": new}))["personCreate"]
    assert dup["errors"] == [
        {"field": "idNumber", "code": "DUPLICATE_PERSON", "message": "该身份证号码已登记"}
    ]
    assert await _count(runtime) == (before[0] + 1, before[1] + 1)


async def test_unknown_enum_value_is_a_validation_error(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    resp = await admin.post(
        PERSON_CREATE,
        {"input": {"name": "x", "idNumber": "x", "regionCode": "x", "specialty": "FIRE"}},
    )
    body = resp.json()
    assert resp.status_code in (200, 400) and body.get("data") is None
    assert "FIRE" in body["errors"][0]["message"]


@pytest.mark.parametrize("user", ["zhang", "chem_admin", "ministry", "trainer", "analyst"])
async def test_person_create_needs_a_managing_role(
    world: World, login_as: Login, user: str
) -> None:
    api = await login_as(user)
    errors = await api.errors(
        PERSON_CREATE,
        {"input": {"name": "甲", "idNumber": make_id_number(), "regionCode": "440305"}},
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_person_update_rules(world: World, login_as: Login) -> None:
    zhang_gid = gid("Person", world.pid("zhang"))
    zhao_gid = gid("Person", world.pid("zhao"))
    me = await login_as("zhang")
    ok = (
        await me.gql(
            PERSON_UPDATE,
            {
                "id": zhang_gid,
                "input": {"phone": "13700001111", "education": "MASTER", "expectedVersion": 1},
            },
        )
    )["personUpdate"]
    assert ok["errors"] == []
    assert ok["person"]["phoneMasked"] == "137****1111" and ok["person"]["version"] == 2
    stale = (
        await me.gql(
            PERSON_UPDATE,
            {"id": zhang_gid, "input": {"education": "DOCTORATE", "expectedVersion": 1}},
        )
    )["personUpdate"]
    assert stale["errors"] == [{"field": "expectedVersion", "code": "STALE_VERSION"}]
    name = await me.gql(PERSON_UPDATE, {"id": zhang_gid, "input": {"name": "张三"}})
    assert name["personUpdate"]["errors"] == [{"field": "name", "code": "NOT_PERMITTED"}]
    other = await me.gql(PERSON_UPDATE, {"id": zhao_gid, "input": {"phone": "13700001111"}})
    assert other["personUpdate"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    reviewer = await login_as("gd_reviewer")
    renamed = await reviewer.gql(PERSON_UPDATE, {"id": zhang_gid, "input": {"name": "张伟伟"}})
    assert renamed["personUpdate"]["person"]["name"] == "张伟伟"
    chem = await login_as("chem_admin")
    errors = await chem.errors(PERSON_UPDATE, {"id": zhang_gid, "input": {"name": "x"}})
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


# --- employerCreate / employerUpdate -----------------------------------------------------------


async def test_employer_create_and_checksum_override(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    reviewer = await login_as("gd_reviewer")
    code = make_credit_code("440304", "NEW1")
    base = {"name": "深圳市新建安全工程有限公司", "kind": "PRODUCTION_UNIT", "industry": "e"}
    ok = await reviewer.gql(EMPLOYER_CREATE, {"input": {**base, "creditCode": code}})
    assert ok["employerCreate"]["errors"] == []
    assert ok["employerCreate"]["employer"]["regionCode"] == "440304"  # from the code
    dup = await reviewer.gql(EMPLOYER_CREATE, {"input": {**base, "creditCode": code}})
    assert dup["employerCreate"]["errors"][0]["code"] == "DUPLICATE_EMPLOYER"

    wrong = make_credit_code("440304", "NEW2")
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    warned = await reviewer.gql(EMPLOYER_CREATE, {"input": {**base, "creditCode": wrong}})
    assert warned["employerCreate"]["errors"][0]["code"] == "CREDIT_CODE_CHECKSUM"
    accepted = (
        await reviewer.gql(
            EMPLOYER_CREATE, {"input": {**base, "creditCode": wrong, "acceptChecksumWarning": True}}
        )
    )["employerCreate"]
    assert accepted["errors"] == []
    assert accepted["employer"]["creditCodeChecksumValid"] is False
    async with runtime.db.session() as s:
        overrides = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "CREDIT_CODE_OVERRIDE"))
        ).all()
    assert [o.detail for o in overrides] == [{"creditCode": wrong}]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"creditCode": "91350200MA2YJ1XR9"}, "CREDIT_CODE_FORMAT"),
        ({"creditCode": "91350200MA2YJ1XRIG"}, "CREDIT_CODE_FORMAT"),
        ({"creditCode": "91350200MA2YJ1XR9G"}, "NOT_PERMITTED"),  # valid, but 35 is Fujian
        ({"industry": "Z"}, "INDUSTRY_INVALID"),
        ({"name": "x"}, "NAME_INVALID"),
    ],
)
async def test_employer_create_errors(
    world: World, login_as: Login, changes: dict[str, str], code: str
) -> None:
    reviewer = await login_as("gd_reviewer")
    good = {
        "name": "深圳市某某有限公司",
        "creditCode": make_credit_code("440304", "ERR1"),
        "kind": "PRODUCTION_UNIT",
        "industry": "C",
    }
    payload = await reviewer.gql(EMPLOYER_CREATE, {"input": {**good, **changes}})
    assert [e["code"] for e in payload["employerCreate"]["errors"]] == [code]


async def test_domain_example_credit_code_is_accepted_for_its_region(
    world: World, login_as: Login
) -> None:
    admin = await login_as("admin")
    payload = await admin.gql(
        EMPLOYER_CREATE,
        {
            "input": {
                "name": "厦门示例有限公司",
                "creditCode": "91350200MA2YJ1XR9G",
                "kind": "PRODUCTION_UNIT",
                "industry": "C",
            }
        },
    )
    assert payload["employerCreate"]["employer"]["regionCode"] == "350200"


async def test_employer_update_by_its_own_admin_only(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    own = await chem_admin.gql(
        EMPLOYER_UPDATE,
        {
            "id": gid("Employer", world.employers["chem"].id),
            "input": {"name": "深圳市安泰化工集团有限公司", "expectedVersion": 1},
        },
    )
    assert own["employerUpdate"]["employer"] == {"name": "深圳市安泰化工集团有限公司", "version": 2}
    other = await chem_admin.gql(
        EMPLOYER_UPDATE,
        {"id": gid("Employer", world.employers["agency"].id), "input": {"name": "改名有限公司"}},
    )
    assert other["employerUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    registrant = await login_as("zhang")
    errors = await registrant.errors(
        EMPLOYER_UPDATE,
        {"id": gid("Employer", world.employers["chem"].id), "input": {"name": "改名有限公司"}},
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


# --- employmentStart / employmentEnd ----------------------------------------------------------


async def test_employment_lifecycle(world: World, login_as: Login) -> None:
    reviewer = await login_as("gd_reviewer")
    created = (
        await reviewer.gql(
            PERSON_CREATE,
            {
                "input": {
                    "name": "孙磊",
                    "idNumber": make_id_number("440304", date(1991, 3, 3), 555),
                    "regionCode": "440304",
                }
            },
        )
    )["personCreate"]["person"]
    chem = gid("Employer", world.employers["chem"].id)
    chem_admin = await login_as("chem_admin")
    start = {"personId": created["id"], "employerId": chem, "startDate": "2026-01-01"}
    # an employer admin may not start an employment at all: it invites, and the person
    # confirms (test_invitations.py); the reviewer of the person's province may start it
    refused = await chem_admin.errors(EMPLOYMENT_START, {"input": start})
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    job = (await reviewer.gql(EMPLOYMENT_START, {"input": start}))["employmentStart"]
    assert job["errors"] == [] and job["employment"]["isCurrent"] is True
    assert job["employment"]["employer"]["name"] == "深圳市安泰化工有限公司"
    twice = (
        await reviewer.gql(
            EMPLOYMENT_START,
            {"input": {**start, "employerId": gid("Employer", world.employers["agency"].id)}},
        )
    )["employmentStart"]
    assert twice["errors"] == [{"field": "personId", "code": "EMPLOYMENT_OVERLAP"}]
    future = await reviewer.gql(EMPLOYMENT_START, {"input": {**start, "startDate": "2099-01-01"}})
    assert future["employmentStart"]["errors"][0]["code"] in (
        "EMPLOYMENT_DATES",
        "EMPLOYMENT_OVERLAP",
    )
    end = {"id": job["employment"]["id"]}
    early = (await chem_admin.gql(EMPLOYMENT_END, {**end, "d": "2025-12-31"}))["employmentEnd"]
    assert early["errors"] == [{"field": "endDate", "code": "EMPLOYMENT_DATES"}]
    done = (await chem_admin.gql(EMPLOYMENT_END, {**end, "d": "2026-06-30"}))["employmentEnd"]
    assert done["employment"] == {"endDate": "2026-06-30", "isCurrent": False}
    again = (await chem_admin.gql(EMPLOYMENT_END, {**end, "d": "2026-07-01"}))["employmentEnd"]
    assert again["errors"] == [{"field": "id", "code": "EMPLOYMENT_DATES"}]
    wrong_type = await chem_admin.gql(EMPLOYMENT_END, {"id": chem, "d": "2026-07-01"})
    assert wrong_type["employmentEnd"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


async def test_other_province_cannot_end_an_employment(world: World, login_as: Login) -> None:
    admin = await login_as("admin")
    zhao = await admin.gql(
        "query($id: ID!) { node(id: $id) { ... on Person { currentEmployment { id } } } }",
        {"id": gid("Person", world.pid("zhao"))},
    )
    employment_id = zhao["node"]["currentEmployment"]["id"]
    gd = await login_as("gd_reviewer")
    payload = await gd.gql(EMPLOYMENT_END, {"id": employment_id, "d": "2026-06-30"})
    # outside the scope is indistinguishable from absent
    assert payload["employmentEnd"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
