"""What to do with an order now, from its Dandomain state and what the ledger already knows."""

from enum import StrEnum

from autobook.domain.credit import order_difference
from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import INVOICED, LedgerEntry, LedgerState, OwnerRequest
from autobook.domain.order import Order
from autobook.domain.shop import ChangePolicy, ShopConfig, ShopMode


class Decision(StrEnum):
    BOOK = "book"  # create (or continue) the invoice
    CREDIT = "credit"  # a booked order was cancelled: credit note
    REBOOK = "rebook"  # a booked order changed: credit note, then invoice the new version
    CHANGED = "changed"  # a booked order changed and the owner decides
    OWNERS_DRAFT = "owners_draft"  # a trial draft after activation: learn what the owner did
    DONE = "done"  # already handled; nothing to do
    SKIP = "skip"  # not in a booking state (yet), or incomplete


def decide(order: Order, shop: ShopConfig, entry: LedgerEntry | None) -> Decision:
    state = entry.state if entry else None
    if order.state.id in shop.cancel_state_ids:
        if state in INVOICED:
            return Decision.CREDIT
        return Decision.DONE if state == LedgerState.CREDITED else Decision.SKIP
    if order.incomplete or order.state.id not in shop.booking_state_ids:
        return Decision.DONE if state in (*INVOICED, LedgerState.CREDITED) else Decision.SKIP
    if entry is None:
        return Decision.BOOK
    if state == LedgerState.CREDITED and entry.credited_by_order:
        return Decision.DONE  # credited for a credit-note order; the order itself stays as is
    if state in INVOICED:
        return _after_booking(order, shop, entry)
    if state == LedgerState.DRAFTED and entry.drafted_in_trial:
        return Decision.DONE if shop.mode == ShopMode.TRIAL else Decision.OWNERS_DRAFT
    if (
        state == LedgerState.FAILED
        and entry.error_code == ErrorCode.TRIAL_DRAFT_DELETED
        and entry.owner_request != OwnerRequest.INVOICE_AGAIN
    ):
        return Decision.DONE  # the owner deleted it in e-conomic: their decision stands
    return Decision.BOOK  # CREDITED here means: invoiced again (un-cancelled, or rebooked)


def _after_booking(order: Order, shop: ShopConfig, entry: LedgerEntry) -> Decision:
    if entry.snapshot is None or order_difference(entry.snapshot, order) is None:
        return Decision.DONE
    if entry.invoice.booked_by != "autobook":
        return Decision.CHANGED  # the owner's invoice: only ever tell
    if (
        shop.on_change_after_booking == ChangePolicy.CREDIT_AND_REBOOK
        or entry.owner_request == OwnerRequest.CREDIT_AND_REBOOK
    ):
        return Decision.REBOOK
    return Decision.CHANGED
