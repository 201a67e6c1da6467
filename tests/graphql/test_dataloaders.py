"""Nested lists resolve through dataloaders: the statement count does not grow with the page."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from regsafe.core.runtime import Runtime
from regsafe.identity import service
from regsafe.identity.service import AgePolicy, PersonInput
from tests.plugins.identity import SYSTEM, World, make_id_number

QUERY = """query People($n: Int!) { persons(first: $n, filter: {regionCode: "440000"}) {
  totalCount
  edges { node {
    name idNumberMasked
    employments { startDate employer { name creditCode employeeCount } }
    currentEmployment { person { name } employer { name } }
  } }
} }"""


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)


async def test_nested_list_query_issues_a_bounded_number_of_statements(
    runtime: Runtime, engine: AsyncEngine, world: World, login_as: Any
) -> None:
    # given 40 more Guangdong engineers, each employed by one of two employers
    async with runtime.db.session() as s:
        for i in range(40):
            p = await service.create_person(
                s,
                data=PersonInput(
                    name=f"测试{chr(0x4E00 + i)}",
                    id_number=make_id_number("440305", date(1980, 1, 1 + i % 28), 500 + i),
                    region_code="440305",
                ),
                viewer=SYSTEM,
                cipher=runtime.cipher,
                today=date(2026, 11, 28),
                ages=AgePolicy(),
            )
            employer = world.employers["chem" if i % 2 else "agency"]
            assert p.id and employer.id
            await service.start_employment(
                s,
                person_id=p.id,
                employer_id=employer.id,
                start_date=date(2021, 1, 1),
                social_insurance=True,
                viewer=SYSTEM,
                today=date(2026, 11, 28),
            )
        await s.commit()
    reviewer = await login_as("gd_reviewer")

    # when the same nested query asks for 3 and for 40 persons
    counts = {}
    for n in (3, 40):
        with count_statements(engine) as statements:
            data = await reviewer.gql(QUERY, {"n": n})
        assert len(data["persons"]["edges"]) == n
        counts[n] = len(statements)

    # then the number of statements is the same (one per type per level), and small
    assert counts[3] == counts[40], counts
    assert counts[40] <= 9, counts


async def test_sibling_fields_share_one_session_safely(world: World, login_as: Any) -> None:
    """After a mutation commits, the payload's sibling fields load through different
    dataloaders at once (person and employer of an employment); the request's one
    session must serialise them, not fail."""
    from strawberry.relay import to_base64

    admin = await login_as("admin")
    pid = world.people["li"].id
    assert pid is not None
    found = await admin.gql(
        "query($id: ID!) { node(id: $id) { ... on Person { currentEmployment { id } } } }",
        {"id": to_base64("Person", pid)},
    )
    mutation = """mutation($id: ID!) { employmentEnd(id: $id, endDate: "2026-06-30") {
      errors { code } employment { isCurrent person { name } employer { name } } } }"""
    data = await admin.gql(mutation, {"id": found["node"]["currentEmployment"]["id"]})
    assert data["employmentEnd"] == {
        "errors": [],
        "employment": {
            "isCurrent": False,
            "person": {"name": "李娜"},
            "employer": {"name": "深圳市安泰化工有限公司"},
        },
    }
