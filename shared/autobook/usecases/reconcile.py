"""The reconcile poll: enqueue every order whose webhook never arrived.

For each registered shop, ask Dandomain (GetByModifiedInterval, one query per booking and cancel
state) for the orders modified since the shop's watermark, keep those that still need the booking
function, and enqueue them. The watermark moves to the end of the window only after every send
succeeded, so a crash or an outage only makes the next run look at the same window again.

The pure parts (the window, the "needs enqueueing" rule, the event id) are plain functions below;
`ReconcileService` is the thin I/O loop around them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict

from autobook.dandomain.classic_adapter import to_domain
from autobook.domain.errors import KnownError
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerState
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig
from autobook.store.error_log import SHOP_WIDE_ORDER
from autobook.usecases.clock import SHOP_ZONE
from autobook.usecases.dependencies import Dependencies

logger = Logger(child=True)

# Ledger states in which an order in a booking state has not been handled yet. Drafted, booked
# and mailed orders are done (or wait for the owner); failed ones wait for a fix and a replay.
PENDING_STATES = frozenset({LedgerState.RECEIVED, LedgerState.SKIPPED})
# Ledger states in which an order that moved to a cancel state must be looked at again.
CANCELLABLE_STATES = frozenset({LedgerState.BOOKED, LedgerState.MAILED})


@dataclass(frozen=True)
class ReconcilePolicy:
    # Look back this far behind the watermark: absorbs clock skew between Dandomain and us and
    # orders whose modifiedDate is written a little after the moment it names.
    overlap: timedelta = timedelta(minutes=10)
    # A shop without a watermark (its first run) is searched this far back.
    first_lookback: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class Window:
    """[start, end) in aware datetimes; `end` becomes the shop's next watermark."""

    start: datetime
    end: datetime

    def shop_local(self) -> tuple[datetime, datetime]:
        """The bounds as Dandomain wants them: naive Europe/Copenhagen wall-clock times.

        When the window crosses the autumn DST change the wall clock runs backwards, so the
        naive start can lie after the naive end; the start is then pulled back so the local
        window is never shorter than the real one (a longer window only re-reads orders).
        """
        start = self.start.astimezone(SHOP_ZONE).replace(tzinfo=None)
        end = self.end.astimezone(SHOP_ZONE).replace(tzinfo=None)
        return min(start, end - (self.end - self.start)), end


def reconcile_window(
    watermark: datetime | None, now: datetime, policy: ReconcilePolicy = ReconcilePolicy()
) -> Window:
    """The window to search: from the watermark minus the overlap up to now; `end` becomes the
    next watermark. Without a watermark (the shop's first run) the window reaches back
    `first_lookback`. So does a watermark in the future: our clock was ahead when it was
    written, so when that run really happened is unknown and a short window could leave a gap.
    """
    if now.tzinfo is None or (watermark is not None and watermark.tzinfo is None):
        raise ValueError("reconcile times must be aware datetimes")
    if watermark is None or watermark > now:
        start = now - policy.first_lookback
    else:
        start = watermark - policy.overlap
    return Window(start=start, end=now)


def needs_enqueue(order: Order, shop: ShopConfig, ledger_state: LedgerState | None) -> bool:
    """Whether the booking function has work for this order that no webhook has brought.

    - a cancel state and the ledger says booked/mailed: the booking function must credit it;
    - a booking state, complete, and the ledger has no entry or one that is not yet handled.
    """
    if order.state.id in shop.cancel_state_ids:
        return ledger_state in CANCELLABLE_STATES
    if order.incomplete or order.state.id not in shop.booking_state_ids:
        return False
    return ledger_state is None or ledger_state in PENDING_STATES


def queried_states(shop: ShopConfig) -> list[int]:
    """The order states to ask Dandomain about (one query each)."""
    return sorted(shop.booking_state_ids | shop.cancel_state_ids)


def reconcile_event(shop_id: str, order: Order, now: datetime) -> OrderEvent:
    """The same order at the same modification gives the same event id (SQS FIFO dedups it)."""
    return OrderEvent(
        shop_id=shop_id,
        order_id=order.order_id,
        source=EventSource.RECONCILE,
        received_at=now,
        event_id=f"reconcile:{shop_id}:{order.order_id}:{order.modified_at.isoformat()}",
    )


