"""Background jobs of the certificates domain: the periodic signed tree head (with the
configured witnesses) and the certificate PDF (its status and the holder's 重试)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import psycopg
from procrastinate import Blueprint, RetryStrategy
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Viewer
from regsafe.certificates import ledger, service
from regsafe.certificates.errors import CertificateErrorCode as Code
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.models import Certificate
from regsafe.certificates.witness import FileWitness
from regsafe.core.clock import utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.core.pdf_fonts import FontMissing
from regsafe.core.runtime import Runtime, runtime
from regsafe.core.settings import Settings
from regsafe.jobs.retry import RetryExcept, RetryOutages
from regsafe.jobs.state import JobState, latest_job_state

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


class PdfStatus(StrEnum):
    """证书PDF生成状态"""

    PENDING = "PENDING"  # 生成中: the job is queued, running or waiting for a retry
    READY = "READY"  # 已生成
    FAILED = "FAILED"  # 生成失败: the job failed for good, or none is queued (重试 queues one)


async def pdf_status(session: AsyncSession, cert: Certificate) -> PdfStatus:
    if cert.pdf_object_key is not None:
        return PdfStatus.READY
    state = await latest_job_state(session, render_pdf.name, certificate_id=cert.id)
    # No job, or one that ended without a PDF: nothing will render it unless re-queued.
    return PdfStatus.PENDING if state is JobState.PENDING else PdfStatus.FAILED


async def retry_pdf(session: AsyncSession, *, viewer: Viewer, certificate_id: int) -> Certificate:
    """重试: the holder queues the PDF job again when the last one failed (a pending or
    rendered PDF is left alone, so repeated clicks queue one job)."""
    cert = await session.get(Certificate, certificate_id)
    if cert is None or viewer.person_id is None or cert.person_id != viewer.person_id:
        raise DomainError(Code.NOT_FOUND, "没有该证书", "id")
    if await pdf_status(session, cert) is PdfStatus.FAILED:
        await _queue_pdf(session, cert)
    return cert


def issuer(rt: Runtime, *, render: bool = True) -> service.Issuer:
    """The ``CertificateIssuer`` the API and the worker hand to registration."""
    # The PDF job defers through the assembled app; a script or CLI that issues without
    # having imported it would otherwise meet an unbound task.
    import regsafe.jobs.app  # noqa: F401

    return service.Issuer(
        issuer_keys(rt.settings), rt.cipher, on_issued=_queue_pdf if render else None
    )
