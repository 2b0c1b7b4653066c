"""Queue messages. They carry ids and hints only — never order data, never secrets."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class EventSource(StrEnum):
    WEBHOOK = "webhook"
    RECONCILE = "reconcile"
    REPLAY = "replay"  # an operator, the owner, or a fix that resumes blocked orders
    PROBE = "probe"  # the recheck tries one blocked order of a paused shop


class OrderEvent(BaseModel):
    """'Order X of shop S may have changed': the booking function fetches and decides."""

    model_config = ConfigDict(frozen=True)

    shop_id: str
    order_id: str
    source: EventSource
    received_at: datetime
    event_id: str

    @property
    def message_group(self) -> str:
        # One group per shop+order: an order's events stay in order, other orders are not blocked.
        return f"{self.shop_id}#{self.order_id}"


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class MailJob(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    order_id: str
    booked_invoice_number: int
    kind: DocumentKind = DocumentKind.INVOICE


class DeadLetter(BaseModel):
    """A message that ended in a dead-letter queue, as the operator sees it."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    body: str
    group_id: str | None = None
    receive_count: int = 0
    sent_at: datetime | None = None
