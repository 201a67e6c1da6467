"""Retry strategies shared by the domains' tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from procrastinate import BaseRetryStrategy, RetryStrategy
from procrastinate.jobs import Job
from procrastinate.retry import RetryDecision

from regsafe.core.storage import StorageUnavailable

# An object-store outage (a restart, a network cut) is waited out for about four hours:
# 30 attempts, 60 s apart at first and 30 s more after each. Jobs that read or write the
# store then finish when it is back instead of failing their document for good.
STORAGE_OUTAGE = RetryStrategy(max_attempts=30, wait=60, linear_wait=30)


@dataclass(frozen=True)
class RetryExcept(BaseRetryStrategy):
    """Retries like ``strategy`` except on ``permanent`` failures, which no retry can
    fix (a missing font): the job fails at once with that error instead of retrying."""

    strategy: RetryStrategy
    permanent: tuple[type[BaseException], ...]

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, self.permanent):
            return None
        return self.strategy.get_retry_decision(exception=exception, job=job)


@dataclass(frozen=True)
class RetryOutages(BaseRetryStrategy):
    """Retries like ``strategy``, except while a service the job needs is unavailable
    (``transient``): those failures retry on the longer ``outage`` schedule. Attempts
    are one count per job, so the task can tell its last outage attempt by
    ``job.attempts + 1 >= outage.max_attempts``."""

    strategy: BaseRetryStrategy
    outage: RetryStrategy = field(default_factory=lambda: STORAGE_OUTAGE)
    transient: tuple[type[BaseException], ...] = field(default=(StorageUnavailable,))

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, self.transient):
            return self.outage.get_retry_decision(exception=exception, job=job)
        return self.strategy.get_retry_decision(exception=exception, job=job)
