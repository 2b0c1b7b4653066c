"""Backfill: book the orders a shop took before it went live, one at a time, through the same
booking use case as every other order (the same mapping, checks and write protocol).

- An order already in e-conomic under its reference is skipped and left alone (never
  adopted: it may be another system's or the owner's).
- An order autobook already handled is skipped without a call to either system, so a run
  that was interrupted (Ctrl-C, a crash) continues where it stopped when started again.
- Backfilled invoices are booked, not mailed: their buyers were invoiced when they bought.
  The ledger says so (mail `withheld`), so no later run mails them either.
- e-conomic's pace is the shared call budget of the agreement (the same as the Lambdas').
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.events import DocumentKind, EventSource, MailJob, OrderEvent
from autobook.domain.ledger import LedgerEntry, LedgerState, MailRecord, MailStatus
from autobook.domain.shop import ShopConfig
from autobook.usecases.book_order import BookOrder, Outcome
from autobook.usecases.clock import SHOP_ZONE
from autobook.usecases.operations import registered_shop
from autobook.usecases.ports import Books, Clock, Ledger

# Ledger states in which autobook has done its part for an order.
HANDLED = frozenset(
    {LedgerState.DRAFTED, LedgerState.BOOKED, LedgerState.MAILED, LedgerState.CREDITED}
)
ACTOR = "backfill"


class Result(StrEnum):
    BOOKED = "booked"
    DRAFTED = "drafted"  # a shop in its trial gets drafts
    IN_ECONOMIC = "in_economic"  # already there under its reference: left alone
    ALREADY = "already"  # autobook handled it before (an earlier or interrupted run)
    NOT_BOOKABLE = "not_bookable"  # not in a booking state
    FAILED = "failed"  # a known error: in the error log, with the fix, like any order


class BackfillRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    order_id: str
    result: Result
    invoice_number: int | None = None
    draft_number: int | None = None
    error_code: str | None = None


def window(first: date, last: date) -> tuple[datetime, datetime]:
    """The Danish calendar days `first`..`last` (inclusive) as an instant range."""
    start = datetime.combine(first, time(0), SHOP_ZONE)
    return start, datetime.combine(last + timedelta(days=1), time(0), SHOP_ZONE)


class _WithheldMail:
    """The mail queue a backfill books with: nothing is sent; the ledger records why."""

    def __init__(self, ledger: Ledger, clock: Clock) -> None:
        self._ledger, self._clock = ledger, clock

    def send(self, job: MailJob) -> None:
        entry = self._ledger.get(job.shop_id, job.order_id)
        if entry is None:
            return
        now = self._clock()
        withheld = MailRecord(status=MailStatus.WITHHELD, at=now)
        credit = job.kind == DocumentKind.CREDIT_NOTE
        entry = entry.with_mail(credit, withheld, now).noted(
            now, "not mailed: backfilled, the buyer was invoiced before autobook", actor=ACTOR
        )
        self._ledger.save(entry)


@dataclass(frozen=True)
class Backfill:
    book_order: BookOrder
    ledger: Ledger

    def plan(self, shop_id: str, first: date, last: date) -> list[str]:
        """The shop's orders placed on `first`..`last` (Danish days), oldest first."""
        shop = self._shop(shop_id)
        start, end = window(first, last)
        source = self.book_order.sources.for_shop(shop)
        now = self.book_order.clock()
        orders = source.changed_between(start, max(now, end), shop.booking_state_ids)
        placed = [o for o in orders if start <= o.created_at < end]
        return [o.order_id for o in sorted(placed, key=lambda o: (o.created_at, o.order_id))]

    def book(self, shop_id: str, order_id: str, *, last_attempt: bool = True) -> BackfillRow:
        """One order: skipped if handled or in e-conomic, else booked (mail withheld).
        TransientError (and its RateLimitedError) propagates: the caller waits and retries."""
        shop = self._shop(shop_id)
        entry = self.ledger.get(shop_id, order_id)
        if entry is not None and entry.state in HANDLED:
            return _row(order_id, Result.ALREADY, entry)
        books = self.book_order.books.for_shop(shop_id)
        if entry is None and _in_economic(books, shop.order_reference(order_id)):
            return BackfillRow(order_id=order_id, result=Result.IN_ECONOMIC)
        booking = replace(
            self.book_order, mail_queue=_WithheldMail(self.ledger, self.book_order.clock)
        )
        event = OrderEvent(
            shop_id=shop_id,
            order_id=order_id,
            source=EventSource.REPLAY,
            received_at=self.book_order.clock(),
            event_id=f"backfill:{shop_id}:{order_id}",
        )
        outcome = booking(event, final_attempt=last_attempt, reference=event.event_id)
        after = self.ledger.get(shop_id, order_id)
        result = {
            Outcome.BOOKED: Result.BOOKED,
            Outcome.DRAFTED: Result.DRAFTED,
            Outcome.FAILED: Result.FAILED,
            Outcome.SKIPPED: Result.NOT_BOOKABLE,
        }.get(outcome, Result.ALREADY)
        return _row(order_id, result, after)

    def _shop(self, shop_id: str) -> ShopConfig:
        return registered_shop(self.book_order.shops, shop_id)


def _in_economic(books: Books, reference: str) -> bool:
    found = [*books.booked_with_reference(reference), *books.drafts_with_reference(reference)]
    return any(doc.reference == reference for doc in found)


def _row(order_id: str, result: Result, entry: LedgerEntry | None) -> BackfillRow:
    if entry is None:
        return BackfillRow(order_id=order_id, result=result)
    return BackfillRow(
        order_id=order_id,
        result=result,
        invoice_number=entry.invoice.booked_number,
        draft_number=entry.invoice.draft_number,
        error_code=entry.error_code if result == Result.FAILED else None,
    )
