"""Compiled reads (graphql/core/compiled.py, identity/compiled.py) answer exactly what the
resolvers answer: every document below is sent by every role (and anonymously) once with
the plans on and once with them off, and the whole response bodies, data and errors,
must be equal. Then: the plans are really taken (fewer statements), and a field with a
rule of its own cannot be shaped by a plan."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from regsafe.core.runtime import Runtime
from regsafe.graphql.core.compiled import Derived, Leaf, Shape
from regsafe.graphql.core.relay import encode_cursor
from tests.graphql.test_dataloaders import count_statements
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, World

PERSON_FIELDS = """id __typename name gender education regionCode specialty identityStatus
  version createdAt idNumberMasked phoneMasked
  currentEmployment { __typename id startDate endDate socialInsurance isCurrent
    employer { __typename id name creditCode creditCodeChecksumValid kind industry
      regionCode version } }"""

DOCUMENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "page": (
        "query($n: Int) { persons(first: $n) { __typename totalCount pageInfo { __typename "
        "hasNextPage hasPreviousPage startCursor endCursor } edges { __typename cursor node { "
        + PERSON_FIELDS
        + " } } } }",
        {"n": 3},
    ),
    "aliases and fragments": (
        """query { a: persons(first: 2) { n: totalCount edges { c: cursor node { ...P
             who: name ... on Person { job: currentEmployment { employer { nm: name } } } } } }
           b: persons(filter: {regionCode: "440000"}, last: 2) { edges { node { ...P } }
             pageInfo { hasPreviousPage startCursor } } }
           fragment P on Person { id name currentEmployment { startDate } }""",
        {},
    ),
    "include and skip": (
        """query($y: Boolean!, $n: Boolean!) { persons(first: 5) {
             totalCount @include(if: $n)
             edges { node { name @skip(if: $y) regionCode @include(if: $y)
               currentEmployment @include(if: $y) { employer { name } } } } } }""",
        {"y": True, "n": False},
    ),
    "filters": (
        """query($e: ID) { byName: persons(filter: {namePrefix: "张"}) { totalCount edges {
             node { name } } }
           byRegion: persons(filter: {regionCode: "110000"}) { totalCount }
           bySpecialty: persons(filter: {specialty: CHEMICAL}) { totalCount }
           byEmployer: persons(filter: {employerId: $e}) { edges { node { name } } } }""",
        {"e": None},
    ),
    "bad employer id": (
        'query { persons(filter: {employerId: "UGVyc29uOjE="}) { totalCount } }',
        {},
    ),
    "bad cursor": ('query { persons(after: "bm9wZQ==") { totalCount } }', {}),
    "first and last": ("query { persons(first: 1, last: 1) { totalCount } }", {}),
    "page too large": ("query { persons(first: 100000) { totalCount } }", {}),
    "resolver fields beside compiled ones": (
        "query { persons(first: 3) { edges { node { name birthDate idNumber phone "
        "employments { startDate employer { name employeeCount } } } } } }",
        {},
    ),
    "the status variant": (
        """query { persons(first: 4) { totalCount edges { node { id name
             currentEmployment { employer { name } }
             registration { status number validUntil }
             currentCertificate { number validUntil }
             hours { required counted shortfall }
             creditScore { value grade } creditGrade { grade } } } } }""",
        {},
    ),
    "an employer field the nested shape lacks": (
        "query { persons(first: 2) { edges { node { currentEmployment { "
        "employer { employeeCount } } } } } }",
        {},
    ),
    "node of a person": (
        "query($id: ID!) { node(id: $id) { __typename id ... on Person { " + PERSON_FIELDS + " } "
        "... on Employer { creditCode } } }",
        {"id": "PERSON"},
    ),
    "node of a missing person": (
        'query { node(id: "UGVyc29uOjkyMjMzNzIwMzY4NTQ3NzU4MDc=") { id } }',
        {},
    ),
    "node of an employer": (
        "query($id: ID!) { node(id: $id) { id ... on Employer { name } } }",
        {"id": "EMPLOYER"},
    ),
    "node with a bad id": ('query { node(id: "not base64!") { id } }', {}),
    "node with resolver fields": (
        "query($id: ID!) { node(id: $id) { ... on Person { name idNumber birthDate "
        "registration { status } hours { shortfall } } } }",
        {"id": "PERSON"},
    ),
}
USERS = ["admin", "ministry", "gd_reviewer", "bj_reviewer", "chem_admin", "zhang", "analyst", None]


def _variables(world: World, given: dict[str, Any]) -> dict[str, Any]:
    from strawberry.relay import to_base64

    out = dict(given)
    if out.get("id") == "PERSON":
        out["id"] = to_base64("Person", world.people["zhang"].id)
    if out.get("id") == "EMPLOYER":
        out["id"] = to_base64("Employer", world.employers["chem"].id)
    if "e" in out:
        out["e"] = to_base64("Employer", world.employers["chem"].id)
    return out


async def _both(
    api: Api, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, query: str, variables: Any
) -> tuple[Any, Any]:
    compiled = (await api.post(query, variables)).json()
    monkeypatch.setattr(runtime.settings, "compiled_reads", False)
    try:
        resolved = (await api.post(query, variables)).json()
    finally:
        monkeypatch.setattr(runtime.settings, "compiled_reads", True)
    return compiled, resolved


def _without_request_ids(body: Any) -> Any:
    for error in body.get("errors") or []:
        (error.get("extensions") or {}).pop("requestId", None)
    return body


@pytest.mark.parametrize("user", USERS)
async def test_compiled_answers_equal_the_resolvers_for_every_role(
    world: World, api: Api, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, user: str | None
) -> None:
    # given a signed-in user of this role, or nobody
    caller = await api.as_user(user, PASSWORD) if user else api
    for name, (query, given) in DOCUMENTS.items():
        # when the same document is answered with and without the plans
        compiled, resolved = await _both(
            caller, runtime, monkeypatch, query, _variables(world, given)
        )
        # then the responses are identical, data and errors
        assert _without_request_ids(compiled) == _without_request_ids(resolved), name
        assert compiled.get("data") is not None or compiled.get("errors"), name


async def test_a_paged_walk_is_the_same_both_ways(
    world: World, api: Api, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an administrator walking all persons two at a time, forwards and backwards
    admin = await api.as_user("admin", PASSWORD)
    query = """query($a: String, $b: String, $f: Int, $l: Int) {
      persons(after: $a, before: $b, first: $f, last: $l) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { name } } } }"""
    after: str | None = None
    pages = 0
    while True:
        compiled, resolved = await _both(admin, runtime, monkeypatch, query, {"a": after, "f": 2})
        assert compiled == resolved
        info = compiled["data"]["persons"]["pageInfo"]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert pages >= 2
    # and back from the end
    compiled, resolved = await _both(
        admin, runtime, monkeypatch, query, {"b": encode_cursor(2**62), "l": 3}
    )
    assert compiled == resolved
    assert compiled["data"]["persons"]["pageInfo"]["hasNextPage"] is True


async def test_the_plan_is_taken_one_statement_for_the_page_with_employers(
    world: World, api: Api, runtime: Runtime, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a reviewer's page of persons with their employer
    reviewer = await api.as_user("gd_reviewer", PASSWORD)
    query = (
        "query { persons(first: 50) { edges { node { name "
        "currentEmployment { employer { name } } } } } }"
    )
    # when it is answered with the plans, then without
    with count_statements(engine) as compiled:
        await reviewer.post(query)
    monkeypatch.setattr(runtime.settings, "compiled_reads", False)
    with count_statements(engine) as resolved:
        await reviewer.post(query)

    # then the compiled answer read persons, employments and employers in one statement
    def reads(seen: list[str]) -> list[str]:
        tables = ("FROM person", "FROM employment", "FROM employer")
        return [s for s in seen if s.lstrip().startswith("SELECT") and any(t in s for t in tables)]

    assert len(reads(compiled)) == 1, compiled
    assert "JOIN employment" in reads(compiled)[0] and "JOIN employer" in reads(compiled)[0]
    assert len(reads(resolved)) >= 3, resolved


def test_a_field_with_a_rule_of_its_own_cannot_be_shaped(runtime: Runtime) -> None:
    from regsafe.graphql.schema import build_schema

    schema = build_schema(runtime.settings)._schema
    # a resolver that is not the one the plan reproduces (idNumber audits and unmasks)
    with pytest.raises(AssertionError, match="idNumber"):
        Shape("Person", {"idNumber": Derived(lambda r, c: None, "id_number_masked")}).check(schema)
    # a resolver shaped as if it were a column
    with pytest.raises(AssertionError, match="birthDate"):
        Shape("Person", {"birthDate": Leaf("p_birth_date")}).check(schema)
    # a root field with a permission extension
    with pytest.raises(AssertionError, match="extensions"):
        Shape("Query", {"persons": Leaf("x")}).check(schema)


def test_person_query_only_filters_so_the_plan_may_reuse_its_where_clause(
    world: World, runtime: Runtime
) -> None:
    # The plan takes person_query's WHERE clause onto its own FROM (person LEFT JOIN
    # employment LEFT JOIN employer): a join added to person_query must fail here.
    from regsafe.auth.roles import Role, Viewer
    from regsafe.identity import service
    from regsafe.identity.models import Specialty
    from regsafe.identity.service import PersonFilter

    chem = world.employers["chem"].id
    viewers = [
        Viewer(user_id=1, roles=frozenset({Role.ADMIN})),
        Viewer(user_id=2, roles=frozenset({Role.PROVINCIAL_REVIEWER}), province_code="440000"),
        Viewer(
            user_id=3,
            roles=frozenset({Role.EMPLOYER_ADMIN, Role.REGISTRANT}),
            employer_id=chem,
            person_id=1,
        ),
    ]
    every = PersonFilter(
        name_prefix="张",
        id_number="110105194912310029",
        region_code="440000",
        specialty=Specialty.CHEMICAL,
        employer_id=chem,
    )
    for viewer in viewers:
        for f in (PersonFilter(), every):
            stmt = service.person_query(viewer, f, runtime.cipher)
            assert [t.name for t in stmt.get_final_froms()] == ["person"]
