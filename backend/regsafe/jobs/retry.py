"""Retry strategies shared by the domains' tasks."""

from __future__ import annotations

from dataclasses import dataclass

from procrastinate import BaseRetryStrategy, RetryStrategy
from procrastinate.jobs import Job
from procrastinate.retry import RetryDecision


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
