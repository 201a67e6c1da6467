"""person_visible is the Python form of person_scope: for every viewer, the persons it
admits are exactly the rows the SQL rule returns (the Person status fields use the one,
the lists and node(id:) the other)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from regsafe.auth.roles import Role, Viewer
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Employment, Person
from regsafe.identity.scopes import person_scope, person_visible
from tests.plugins.identity import World


def _viewers(world: World) -> dict[str, Viewer]:
    chem, beijing = world.employers["chem"].id, world.employers["beijing"].id
    return {
        "admin": Viewer(user_id=1, roles=frozenset({Role.ADMIN})),
        "ministry": Viewer(user_id=2, roles=frozenset({Role.MINISTRY_REVIEWER})),
        "gd_reviewer": Viewer(
            user_id=3, roles=frozenset({Role.PROVINCIAL_REVIEWER}), province_code="440000"
        ),
        "mohurd": Viewer(
            user_id=4, roles=frozenset({Role.PROVINCIAL_REVIEWER}), review_scope="MOHURD"
        ),
        "chem_admin": Viewer(user_id=5, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=chem),
        "beijing_admin": Viewer(
            user_id=6, roles=frozenset({Role.EMPLOYER_ADMIN}), employer_id=beijing
        ),
        "zhang": Viewer(
            user_id=7, roles=frozenset({Role.REGISTRANT}), person_id=world.pid("zhang")
        ),
        # a person id without the registrant role: no self term in either form
        "trainer_with_person": Viewer(
            user_id=8, roles=frozenset({Role.TRAINER}), person_id=world.pid("li")
        ),
        "analyst": Viewer(user_id=9, roles=frozenset({Role.ANALYST}), province_code="440000"),
        "anonymous": Viewer(),
    }


@pytest.mark.parametrize(
    "name",
    [
        "admin",
        "ministry",
        "gd_reviewer",
        "mohurd",
        "chem_admin",
        "beijing_admin",
        "zhang",
        "trainer_with_person",
        "analyst",
        "anonymous",
    ],
)
async def test_person_visible_admits_exactly_the_rows_of_person_scope(
    runtime: Runtime, world: World, name: str
) -> None:
    viewer = _viewers(world)[name]
    async with runtime.db.session() as s:
        persons = (await s.exec(select(Person))).all()
        current = {
            e.person_id: e.employer_id
            for e in (
                await s.exec(select(Employment).where(col(Employment.end_date).is_(None)))
            ).all()
        }
        by_sql = set((await s.exec(select(Person.id).where(person_scope(viewer)))).all())
    by_python = {
        p.id
        for p in persons
        if person_visible(viewer, p, current_employer_id=current.get(p.id or 0))
    }
    assert by_python == by_sql
    world_ids = {world.pid(k) for k in world.people}
    expected = {
        "admin": world_ids,
        "ministry": world_ids,
        "gd_reviewer": world_ids - {world.pid("zhao")},
        "mohurd": set(),
        "chem_admin": {world.pid("zhang"), world.pid("li")},
        "beijing_admin": {world.pid("zhao")},
        "zhang": {world.pid("zhang")},
        "trainer_with_person": set(),
        "analyst": set(),
        "anonymous": set(),
    }[name]
    assert by_sql & world_ids == expected
