"""The employer admin's 本单位人员 journey in a real Chromium against `regsafe serve`: the
admin signs in and lands on 本单位人员, sees the seeded engineer with registration, hours
and credit grade; sends a 聘用邀请 to a second seeded person by ID number (the person
accepts it over the API: the SPA has no page for that yet), who then appears in the list;
and ends the engineer's employment after the confirmation. Afterwards the database holds
the engineer's employment ended today, the invitation ACCEPTED and an open employment of
the second person at the unit, starting today."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.practice import credit
from regsafe.registration import service as registration
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e

ENGINEER_NAME = "梁志强"
NEWCOMER_NAME = "黄晓文"


@pytest.fixture(scope="module")
def journey(postgres: Any, s3_settings: dict[str, Any]) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_employer")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    now = datetime.now(ZoneInfo("UTC"))
    newcomer_id_number = make_id_number("440605", date(1992, 3, 8), 226)
    ids: dict[str, int] = {}

    async def prepare() -> None:
        rt = Runtime.from_settings(settings)
        assert rt.store is not None
        await rt.store.ensure_bucket()
        async with rt.db.session() as s:
            employer = await service.create_employer(
                s,
                data=EmployerInput(
                    name="佛山市安泰石化储运有限公司",
                    credit_code=make_credit_code("440600", "E2EM"),
                    kind=EmployerKind.PRODUCTION_UNIT,
                    industry="C",
                ),
                viewer=SYSTEM,
            )
            engineer = await service.create_person(
                s,
                data=PersonInput(
                    name=ENGINEER_NAME,
                    id_number=make_id_number("440604", date(1985, 9, 18), 413),
                    region_code="440604",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=today,
                ages=AgePolicy(),
            )
            newcomer = await service.create_person(
                s,
                data=PersonInput(
                    name=NEWCOMER_NAME,
                    id_number=newcomer_id_number,
                    region_code="440605",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=today,
                ages=AgePolicy(),
            )
            assert engineer.id is not None and newcomer.id is not None
            assert employer.id is not None
            await service.start_employment(
                s,
                person_id=engineer.id,
                employer_id=employer.id,
                start_date=today - timedelta(days=400),
                social_insurance=True,
                viewer=SYSTEM,
                today=today,
            )
            start = today - timedelta(days=365)
            await registration.import_registration(
                s,
                person_id=engineer.id,
                employer_id=employer.id,
                specialty=Specialty.CHEMICAL,
                valid_from=start,
                valid_until=date(start.year + 5, start.month, 1) - timedelta(days=1),
            )
            await auth_service.create_user(
                s,
                username="e2e-unit-admin",
                password=PASSWORD,
                display_name="单位管理员",
                roles=[Role.EMPLOYER_ADMIN],
                employer_id=employer.id,
            )
            await auth_service.create_user(
                s,
                username="e2e-newcomer",
                password=PASSWORD,
                display_name=NEWCOMER_NAME,
                roles=[Role.REGISTRANT],
                person_id=newcomer.id,
            )
            # The engineer's credit grade, as the nightly recompute would have stored it.
            await credit.recompute_person(s, engineer.id, settings=settings, now=now)
            await s.commit()
            ids.update(employer=employer.id, engineer=engineer.id, newcomer=newcomer.id)
        await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    proc, base = start_server(settings, label="e2e-employer")
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "EMPLOYER_ID": str(ids["employer"]),
        "ENGINEER_ID": str(ids["engineer"]),
        "NEWCOMER_ID": str(ids["newcomer"]),
        "EMPLOYER_ADMIN": "e2e-unit-admin",
        "NEWCOMER": "e2e-newcomer",
        "E2E_PASSWORD": PASSWORD,
        "ENGINEER_NAME": ENGINEER_NAME,
        "NEWCOMER_NAME": NEWCOMER_NAME,
        "NEWCOMER_ID_NUMBER": newcomer_id_number,
        "TODAY": today.isoformat(),
    }
    stop_server(proc)


def test_employer_admin_hires_by_id_number_and_ends_an_employment(
    journey: dict[str, str],
) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "employer"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    employer_id = int(journey["EMPLOYER_ID"])
    today = date.fromisoformat(journey["TODAY"])
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        engineer = conn.execute(
            "SELECT employer_id, end_date FROM employment WHERE person_id = %s",
            (int(journey["ENGINEER_ID"]),),
        ).fetchall()
        newcomer = conn.execute(
            "SELECT employer_id, start_date, end_date, social_insurance FROM employment"
            " WHERE person_id = %s",
            (int(journey["NEWCOMER_ID"]),),
        ).fetchall()
        invitations = conn.execute(
            "SELECT status, person_id, starts_on FROM employment_invitation WHERE employer_id = %s",
            (employer_id,),
        ).fetchall()
    # the engineer's one employment ended today (the dialog's default end date)
    assert engineer == [(employer_id, today)]
    # one invitation, accepted by the person it was sent to, started the new employment
    assert invitations == [("ACCEPTED", int(journey["NEWCOMER_ID"]), today)]
    assert newcomer == [(employer_id, today, None, True)]
