"""e-conomic's per-agreement token bucket as autobook sees it (reference economic.md §1.5):
every answer, a 429 included, carries `X-RateLimiting: token-limit-10000-per-60-seconds:
147/10000`. The limit read from it paces every container's calls for that agreement."""

import hashlib
import re
from dataclasses import dataclass
from math import floor
from typing import Protocol

_HEADER = re.compile(r"token-limit-(\d+)-per-(\d+(?:\.\d+)?)-seconds")


@dataclass(frozen=True)
class RateLimit:
    capacity: int
    per_seconds: float

    def calls_per_second(self) -> int:
        """Calls one second may use: the refill rate, so a full bucket never runs dry (at
        least one, so a tiny limit still lets calls through, throttled by 429s)."""
        return max(1, floor(self.capacity / self.per_seconds))


class Headers(Protocol):
    def get(self, key: str, /) -> str | None: ...


class CallBudget(Protocol):
    """One agreement's calls per second, shared by every container that calls e-conomic."""

    def take(self, agreement: str) -> None:
        """Return when a call may go out now; RateLimitedError when none may go out soon
        (not done: the caller's queue retries later)."""
        ...

    def learn(self, agreement: str, limit: RateLimit) -> None:
        """The limit e-conomic announced for the agreement, for every container."""
        ...


# Observed on every agreement so far; replaced by what the first answer says.
DEFAULT_LIMIT = RateLimit(capacity=10_000, per_seconds=60.0)


def limit_from_headers(headers: Headers) -> RateLimit | None:
    """The limit an answer announces; None when it announces none (or nothing readable)."""
    value = headers.get("X-RateLimiting")
    match = _HEADER.search(value or "")
    if match is None:
        return None
    capacity, per_seconds = int(match.group(1)), float(match.group(2))
    if capacity < 1 or per_seconds <= 0:
        return None
    return RateLimit(capacity=capacity, per_seconds=per_seconds)


def agreement_key(grant_token: str) -> str:
    """Which budget a call spends: the agreement grant (shops sharing one share its budget).
    A digest, so the token itself is never stored or logged."""
    return hashlib.sha256(grant_token.encode()).hexdigest()[:20]
