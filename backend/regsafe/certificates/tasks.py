"""Background jobs of the certificates domain: the periodic signed tree head (with the
configured witnesses) and the certificate PDF."""

from __future__ import annotations

from typing import Any

import psycopg
from procrastinate import Blueprint, RetryStrategy
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.certificates import ledger, service
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.models import Certificate
from regsafe.certificates.witness import FileWitness
from regsafe.core.clock import utcnow
from regsafe.core.db import raw_connection
from regsafe.core.pdf_fonts import FontMissing
from regsafe.core.runtime import Runtime, runtime
from regsafe.core.settings import Settings
from regsafe.jobs.retry import RetryExcept, RetryOutages

blueprint = Blueprint()


def anchors(settings: Settings) -> list[ledger.Anchor]:
    """The witnesses tree heads are exported to (a file witness when configured)."""
    if settings.certificate_witness_dir is None:
        return []
    return [FileWitness(settings.certificate_witness_dir, issuer_keys(settings))]


async def sign_tree_head_now(
    session: AsyncSession, settings: Settings, *, force: bool = False
) -> ledger.StoredTreeHead | None:
    """Sign a head over every leaf so far (the job, the CLI and tests)."""
    return await ledger.sign_now(
        session,
        keys=issuer_keys(settings),
        origin=settings.certificate_log_origin,
        now=utcnow(),
        min_interval_seconds=0 if force else settings.tree_head_interval_seconds - 1,
        anchors=anchors(settings),
    )


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="certificates.sign_tree_head", queue="certificates", queueing_lock="tree_head")
async def sign_tree_head(timestamp: int) -> int | None:
    """Every minute: a signed tree head if leaves were appended and the policy interval
    (tree_head_interval_seconds) has passed since the last one."""
    rt = runtime()
    async with rt.db.session() as session:
        head = await sign_tree_head_now(session, rt.settings)
        await session.commit()
    return head.row.size if head else None


@blueprint.task(
    name="certificates.render_pdf",
    queue="certificates",
    # A missing font fails at once (FontMissing says what to install): no retry fixes it.
    # An object-store outage is waited out (RetryOutages) rather than failing the job.
    retry=RetryOutages(
        RetryExcept(RetryStrategy(max_attempts=3, exponential_wait=5), (FontMissing,))
    ),
)
async def render_pdf(certificate_id: int) -> str | None:
    rt = runtime()
    assert rt.store is not None, "the object store is not configured"
    async with rt.db.session() as session:
        cert = await service.render_pdf(
            session,
            rt.store,
            certificate_id=certificate_id,
            font_path=str(rt.settings.cjk_font_path),
            public_url=rt.settings.public_url,
        )
        await session.commit()
    return cert.pdf_sha256 if cert else None


async def defer_pdf(connection: psycopg.AsyncConnection[Any], certificate_id: int) -> int:
    """On the caller's transaction: the job exists if and only if the issuance commits."""
    job_id: int = await render_pdf.configure(connection=connection).defer_async(
        certificate_id=certificate_id
    )
    return job_id


async def _queue_pdf(session: AsyncSession, cert: Certificate) -> None:
    assert cert.id is not None
    await defer_pdf(await raw_connection(session), cert.id)


def issuer(rt: Runtime, *, render: bool = True) -> service.Issuer:
    """The ``CertificateIssuer`` the API and the worker hand to registration."""
    # The PDF job defers through the assembled app; a script or CLI that issues without
    # having imported it would otherwise meet an unbound task.
    import regsafe.jobs.app  # noqa: F401

    return service.Issuer(
        issuer_keys(rt.settings), rt.cipher, on_issued=_queue_pdf if render else None
    )
