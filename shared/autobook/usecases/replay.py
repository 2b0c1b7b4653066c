"""Order events that send orders through the booking function again (replays and probes)."""

from collections.abc import Iterable
from datetime import datetime

from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerEntry


def replay_event(
    shop_id: str,
    order_id: str,
    now: datetime,
    *,
    actor: str,
    source: EventSource = EventSource.REPLAY,
) -> OrderEvent:
    """A fresh trigger: its id is unique per moment, so SQS never drops it as a duplicate."""
    return OrderEvent(
        shop_id=shop_id,
        order_id=order_id,
        source=source,
        received_at=now,
        event_id=f"{source}:{shop_id}:{order_id}:{now.isoformat()}:{actor}"[:200],
    )


def replay_events(entries: Iterable[LedgerEntry], now: datetime, *, actor: str) -> list[OrderEvent]:
    return [replay_event(e.shop_id, e.order_id, now, actor=actor) for e in entries]
