"""The practice and credit journey in a real Chromium against `regsafe serve
--with-worker`: an engineer with an ACTIVE registration records a 隐患排查 with a PNG
evidence file and submits it in 执业记录; the employer admin finds it in 待评价, confirms
it and evaluates it with 5 in every dimension; the worker recomputes the credit score and
the engineer's 信用画像 shows it higher, with contributions that trace to the evaluation
and the record. Afterwards the database holds the CONFIRMED record with its evidence, one
evaluation, and a credit score whose contributions name both."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from PIL import Image, ImageDraw

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.jobs import app as jobs  # binds the task blueprints, as the API process does
from regsafe.practice import credit
from regsafe.registration import service as registration
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e

PROJECT = "储罐区专项隐患排查（E2E）"


def _evidence_png(path: Path) -> None:
    """A small real PNG (the server sniffs the bytes, not the name)."""
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 310, 190), outline="black", width=3)
    draw.text((24, 90), "hazard investigation report", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


@pytest.fixture(scope="module")
def journey(
    postgres: Any, s3_settings: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_practice")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    now = datetime.now(ZoneInfo("UTC"))
    evidence = tmp_path_factory.mktemp("practice") / "排查报告.png"
    _evidence_png(evidence)
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
                    credit_code=make_credit_code("440600", "E2EP"),
                    kind=EmployerKind.PRODUCTION_UNIT,
                    industry="C",
                ),
                viewer=SYSTEM,
            )
            person = await service.create_person(
                s,
                data=PersonInput(
                    name="梁志强",
                    id_number=make_id_number("440604", date(1985, 9, 18), 413),
                    region_code="440604",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=today,
                ages=AgePolicy(),
            )
            assert person.id is not None and employer.id is not None
            start = today - timedelta(days=365)
            await registration.import_registration(
                s,
                person_id=person.id,
                employer_id=employer.id,
                specialty=Specialty.CHEMICAL,
                valid_from=start,
                valid_until=date(start.year + 5, start.month, 1) - timedelta(days=1),
            )
            await auth_service.create_user(
                s,
                username="e2e-engineer",
                password=PASSWORD,
                display_name="梁志强",
                roles=[Role.REGISTRANT],
                person_id=person.id,
            )
            await auth_service.create_user(
                s,
                username="e2e-evaluator",
                password=PASSWORD,
                display_name="单位管理员",
                roles=[Role.EMPLOYER_ADMIN],
                employer_id=employer.id,
            )
            # The baseline score, as the nightly recompute would have stored it.
            await credit.recompute_person(s, person.id, settings=settings, now=now)
            await s.commit()
            ids.update(person=person.id)
        await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    assert "practice.recompute_credit" in jobs.app.tasks
    proc, base = start_server(settings, with_worker=True, label="e2e-practice")
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "PERSON_ID": str(ids["person"]),
        "ENGINEER": "e2e-engineer",
        "EMPLOYER_ADMIN": "e2e-evaluator",
        "E2E_PASSWORD": PASSWORD,
        "PROJECT": PROJECT,
        "START_DATE": (today - timedelta(days=10)).isoformat(),
        "END_DATE": (today - timedelta(days=3)).isoformat(),
        "EVIDENCE_FILE": str(evidence),
    }
    stop_server(proc)


def test_engineer_record_is_evaluated_and_traced_in_the_credit_score(
    journey: dict[str, str],
) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "practice"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    person_id = int(journey["PERSON_ID"])
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        records = conn.execute(
            "SELECT id, status, kind, project FROM practice_record WHERE person_id = %s",
            (person_id,),
        ).fetchall()
        assert len(records) == 1
        record_id, status, kind, project = records[0]
        evidence = conn.execute(
            "SELECT media_type FROM practice_evidence WHERE record_id = %s", (record_id,)
        ).fetchall()
        evaluations = conn.execute(
            "SELECT id, version_no, quality, timeliness, compliance, conduct"
            " FROM practice_evaluation WHERE record_id = %s",
            (record_id,),
        ).fetchall()
        score = conn.execute(
            "SELECT value, contributions FROM credit_score WHERE person_id = %s", (person_id,)
        ).fetchone()
        history = conn.execute(
            "SELECT value FROM credit_score_history WHERE person_id = %s ORDER BY id",
            (person_id,),
        ).fetchall()
    assert (status, kind, project) == ("CONFIRMED", "HAZARD_INVESTIGATION", journey["PROJECT"])
    assert evidence == [("image/png",)]
    assert len(evaluations) == 1
    evaluation_id, version_no, *scores = evaluations[0]
    assert version_no == 1 and scores == [5, 5, 5, 5]
    assert score is not None
    value, contributions = score
    sources = {c["source"]: c for c in contributions}
    assert sources[f"evaluation:{evaluation_id}"]["factor"] == "EVALUATION"
    assert sources[f"evaluation:{evaluation_id}"]["points"] > 0
    assert sources[f"record:{record_id}"]["factor"] == "ACTIVITY"
    # Baseline, then one row per recompute that changed the value: after the confirmation
    # (activity) and after the evaluation.
    values = [v for (v,) in history]
    assert len(values) == 3 and values == sorted(values) and values[-1] == value
