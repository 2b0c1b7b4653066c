"""What the owner page needs from the core: reads for the page, and the operator use cases its
buttons call. The core implements `OwnerActions`; every action records `actor` and the time in
the order's history."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import LedgerState
from autobook.notify.owner_views import ErrorView, OrderRef, PauseView


class ShopSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    name: str
    pauses: tuple[PauseView, ...] = ()  # shop-wide errors that have the shop paused


class InvoiceSummary(BaseModel):
    """One recent invoice: drafted (trial), booked, mailed or credited."""

    model_config = ConfigDict(frozen=True)

    order: OrderRef
    state: LedgerState
    draft_number: int | None = None
    booked_number: int | None = None
    credit_note_number: int | None = None
    mail_failed: bool = False
    updated_at: datetime = Field(description="when the ledger entry last moved")


class OwnerActions(Protocol):
    def shop(self, shop_id: str) -> ShopSummary | None:
        """The shop, or None when there is no such shop."""
        ...

    def open_errors(self, shop_id: str) -> Sequence[ErrorView]:
        """Open errors of orders (shop-wide ones are in `ShopSummary.pauses`)."""
        ...

    def recent_invoices(self, shop_id: str, limit: int) -> Sequence[InvoiceSummary]:
        """The newest `limit` invoices, newest first."""
        ...

    def replay(self, shop_id: str, order_id: str, actor: str) -> int:
        """Book the order again now; the number of orders queued (0: nothing open to retry)."""
        ...

    def replay_code(self, shop_id: str, code: ErrorCode, actor: str) -> int:
        """Book every order with this open error again; the number of orders queued."""
        ...

    def resend_mail(self, shop_id: str, order_id: str, actor: str) -> int:
        """Mail the booked invoice to the buyer again; 1 if queued, 0 if no mail had failed."""
        ...

    def ignore(self, shop_id: str, order_id: str, code: ErrorCode, reason: str, actor: str) -> int:
        """Close the open error without booking, with the owner's reason; 1 if one was open."""
        ...

    def credit_and_rebook(self, shop_id: str, order_id: str, actor: str) -> int:
        """For ORDER_CHANGED_AFTER_BOOKING: credit the invoice and book the order again."""
        ...
