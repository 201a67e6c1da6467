"""Background jobs of practice and credit: one person's score recomputed after an input
changed (deferred in the same transaction as the change), and every score nightly,
since evaluations and events decay with time."""

from __future__ import annotations

from typing import Any

import psycopg
from procrastinate import Blueprint, RetryStrategy

from regsafe.core.clock import utcnow
from regsafe.core.runtime import runtime
from regsafe.practice import credit

blueprint = Blueprint()


@blueprint.task(
    name="practice.recompute_credit",
    queue="practice",
    retry=RetryStrategy(max_attempts=3, exponential_wait=5),
)
async def recompute_credit(person_id: int) -> int:
    rt = runtime()
    async with rt.db.session() as session:
        score = await credit.recompute_person(
            session, person_id, settings=rt.settings, now=utcnow()
        )
        await session.commit()
    return score.value


async def defer_recompute(connection: psycopg.AsyncConnection[Any], person_id: int) -> int:
    """On the caller's transaction: the job exists if and only if the change commits."""
    job_id: int = await recompute_credit.configure(connection=connection).defer_async(
        person_id=person_id
    )
    return job_id


@blueprint.periodic(cron="30 2 * * *")
@blueprint.task(
    name="practice.recompute_all_credit", queue="practice", queueing_lock="recompute_all_credit"
)
async def recompute_all_credit(timestamp: int) -> int:
    """Nightly (02:30): every score, page by page, each page committed on its own."""
    rt = runtime()
    async with rt.db.session() as session:
        report = await credit.recompute_all(
            session, settings=rt.settings, now=utcnow(), commit_each_page=True
        )
        await session.commit()
    return report.persons
