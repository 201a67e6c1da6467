"""Identity and auth fixtures: data built through the domain services, never raw rows."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.core.db import Database
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.identity import rules, service
from regsafe.identity.models import Employer, EmployerKind, Person, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput

from .api import Api

PASSWORD = "Test-Passw0rd!"
SYSTEM = Viewer(user_id=None, roles=frozenset({Role.ADMIN}))


def make_id_number(area: str = "440305", born: date = date(1985, 6, 15), seq: int = 123) -> str:
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + rules.id_check_character(body)


def make_credit_code(area: str = "440300", org: str = "MA5F") -> str:
    rnd = random.Random(area + org)
    body8 = (org + "".join(rnd.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)))[:8]
    first17 = f"91{area}{body8}{rules.org_code_check_character(body8)}"
    return first17 + rules.uscc_check_character(first17)


@dataclass
class World:
    """A small province-sized world: two provinces, employers, people and users."""

    runtime: Runtime
    people: dict[str, Person]
    employers: dict[str, Employer]
    users: dict[str, str]  # username -> role label

    def pid(self, key: str) -> int:
        pid = self.people[key].id
        assert pid is not None
        return pid


async def _person(rt: Runtime, session: Any, name: str, idn: str, region: str, **kw: Any) -> Person:
    return await service.create_person(
        session,
        data=PersonInput(name=name, id_number=idn, region_code=region, **kw),
        viewer=SYSTEM,
        cipher=rt.cipher,
        today=date(2026, 11, 28),
        ages=AgePolicy(),
    )


@pytest.fixture(scope="session")
async def world(settings: Settings, engine: AsyncEngine) -> World:
    """广东 (44) and 北京 (11): employers, engineers, and a user for every role.

    Built once per session and committed; each test's own changes are rolled back."""
    rt = Runtime.from_settings(settings, db=Database(engine))
    async with rt.db.session() as s:
        chem = await service.create_employer(
            s,
            data=EmployerInput(
                name="深圳市安泰化工有限公司",
                credit_code=make_credit_code("440300", "AAAA"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        agency = await service.create_employer(
            s,
            data=EmployerInput(
                name="广州市安评技术咨询有限公司",
                credit_code=make_credit_code("440100", "BBBB"),
                kind=EmployerKind.SERVICE_AGENCY,
                industry="M",
            ),
            viewer=SYSTEM,
        )
        beijing = await service.create_employer(
            s,
            data=EmployerInput(
                name="北京城建安全工程有限公司",
                credit_code=make_credit_code("110105", "CCCC"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="E",
            ),
            viewer=SYSTEM,
        )
        people = {
            "zhang": await _person(
                rt,
                s,
                "张伟",
                make_id_number("440305", date(1985, 6, 15), 123),
                "440305",
                phone="13800138000",
                specialty=Specialty.CHEMICAL,
            ),
            "li": await _person(
                rt,
                s,
                "李娜",
                make_id_number("440106", date(1990, 2, 1), 224),
                "440106",
                specialty=Specialty.CHEMICAL,
            ),
            "wang": await _person(
                rt,
                s,
                "王芳",
                make_id_number("440304", date(1979, 12, 31), 46),
                "440304",
                specialty=Specialty.CONSTRUCTION,
            ),
            "zhao": await _person(
                rt,
                s,
                "赵强",
                make_id_number("110105", date(1982, 3, 3), 17),
                "110105",
                specialty=Specialty.CONSTRUCTION,
            ),
        }
        emp = [("zhang", chem), ("li", chem), ("wang", agency), ("zhao", beijing)]
        for key, employer in emp:
            assert employer.id is not None and people[key].id is not None
            await service.start_employment(
                s,
                person_id=people[key].id,
                employer_id=employer.id,
                start_date=date(2020, 1, 1),
                social_insurance=key != "li",
                viewer=SYSTEM,
                today=date(2026, 11, 28),
            )
        users = {
            "admin": ([Role.ADMIN], {}),
            "gd_reviewer": ([Role.PROVINCIAL_REVIEWER], {"province_code": "440000"}),
            "bj_reviewer": ([Role.PROVINCIAL_REVIEWER], {"province_code": "110000"}),
            "ministry": ([Role.MINISTRY_REVIEWER], {}),
            "chem_admin": ([Role.EMPLOYER_ADMIN], {"employer_id": chem.id}),
            "zhang": ([Role.REGISTRANT], {"person_id": people["zhang"].id}),
            "zhao": ([Role.REGISTRANT], {"person_id": people["zhao"].id}),
            "trainer": ([Role.TRAINER], {}),
            "analyst": ([Role.ANALYST], {"province_code": "440000"}),
        }
        for username, (roles, extra) in users.items():
            await auth_service.create_user(
                s, username=username, password=PASSWORD, display_name=username, roles=roles, **extra
            )
        await s.commit()
    return World(
        runtime=rt,
        people=people,
        employers={"chem": chem, "agency": agency, "beijing": beijing},
        users={u: r[0][0].value for u, r in users.items()},
    )


@pytest.fixture
def login_as(api: Api, world: World) -> Callable[[str], Awaitable[Api]]:
    async def _login(username: str) -> Api:
        return await api.as_user(username, PASSWORD)

    return _login
