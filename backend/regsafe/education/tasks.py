"""Background jobs of continuing education: transcripts rendered to PDF, and exam
attempts whose time ran out graded from their saved answers."""

from __future__ import annotations

from typing import Any

import psycopg
from procrastinate import Blueprint, RetryStrategy

from regsafe.core.clock import utcnow
from regsafe.core.pdf_fonts import FontMissing
from regsafe.core.runtime import runtime
from regsafe.education import hours, service
from regsafe.jobs.retry import RetryExcept, RetryOutages

blueprint = Blueprint()


@blueprint.task(
    name="education.render_transcript",
    queue="education",
    # A missing font fails at once (FontMissing says what to install): no retry fixes it.
    # An object-store outage is waited out (RetryOutages) rather than failing the job.
    retry=RetryOutages(
        RetryExcept(RetryStrategy(max_attempts=3, exponential_wait=5), (FontMissing,))
    ),
)
async def render_transcript(transcript_id: int) -> str | None:
    rt = runtime()
    assert rt.store is not None
    async with rt.db.session() as session:
        transcript = await hours.render_transcript_file(
            session,
            rt.store,
            rt.cipher,
            transcript_id=transcript_id,
            settings=rt.settings,
            now=utcnow(),
        )
        await session.commit()
        return transcript.status if transcript else None


async def defer_transcript(connection: psycopg.AsyncConnection[Any], transcript_id: int) -> int:
    """On the caller's transaction: the job exists if and only if the request commits."""
    job_id: int = await render_transcript.configure(connection=connection).defer_async(
        transcript_id=transcript_id
    )
    return job_id


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="education.close_exams", queue="education", queueing_lock="close_exams")
async def close_exams(timestamp: int) -> int:
    """Every minute: attempts past their deadline are graded from the saved answers."""
    rt = runtime()
    async with rt.db.session() as session:
        n = await service.close_expired_attempts(session, now=utcnow())
        await session.commit()
    return n
