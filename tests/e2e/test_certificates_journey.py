"""The certificates journey in a real Chromium against `regsafe serve --with-worker`:
an application approved through the registration services (the issuer passed exactly as
`applicationDecide` does) yields a certificate; the holder sees it with its QR in 我的证书;
the public /verify page (no login) says 有效 with the signature and inclusion proof
checked; a ministry reviewer revokes it with a reason in 证书管理; the public page then
says 已撤销 with the date and reason; a QR text with one character changed is rejected.
Afterwards the database holds the REVOKED certificate with its reason and a REVOKED leaf.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.clock import utcnow
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.education.hours import CycleRequirement
from regsafe.education.rules import RequirementPolicy
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.jobs import app as jobs  # binds the task blueprints, as the API process does
from regsafe.practice.service import BlacklistEligibility
from regsafe.registration import rules
from regsafe.registration import service as registration
from regsafe.registration.models import Document, UploadStatus
from regsafe.registration.rules import Action, ApplicationKind
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e
TODAY = date(2026, 11, 29)
REASON = "以欺骗手段取得注册（E2E）"
QUALIFICATION = "2024440011119999HG"


async def _approved_application(rt: Runtime) -> str:
    """Person, employer, qualification, users; an INITIAL application submitted, passed
    by the provincial reviewer and approved by the ministry reviewer through the
    registration services; then a signed tree head. Returns the certificate number."""
    policy = registration.Policy()
    async with rt.db.session() as s:
        employer = await service.create_employer(
            s,
            data=EmployerInput(
                name="佛山市安泰化工有限公司",
                credit_code=make_credit_code("440600", "E2EC"),
                kind=EmployerKind.PRODUCTION_UNIT,
                industry="C",
            ),
            viewer=SYSTEM,
        )
        person = await service.create_person(
            s,
            data=PersonInput(
                name="周敏",
                id_number=make_id_number("440604", date(1988, 6, 6), 357),
                region_code="440604",
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
            certificate_number=QUALIFICATION,
            obtained_on=date(2024, 10, 20),
        )
        users = {}
        for username, roles, extra in (
            ("e2e-holder", [Role.REGISTRANT], {"person_id": person.id}),
            ("e2e-employer", [Role.EMPLOYER_ADMIN], {"employer_id": employer.id}),
            ("e2e-province", [Role.PROVINCIAL_REVIEWER], {"province_code": "440000"}),
            ("e2e-ministry", [Role.MINISTRY_REVIEWER], {}),
        ):
            users[username] = await auth_service.create_user(
                s,
                username=username,
                password=PASSWORD,
                display_name=username,
                roles=roles,
                **extra,
            )
        holder = Viewer(
            user_id=users["e2e-holder"].id, roles=frozenset({Role.REGISTRANT}), person_id=person.id
        )
        province = Viewer(
            user_id=users["e2e-province"].id,
            roles=frozenset({Role.PROVINCIAL_REVIEWER}),
            province_code="440000",
        )
        ministry = Viewer(
            user_id=users["e2e-ministry"].id, roles=frozenset({Role.MINISTRY_REVIEWER})
        )

        app = await registration.create_application(
            s,
            viewer=holder,
            data=registration.NewApplication(
                ApplicationKind.INITIAL,
                Specialty.CHEMICAL,
                employer.id,
                registration.ApplicationForm(
                    qualification_number=QUALIFICATION, qualification_date=date(2024, 10, 20)
                ),
            ),
            policy=policy,
            now=utcnow(),
        )
        assert app.id is not None
        # Document rows as a confirmed upload leaves them (the upload itself is the
        # registration journey's subject).
        for i, kind in enumerate(rules.REQUIRED_DOCUMENTS[ApplicationKind.INITIAL]):
            s.add(
                Document(
                    person_id=person.id,
                    application_id=app.id,
                    kind=kind.value,
                    filename=f"{kind}.pdf",
                    declared_size=100,
                    declared_content_type="application/pdf",
                    object_key=f"documents/e2e/{app.id}/{i}",
                    status=UploadStatus.CONFIRMED.value,
                )
            )
        await s.flush()
        app = await registration.submit_application(
            s,
            viewer=holder,
            application_id=app.id,
            expected_version=app.version,
            policy=policy,
            education=CycleRequirement(RequirementPolicy(), TODAY),
            blacklist=BlacklistEligibility(),
            cipher=rt.cipher,
            now=utcnow(),
            today=TODAY,
        )
        assert app.id is not None
        app = await registration.claim_application(
            s, viewer=province, application_id=app.id, expected_version=app.version,
            policy=policy, now=utcnow(),
        )  # fmt: skip
        assert "certificates.render_pdf" in jobs.app.tasks
        issuer = certificate_tasks.issuer(rt)  # what applicationDecide passes
        app = await registration.decide_application(
            s, viewer=province, application_id=app.id or 0, expected_version=app.version,
            action=Action.PASS_PRELIMINARY, reason=None, items=[], policy=policy,
            certificates=issuer, now=utcnow(), today=TODAY,
        )  # fmt: skip
        app = await registration.claim_application(
            s, viewer=ministry, application_id=app.id or 0, expected_version=app.version,
            policy=policy, now=utcnow(),
        )  # fmt: skip
        app = await registration.decide_application(
            s, viewer=ministry, application_id=app.id or 0, expected_version=app.version,
            action=Action.APPROVE, reason=None, items=[], policy=policy,
            certificates=issuer, now=utcnow(), today=TODAY,
        )  # fmt: skip
        await s.commit()
    async with rt.db.session() as s:
        head = await certificate_tasks.sign_tree_head_now(s, rt.settings, force=True)
        await s.commit()
        assert head is not None and head.row.size == 1
    with psycopg.connect(rt.settings.database_url or "") as conn:
        row = conn.execute("SELECT number FROM certificate WHERE status = 'ACTIVE'").fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture(scope="module")
def journey(
    postgres: Any, s3_settings: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_certificates")
    upgrade_head(url)
    witness = tmp_path_factory.mktemp("witness")
    settings = make_settings(url, s3_settings, certificate_witness_dir=witness)

    async def prepare() -> str:
        rt = Runtime.from_settings(settings)
        assert rt.store is not None
        await rt.store.ensure_bucket()
        try:
            return await _approved_application(rt)
        finally:
            await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        number = loop.run_until_complete(prepare())
    finally:
        loop.close()

    # The server signs and verifies with the key the certificate was issued under, and
    # cosigns heads with the same file witness.
    assert settings.certificate_signing_key is not None
    proc, base = start_server(
        settings,
        with_worker=True,
        label="e2e-certificates",
        extra_env={"REGSAFE_CERTIFICATE_WITNESS_DIR": str(witness)},
    )
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "HOLDER": "e2e-holder",
        "EMPLOYER_ADMIN": "e2e-employer",
        "MINISTRY_REVIEWER": "e2e-ministry",
        "E2E_PASSWORD": PASSWORD,
        "CERTIFICATE_NUMBER": number,
        "REVOKE_REASON": REASON,
    }
    stop_server(proc)


def test_certificate_is_verified_revoked_and_tamper_evident(journey: dict[str, str]) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "certificates"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        cert = conn.execute(
            "SELECT id, status, end_reason FROM certificate WHERE number = %s",
            (journey["CERTIFICATE_NUMBER"],),
        ).fetchone()
        assert cert is not None
        leaves = conn.execute(
            "SELECT event FROM certificate_log_leaf WHERE certificate_id = %s ORDER BY index",
            (cert[0],),
        ).fetchall()
        registration_status = conn.execute(
            "SELECT r.status FROM registration r JOIN certificate c ON c.registration_id = r.id "
            "WHERE c.id = %s",
            (cert[0],),
        ).fetchone()
    assert cert[1:] == ("REVOKED", journey["REVOKE_REASON"])
    assert [e for (e,) in leaves] == ["ISSUED", "REVOKED"]
    assert registration_status == ("CANCELLED",)
