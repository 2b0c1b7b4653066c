"""Token bucket like e-conomic's (observed: 10000 tokens per 60 s per agreement)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime


class TokenBucket:
    def __init__(
        self, clock: Callable[[], datetime], capacity: int = 10000, per_seconds: float = 60.0
    ) -> None:
        self._clock = clock
        self.capacity = capacity
        self.per_seconds = per_seconds
        self._tokens = float(capacity)
        self._last = clock()

    @property
    def refill_per_second(self) -> float:
        return self.capacity / self.per_seconds

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, (now - self._last).total_seconds())
        self._tokens = min(float(self.capacity), self._tokens + elapsed * self.refill_per_second)
        self._last = now

    def take(self, cost: int = 1) -> int | None:
        """Consume ``cost`` tokens; return ``None`` on success or the Retry-After seconds."""
        self._refill()
        if self._tokens >= cost:
            self._tokens -= cost
            return None
        missing = cost - self._tokens
        return max(1, math.ceil(missing / self.refill_per_second))

    def drain(self) -> None:
        self._refill()
        self._tokens = 0.0

    @property
    def used(self) -> int:
        return self.capacity - math.floor(self._tokens)

    def header(self) -> str:
        window = f"{self.per_seconds:g}"
        return f"token-limit-{self.capacity}-per-{window}-seconds: {self.used}/{self.capacity}"
