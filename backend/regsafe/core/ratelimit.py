"""A rate limit shared by every API process, counted in PostgreSQL (限流).

One row per client key and fixed window (a minute by default), bumped by one atomic
upsert per request; the decision weighs the previous window by how much of it still
overlaps the last minute (a sliding-window estimate), so a client cannot double its
rate at a window boundary. The table is UNLOGGED: counts lost in a crash cost nothing,
and every request would otherwise write WAL. Windows older than the previous one are
deleted by the first request of each new window a process sees.

Keys are HMACs (the blind-index key) of the bucket name and the client's address
bucket: the table never holds a client address.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Text, text
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

WINDOW = timedelta(minutes=1)


class RateLimitBucket(SQLModel, table=True):
    """限流计数: the requests of one client key in one window."""

    __tablename__ = "rate_limit_bucket"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    key: str = Field(sa_type=Text, primary_key=True)
    window_start: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    count: int = Field(nullable=False)


_HIT = text(
    """
    WITH hit AS (
        INSERT INTO rate_limit_bucket AS b (key, window_start, count)
        VALUES (:key, :window, 1)
        ON CONFLICT (key, window_start) DO UPDATE SET count = b.count + 1
        RETURNING b.count
    )
    SELECT hit.count,
           coalesce((SELECT p.count FROM rate_limit_bucket p
                     WHERE p.key = :key AND p.window_start = :previous), 0)
    FROM hit
    """
)
_SWEEP = text("DELETE FROM rate_limit_bucket WHERE window_start < :previous")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the estimate falls below the limit (0 if allowed)


def window_start(now: datetime, window: timedelta = WINDOW) -> datetime:
    seconds = window.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=UTC)


class SharedLimiter:
    """Keeps one thing in the process: the window it last swept old rows in."""

    def __init__(self, window: timedelta = WINDOW) -> None:
        self.window = window
        self._swept: datetime | None = None

    async def hit(self, session: AsyncSession, key: str, *, limit: int, now: datetime) -> Decision:
        """Count one request of ``key`` and decide; commits ``session`` (the count must
        stand whatever the request does next)."""
        current = window_start(now, self.window)
        previous = current - self.window
        conn = await session.connection()
        if self._swept is None or self._swept < current:
            self._swept = current
            await conn.execute(_SWEEP, {"previous": previous})
        row = (
            await conn.execute(_HIT, {"key": key, "window": current, "previous": previous})
        ).one()
        await session.commit()
        count, before = int(row[0]), int(row[1])
        limit = max(limit, 1)
        elapsed = (now - current) / self.window
        if count + before * (1 - elapsed) <= limit:
            return Decision(True, 0)
        wait = _retry_after(count, before, limit, elapsed) * self.window.total_seconds()
        return Decision(False, max(1, math.ceil(wait)))


def _retry_after(count: int, before: int, limit: int, elapsed: float) -> float:
    """In windows, how long until one more request would pass if none came meanwhile."""
    if before and count + 1 <= limit:  # later in this window, as the previous one fades
        at = 1 - (limit - count - 1) / before
        if at < 1:
            return max(at - elapsed, 0.0)
    # in the next window this one is the previous: one request plus its fading share
    at = max(0.0, 1 - (limit - 1) / count) if count else 0.0
    return 1 - elapsed + at
