"""Deterministic fault injection: scripted failures, timeouts, latency, random 5xx."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass
class Fault:
    """What to do with one request.

    ``status``: answer this error status (``None`` = the real answer).
    ``delay``: seconds to hold the response (server side, asyncio sleep).
    ``after_commit``: perform the real handling first, then answer the error / delay.
    """

    status: int | None = None
    delay: float = 0.0
    after_commit: bool = False


@dataclass
class _Scripted:
    remaining: int
    status: int | None
    delay: float
    method: str | None
    path_prefix: str | None
    after_commit: bool

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)


class Faults:
    def __init__(self) -> None:
        self._scripted: list[_Scripted] = []
        self.latency = 0.0
        self._rate = 0.0
        self._rng = random.Random(0)
        self._statuses: tuple[int, ...] = (500, 502, 503)
        self._after_commit_share = 0.5

    def fail_next(
        self,
        n: int,
        status: int = 503,
        *,
        method: str | None = None,
        path_prefix: str | None = None,
        after_commit: bool = False,
    ) -> None:
        self._scripted.append(_Scripted(n, status, 0.0, method, path_prefix, after_commit))

    def timeout_next(
        self,
        n: int,
        *,
        seconds: float,
        after_commit: bool = False,
        method: str | None = None,
        path_prefix: str | None = None,
        status: int = 504,
    ) -> None:
        """Hold the next ``n`` matching responses ``seconds`` long.

        Without ``after_commit`` the request is not processed and finally answered ``status``;
        with it the request is processed and the real answer is sent after the delay.
        """
        self._scripted.append(
            _Scripted(
                n, None if after_commit else status, seconds, method, path_prefix, after_commit
            )
        )

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def set_transient_failure_rate(
        self,
        p: float,
        seed: int,
        statuses: tuple[int, ...] = (500, 502, 503),
        after_commit_share: float = 0.5,
    ) -> None:
        self._rate = p
        self._rng = random.Random(seed)
        self._statuses = statuses
        self._after_commit_share = after_commit_share

    def clear(self) -> None:
        self._scripted.clear()
        self.latency = 0.0
        self._rate = 0.0

    def pick(self, method: str, path: str) -> Fault | None:
        """Consume and return the fault for this request, if any."""
        for scripted in self._scripted:
            if scripted.remaining > 0 and scripted.matches(method, path):
                scripted.remaining -= 1
                if scripted.remaining == 0:
                    self._scripted.remove(scripted)
                return Fault(scripted.status, scripted.delay, scripted.after_commit)
        if self._rate > 0 and self._rng.random() < self._rate:
            status = self._rng.choice(self._statuses)
            after = self._rng.random() < self._after_commit_share
            return Fault(status, 0.0, after)
        return None
