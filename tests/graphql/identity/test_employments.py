"""employmentStart / employmentEnd: one open employment per person, dates, who may start
and end which employment, and what the scopes look like afterwards."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import (
    EMPLOYER_NAMES,
    EMPLOYMENT_END,
    EMPLOYMENT_START,
    PERSON_CREATE,
    Login,
    audit_rows,
    codes,
    counts,
    employer_gid,
    field_codes,
    gid,
    names_of,
    person_gid,
)
from tests.plugins.api import Api
from tests.plugins.identity import World, make_id_number

CURRENT = """query($id: ID!) { node(id: $id) { ... on Person { currentEmployment { id }
  employments { id endDate isCurrent employer { name } } } } }"""
COUNT = """query($code: String!) { employers(filter: {creditCode: $code}) {
  edges { node { employeeCount } } } }"""


@pytest.fixture
async def newcomer(world: World, login_as: Login) -> str:
    """A new Shenzhen person with no employment, registered by the Guangdong reviewer."""
    reviewer = await login_as("gd_reviewer")
    data = await reviewer.gql(
        PERSON_CREATE,
        {
            "input": {
                "name": "孙磊",
                "idNumber": make_id_number("440304", date(1991, 3, 3), 555),
                "regionCode": "440304",
            }
        },
    )
    payload = data["personCreate"]
    assert payload["errors"] == []
    person_id: str = payload["person"]["id"]
    return person_id


async def employment_of(api: Api, world: World, key: str) -> str:
    """The global id of a world person's current employment (read as the given viewer)."""
    node = (await api.gql(CURRENT, {"id": person_gid(world, key)}))["node"]
    employment_id: str = node["currentEmployment"]["id"]
    return employment_id


async def start(api: Api, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.gql(EMPLOYMENT_START, {"input": fields}))[
        "employmentStart"
    ]
    return payload


async def end(api: Api, employment_id: str, day: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.gql(EMPLOYMENT_END, {"id": employment_id, "d": day}))[
        "employmentEnd"
    ]
    return payload


async def employee_count(api: Api, world: World, key: str) -> int:
    data = await api.gql(COUNT, {"code": world.employers[key].credit_code})
    n: int = data["employers"]["edges"][0]["node"]["employeeCount"]
    return n


# --- employmentStart ------------------------------------------------------------------------


