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

from autobook.domain.decision import Decision, decide
from autobook.domain.errors import SHOP_WIDE, ErrorCode, KnownError
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import AUTOBOOK, LedgerEntry, LedgerState
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig
from autobook.usecases.ports import (
    Clock,
    Ledger,
    OrderQueue,
    OrderSources,
    OwnerNotices,
    ShopDirectory,
)
from autobook.usecases.replay import replay_events

logger = Logger(child=True)

# What the booking function has to do for an order that no webhook brought.
WORK = frozenset(
    {Decision.BOOK, Decision.CREDIT, Decision.REBOOK, Decision.CHANGED, Decision.OWNERS_DRAFT}
)


@dataclass(frozen=True)
class ReconcilePolicy:
    # Look back this far behind the watermark: absorbs clock skew between Dandomain and us and
    # orders whose modifiedDate is written a little after the moment it names.
    overlap: timedelta = timedelta(minutes=10)
    # A shop without a watermark (its first run) and without a go-live date is searched this
    # far back; with one, from the go-live date (at most `max_first_lookback` back).
    first_lookback: timedelta = timedelta(hours=24)
    max_first_lookback: timedelta = timedelta(days=31)


@dataclass(frozen=True)
class Window:
    """[start, end) in aware datetimes; `end` becomes the shop's next watermark."""

    start: datetime
    end: datetime


def reconcile_window(
    watermark: datetime | None,
    now: datetime,
    policy: ReconcilePolicy = ReconcilePolicy(),
    *,
    go_live: datetime | None = None,
) -> Window:
    """The window to search: from the watermark minus the overlap up to now; `end` becomes the
    next watermark. Without a watermark (the shop's first run) the window starts at the shop's
    go-live date (orders before it are not autobook's), or `first_lookback` back without one.
    So does a watermark in the future: our clock was ahead when it was written, so when that
    run really happened is unknown and a short window could leave a gap.
    """
    if now.tzinfo is None or (watermark is not None and watermark.tzinfo is None):
        raise ValueError("reconcile times must be aware datetimes")
    if go_live is not None and go_live.tzinfo is None:
        raise ValueError("reconcile times must be aware datetimes")
    if watermark is None or watermark > now:
        if go_live is not None and go_live <= now:
            start = max(go_live, now - policy.max_first_lookback)
        else:
            start = now - policy.first_lookback
    else:
        start = watermark - policy.overlap
    return Window(start=start, end=now)


def needs_enqueue(order: Order, shop: ShopConfig, entry: LedgerEntry | None) -> bool:
    """Whether the booking function has work for this order that no webhook has brought: the
    same `decide` the booking function runs, on the order as the poll saw it."""
    return decide(order, shop, entry) in WORK


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


@dataclass(frozen=True)
class ReconcileService:
    shops: ShopDirectory
    sources: OrderSources
    ledger: Ledger
    notices: OwnerNotices
    order_queue: OrderQueue
    clock: Clock
    policy: ReconcilePolicy = ReconcilePolicy()

    def run(self, now: datetime) -> ReconcileSummary:
        summary = ReconcileSummary()
        for shop_id in self.shops.ids():
            summary.results.append(self.run_shop(shop_id, now))
        return summary

    def run_shop(self, shop_id: str, now: datetime) -> ShopResult:
        """One shop; its failures never stop the other shops."""
        shop = self.shops.get(shop_id)
        if shop is None:  # removed since the listing
            return ShopResult(shop_id=shop_id, status=ShopStatus.OK)
        try:
            return self._run_shop(shop, now)
        except KnownError as error:
            text = error.text
            logger.warning(
                "reconcile: known shop-wide error",
                extra={"shop_id": shop_id, "code": text.code, "parameters": text.parameters},
            )
            if error.code in SHOP_WIDE:
                self.notices.shop_paused(shop, text, now)
            return ShopResult(shop_id=shop_id, status=ShopStatus.ACCESS_DENIED)
        except Exception:
            # Transient (Dandomain 5xx, timeout) or a bug: loud in the log, the watermark stays
            # where it was, so the next run searches this window again.
            logger.exception("reconcile: shop failed", extra={"shop_id": shop_id})
            return ShopResult(shop_id=shop_id, status=ShopStatus.FAILED)

    def _resume_if_dandomain_answers(self, shop: ShopConfig, now: datetime) -> None:
        """Dandomain answered: a pause for a refused Dandomain key is over."""
        paused = self.shops.paused(shop.shop_id)
        if paused is None or paused[0] != ErrorCode.DANDOMAIN_ACCESS:
            return
        self.notices.shop_resumed(shop, now)
        waiting = [
            e
            for e in self.ledger.in_states(shop.shop_id, [LedgerState.FAILED], limit=1000)
            if e.error_code == ErrorCode.DANDOMAIN_ACCESS
        ]
        self.order_queue.send(replay_events(waiting, now, actor=AUTOBOOK))

    def _run_shop(self, shop: ShopConfig, now: datetime) -> ShopResult:
        shop_id = shop.shop_id
        watermark = self.shops.watermark(shop_id)
        window = reconcile_window(watermark, now, self.policy, go_live=shop.go_live_at)
        source = self.sources.for_shop(shop)
        found = source.changed_between(window.start, window.end, queried_states(shop))
        orders = latest_versions(found)
        events = [
            reconcile_event(shop_id, order, now)
            for order in orders
            if needs_enqueue(order, shop, self.ledger.get(shop_id, order.order_id))
        ]
        self.order_queue.send(events)
        # Only now: every order of the window is on the queue (or needs nothing).
        self.shops.set_watermark(shop_id, window.end)
        self._resume_if_dandomain_answers(shop, now)
        logger.info(
            "reconciled shop",
            extra={
                "shop_id": shop_id,
                "window_start": window.start.isoformat(),
                "window_end": window.end.isoformat(),
                "scanned": len(orders),
                "enqueued": len(events),
            },
        )
        return ShopResult(
            shop_id=shop_id,
            status=ShopStatus.OK,
            scanned=len(orders),
            enqueued=len(events),
            window_start=window.start,
            window_end=window.end,
        )
