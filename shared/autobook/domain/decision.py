"""What to do with an order now, from its Dandomain state and what the ledger already knows."""

from enum import StrEnum

from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig


class Decision(StrEnum):
    BOOK = "book"  # create (or continue) the invoice
    CREDIT = "credit"  # a booked order was cancelled
    DONE = "done"  # already handled; nothing to do
    SKIP = "skip"  # not in a booking state (yet), or incomplete


_DONE_STATES = {LedgerState.BOOKED, LedgerState.MAILED, LedgerState.CREDITED}


def decide(order: Order, shop: ShopConfig, entry: LedgerEntry | None) -> Decision:
    state = entry.state if entry else None
    if order.state.id in shop.cancel_state_ids:
        if state in (LedgerState.BOOKED, LedgerState.MAILED):
            return Decision.CREDIT
        return Decision.DONE if state == LedgerState.CREDITED else Decision.SKIP
    if order.incomplete or order.state.id not in shop.booking_state_ids:
        return Decision.DONE if state in _DONE_STATES else Decision.SKIP
    if state in _DONE_STATES:
        return Decision.DONE
    return Decision.BOOK
