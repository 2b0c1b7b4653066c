"""Book one order: fetch it, decide, map, draft, book, record, and hand the mail on.

The decision is always made on the order as Dandomain gives it at this moment (a webhook is
only a trigger). Exactly-once rests on the ledger's conditional writes, the one write protocol
(`economic_write`), and verifying every stored document before acting on it (`invoicing`).
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.domain.credit import order_difference
from autobook.domain.credit_note_order import (
    CreditNoteAction,
    credit_note_by_hand,
    judge_credit_note,
)
from autobook.domain.decision import Decision, decide
from autobook.domain.errors import ErrorCode, KnownError, TransientError
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import (
    AUTOBOOK,
    Booker,
    LedgerEntry,
    LedgerState,
    OwnerRequest,
)
from autobook.domain.mapping import MappedInvoice, ReferenceData, map_order, vat_zone_number
from autobook.domain.order import Order
from autobook.domain.resume import Resume, codes_resumed_by
from autobook.domain.shop import ShopConfig, ShopMode
from autobook.usecases.clock import shop_date
from autobook.usecases.customers import resolve_customer_number
from autobook.usecases.failures import Failures
from autobook.usecases.invoicing import DraftGoneError, Invoicing
from autobook.usecases.mail_handoff import ensure_mail_queued
from autobook.usecases.ports import (
    Books,
    BooksFactory,
    Clock,
    Ledger,
    MailQueue,
    OrderQueue,
    OrderSource,
    OrderSources,
    OwnerNotices,
    ShopDirectory,
)
from autobook.usecases.reference_data import ReferenceCache
from autobook.usecases.replay import replay_events

logger = Logger(child=True)


class Outcome(StrEnum):
    BOOKED = "booked"
    DRAFTED = "drafted"  # trial mode: the draft waits for the owner
    SKIPPED = "skipped"
    ALREADY_DONE = "already_done"
    FAILED = "failed"  # an error, told to the owner
    CREDITED = "credited"
    REBOOKED = "rebooked"  # credited and invoiced again after a change
    CHANGED_AFTER_BOOKING = "changed_after_booking"  # told; the owner decides
    OWNER_BOOKED = "owner_booked"  # a trial draft the owner booked by hand: learned, not mailed
    OWNERS_DRAFT = "owners_draft"  # a trial draft still open in e-conomic: the owner's to book
    PAUSED = "paused"  # the shop is paused by a shop-wide error; the order waits
    UNKNOWN_SHOP = "unknown_shop"


# Ledger states of an order not (yet) invoiced, drafted in a trial, or credited.
UNFINISHED = frozenset({LedgerState.RECEIVED, LedgerState.SKIPPED, LedgerState.FAILED})
# Blocked orders that a lifted pause lets through again.
PAUSE_CODES = codes_resumed_by(Resume.PAUSE)
# Blocked orders that follow when one of them goes through after a fix inside e-conomic.
RECHECKED = codes_resumed_by(Resume.RECHECK)


def _lifts(code: str, outcome: Outcome) -> bool:
    """Whether an order's outcome shows a pause's cause is gone: an invoice booked proves an
    accounting year and access; a draft made proves access."""
    if outcome == Outcome.BOOKED:
        return True
    return outcome == Outcome.DRAFTED and code == ErrorCode.ECONOMIC_ACCESS


@dataclass(frozen=True)
class BookOrder:
    shops: ShopDirectory
    sources: OrderSources
    books: BooksFactory
    ledger: Ledger
    notices: OwnerNotices
    mail_queue: MailQueue
    order_queue: OrderQueue
    clock: Clock

    def __call__(
        self,
        event: OrderEvent,
        *,
        final_attempt: bool = False,
        attempts: int = 1,
        reference: str = "",
    ) -> Outcome:
        shop = self.shops.get(event.shop_id)
        if shop is None:
            logger.error("event for a shop that is not registered")
            return Outcome.UNKNOWN_SHOP
        failures = Failures(self.ledger, self.notices, self.clock)
        try:
            return self._handle(shop, event)
        except KnownError as error:
            failures.known(shop, event.order_id, error)
            return Outcome.FAILED
        except TransientError as error:
            if final_attempt:
                failures.gave_up(shop, event.order_id, error, attempts)
            raise
        except Exception:
            if final_attempt:
                logger.exception("unexpected failure", extra={"reference": reference})
                failures.unexpected(shop, event.order_id, reference)
            raise

    # -- one order -----------------------------------------------------------------------
    def _handle(self, shop: ShopConfig, event: OrderEvent) -> Outcome:
        paused = self.shops.paused(shop.shop_id)
        if paused is not None and event.source != EventSource.PROBE:
            return self._wait(shop, event.order_id, paused[0])
        source = self.sources.for_shop(shop)
        order = source.fetch(event.order_id)
        entry = self.ledger.get(shop.shop_id, order.order_id)
        if paused is not None and paused[0] == ErrorCode.DANDOMAIN_ACCESS:
            self._resume(shop)  # Dandomain answered: its pause is over
        if order.credits_order_id:
            outcome = self._credit_note_order(shop, order, entry, source)
        else:
            decision = decide(order, shop, entry)
            logger.info(
                "decided", extra={"decision": decision, "ledger_state": entry and entry.state}
            )
            outcome = self._carry_out(decision, shop, order, entry, source)
        if paused is not None and _lifts(paused[0], outcome):
            self._resume(shop)
        return outcome

    def _carry_out(
        self,
        decision: Decision,
        shop: ShopConfig,
        order: Order,
        entry: LedgerEntry | None,
        source: OrderSource,
    ) -> Outcome:
        if decision == Decision.SKIP:
            waiting = (
                entry is not None
                and entry.state == LedgerState.FAILED
                and (entry.error_code in PAUSE_CODES)
            )
            if entry is not None and (entry.state == LedgerState.RECEIVED or waiting):
                self.ledger.save(entry.skipped(self.clock(), f"order state {order.state.id}"))
            return Outcome.SKIPPED
        assert entry is not None or decision == Decision.BOOK
        if decision == Decision.DONE:
            assert entry is not None
            ensure_mail_queued(self.mail_queue, shop, entry)
            return Outcome.ALREADY_DONE
        if decision == Decision.CHANGED:
            assert entry is not None
            raise self._changed(shop, order, entry)
        invoicing = Invoicing(shop, self.books.for_shop(shop.shop_id), self.ledger, self.clock)
        if decision == Decision.OWNERS_DRAFT:
            assert entry is not None
            return self._owners_draft(shop, entry, invoicing)
        if decision in (Decision.CREDIT, Decision.REBOOK):
            assert entry is not None
            if entry.invoice.booked_by == Booker.OWNER:
                raise self._owners_invoice_cancelled(order, entry)
            entry = invoicing.credit(entry)
            ensure_mail_queued(self.mail_queue, shop, entry)
            if decision == Decision.CREDIT:
                self._tell_credited(shop, entry)
                return Outcome.CREDITED
            self._tell_rebooked(shop, order, entry)
            outcome = self._book(shop, order, entry, source, invoicing)
            return Outcome.REBOOKED if outcome == Outcome.BOOKED else outcome
        return self._book(shop, order, entry, source, invoicing)

    def _book(
        self,
        shop: ShopConfig,
        order: Order,
        entry: LedgerEntry | None,
        source: OrderSource,
        invoicing: Invoicing,
    ) -> Outcome:
        blocked_by = entry.error_code if entry and entry.state == LedgerState.FAILED else None
        outcome = self._invoice(shop, order, entry, source, invoicing)
        if blocked_by in RECHECKED and outcome in (Outcome.BOOKED, Outcome.DRAFTED):
            self._release(shop, str(blocked_by), order.order_id)
        return outcome

    def _invoice(
        self,
        shop: ShopConfig,
        order: Order,
        entry: LedgerEntry | None,
        source: OrderSource,
        invoicing: Invoicing,
    ) -> Outcome:
        now = self.clock()
        entry = entry or self.ledger.create_if_absent(
            LedgerEntry.new(shop.shop_id, order.order_id, now)
        )
        if entry.state == LedgerState.CREDITED:
            entry = self.ledger.save(entry.restarted(now, "invoiced again"))
        elif entry.owner_request == OwnerRequest.INVOICE_AGAIN:
            entry = self.ledger.save(entry.restarted(now, "invoicing again as the owner asked"))
        elif entry.state == LedgerState.FAILED and entry.error_code == ErrorCode.INVOICE_MISMATCH:
            learned = invoicing.owner_booked(entry)  # booked by hand since: theirs
            if learned is not None:
                self.notices.order_through(shop, order.order_id, now)
                return Outcome.OWNER_BOOKED
        if (
            entry.state == LedgerState.FAILED
            and entry.error_code == ErrorCode.TOTALS_MISMATCH
            and entry.invoice.draft_number is not None
        ):
            entry = invoicing.discard_stale_draft(entry)
        fresh = False
        if entry.invoice.draft_number is None:
            mapped = self._map(shop, order, source, invoicing.books)
            entry = invoicing.draft(order, entry, mapped)
            fresh = True
        if entry.state == LedgerState.BOOKED:  # adopted: found booked by reference
            self.notices.order_through(shop, order.order_id, self.clock())
            ensure_mail_queued(self.mail_queue, shop, entry)
            return (
                Outcome.OWNER_BOOKED if entry.invoice.booked_by == Booker.OWNER else Outcome.BOOKED
            )
        if shop.mode == ShopMode.TRIAL:
            if entry.state != LedgerState.DRAFTED:  # a draft stored by a failed earlier run
                if not invoicing.draft_still_there(entry):
                    self.ledger.save(entry.restarted(self.clock(), "stored draft is gone"))
                    raise DraftGoneError(f"draft of order {order.order_id} is gone")
                entry = self.ledger.save(
                    entry.moved(LedgerState.DRAFTED, self.clock(), note="draft verified")
                )
            self.notices.order_through(shop, order.order_id, self.clock())
            return Outcome.DRAFTED
        entry = invoicing.book(entry, fresh=fresh)
        ensure_mail_queued(self.mail_queue, shop, entry)
        self.notices.order_through(shop, order.order_id, self.clock())
        return Outcome.BOOKED

    # -- a credit note made as an order (Webshop) ------------------------------------------
    def _credit_note_order(
        self, shop: ShopConfig, order: Order, entry: LedgerEntry | None, source: OrderSource
    ) -> Outcome:
        """Never invoiced itself: it credits autobook's invoice of the order it credits, or
        the owner is told why that is theirs to do (`domain.credit_note_order`)."""
        credited = self.ledger.get(shop.shop_id, order.credits_order_id)
        if not order.incomplete and (credited is None or credited.state in UNFINISHED):
            credited = self._credited_order_now(shop, order.credits_order_id, source)
        verdict = judge_credit_note(order, credited)
        logger.info(
            "credit-note order",
            extra={"action": verdict.action, "credited_order_id": order.credits_order_id},
        )
        if verdict.action == CreditNoteAction.WAIT:
            if entry is not None and entry.state == LedgerState.RECEIVED:
                self.ledger.save(entry.skipped(self.clock(), "credit note still a draft"))
            return Outcome.SKIPPED
        if verdict.action == CreditNoteAction.BY_HAND:
            assert verdict.reason is not None
            raise credit_note_by_hand(order, credited, verdict.reason)
        assert credited is not None
        if verdict.action == CreditNoteAction.CREDIT:
            invoicing = Invoicing(shop, self.books.for_shop(shop.shop_id), self.ledger, self.clock)
            credited = invoicing.credit(credited, by_order=order.order_id)
            ensure_mail_queued(self.mail_queue, shop, credited)
            self._tell_credited(shop, credited, by_order=order.order_id)
        self._record_credit_note_order(shop, order, entry, credited)
        return (
            Outcome.CREDITED if verdict.action == CreditNoteAction.CREDIT else Outcome.ALREADY_DONE
        )

    def _credited_order_now(
        self, shop: ShopConfig, order_id: str, source: OrderSource
    ) -> LedgerEntry | None:
        """The credited order brought up to date first (its webhook may still be queued, or
        it waits on a fix): booked now if it can be, its own error told if it cannot."""
        try:
            credited = source.fetch(order_id)
            if not credited.credits_order_id:
                entry = self.ledger.get(shop.shop_id, order_id)
                decision = decide(credited, shop, entry)
                self._carry_out(decision, shop, credited, entry, source)
        except KnownError as error:
            Failures(self.ledger, self.notices, self.clock).known(shop, order_id, error)
        return self.ledger.get(shop.shop_id, order_id)

    def _record_credit_note_order(
        self, shop: ShopConfig, order: Order, entry: LedgerEntry | None, credited: LedgerEntry
    ) -> None:
        """The credit-note order's own entry says where it went (and an error it had closes)."""
        now = self.clock()
        entry = entry or self.ledger.create_if_absent(
            LedgerEntry.new(shop.shop_id, order.order_id, now)
        )
        note = (
            f"credit note of order {credited.order_id}: "
            f"e-conomic credit note {credited.credit.booked_number}"
        )
        if entry.state in (LedgerState.RECEIVED, LedgerState.FAILED):
            self.ledger.save(entry.skipped(now, note))
        self.notices.order_through(shop, order.order_id, now)

    # -- the owner's part ------------------------------------------------------------------
    def _owners_draft(self, shop: ShopConfig, entry: LedgerEntry, invoicing: Invoicing) -> Outcome:
        """A draft made during the trial, seen after activation: autobook never books or mails
        it; it learns what the owner did."""
        if invoicing.owner_booked(entry) is not None:
            self.notices.order_through(shop, entry.order_id, self.clock())
            return Outcome.OWNER_BOOKED
        if invoicing.draft_still_there(entry):
            return Outcome.OWNERS_DRAFT
        raise KnownError(
            ErrorCode.TRIAL_DRAFT_DELETED,
            order_id=entry.order_id,
            draft_number=entry.invoice.draft_number,
        )

    def _changed(self, shop: ShopConfig, order: Order, entry: LedgerEntry) -> KnownError:
        difference = order_difference(entry.snapshot, order) if entry.snapshot else None
        theirs = entry.invoice.booked_by == Booker.OWNER
        return KnownError(
            ErrorCode.ORDER_CHANGED_AFTER_BOOKING,
            order_id=order.order_id,
            invoice_number=entry.invoice.booked_number,
            difference_da=difference.da if difference else "",
            difference_en=difference.en if difference else "",
            action_da=(
                "Fakturaen er bogført af dig: ret den med en kreditnota i e-conomic."
                if theirs
                else "Vælg på ejersiden: krediter og fakturer igen, eller behold fakturaen."
            ),
            action_en=(
                "You booked the invoice: correct it with a credit note in e-conomic."
                if theirs
                else "Choose on the owner page: credit and invoice again, or keep the invoice."
            ),
        )

    @staticmethod
    def _owners_invoice_cancelled(order: Order, entry: LedgerEntry) -> KnownError:
        return KnownError(
            ErrorCode.ORDER_CANCELLED_AFTER_BOOKING,
            order_id=order.order_id,
            invoice_number=entry.invoice.booked_number,
            action_da="Fakturaen er bogført af dig: lav kreditnotaen i e-conomic.",
            action_en="You booked the invoice: make the credit note in e-conomic.",
        )

    def _tell_credited(self, shop: ShopConfig, entry: LedgerEntry, *, by_order: str = "") -> None:
        number = entry.credit.booked_number
        info = KnownError(
            ErrorCode.ORDER_CANCELLED_AFTER_BOOKING,
            informational=True,
            order_id=entry.order_id,
            invoice_number=entry.invoice.booked_number,
            action_da=(
                f"Kreditnotaen fra Dandomain (ordre {by_order}) er overført: kreditnota {number} "
                "er oprettet og bogført."
                if by_order
                else f"Kreditnota {number} er oprettet og bogført."
            ),
            action_en=(
                f"The Dandomain credit note (order {by_order}) was carried over: credit note "
                f"{number} was created and booked."
                if by_order
                else f"Credit note {number} was created and booked."
            ),
        )
        self.notices.problem(shop, entry.order_id, info.text, self.clock())

    def _tell_rebooked(self, shop: ShopConfig, order: Order, entry: LedgerEntry) -> None:
        difference = order_difference(entry.snapshot, order) if entry.snapshot else None
        info = KnownError(
            ErrorCode.ORDER_CHANGED_AFTER_BOOKING,
            informational=True,
            order_id=entry.order_id,
            invoice_number=entry.invoice.booked_number,
            difference_da=difference.da if difference else "",
            difference_en=difference.en if difference else "",
            action_da=f"Kreditnota {entry.credit.booked_number} er bogført, og ordren faktureres "
            "igen.",
            action_en=f"Credit note {entry.credit.booked_number} was booked and the order is "
            "invoiced again.",
        )
        self.notices.problem(shop, entry.order_id, info.text, self.clock())

    # -- pause ---------------------------------------------------------------------------
    def _wait(self, shop: ShopConfig, order_id: str, code: str) -> Outcome:
        """The shop is paused: the order waits (failed with the pause's code) without a call
        to Dandomain or e-conomic; the recheck lets it through when the pause lifts."""
        now = self.clock()
        entry = self.ledger.get(shop.shop_id, order_id) or self.ledger.create_if_absent(
            LedgerEntry.new(shop.shop_id, order_id, now)
        )
        waiting = entry.state == LedgerState.FAILED and entry.error_code == code
        if not waiting and entry.state in (
            LedgerState.RECEIVED,
            LedgerState.SKIPPED,
            LedgerState.FAILED,
        ):
            self.ledger.save(entry.failed(code, now, note=f"waiting: shop paused ({code})"))
        return Outcome.PAUSED

    def _release(self, shop: ShopConfig, code: str, done_order_id: str) -> None:
        """An order blocked by something fixed inside e-conomic went through: the orders
        blocked by the same code follow at once (those with another cause fail again, once)."""
        blocked = [
            e
            for e in self.ledger.in_states(shop.shop_id, [LedgerState.FAILED], limit=1000)
            if e.error_code == code and e.order_id != done_order_id
        ]
        if blocked:
            self.order_queue.send(replay_events(blocked, self.clock(), actor=AUTOBOOK))

    def _resume(self, shop: ShopConfig) -> None:
        """An order went through while the shop was paused: lift the pause and let every
        order it held back through."""
        now = self.clock()
        self.notices.shop_resumed(shop, now)
        waiting = [
            e
            for e in self.ledger.in_states(shop.shop_id, [LedgerState.FAILED], limit=1000)
            if e.error_code in PAUSE_CODES
        ]
        self.order_queue.send(replay_events(waiting, now, actor=AUTOBOOK))

    # -- mapping -------------------------------------------------------------------------
    def _map(
        self, shop: ShopConfig, order: Order, source: OrderSource, books: Books
    ) -> MappedInvoice:
        cache = ReferenceCache(self.shops, shop.shop_id)
        parties = (order.customer, order.delivery)
        ids = {p.country_id for p in parties if p is not None and p.country_id is not None}
        countries = cache.country_codes(source.country_codes, needed=ids)
        zone = vat_zone_number(order, shop, countries)
        customer = resolve_customer_number(order, shop, zone, shops=self.shops, books=books)
        ref = ReferenceData(
            customer_number=customer,
            base_currency=cache.base_currency(books.base_currency),
            invoice_date=shop_date(self.clock()),
            country_codes=countries,
            shop_currency_factor=self._currency_factor(shop, order, source, cache),
        )
        return map_order(order, shop, ref)

    @staticmethod
    def _currency_factor(
        shop: ShopConfig, order: Order, source: OrderSource, cache: ReferenceCache
    ) -> Decimal | None:
        if shop.economic.exchange_rate_rule != "shop_factor":
            return None  # e-conomic's daily rate: nothing to look up
        factors = cache.currency_factors(source.currency_factors, needed=[order.currency])
        per_hundred = factors.get(order.currency)
        return per_hundred / 100 if per_hundred else None
