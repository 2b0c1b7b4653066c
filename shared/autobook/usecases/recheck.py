"""The scheduled recheck: lets orders through that were blocked by something fixed inside
e-conomic (a product created or unbarred, a currency added, e-conomic answering again), and
lifts a shop's pause once the cause is gone.

It costs little: per shop and cause (error code + the product numbers or currency it names)
one order is tried; when it goes through, the booking function releases the others blocked by
the same code at once. A paused shop gets one probe: the oldest order waiting for the pause.
"""

from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools import Logger

from autobook.domain.errors import ErrorRecord, ErrorStatus
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import AUTOBOOK, LedgerState
from autobook.domain.resume import Resume, codes_resumed_by
from autobook.usecases.ports import ErrorLog, Ledger, OrderQueue, ShopDirectory
from autobook.usecases.replay import replay_event

logger = Logger(child=True)

RECHECKED = codes_resumed_by(Resume.RECHECK)
PAUSE_CODES = codes_resumed_by(Resume.PAUSE)


def cause(record: ErrorRecord) -> tuple[str, str]:
    """Orders blocked for the same reason: the code and what it names."""
    parameters = record.parameters
    return record.code, parameters.get("products") or parameters.get("currency") or parameters.get(
        "service", ""
    )


def probes(records: list[ErrorRecord]) -> list[ErrorRecord]:
    """The oldest open error of each cause (one order per cause is tried)."""
    chosen: dict[tuple[str, str], ErrorRecord] = {}
    for record in sorted(records, key=lambda r: r.first_seen):
        if record.code in RECHECKED and not record.shop_wide:
            chosen.setdefault(cause(record), record)
    return list(chosen.values())


@dataclass
class RecheckSummary:
    probed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.probed.values())


@dataclass(frozen=True)
class Recheck:
    shops: ShopDirectory
    ledger: Ledger
    errors: ErrorLog
    order_queue: OrderQueue

    def run(self, now: datetime) -> RecheckSummary:
        summary = RecheckSummary()
        for shop_id in self.shops.ids():
            try:
                summary.probed[shop_id] = len(self.run_shop(shop_id, now))
            except Exception:
                logger.exception("recheck: shop failed", extra={"shop_id": shop_id})
        return summary

    def run_shop(self, shop_id: str, now: datetime) -> list[OrderEvent]:
        if self.shops.paused(shop_id) is not None:
            events = self._probe_pause(shop_id, now)
        else:
            records = self.errors.with_status(shop_id, ErrorStatus.OPEN)
            events = [
                replay_event(shop_id, r.order_id, now, actor=AUTOBOOK) for r in probes(records)
            ]
        self.order_queue.send(events)
        return events

    def _probe_pause(self, shop_id: str, now: datetime) -> list[OrderEvent]:
        waiting = [
            e
            for e in self.ledger.in_states(shop_id, [LedgerState.FAILED], limit=1000)
            if e.error_code in PAUSE_CODES
        ]
        if not waiting:
            return []
        oldest = min(waiting, key=lambda e: e.updated_at)
        return [
            replay_event(shop_id, oldest.order_id, now, actor=AUTOBOOK, source=EventSource.PROBE)
        ]
