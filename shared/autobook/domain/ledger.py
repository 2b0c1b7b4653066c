"""The order ledger's state machine. Every move is checked here and written conditionally."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class LedgerState(StrEnum):
    RECEIVED = "received"  # an event arrived; nothing in e-conomic yet
    DRAFTED = "drafted"  # a draft invoice exists in e-conomic (final in trial mode)
    BOOKED = "booked"  # the draft is booked; the invoice number is final
    MAILED = "mailed"  # the buyer got the PDF
    SKIPPED = "skipped"  # not (yet) in a booking state, or incomplete
    FAILED = "failed"  # a known error stops it; the owner can fix and replay
    CREDITED = "credited"  # a booked invoice was credited (order cancelled)


class MailStatus(StrEnum):
    NONE = "none"
    SENDING = "sending"  # claimed; if a crash leaves it here we do not send again (at most once)
    SENT = "sent"
    FAILED = "failed"


S = LedgerState
ALLOWED: dict[LedgerState, frozenset[LedgerState]] = {
    S.RECEIVED: frozenset({S.DRAFTED, S.SKIPPED, S.FAILED, S.BOOKED}),
    S.SKIPPED: frozenset({S.RECEIVED, S.DRAFTED, S.FAILED, S.SKIPPED, S.BOOKED}),
    S.FAILED: frozenset({S.RECEIVED, S.DRAFTED, S.FAILED, S.SKIPPED, S.BOOKED}),
    # back to RECEIVED only when the draft vanished from e-conomic without being booked
    S.DRAFTED: frozenset({S.BOOKED, S.FAILED, S.DRAFTED, S.RECEIVED}),
    S.BOOKED: frozenset({S.MAILED, S.CREDITED}),
    S.MAILED: frozenset({S.CREDITED}),
    S.CREDITED: frozenset(),
}


def can_move(current: LedgerState, target: LedgerState) -> bool:
    return target in ALLOWED[current]


def sources_of(target: LedgerState) -> frozenset[LedgerState]:
    return frozenset(state for state, targets in ALLOWED.items() if target in targets)


def mail_fields(credit_note: bool) -> tuple[str, str]:
    """The ledger fields (status, SES message id) that track one document's mail."""
    if credit_note:
        return "credit_mail_status", "credit_mail_message_id"
    return "mail_status", "mail_message_id"


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime
    state: LedgerState
    note: str = ""


class LedgerEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    order_id: str
    state: LedgerState
    draft_number: int | None = None
    booked_number: int | None = None
    credit_draft_number: int | None = None
    credit_note_number: int | None = None
    gross_amount: str | None = None
    currency: str | None = None
    error_code: str | None = None
    draft_attempts: int = 0
    book_attempts: int = 0
    credit_attempts: int = 0
    # What was invoiced (credit.OrderSnapshot as JSON), to say later what changed.
    order_snapshot: str | None = None
    mail_to: str | None = None  # the buyer's address, kept so the mailer needs no Dandomain call
    mail_status: MailStatus = MailStatus.NONE
    mail_message_id: str | None = None
    credit_mail_status: MailStatus = MailStatus.NONE
    credit_mail_message_id: str | None = None
    created_at: datetime
    updated_at: datetime
    history: tuple[HistoryEntry, ...] = Field(default_factory=tuple)
    # Optimistic-locking counter: every write is conditional on the revision that was read.
    revision: int = 0
