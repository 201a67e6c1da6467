"""The 个人申报审核 journey in a real Chromium against `regsafe serve`: a registrant's two
self-reported hours records, each with a PNG certificate as evidence, are made through
the education service (evidence slot, bytes in the object store, uploadConfirm's step,
self_report); a provincial reviewer opens /review/hours, sees the evidence, approves the
first (通过) and returns the second (退回) with a note. Afterwards the database holds the
first ACCEPTED and the second REJECTED with that note, both reviewed by the reviewer."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from PIL import Image, ImageDraw

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.core import upload_slots
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.core.uploads import staging_key
from regsafe.education import hours
from regsafe.education.models import SubjectKind
from regsafe.education.service import EducationPolicy
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.registration import service as registration
from regsafe.upload_handlers import HANDLERS
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e

PERSON_NAME = "周敏"
ACCEPTED_COURSE = "危险化学品重大危险源辨识（E2E）"
RETURNED_COURSE = "应急预案编制实务（E2E）"
RETURN_NOTE = "证明材料未加盖培训机构公章，请补充后重新申报。"


def _certificate_png(title: str) -> bytes:
    """A small real PNG (the server sniffs the bytes, not the name)."""
    image = Image.new("RGB", (360, 220), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 352, 212), outline="black", width=3)
    draw.text((24, 80), "training certificate", fill="black")
    draw.text((24, 120), f"{len(title)} chars", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def journey(postgres: Any, s3_settings: dict[str, Any]) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_hours_review")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    now = datetime.now(ZoneInfo("UTC"))
    ids: dict[str, int] = {}

    async def prepare() -> None:
        rt = Runtime.from_settings(settings)
        store = rt.store
        assert store is not None
        await store.ensure_bucket()
        async with rt.db.session() as s:
            employer = await service.create_employer(
                s,
                data=EmployerInput(
                    name="广州市穗安安全技术服务有限公司",
                    credit_code=make_credit_code("440100", "E2EH"),
                    kind=EmployerKind.SERVICE_AGENCY,
                    industry="M",
                ),
                viewer=SYSTEM,
            )
            person = await service.create_person(
                s,
                data=PersonInput(
                    name=PERSON_NAME,
                    id_number=make_id_number("440106", date(1988, 5, 20), 528),
                    region_code="440106",
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
            registrant = await auth_service.create_user(
                s,
                username="e2e-hours-registrant",
                password=PASSWORD,
                display_name=PERSON_NAME,
                roles=[Role.REGISTRANT],
                person_id=person.id,
            )
            reviewer = await auth_service.create_user(
                s,
                username="e2e-hours-reviewer",
                password=PASSWORD,
                display_name="省级审核员",
                roles=[Role.PROVINCIAL_REVIEWER],
                province_code="440000",
            )
            assert registrant.id is not None and reviewer.id is not None
            viewer = Viewer(
                user_id=registrant.id,
                username=registrant.username,
                roles=frozenset({Role.REGISTRANT}),
                person_id=person.id,
            )
            policy = EducationPolicy.from_settings(settings)
            for key, title, kind, amount, days_ago in (
                ("accepted", ACCEPTED_COURSE, SubjectKind.PROFESSIONAL, Decimal("8"), 20),
                ("returned", RETURNED_COURSE, SubjectKind.GENERAL, Decimal("4.5"), 10),
            ):
                png = _certificate_png(title)
                slot = await hours.request_evidence_upload(
                    s,
                    viewer=viewer,
                    size=len(png),
                    content_type="image/png",
                    policy=policy,
                    now=now,
                    filename=f"{key}.png",
                )
                assert slot.id is not None
                # as the browser would: the bytes go to the slot's staging key
                await store.put_bytes(staging_key(slot.object_key), png, "image/png")
                done = await upload_slots.confirm(
                    upload_slots.SlotContext(s, store, viewer, settings, now),
                    upload_id=slot.id,
                    handlers=HANDLERS,
                )
                assert not done.errors, done.errors
                record = await hours.self_report(
                    s,
                    viewer=viewer,
                    report=hours.SelfReport(
                        course_title=title,
                        provider_name="广东省安全生产协会培训中心",
                        subject_kind=kind,
                        hours=amount,
                        completed_on=today - timedelta(days=days_ago),
                        evidence_upload_id=slot.id,
                        specialty=Specialty.CHEMICAL.value,
                        reference=f"GDSA-{key.upper()}-2026",
                    ),
                    now=now,
                    today=today,
                )
                assert record.id is not None and record.evidence_key
                ids[key] = record.id
            await s.commit()
            ids["reviewer"] = reviewer.id
        await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    proc, base = start_server(settings, label="e2e-hours-review")
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "ACCEPTED_ID": str(ids["accepted"]),
        "RETURNED_ID": str(ids["returned"]),
        "REVIEWER_USER_ID": str(ids["reviewer"]),
        "REVIEWER": "e2e-hours-reviewer",
        "E2E_PASSWORD": PASSWORD,
        "PERSON_NAME": PERSON_NAME,
        "ACCEPTED_COURSE": ACCEPTED_COURSE,
        "RETURNED_COURSE": RETURNED_COURSE,
        "RETURN_NOTE": RETURN_NOTE,
    }
    stop_server(proc)


def test_reviewer_accepts_one_self_report_and_returns_another_with_a_note(
    journey: dict[str, str],
) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "hours-review"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reviewer = int(journey["REVIEWER_USER_ID"])
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        rows = dict(
            (row[0], row[1:])
            for row in conn.execute(
                "SELECT id, status, reviewed_by, review_note, reviewed_at IS NOT NULL"
                " FROM hour_record WHERE id IN (%s, %s)",
                (int(journey["ACCEPTED_ID"]), int(journey["RETURNED_ID"])),
            ).fetchall()
        )
    assert rows[int(journey["ACCEPTED_ID"])] == ("ACCEPTED", reviewer, None, True)
    assert rows[int(journey["RETURNED_ID"])] == ("REJECTED", reviewer, RETURN_NOTE, True)
