"""The order ledger: one entry per shop + order, and the only moves it may make.

Every change is a pure method here that returns the next entry (or raises
`IllegalTransitionError`); the store writes it conditionally on the revision it read, so two
workers can never both move an order.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from autobook.domain.credit import OrderSnapshot

MAX_HISTORY = 50
AUTOBOOK = "autobook"  # the actor of everything autobook does by itself


class LedgerState(StrEnum):
    RECEIVED = "received"  # an event arrived; nothing of ours in e-conomic yet
    DRAFTED = "drafted"  # a draft invoice exists in e-conomic (final in trial mode)
    BOOKED = "booked"  # the invoice is booked; its number is final
    MAILED = "mailed"  # the buyer got the PDF
    SKIPPED = "skipped"  # not (yet) in a booking state, or incomplete
    FAILED = "failed"  # an error stops it; the owner can fix and retry
    CREDITED = "credited"  # the booked invoice was credited (order cancelled or changed)


class MailStatus(StrEnum):
    NONE = "none"
    SENDING = "sending"  # claimed; if a crash leaves it here we do not send again (at most once)
    SENT = "sent"
    FAILED = "failed"
    WITHHELD = "withheld"  # not autobook's to mail (the owner booked it in the trial)


class Booker(StrEnum):
    AUTOBOOK = "autobook"
    OWNER = "owner"  # booked by hand in e-conomic (a trial draft)


class OwnerRequest(StrEnum):
    """A choice the owner (or operator) made that the next booking run carries out."""

    INVOICE_AGAIN = "invoice_again"  # a trial draft deleted in e-conomic: invoice it now
    CREDIT_AND_REBOOK = "credit_and_rebook"  # a changed booked order: credit and rebook


class WriteStep(StrEnum):
    DRAFT = "draft"
    BOOK = "book"
    CREDIT_DRAFT = "credit-draft"
    CREDIT_BOOK = "credit-book"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class PendingWrite(_Frozen):
    """A write to e-conomic was started and its outcome is not known yet: whoever comes next
    must look (and verify) before writing again."""

    step: WriteStep
    attempt: int
    at: datetime


class Document(_Frozen):
    """One e-conomic document autobook made for the order, as autobook wrote it."""

    draft_number: int | None = None
    booked_number: int | None = None
    reference: str = ""
    customer_number: int | None = None
    net: Decimal | None = None
    gross: Decimal | None = None
    currency: str | None = None
    due_date: date | None = None
    payment_terms: str | None = None
    booked_by: Booker | None = None


class MailRecord(_Frozen):
    status: MailStatus = MailStatus.NONE
    message_id: str | None = None
    at: datetime | None = None


class HistoryEntry(_Frozen):
    at: datetime
    state: LedgerState
    note: str = ""
    actor: str = AUTOBOOK


class IllegalTransitionError(Exception):
    """A bug: the code asked for a move the state machine forbids. Never written."""


S = LedgerState
ALLOWED: dict[LedgerState, frozenset[LedgerState]] = {
    S.RECEIVED: frozenset({S.DRAFTED, S.SKIPPED, S.FAILED, S.BOOKED}),
    S.SKIPPED: frozenset({S.DRAFTED, S.FAILED, S.BOOKED}),
    # FAILED -> RECEIVED: the draft must be made again (stale, gone, or the owner asked);
    # FAILED -> SKIPPED: an order waiting for a paused shop is no longer to be booked
    S.FAILED: frozenset({S.RECEIVED, S.DRAFTED, S.FAILED, S.BOOKED, S.SKIPPED}),
    # back to RECEIVED only when the draft is gone from e-conomic without being booked
    S.DRAFTED: frozenset({S.BOOKED, S.FAILED, S.RECEIVED}),
    S.BOOKED: frozenset({S.MAILED, S.CREDITED}),
    S.MAILED: frozenset({S.CREDITED}),
    # a credited order that must be invoiced again (its new version) starts over
    S.CREDITED: frozenset({S.RECEIVED}),
}
# States in which autobook holds a booked invoice for the order.
INVOICED = frozenset({S.BOOKED, S.MAILED})


def can_move(current: LedgerState, target: LedgerState) -> bool:
    return target in ALLOWED[current]


class LedgerEntry(_Frozen):
    shop_id: str
    order_id: str
    state: LedgerState
    error_code: str | None = None
    invoice: Document = Field(default_factory=Document)
    credit: Document = Field(default_factory=Document)
    mail: MailRecord = Field(default_factory=MailRecord)
    credit_mail: MailRecord = Field(default_factory=MailRecord)
    drafted_in_trial: bool = False
    owner_request: OwnerRequest | None = None
    # The order as invoiced, to tell later what changed.
    snapshot: OrderSnapshot | None = None
    pending: PendingWrite | None = None
    attempts: int = 0  # e-conomic writes started; part of each write's Idempotency-Key
    edition: int = 1  # how many times the order was invoiced (a rebook after a credit is 2)
    # The Dandomain credit-note order (Webshop `Origin`) whose credit note credited the invoice:
    # the order itself stays in a booking state, and must not be invoiced again for it.
    credited_by_order: str = ""
    created_at: datetime
    updated_at: datetime
    history: tuple[HistoryEntry, ...] = ()
    # Optimistic locking: the store writes only if the stored revision is still this one.
    revision: int = 0

    @classmethod
    def new(cls, shop_id: str, order_id: str, now: datetime) -> Self:
        return cls(
            shop_id=shop_id,
            order_id=order_id,
            state=LedgerState.RECEIVED,
            created_at=now,
            updated_at=now,
            history=(HistoryEntry(at=now, state=LedgerState.RECEIVED),),
        )

    # -- state moves ---------------------------------------------------------------------
    def moved(
        self,
        target: LedgerState,
        now: datetime,
        *,
        note: str = "",
        actor: str = AUTOBOOK,
        **changes: object,
    ) -> Self:
        """The entry in `target`; the one generic move the named moves below are built on."""
        if not can_move(self.state, target):
            raise IllegalTransitionError(
                f"{self.state} -> {target} for order {self.shop_id}/{self.order_id}"
            )
        entry = HistoryEntry(at=now, state=target, note=note, actor=actor)
        return self.model_copy(
            update={
                **changes,
                "state": target,
                "updated_at": now,
                "history": (*self.history, entry)[-MAX_HISTORY:],
            }
        )

    def noted(self, now: datetime, note: str, *, actor: str = AUTOBOOK) -> Self:
        """A line in the history without a move (an operator action, a verification)."""
        entry = HistoryEntry(at=now, state=self.state, note=note, actor=actor)
        return self.model_copy(
            update={"updated_at": now, "history": (*self.history, entry)[-MAX_HISTORY:]}
        )

    def drafted(
        self, document: Document, snapshot: OrderSnapshot, now: datetime, *, in_trial: bool
    ) -> Self:
        return self.moved(
            LedgerState.DRAFTED,
            now,
            note=f"draft {document.draft_number}",
            invoice=document,
            snapshot=snapshot,
            drafted_in_trial=in_trial,
            error_code=None,
            pending=None,
        )

    def booked(
        self,
        document: Document,
        now: datetime,
        *,
        note: str,
        snapshot: OrderSnapshot | None = None,
        withhold_mail: bool = False,
    ) -> Self:
        return self.moved(
            LedgerState.BOOKED,
            now,
            note=note,
            invoice=document,
            snapshot=snapshot or self.snapshot,
            error_code=None,
            pending=None,
            mail=MailRecord(status=MailStatus.WITHHELD) if withhold_mail else self.mail,
        )

    def failed(self, code: str, now: datetime, *, note: str = "") -> Self:
        return self.moved(
            LedgerState.FAILED, now, note=note or code, error_code=code, pending=self.pending
        )

    def skipped(self, now: datetime, note: str) -> Self:
        return self.moved(LedgerState.SKIPPED, now, note=note, error_code=None)

    def restarted(self, now: datetime, note: str, *, actor: str = AUTOBOOK) -> Self:
        """Back to RECEIVED: the draft is gone (or a credited order is invoiced anew)."""
        rebook = self.state == LedgerState.CREDITED
        return self.moved(
            LedgerState.RECEIVED,
            now,
            note=note,
            actor=actor,
            invoice=Document(),
            credit=Document() if rebook else self.credit,
            mail=MailRecord() if rebook else self.mail,
            credit_mail=MailRecord() if rebook else self.credit_mail,
            drafted_in_trial=False,
            pending=None,
            owner_request=None,
            error_code=None,
            edition=self.edition + 1 if rebook else self.edition,
            credited_by_order="" if rebook else self.credited_by_order,
        )

    def requested(self, request: OwnerRequest, now: datetime, *, actor: str) -> Self:
        entry = self.noted(now, f"requested: {request}", actor=actor)
        return entry.model_copy(update={"owner_request": request})

    def credited(self, credit: Document, now: datetime, *, by_order: str = "") -> Self:
        by = f" for credit-note order {by_order}" if by_order else ""
        return self.moved(
            LedgerState.CREDITED,
            now,
            note=f"credit note {credit.booked_number}{by}",
            credit=credit,
            pending=None,
            credited_by_order=by_order,
        )

    # -- writes to e-conomic -------------------------------------------------------------
    def write_started(self, step: WriteStep, now: datetime) -> Self:
        attempt = self.attempts + 1
        return self.model_copy(
            update={
                "attempts": attempt,
                "pending": PendingWrite(step=step, attempt=attempt, at=now),
                "updated_at": now,
            }
        )

    def write_not_done(self, now: datetime) -> Self:
        """The write certainly did not happen (refused, throttled): nothing to look for."""
        return self.model_copy(update={"pending": None, "updated_at": now})

    def with_credit_draft(self, document: Document, now: datetime) -> Self:
        return self.model_copy(update={"credit": document, "pending": None, "updated_at": now})

    # -- mail ----------------------------------------------------------------------------
    def mail_record(self, credit_note: bool) -> MailRecord:
        return self.credit_mail if credit_note else self.mail

    def with_mail(self, credit_note: bool, record: MailRecord, now: datetime) -> Self:
        field = "credit_mail" if credit_note else "mail"
        return self.model_copy(update={field: record, "updated_at": now})

    def mailed(self, message_id: str, now: datetime, *, credit_note: bool) -> Self:
        record = MailRecord(status=MailStatus.SENT, message_id=message_id, at=now)
        if credit_note or self.state != LedgerState.BOOKED:
            kind = "credit note" if credit_note else "invoice"
            return self.with_mail(credit_note, record, now).noted(now, f"{kind} mail {message_id}")
        return self.moved(LedgerState.MAILED, now, note=f"mail {message_id}", mail=record)

    # -- reading -------------------------------------------------------------------------
    @property
    def reference(self) -> str:
        return self.invoice.reference

    @property
    def is_invoiced(self) -> bool:
        return self.state in INVOICED
