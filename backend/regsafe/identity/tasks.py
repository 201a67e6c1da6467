"""Background jobs of the identity domain."""

from __future__ import annotations

from typing import Any

import psycopg
from procrastinate import Blueprint, RetryStrategy

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import runtime
from regsafe.identity import service

blueprint = Blueprint()


@blueprint.task(
    name="identity.verify_person",
    queue="identity",
    retry=RetryStrategy(max_attempts=5, exponential_wait=5),
)
async def verify_person(person_id: int) -> str:
    """Check a new person's identity. Today the local GB 11643 check; the government
    identity service (registration issue) plugs in here behind an adapter."""
    rt = runtime()
    async with rt.db.session() as session:
        status = await service.mark_identity_checked(
            session, person_id=person_id, cipher=rt.cipher, today=today_shanghai(), now=utcnow()
        )
        await session.commit()
    return status.value


async def defer_verify_person(connection: psycopg.AsyncConnection[Any], person_id: int) -> int:
    """Enqueue on the caller's transaction: the job exists if and only if the person does."""
    job_id: int = await verify_person.configure(connection=connection).defer_async(
        person_id=person_id
    )
    return job_id
