"""The shared limiter's arithmetic and its clean-up, with a chosen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, func, select

from regsafe.core.db import Database
from regsafe.core.ratelimit import RateLimitBucket, SharedLimiter

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


async def _hits(db: Database, limiter: SharedLimiter, key: str, at: datetime, n: int) -> list[bool]:
    out = []
    for _ in range(n):
        async with db.session() as s:
            out.append((await limiter.hit(s, key, limit=4, now=at)).allowed)
    return out


async def test_the_previous_window_fades_out_so_a_boundary_does_not_double_the_rate(
    db: Database,
) -> None:
    limiter = SharedLimiter()
    assert await _hits(db, limiter, "k", T0 + timedelta(seconds=50), 5) == [True] * 4 + [False]
    # 15 s into the next window 3/4 of the last one still counts: 5·0.75 + 1 > 4
    assert await _hits(db, limiter, "k", T0 + timedelta(seconds=75), 1) == [False]
    async with db.session() as s:
        refused = await limiter.hit(s, "k", limit=4, now=T0 + timedelta(seconds=75))
    assert not refused.allowed and 1 <= refused.retry_after <= 120
    assert await _hits(db, limiter, "other", T0 + timedelta(seconds=75), 1) == [True]
    # two windows later the client starts afresh
    assert await _hits(db, limiter, "k", T0 + timedelta(seconds=180), 4) == [True] * 4


async def test_old_windows_are_deleted_by_the_first_request_of_a_new_window(
    db: Database,
) -> None:
    limiter = SharedLimiter()
    await _hits(db, limiter, "a", T0, 2)
    await _hits(db, limiter, "b", T0 + timedelta(minutes=1), 1)
    await _hits(db, limiter, "c", T0 + timedelta(minutes=2), 1)
    async with db.session() as s:
        windows = (
            await s.exec(
                select(RateLimitBucket.window_start, func.count())
                .group_by(col(RateLimitBucket.window_start))
                .order_by(col(RateLimitBucket.window_start))
            )
        ).all()
    # the current and the previous window stay (the estimate reads the previous one)
    assert [w for w, _ in windows] == [T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