async def test_employer_admin_cannot_start_an_employment_directly(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given the chemical employer's admin, and a newcomer they know the ID number of
    chem_admin = await login_as("chem_admin")
    before = await counts(runtime)

    # when the admin starts an employment directly, by person id or by ID number
    by_person = await chem_admin.post(
        EMPLOYMENT_START,
        {
            "input": {
                "personId": newcomer,
                "employerId": employer_gid(world, "chem"),
                "startDate": "2026-01-01",
            }
        },
    )
    by_number = await chem_admin.post(
        EMPLOYMENT_START,
        {
            "input": {
                "idNumber": make_id_number("440304", date(1991, 3, 3), 555),
                "employerId": employer_gid(world, "chem"),
                "startDate": "2026-01-01",
            }
        },
    )

    # then both are refused before any lookup (employers invite: test_invitations.py),
    # and nothing is written
    assert codes(by_person.json()["errors"]) == ["FORBIDDEN"]
    assert by_number.json().get("data") is None and by_number.json()["errors"]
    assert await counts(runtime) == before


async def test_reviewer_hires_a_new_person(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given the Guangdong reviewer and a newcomer
    reviewer = await login_as("gd_reviewer")

    # when the reviewer starts the newcomer's employment at the chemical employer
    resp = await reviewer.post(
        EMPLOYMENT_START,
        {
            "input": {
                "personId": newcomer,
                "employerId": employer_gid(world, "chem"),
                "startDate": "2026-01-01",
            }
        },
        headers={"X-Request-ID": "employment-start-1"},
    )
    payload = resp.json()["data"]["employmentStart"]

    # then it is current, social insurance defaults to the employer, and it is audited
    assert payload["errors"] == []
    e = payload["employment"]
    assert {k: e[k] for k in ("startDate", "endDate", "isCurrent", "socialInsurance")} == {
        "startDate": "2026-01-01",
        "endDate": None,
        "isCurrent": True,
        "socialInsurance": True,
    }
    assert e["person"] == {"name": "孙磊"}
    assert e["employer"] == {"name": EMPLOYER_NAMES["chem"]}
    rows = await audit_rows(runtime, request_id="employment-start-1")
    assert [r.action for r in rows] == ["EMPLOYMENT_STARTED"]

    # and the employer now counts three, and its admin sees the newcomer
    assert await employee_count(reviewer, world, "chem") == 3
    chem_admin = await login_as("chem_admin")
    assert (await chem_admin.gql(CURRENT, {"id": newcomer}))["node"]["currentEmployment"] == {
        "id": e["id"]
    }


async def test_social_insurance_elsewhere_is_recorded(
    world: World, login_as: Login, newcomer: str
) -> None:
    reviewer = await login_as("gd_reviewer")
    payload = await start(
        reviewer,
        personId=newcomer,
        employerId=employer_gid(world, "agency"),
        startDate="2025-05-01",
        socialInsurance=False,
    )
    assert payload["errors"] == [] and payload["employment"]["socialInsurance"] is False


@pytest.mark.parametrize(("user", "employer"), [("gd_reviewer", "agency"), ("admin", "chem")])
async def test_a_second_open_employment_is_refused(
    world: World, login_as: Login, runtime: Runtime, user: str, employer: str
) -> None:
    # given zhang, currently employed by the chemical employer
    api = await login_as(user)
    before = await counts(runtime)

    # when someone starts another employment for him
    payload = await start(
        api,
        personId=person_gid(world, "zhang"),
        employerId=employer_gid(world, employer),
        startDate="2026-02-01",
    )

    # then EMPLOYMENT_OVERLAP on personId, nothing written, the old one still current
    assert field_codes(payload) == [("personId", "EMPLOYMENT_OVERLAP")]
    assert payload["employment"] is None
    assert await counts(runtime) == before
    admin = await login_as("admin")
    node = (await admin.gql(CURRENT, {"id": person_gid(world, "zhang")}))["node"]
    assert [e["employer"]["name"] for e in node["employments"]] == [EMPLOYER_NAMES["chem"]]


async def test_start_date_may_not_be_in_the_future(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    # given today in Shanghai
    reviewer = await login_as("gd_reviewer")
    today = today_shanghai()
    chem = employer_gid(world, "chem")
    before = await counts(runtime)

    # when the employment would start tomorrow: EMPLOYMENT_DATES on startDate, nothing written
    tomorrow = (today + timedelta(days=1)).isoformat()
    future = await start(reviewer, personId=newcomer, employerId=chem, startDate=tomorrow)
    assert field_codes(future) == [("startDate", "EMPLOYMENT_DATES")]
    assert await counts(runtime) == before

    # and starting today is fine
    ok = await start(reviewer, personId=newcomer, employerId=chem, startDate=today.isoformat())
    assert ok["errors"] == []


# --- employmentEnd --------------------------------------------------------------------------


async def test_employer_admin_ends_an_employment(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given li, employed by the chemical employer since 2020-01-01
    chem_admin = await login_as("chem_admin")
    employment = await employment_of(chem_admin, world, "li")

    # when the employer's admin ends it
    resp = await chem_admin.post(
        EMPLOYMENT_END, {"id": employment, "d": "2026-06-30"}, headers={"X-Request-ID": "end-li-01"}
    )
    payload = resp.json()["data"]["employmentEnd"]

    # then it is ended, audited, and li leaves the employer's scope and head count
    assert payload["errors"] == []
    assert payload["employment"] == {
        "id": employment,
        "startDate": "2020-01-01",
        "endDate": "2026-06-30",
        "isCurrent": False,
    }
    assert [r.action for r in await audit_rows(runtime, request_id="end-li-01")] == [
        "EMPLOYMENT_ENDED"
    ]
    assert await names_of(chem_admin) == {"张伟"}
    assert (await chem_admin.gql(CURRENT, {"id": person_gid(world, "li")}))["node"] is None
    assert await employee_count(chem_admin, world, "chem") == 1
    admin = await login_as("admin")
    assert await names_of(admin, {"employerId": employer_gid(world, "chem")}) == {"张伟"}
    node = (await admin.gql(CURRENT, {"id": person_gid(world, "li")}))["node"]
    assert node["currentEmployment"] is None
    assert [(e["endDate"], e["isCurrent"]) for e in node["employments"]] == [("2026-06-30", False)]


async def test_ending_twice_is_refused(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    employment = await employment_of(chem_admin, world, "li")
    assert (await end(chem_admin, employment, "2026-06-30"))["errors"] == []
    again = await end(chem_admin, employment, "2026-07-01")
    assert field_codes(again) == [("id", "EMPLOYMENT_DATES")]
    assert again["employment"] is None


async def test_end_date_before_start_is_refused(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    employment = await employment_of(chem_admin, world, "li")
    early = await end(chem_admin, employment, "2019-12-31")
    assert field_codes(early) == [("endDate", "EMPLOYMENT_DATES")]
    assert await names_of(chem_admin) == {"张伟", "李娜"}  # still employed


async def test_end_on_the_start_date_is_allowed(world: World, login_as: Login) -> None:
    chem_admin = await login_as("chem_admin")
    employment = await employment_of(chem_admin, world, "li")
    payload = await end(chem_admin, employment, "2020-01-01")
    assert payload["errors"] == [] and payload["employment"]["endDate"] == "2020-01-01"


@pytest.mark.parametrize(("user", "key"), [("gd_reviewer", "zhao"), ("chem_admin", "wang")])
async def test_cannot_end_an_employment_outside_ones_scope(
    world: World, login_as: Login, runtime: Runtime, user: str, key: str
) -> None:
    # given an employment at an employer the viewer does not manage
    admin = await login_as("admin")
    employment = await employment_of(admin, world, key)
    api = await login_as(user)
    before = await counts(runtime)

    # when the viewer tries to end it
    payload = await end(api, employment, "2026-06-30")

    # then refused as a payload error, and the employment is still current
    assert payload["employment"] is None
    assert [e["code"] for e in payload["errors"]] in (["NOT_FOUND"], ["NOT_PERMITTED"])
    assert await counts(runtime) == before
    assert await employment_of(admin, world, key) == employment


async def test_rehire_after_the_end(world: World, login_as: Login) -> None:
    # given li's employment at the chemical employer ended
    chem_admin = await login_as("chem_admin")
    old = await employment_of(chem_admin, world, "li")
    assert (await end(chem_admin, old, "2026-06-30"))["errors"] == []

    # when the reviewer starts a new one at the agency
    reviewer = await login_as("gd_reviewer")
    payload = await start(
        reviewer,
        personId=person_gid(world, "li"),
        employerId=employer_gid(world, "agency"),
        startDate="2026-07-01",
    )

    # then it is current, and the history lists the newest first
    assert payload["errors"] == []
    node = (await reviewer.gql(CURRENT, {"id": person_gid(world, "li")}))["node"]
    assert node["currentEmployment"] == {"id": payload["employment"]["id"]}
    assert [(e["employer"]["name"], e["isCurrent"]) for e in node["employments"]] == [
        (EMPLOYER_NAMES["agency"], True),
        (EMPLOYER_NAMES["chem"], False),
    ]


# --- ids of the wrong type or outside the scope --------------------------------------------


async def test_ids_of_the_wrong_type_are_not_found(
    world: World, login_as: Login, runtime: Runtime, newcomer: str
) -> None:
    reviewer = await login_as("gd_reviewer")
    before = await counts(runtime)
    chem = employer_gid(world, "chem")
    as_person = await start(reviewer, personId=chem, employerId=chem, startDate="2026-01-01")
    assert field_codes(as_person) == [("personId", "NOT_FOUND")]
    as_employer = await start(
        reviewer, personId=newcomer, employerId=newcomer, startDate="2026-01-01"
    )
    assert field_codes(as_employer) == [("employerId", "NOT_FOUND")]
    ended = await end(reviewer, person_gid(world, "zhang"), "2026-06-30")
    assert field_codes(ended) == [("id", "NOT_FOUND")]
    missing = await end(reviewer, gid("Employment", 987_654_321), "2026-06-30")
    assert field_codes(missing) == [("id", "NOT_FOUND")]
    assert await counts(runtime) == before


async def test_not_found_names_the_input_field_at_fault(
    world: World, login_as: Login, newcomer: str
) -> None:
    # given the Guangdong reviewer, who can see neither zhao nor the Beijing employer
    reviewer = await login_as("gd_reviewer")

    # when zhao is the person, or the Beijing employer the employer
    person = await start(
        reviewer,
        personId=person_gid(world, "zhao"),
        employerId=employer_gid(world, "chem"),
        startDate="2026-01-01",
    )
    employer = await start(
        reviewer,
        personId=newcomer,
        employerId=employer_gid(world, "beijing"),
        startDate="2026-01-01",
    )

    # then NOT_FOUND on the input field that holds the unknown id (the form field to mark),
    # as for an id of the wrong type -- employmentStart has no field called "id"
    assert field_codes(person) == [("personId", "NOT_FOUND")]
    assert field_codes(employer) == [("employerId", "NOT_FOUND")]


@pytest.mark.parametrize("user", ["zhang", "ministry", "trainer", "analyst"])
async def test_roles_that_may_not_manage_employments(
    world: World, login_as: Login, runtime: Runtime, user: str
) -> None:
    admin = await login_as("admin")
    employment = await employment_of(admin, world, "li")
    api = await login_as(user)
    before = await counts(runtime)
    started = (
        await api.post(
            EMPLOYMENT_START,
            {
                "input": {
                    "personId": person_gid(world, "li"),
                    "employerId": employer_gid(world, "agency"),
                    "startDate": "2026-01-01",
                }
            },
        )
    ).json()
    ended = (await api.post(EMPLOYMENT_END, {"id": employment, "d": "2026-06-30"})).json()
    assert codes(started["errors"]) == ["FORBIDDEN"] and started["data"] is None
    assert codes(ended["errors"]) == ["FORBIDDEN"] and ended["data"] is None
    assert await counts(runtime) == before
