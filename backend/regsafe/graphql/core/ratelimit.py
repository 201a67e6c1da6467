"""Per-client rate limiting of public endpoints (certificate verification).

An in-process token bucket per client address: each client may burst up to the
per-minute rate and refills continuously. In-process means each API process counts on
its own (N processes allow N× the rate) and a restart forgets — acceptable for a guard
against scraping from one address; a shared limit would need the database or a proxy.
The table of clients is bounded: the least recently seen are forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import lru_cache

MAX_CLIENTS = 50_000


class TokenBucket:
    def __init__(self, per_minute: int, *, max_clients: int = MAX_CLIENTS) -> None:
        self.capacity = float(max(per_minute, 1))
        self.rate = self.capacity / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        at = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, at))
            tokens = min(self.capacity, tokens + (at - last) * self.rate)
            allowed = tokens >= 1
            self._buckets[client] = (tokens - 1 if allowed else tokens, at)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return allowed


@lru_cache(maxsize=8)
def verification_limiter(per_minute: int) -> TokenBucket:
    """One bucket table per process (per configured rate)."""
    return TokenBucket(per_minute)
