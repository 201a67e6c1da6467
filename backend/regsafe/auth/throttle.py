"""Login throttling: failure counters per account and address, keyed by HMACs.

One login attempt touches up to four counters (``ThrottleKind``): the account from this
client address, the account from anywhere, the address whatever the username, and the
known device whose token came with the attempt. Which locks apply is decided in
:func:`lock_in_force`; docs/auth.md explains why.

Keys are blind indexes (core.crypto, context ``THROTTLE_CONTEXT``) of the kind and the
account id, the address bucket or the device id: the table holds no username and no
address in clear, and a username that is not an account gets no counter of its own
(it counts against the address only), so typing a password into the username field
leaves nothing of it behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.models import LoginThrottle, ThrottleKind
from regsafe.core.crypto import FieldCipher
from regsafe.core.net import address_bucket  # one rule for login and rate limits

THROTTLE_CONTEXT = "auth.login_throttle"
PRUNE_BATCH = 100


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int  # per account from one address, and per known device
    account_max_failures: int
    address_max_failures: int
    window: timedelta
    lockout: timedelta


@dataclass(frozen=True)
class Counter:
    kind: ThrottleKind
    key: bytes
    limit: int


@dataclass(frozen=True)
class LoginCounters:
    """The counters of one attempt; ``pair``/``account`` only for an existing account,
    ``device`` only when a valid known-device token of that account came with it."""

    address: Counter
    pair: Counter | None = None
    account: Counter | None = None
    device: Counter | None = None

    @classmethod
    def of(
        cls,
        keys: FieldCipher,
        policy: ThrottlePolicy,
        *,
        address: str,
        user_id: int | None,
        device_id: int | None,
    ) -> LoginCounters:
        def counter(kind: ThrottleKind, value: str, limit: int) -> Counter:
            key = keys.blind_index(f"{kind.value}\x00{value}", context=THROTTLE_CONTEXT)
            return Counter(kind, key, limit)

        bucket = address_bucket(address)
        return cls(
            address=counter(ThrottleKind.ADDRESS, bucket, policy.address_max_failures),
            pair=None
            if user_id is None
            else counter(
                ThrottleKind.ACCOUNT_ADDRESS, f"{user_id}\x00{bucket}", policy.max_failures
            ),
            account=None
            if user_id is None
            else counter(ThrottleKind.ACCOUNT, str(user_id), policy.account_max_failures),
            device=None
            if device_id is None
            else counter(ThrottleKind.DEVICE, str(device_id), policy.max_failures),
        )

    @property
    def all(self) -> list[Counter]:
        return [c for c in (self.pair, self.account, self.address, self.device) if c]


async def _lock(session: AsyncSession, counter: Counter, now: datetime) -> LoginThrottle:
    # Make sure the row exists, then lock it: concurrent attempts queue here instead of
    # racing to insert it.
    await session.exec(
        pg_insert(LoginThrottle)
        .values(
            key=counter.key,
            kind=counter.kind.value,
            failures=0,
            window_started_at=now,
            expires_at=now,
        )
        .on_conflict_do_nothing()
    )
    row = await session.get(
        LoginThrottle, counter.key, with_for_update=True, populate_existing=True
    )
    assert row is not None
    return row


async def hold(session: AsyncSession, counter: Counter, now: datetime) -> None:
    """Lock one counter for the rest of the transaction. Held on the account+address
    counter while the password is checked, so guesses at one account from one address
    run one at a time and every one is counted before the next is let in."""
    await _lock(session, counter, now)


async def read(session: AsyncSession, counters: Sequence[Counter]) -> dict[bytes, LoginThrottle]:
    keys = [c.key for c in counters]
    rows = (await session.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))).all()
    return {r.key: r for r in rows}


def lock_in_force(
    counters: LoginCounters, rows: dict[bytes, LoginThrottle], now: datetime
) -> datetime | None:
    """Until when this attempt is refused, or None.

    The account+address lock always applies: it is the one the guesser trips for
    themself. The account lock and the address lock are the ones strangers can trip for
    someone else (many addresses guessing at ``admin``; a guesser behind the same NAT),
    so a known device of the account gets past them, unless that device's own counter is
    locked too (a stolen device token buys five guesses, not unlimited ones)."""

    def until(counter: Counter | None) -> datetime | None:
        row = rows.get(counter.key) if counter else None
        if row is None or row.locked_until is None or row.locked_until <= now:
            return None
        return row.locked_until

    known_device = counters.device is not None and until(counters.device) is None
    applicable = (
        [counters.pair] if known_device else [counters.pair, counters.account, counters.address]
    )
    locks = [u for u in map(until, applicable) if u is not None]
    return max(locks) if locks else None


async def count_failure(
    session: AsyncSession, counters: Iterable[Counter], policy: ThrottlePolicy, now: datetime
) -> None:
    """Add one failure to each counter. Rows are locked in key order, so concurrent
    failures on overlapping counters (the same address, the same account) cannot
    deadlock; the account+address row this attempt already holds is never shared with
    an attempt that holds anything else."""
    for counter in sorted(counters, key=lambda c: c.key):
        row = await _lock(session, counter, now)
        if now - row.window_started_at > policy.window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= counter.limit:
            row.locked_until = now + policy.lockout
            row.failures, row.window_started_at = 0, now
        ends = row.window_started_at + policy.window
        row.expires_at = max(ends, row.locked_until) if row.locked_until else ends
        session.add(row)


async def reset(session: AsyncSession, counters: Iterable[Counter | None]) -> None:
    keys = [c.key for c in counters if c is not None]
    if keys:
        await session.exec(delete(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))


async def prune(session: AsyncSession, now: datetime) -> None:
    """Delete a batch of rows that no longer matter; rows another attempt holds are
    skipped rather than waited for."""
    stale = (
        select(LoginThrottle.key)
        .where(col(LoginThrottle.expires_at) < now)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await session.exec(
        delete(LoginThrottle).where(col(LoginThrottle.key).in_(stale.scalar_subquery()))
    )
