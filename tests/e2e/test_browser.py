"""The SPA in a real Chromium against the real server (`regsafe serve` in a subprocess).

The browser script lives in frontend/web/e2e (playwright-core driving /usr/bin/chromium);
this test prepares a database, starts the server, runs the script and checks its verdict.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.identity import rules, service
from regsafe.identity.models import Specialty
from regsafe.identity.service import AgePolicy, PersonInput
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_id_number

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(postgres: Any, s3_settings: dict[str, Any]) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    id_number = make_id_number("440305", date(1986, 4, 12), 135)

    async def prepare() -> None:
        rt = Runtime.from_settings(settings)
        async with rt.db.session() as s:
            person = await service.create_person(
                s,
                data=PersonInput(
                    name="陈静",
                    id_number=id_number,
                    region_code="440305",
                    phone="13912345678",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=date(2026, 11, 28),
                ages=AgePolicy(),
            )
            await auth_service.create_user(
                s,
                username="e2e-registrant",
                password=PASSWORD,
                display_name="陈静",
                roles=[Role.REGISTRANT],
                person_id=person.id,
            )
            await s.commit()
        await rt.db.dispose()

    # the session's event loop is already running tests; prepare on a loop of its own
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    proc, base = start_server(settings)
    yield {
        "BASE_URL": base,
        "DEMO_USERNAME": "e2e-registrant",
        "DEMO_PASSWORD": PASSWORD,
        "EXPECTED_MASKED_ID": rules.mask_id_number(id_number),
        "FULL_ID": id_number,
    }
    stop_server(proc)


def test_registrant_logs_in_and_sees_their_masked_id_number(server: dict[str, str]) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **server)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "login"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert server["FULL_ID"] not in output
    assert (WEB / "e2e" / "artifacts" / "profile.png").stat().st_size > 10_000
