"""Renewals and changes against an existing registration: the statutory rules on dates,
and a renewal the authority did not decide by expiry counting as approved (11号令)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from regsafe.auth.models import User
from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import service as certificate_service
from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.runtime import Runtime
from regsafe.education.hours import CycleRequirement
from regsafe.education.models import HourRecord, HourSource, SubjectKind
from regsafe.education.rules import EXTERNAL_RULE_VERSION, RequirementPolicy
from regsafe.identity.models import Specialty
from regsafe.practice.models import BlacklistEntry
from regsafe.practice.service import BlacklistEligibility
from regsafe.registration import rules, service
from regsafe.registration.models import (
    Application,
    Document,
    Registration,
    RegistrationStatus,
    UploadStatus,
)
from regsafe.registration.rules import ApplicationKind, Status
from tests.certificates.helpers import the_active_certificate
from tests.plugins.identity import World


def issuer(rt: Runtime) -> certificate_service.Issuer:
    """The certificates domain's issuer, without queuing the PDF job."""
    return certificate_tasks.issuer(rt, render=False)


TODAY = date(2026, 11, 29)


def registrant(world: World, key: str) -> Viewer:
    return Viewer(user_id=None, roles=frozenset({Role.REGISTRANT}), person_id=world.pid(key))


async def _submitted(
    rt: Runtime,
    world: World,
    kind: ApplicationKind,
    expires: date,
    employer: str = "chem",
    professional_hours: int = 48,
) -> tuple[int, int]:
    """张伟, registered at the chemical plant until ``expires``, applies with every
    material present (document rows as a confirmed upload leaves them) and, inside the
    cycle, ``professional_hours`` of chemical-safety continuing education."""
    viewer = registrant(world, "zhang")
    specialty = Specialty.CHEMICAL if kind != ApplicationKind.CHANGE else Specialty.OTHER
    async with rt.db.session() as s:
        for held in {Specialty.CHEMICAL, specialty}:
            await service.record_qualification(
                s,
                person_id=world.pid("zhang"),
                specialty=held,
                certificate_number=f"2019440011112222{held.value[:2]}",
                obtained_on=date(2019, 10, 1),
            )
        reg = await service.import_registration(
            s,
            person_id=world.pid("zhang"),
            employer_id=world.employers["chem"].id or 0,
            specialty=Specialty.CHEMICAL,
            valid_from=expires - timedelta(days=5 * 365),
            valid_until=expires,
        )
        if professional_hours:
            s.add(
                HourRecord(
                    person_id=world.pid("zhang"),
                    source=HourSource.EXTERNAL.value,
                    dedup_key="ext:renewal-test",
                    provider_name="化工安全培训中心",
                    course_title="危险化学品安全管理",
                    subject_kind=SubjectKind.PROFESSIONAL.value,
                    specialty=Specialty.CHEMICAL.value,
                    hours=Decimal(professional_hours),
                    recognised_on=expires - timedelta(days=400),
                    rule_version=EXTERNAL_RULE_VERSION,
                )
            )
        app = await service.create_application(
            s,
            viewer=viewer,
            data=service.NewApplication(kind, specialty, world.employers[employer].id or 0),
            policy=service.Policy(),
            now=utcnow(),
        )
        assert app.id is not None
        for i, doc_kind in enumerate(rules.REQUIRED_DOCUMENTS[kind]):
            s.add(
                Document(
                    person_id=world.pid("zhang"),
                    application_id=app.id,
                    kind=doc_kind.value,
                    filename=f"{doc_kind}.pdf",
                    declared_size=100,
                    declared_content_type="application/pdf",
                    object_key=f"documents/renewal/{app.id}/{i}",
                    status=UploadStatus.CONFIRMED.value,
                )
            )
        await s.flush()
        app = await service.submit_application(
            s,
            viewer=viewer,
            application_id=app.id,
            expected_version=app.version,
            policy=service.Policy(),
            education=CycleRequirement(RequirementPolicy(), TODAY),
            blacklist=BlacklistEligibility(),
            cipher=rt.cipher,
            now=utcnow(),
            today=TODAY,
        )
        await s.commit()
        assert app.id is not None and reg.id is not None
        return app.id, reg.id


async def test_renewal_with_the_cycle_requirement_met_passes_education(
    world: World, runtime: Runtime
) -> None:
    app_id, _ = await _submitted(runtime, world, ApplicationKind.RENEWAL, TODAY + timedelta(90))
    async with runtime.db.session() as s:
        app = await s.get(Application, app_id)
        assert app is not None
        checks = {c["code"]: (c["result"], c["explanation"]) for c in app.checks}
    result, explanation = checks["CONTINUING_EDUCATION"]
    assert result == "PASS"
    assert "已达到要求" in explanation and "专业48" in explanation
    assert checks["RENEWAL_WINDOW"][0] == "WARN"  # under 3 months left


