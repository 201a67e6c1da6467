"""The registration journey in a real Chromium against `regsafe serve --with-worker`:
a registrant applies with generated document images, OCR fills the form, the provincial
reviewer passes it and the ministry reviewer approves; the application ends APPROVED
with an active registration."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PIL import Image

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.ocr import synthetic
from regsafe.ocr.fields import DocumentKind as OcrKind
from regsafe.registration import service as registration
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e
TODAY = date(2026, 11, 29)


def _png(path: Path, text_colour: tuple[int, int, int]) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), text_colour).save(buf, "PNG")
    path.write_bytes(buf.getvalue())


@pytest.fixture(scope="module")
def journey(
    postgres: Any, s3_settings: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_registration")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    files = tmp_path_factory.mktemp("documents")
    card = synthetic.generate(OcrKind.ID_CARD, 5)
    cert = synthetic.generate(OcrKind.QUALIFICATION_CERTIFICATE, 9)
    (files / "id_card.jpg").write_bytes(synthetic.encode(card.image, "JPEG", 88))
    (files / "qualification.png").write_bytes(synthetic.encode(cert.image))
    _png(files / "form.png", (250, 250, 245))
    _png(files / "contract.png", (245, 250, 250))

    async def prepare() -> None:
        rt = Runtime.from_settings(settings)
        assert rt.store is not None
        await rt.store.ensure_bucket()
        async with rt.db.session() as s:
            employer = await service.create_employer(
                s,
                data=EmployerInput(
                    name="东莞市恒安化工有限公司",
                    credit_code=make_credit_code("441900", "E2EJ"),
                    kind=EmployerKind.PRODUCTION_UNIT,
                    industry="C",
                ),
                viewer=SYSTEM,
            )
            person = await service.create_person(
                s,
                data=PersonInput(
                    name="林晓",
                    id_number=make_id_number("441900", date(1989, 9, 9), 246),
                    region_code="441900",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=TODAY,
                ages=AgePolicy(),
            )
            assert person.id is not None and employer.id is not None
            await service.start_employment(
                s,
                person_id=person.id,
                employer_id=employer.id,
                start_date=date(2023, 3, 1),
                social_insurance=True,
                viewer=SYSTEM,
                today=TODAY,
            )
            await registration.record_qualification(
                s,
                person_id=person.id,
                specialty=Specialty.CHEMICAL,
                certificate_number=cert.expected["certificate_number"],
                obtained_on=date(2024, 10, 20),
            )
            for username, roles, extra in (
                ("e2e-applicant", [Role.REGISTRANT], {"person_id": person.id}),
                ("e2e-province", [Role.PROVINCIAL_REVIEWER], {"province_code": "440000"}),
                ("e2e-ministry", [Role.MINISTRY_REVIEWER], {}),
            ):
                await auth_service.create_user(
                    s,
                    username=username,
                    password=PASSWORD,
                    display_name=username,
                    roles=roles,
                    **extra,
                )
            await s.commit()
        await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    proc, base = start_server(settings, with_worker=True, label="e2e-registration")
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "APPLICANT": "e2e-applicant",
        "PROVINCE_REVIEWER": "e2e-province",
        "MINISTRY_REVIEWER": "e2e-ministry",
        "E2E_PASSWORD": PASSWORD,
        "DOC_ID_CARD": str(files / "id_card.jpg"),
        "DOC_QUALIFICATION": str(files / "qualification.png"),
        "DOC_FORM": str(files / "form.png"),
        "DOC_CONTRACT": str(files / "contract.png"),
        "EXPECTED_QUALIFICATION_NUMBER": cert.expected["certificate_number"],
    }
    stop_server(proc)


def test_registrant_applies_and_two_reviewers_approve(journey: dict[str, str]) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "registration"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        status, qualification = conn.execute(
            "SELECT status, form->>'qualification_number' FROM application"
        ).fetchone() or (None, None)
        registrations = conn.execute(
            "SELECT count(*) FROM registration WHERE status = 'ACTIVE'"
        ).fetchone()
    assert status == "APPROVED"
    assert qualification == journey["EXPECTED_QUALIFICATION_NUMBER"]  # filled from OCR
    assert registrations == (1,)
