"""Assertions about issued certificates, shared by registration and certificate tests."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.models import Certificate, CertificateStatus, LogLeaf
from regsafe.core.settings import Settings


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
