"""Retry with exponential backoff and full jitter for e-conomic's passing failures.

Only what may pass by itself is retried here (5xx, timeouts, dropped connections), and a write
only because it carries an Idempotency-Key: a repeat is answered from e-conomic's cache. A 429
(RateLimitedError: not done) is not retried here: its Retry-After goes back to the queue.
Beyond `max_attempts` the failure goes to the queue, which retries later and finally dead-letters.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from autobook.domain.errors import RateLimitedError, TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    base_seconds: float = 0.2
    cap_seconds: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return self.jitter() * min(self.cap_seconds, self.base_seconds * 2.0**attempt)

    def call(self, operation: Callable[[], T]) -> T:
        for attempt in range(self.max_attempts):
            try:
                return operation()
            except TransientError as error:
                last = attempt == self.max_attempts - 1
                if last or isinstance(error, RateLimitedError):
                    raise
                self.sleep(self.delay(attempt))
        raise AssertionError("unreachable")


NO_RETRY = RetryPolicy(max_attempts=1)
