"""What became of a domain's background job (生成状态), read from procrastinate's table,
so a page can tell "still working" from "failed for good" and offer 重试."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


class JobState(StrEnum):
    PENDING = "PENDING"  # queued, running or waiting for a retry
    FAILED = "FAILED"  # failed, cancelled or aborted: nothing will run it again
    DONE = "DONE"  # succeeded


_STATES = {
    "todo": JobState.PENDING,
    "doing": JobState.PENDING,
    "succeeded": JobState.DONE,
    "failed": JobState.FAILED,
    "cancelled": JobState.FAILED,
    "aborting": JobState.PENDING,
    "aborted": JobState.FAILED,
}

_LATEST = text(
    "SELECT status::text FROM procrastinate_jobs"
    " WHERE task_name = :task AND args @> CAST(:args AS jsonb)"
    " ORDER BY id DESC LIMIT 1"
)


async def latest_job_state(session: AsyncSession, task: str, **args: Any) -> JobState | None:
    """The state of the newest job of ``task`` whose arguments include ``args``; None when
    there is none (never queued, or purged after it succeeded)."""
    conn = await session.connection()
    row = (await conn.execute(_LATEST, {"task": task, "args": json.dumps(args)})).first()
    if row is None:
        return None
    return _STATES.get(str(row[0]), JobState.PENDING)