async def test_renewal_with_a_shortfall_is_refused_naming_it(
    world: World, runtime: Runtime
) -> None:
    with pytest.raises((DomainError, DomainErrors)) as caught:
        await _submitted(
            runtime, world, ApplicationKind.RENEWAL, TODAY + timedelta(90), professional_hours=20
        )
    exc = caught.value
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    assert [e.field for e in errors] == ["eligibility.CONTINUING_EDUCATION"]
    messages = " ".join(e.message for e in errors)
    assert "尚差28" in messages and "专业尚差12" in messages


async def test_renewal_undecided_at_expiry_is_deemed_approved(
    world: World, runtime: Runtime
) -> None:
    expires = TODAY + timedelta(days=30)
    app_id, old_id = await _submitted(runtime, world, ApplicationKind.RENEWAL, expires)
    async with runtime.db.session() as s:
        early = await service.deem_overdue_renewals(
            s, today=expires, now=utcnow(), policy=service.Policy(), certificates=issuer(runtime)
        )
        assert early == []  # still valid on its last day
        done = await service.deem_overdue_renewals(
            s,
            today=expires + timedelta(days=1),
            now=utcnow(),
            policy=service.Policy(),
            certificates=issuer(runtime),
        )
        await s.commit()
    assert done == [app_id]
    async with runtime.db.session() as s:
        app = await s.get(Application, app_id)
        old = await s.get(Registration, old_id)
        assert app is not None and old is not None and app.registration_id is not None
        new = await s.get(Registration, app.registration_id)
        assert new is not None
    assert app.status == Status.DEEMED_APPROVED
    assert old.status == RegistrationStatus.SUPERSEDED
    assert new.status == RegistrationStatus.ACTIVE
    assert new.valid_from == expires + timedelta(days=1)
    assert new.valid_until == rules.add_years(expires, 5)
    async with runtime.db.session() as s:
        cert = await the_active_certificate(s, world.pid("zhang"), runtime.settings)
    assert cert.registration_id == new.id and cert.valid_until == new.valid_until
    # The registration was taken over from the previous system: no certificate to link.
    assert cert.kind == "ISSUED" and cert.previous_id is None


async def test_change_keeps_the_original_expiry(world: World, runtime: Runtime) -> None:
    expires = TODAY + timedelta(days=700)
    app_id, _ = await _submitted(runtime, world, ApplicationKind.CHANGE, expires)
    async with runtime.db.session() as s:
        app = await s.get(Application, app_id)
        assert app is not None
        await service._register(
            s,
            app,
            today=TODAY,
            now=utcnow(),
            policy=service.Policy(),
            certificates=issuer(runtime),
        )
        await s.commit()
        new = await s.get(Registration, app.registration_id)
        assert new is not None
    assert new.valid_until == expires and new.valid_from == TODAY
    assert new.specialty == Specialty.OTHER
    async with runtime.db.session() as s:
        cert = await the_active_certificate(s, world.pid("zhang"), runtime.settings)
    assert (cert.valid_from, cert.valid_until, cert.specialty) == (TODAY, expires, "OTHER")
    assert cert.number[8:10] == "QT"  # the specialty code in the number


async def test_verification_job_stores_local_results(world: World, runtime: Runtime) -> None:
    """No government service configured: identity is checked locally (consistent with
    the record), the degree is UNVERIFIED — never a silent pass."""
    from regsafe.registration import tasks

    app_id, _ = await _submitted(runtime, world, ApplicationKind.RENEWAL, TODAY + timedelta(200))
    assert await tasks.verify_application.func(application_id=app_id) == 2
    async with runtime.db.session() as s:
        app = await s.get(Application, app_id)
        assert app is not None
        await s.refresh(app)
    found = {v["check"]: v for v in app.verifications}
    assert found["IDENTITY"]["status"] == "VERIFIED" and found["IDENTITY"]["source"] == "local"
    assert "未联网" in found["IDENTITY"]["explanation"]
    assert found["DEGREE"]["status"] == "UNVERIFIED"


async def test_an_applicant_on_the_dishonesty_list_is_refused(
    world: World, runtime: Runtime
) -> None:
    async with runtime.db.session() as s:
        admin = (await s.exec(select(User).where(col(User.username) == "admin"))).one()
        s.add(
            BlacklistEntry(
                person_id=world.pid("zhang"),
                grounds="出借资格证书（挂证）",
                decision_ref="应急罚〔2026〕12号",
                authority="广东省应急管理厅",
                listed_on=TODAY - timedelta(days=100),
                expires_on=TODAY + timedelta(days=3 * 365 - 100),
                entered_by=admin.id or 0,
            )
        )
        await s.commit()
    with pytest.raises((DomainError, DomainErrors)) as caught:
        await _submitted(runtime, world, ApplicationKind.RENEWAL, TODAY + timedelta(90))
    exc = caught.value
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    assert [e.field for e in errors] == ["eligibility.BLACKLIST"]
    assert "严重失信主体名单" in errors[0].message
