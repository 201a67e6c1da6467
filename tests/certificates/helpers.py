"""Assertions about issued certificates, shared by registration and certificate tests."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import tasks as certificate_tasks
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.models import Certificate, CertificateStatus, LogLeaf
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.identity.models import Specialty
from regsafe.registration import service as reg_service
from regsafe.registration.models import Qualification
from regsafe.registration.rules import ApplicationKind
from regsafe.registration.service import CertificateIssuer
from tests.plugins.identity import World


async def the_active_certificate(
    session: AsyncSession, person_id: int, settings: Settings
) -> Certificate:
    """Exactly one ACTIVE certificate, its signature valid over its payload, and its leaf
    in the log committing to that payload and signature."""
    active = (
        await session.exec(
            select(Certificate).where(
                col(Certificate.person_id) == person_id,
                col(Certificate.status) == CertificateStatus.ACTIVE.value,
            )
        )
    ).all()
    assert len(active) == 1, active
    cert = active[0]
    assert issuer_keys(settings).verify(cert.key_id, cert.payload, cert.signature)
    leaf = await session.get(LogLeaf, cert.leaf_index)
    assert leaf is not None and leaf.certificate_id == cert.id
    assert leaf.event == cert.kind
    assert leaf.leaf_hash == event_leaf_hash(LogEvent(cert.kind), cert.payload, cert.signature)
    return cert


TODAY = date(2026, 11, 29)


def registrant(world: World, key: str) -> Viewer:
    return Viewer(user_id=None, roles=frozenset({Role.REGISTRANT}), person_id=world.pid(key))


async def register(
    rt: Runtime,
    world: World,
    *,
    key: str = "zhang",
    kind: ApplicationKind = ApplicationKind.INITIAL,
    specialty: Specialty = Specialty.CHEMICAL,
    employer: str = "chem",
    today: date = TODAY,
    issuer: CertificateIssuer | None = None,
) -> Certificate | None:
    """What 终审 approval does for a ``kind`` application of ``key`` (the review itself is
    covered by the registration journey): the registration and its certificate, through
    registration's ``_register`` with the certificates issuer. Returns the person's ACTIVE
    certificate afterwards (None after a cancellation)."""
    async with rt.db.session() as s:
        held = (
            await s.exec(
                select(Qualification.id).where(
                    col(Qualification.person_id) == world.pid(key),
                    col(Qualification.specialty) == specialty.value,
                )
            )
        ).first()
        if held is None:
            await reg_service.record_qualification(
                s,
                person_id=world.pid(key),
                specialty=specialty,
                certificate_number=f"Q2022{specialty.value[:4]}0001",
                obtained_on=date(2022, 10, 20),
            )
        app = await reg_service.create_application(
            s,
            viewer=registrant(world, key),
            data=reg_service.NewApplication(kind, specialty, world.employers[employer].id or 0),
            policy=reg_service.Policy(),
            now=utcnow(),
        )
        await reg_service._register(
            s,
            app,
            today=today,
            now=utcnow(),
            policy=reg_service.Policy(),
            certificates=issuer or certificate_tasks.issuer(rt, render=False),
        )
        await s.commit()
        return (
            await s.exec(
                select(Certificate).where(
                    col(Certificate.person_id) == world.pid(key),
                    col(Certificate.status) == CertificateStatus.ACTIVE.value,
                )
            )
        ).first()
