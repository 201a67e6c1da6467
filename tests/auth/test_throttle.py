"""Login-throttle rules: address buckets, which lock applies, stale rows pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from regsafe.auth import throttle
from regsafe.auth.models import LoginThrottle
from regsafe.auth.throttle import LoginCounters, ThrottlePolicy
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime

POLICY = ThrottlePolicy(
    max_failures=2,
    account_max_failures=3,
    address_max_failures=3,
    window=timedelta(minutes=15),
    lockout=timedelta(minutes=15),
)


def test_an_ipv6_client_is_one_counter_per_64_prefix() -> None:
    a = throttle.address_bucket("2001:db8:1:2:aaaa::1")
    assert a == throttle.address_bucket("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert a != throttle.address_bucket("2001:db8:1:3::1")
    assert throttle.address_bucket("::ffff:203.0.113.9") == "203.0.113.9"
    assert throttle.address_bucket(" 203.0.113.9 ") == "203.0.113.9"


def test_keys_are_hmacs_that_name_neither_the_account_nor_the_address(runtime: Runtime) -> None:
    c = LoginCounters.of(runtime.cipher, POLICY, address="203.0.113.9", user_id=7, device_id=None)
    other = LoginCounters.of(
        runtime.cipher, POLICY, address="203.0.113.10", user_id=7, device_id=None
    )
    assert c.account == other.account and c.pair != other.pair and c.address != other.address
    for counter in c.all:
        assert len(counter.key) == 32 and b"203.0.113" not in counter.key
    unknown = LoginCounters.of(
        runtime.cipher, POLICY, address="203.0.113.9", user_id=None, device_id=None
    )
    assert unknown.all == [c.address]  # an unknown name counts against the address only


async def test_stale_counters_are_pruned_live_ones_kept(runtime: Runtime) -> None:
    now = utcnow()
    old = LoginCounters.of(
        runtime.cipher, POLICY, address="192.0.2.1", user_id=None, device_id=None
    )
    live = LoginCounters.of(
        runtime.cipher, POLICY, address="192.0.2.2", user_id=None, device_id=None
    )
    async with runtime.db.session() as s:
        await throttle.count_failure(s, old.all, POLICY, now - timedelta(hours=1))
        await throttle.count_failure(s, live.all, POLICY, now)
        await s.flush()
        await throttle.prune(s, now)
        keys = set((await s.exec(select(LoginThrottle.key))).all())
    assert live.address.key in keys and old.address.key not in keys
