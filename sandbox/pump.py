"""What AWS does between the functions, for a sandbox that stays up: Lambda's SQS event-source
mappings (poll each consumer's queue, invoke it with a batch, delete what succeeded — failed
messages come back after their visibility timeout and end in the DLQ after maxReceiveCount, as
on AWS) and the EventBridge schedule of the reconcile poll."""

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.local.lambdas import LocalLambdas

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int:
    """EventBridge `rate(N unit)` in seconds; cron() schedules are not modelled locally."""
    match = _RATE.match(expression.strip())
    if not match:
        raise ValueError(f"only rate(...) schedules run locally, not {expression!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class PumpStats:
    invocations: int = 0
    processed: int = 0
    failed: int = 0
    last_error: str | None = None
    per_function: dict[str, int] = field(default_factory=dict)


class QueuePump:
    """Delivers each function's SQS queue to it in a background thread until stopped."""

    def __init__(
        self, lambdas: LocalLambdas, functions: list[str], *, idle_seconds: float = 0.2
    ) -> None:
        self._lambdas = lambdas
        self._functions = functions
        self._idle = idle_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-pump", daemon=True)
        self._lock = threading.Lock()
        self.stats = PumpStats(per_function=dict.fromkeys(functions, 0))

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "running": self._thread.is_alive(),
                "functions": list(self._functions),
                "invocations": self.stats.invocations,
                "processed": self.stats.processed,
                "failed": self.stats.failed,
                "per_function": dict(self.stats.per_function),
                "last_error": self.stats.last_error,
            }

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = False
            for function in self._functions:
                if self._stop.is_set():
                    return
                try:
                    # A few batches per turn, so booking and mailing take turns like two
                    # independent mappings; failed records keep the visibility the handler
                    # gave them, as on AWS.
                    report = self._lambdas.drain(function, max_batches=5, release_failed=False)
                except Exception as exc:  # e.g. moto going away during shutdown
                    with self._lock:
                        self.stats.last_error = f"{_now()} {function}: {type(exc).__name__}: {exc}"
                    continue
                with self._lock:
                    self.stats.invocations += report.invocations
                    self.stats.processed += report.processed
                    self.stats.failed += report.failed
                    self.stats.per_function[function] += report.invocations
                busy = busy or report.invocations > 0
            if not busy:
                self._stop.wait(self._idle)


class Schedule:
    """Invokes a function with an EventBridge scheduled event every `every_seconds`."""

    def __init__(self, lambdas: LocalLambdas, function: str, *, every_seconds: float) -> None:
        self._lambdas = lambdas
        self._function = function
        self._every = every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-schedule", daemon=True)
        self._lock = threading.Lock()
        self._runs = 0
        self._next: datetime | None = None
        self._last: dict[str, Any] | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "function": self._function,
                "every_seconds": self._every,
                "runs": self._runs,
                "next_run_at": self._next.isoformat() if self._next else None,
                "last_run": self._last,
            }

    def _run(self) -> None:
        while True:
            with self._lock:
                self._next = datetime.now(UTC) + timedelta(seconds=self._every)
            if self._stop.wait(self._every):
                return
            started = _now()
            try:
                answer = self._lambdas.invoke(self._function, _scheduled_event())
                last: dict[str, Any] = {"at": started, "result": answer}
            except Exception as exc:
                last = {"at": started, "error": f"{type(exc).__name__}: {exc}"}
            with self._lock:
                self._runs += 1
                self._last = last


def _scheduled_event() -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-west-1",
        "resources": ["arn:aws:events:eu-west-1:123456789012:rule/autobook-sandbox-reconcile"],
        "detail": {},
    }