def latest_versions(orders: Iterable[Order]) -> list[Order]:
    """One order per id (the last modification wins), in id order. An order that changed state
    between two state queries shows up in both."""
    latest: dict[str, Order] = {}
    for order in orders:
        seen = latest.get(order.order_id)
        if seen is None or order.modified_at >= seen.modified_at:
            latest[order.order_id] = order
    return [latest[key] for key in sorted(latest, key=_order_key)]


def _order_key(order_id: str) -> tuple[int, str]:
    return (int(order_id), "") if order_id.isdigit() else (0, order_id)


# ------------------------------------------------------------------------------- results


class ShopStatus(StrEnum):
    OK = "ok"
    ACCESS_DENIED = "access_denied"  # a known shop-wide error, recorded for the owner
    FAILED = "failed"  # transient or unknown; logged, the watermark stays, the next run retries


class ShopResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    status: ShopStatus
    scanned: int = 0
    enqueued: int = 0
    window_start: datetime | None = None
    window_end: datetime | None = None


@dataclass
class ReconcileSummary:
    results: list[ShopResult] = field(default_factory=list)

    @property
    def shops(self) -> int:
        return len(self.results)

    @property
    def scanned(self) -> int:
        return sum(r.scanned for r in self.results)

    @property
    def enqueued(self) -> int:
        return sum(r.enqueued for r in self.results)

    @property
    def failed(self) -> list[str]:
        return [r.shop_id for r in self.results if r.status != ShopStatus.OK]

    def as_dict(self) -> dict[str, object]:
        return {
            "shops": self.shops,
            "scanned": self.scanned,
            "enqueued": self.enqueued,
            "failed": self.failed,
        }


# ------------------------------------------------------------------------------- service


class ReconcileService:
    def __init__(self, deps: Dependencies, policy: ReconcilePolicy = ReconcilePolicy()) -> None:
        self._deps = deps
        self._policy = policy

    def run(self, now: datetime) -> ReconcileSummary:
        summary = ReconcileSummary()
        for shop_id in self._deps.shops.shop_ids():
            summary.results.append(self.run_shop(shop_id, now))
        return summary

    def run_shop(self, shop_id: str, now: datetime) -> ShopResult:
        """One shop; its failures never stop the other shops."""
        try:
            return self._run_shop(shop_id, now)
        except KnownError as error:
            text = error.text
            logger.warning(
                "reconcile: known shop-wide error",
                extra={"shop_id": shop_id, "code": text.code, "parameters": text.parameters},
            )
            self._deps.errors.record(shop_id, SHOP_WIDE_ORDER, text, now)
            return ShopResult(shop_id=shop_id, status=ShopStatus.ACCESS_DENIED)
        except Exception:
            # Transient (Dandomain 5xx, timeout) or a bug: loud in the log, the watermark stays
            # where it was, so the next run searches this window again.
            logger.exception("reconcile: shop failed", extra={"shop_id": shop_id})
            return ShopResult(shop_id=shop_id, status=ShopStatus.FAILED)

    def _run_shop(self, shop_id: str, now: datetime) -> ShopResult:
        deps = self._deps
        shop = deps.shops.get_config(shop_id)
        if shop is None:  # removed since the scan
            return ShopResult(shop_id=shop_id, status=ShopStatus.OK)
        watermark = deps.shops.get_watermark(shop_id)
        window = reconcile_window(watermark, now, self._policy)
        start, end = window.shop_local()
        client = deps.dandomain(shop, deps.secrets.shop(shop_id))
        found: list[Order] = []
        for state_id in queried_states(shop):
            found.extend(
                to_domain(o) for o in client.orders_modified(start, end, state_id=state_id)
            )
        orders = latest_versions(found)
        enqueued = 0
        for order in orders:
            entry = deps.ledger.get(shop_id, order.order_id)
            if needs_enqueue(order, shop, entry.state if entry else None):
                deps.order_queue.send(reconcile_event(shop_id, order, now))
                enqueued += 1
        # Only now: every order of the window is on the queue (or needs nothing).
        deps.shops.set_watermark(shop_id, window.end)
        logger.info(
            "reconciled shop",
            extra={
                "shop_id": shop_id,
                "window_start": window.start.isoformat(),
                "window_end": window.end.isoformat(),
                "scanned": len(orders),
                "enqueued": enqueued,
            },
        )
        return ShopResult(
            shop_id=shop_id,
            status=ShopStatus.OK,
            scanned=len(orders),
            enqueued=enqueued,
            window_start=window.start,
            window_end=window.end,
        )
