"""The SPA in a real Chromium against the real server (`regsafe serve` in a subprocess).

The browser script lives in frontend/web/e2e (playwright-core driving /usr/bin/chromium);
this test prepares a database, starts the server, runs the script and checks its verdict.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.identity import rules, service
from regsafe.identity.models import Specialty
from regsafe.identity.service import AgePolicy, PersonInput
from tests.conftest import make_settings
from tests.plugins.identity import PASSWORD, SYSTEM, make_id_number

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "frontend" / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(settings: Settings, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGSAFE_")}
    for name in (
        "database_url",
        "s3_endpoint",
        "s3_access_key",
        "s3_secret_key",
        "s3_bucket",
        "secret_key",
        "data_keys",
        "data_key_id",
        "blind_index_key",
    ):
        env[f"REGSAFE_{name.upper()}"] = str(getattr(settings, name))
    env.update(
        REGSAFE_ENV="test",
        REGSAFE_PORT=str(port),
        REGSAFE_SPA_DIR=str(WEB / "dist"),
        REGSAFE_DATA_DIR=str(ROOT / ".regsafe-e2e"),
    )
    return env


@pytest.fixture(scope="module")
def server(postgres: Any, s3_settings: dict[str, Any]) -> Iterator[dict[str, str]]:
    if not (WEB / "dist" / "index.html").exists():
        pytest.fail("frontend/web/dist is missing: build the SPA first (make web)")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install the Debian package chromium "
            "(scripts/ensure-chromium.sh does it as root)"
        )
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

    port = _free_port()
    log = open(ROOT / ".regsafe-e2e.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "regsafe"), "serve"],
        env=_env(settings, port),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not become ready; see {ROOT / '.regsafe-e2e.log'}")
        time.sleep(0.2)
    yield {
        "BASE_URL": base,
        "DEMO_USERNAME": "e2e-registrant",
        "DEMO_PASSWORD": PASSWORD,
        "EXPECTED_MASKED_ID": rules.mask_id_number(id_number),
        "FULL_ID": id_number,
    }
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


def test_registrant_logs_in_and_sees_their_masked_id_number(server: dict[str, str]) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **server)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e"],
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
