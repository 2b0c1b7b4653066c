"""The three things autobook does in e-conomic for an order: draft, book, credit.

Each acts on a document only after verifying it is this order's (`domain.ownership`): a draft
made in this same run is verified by the answer to its own POST; a number stored by an earlier
run is re-read first. Every write goes through the one `WriteProtocol`.
"""

from dataclasses import dataclass

from aws_lambda_powertools import Logger

from autobook.domain.books import EconomicInvoice, Rejection
from autobook.domain.credit import (
    credit_note_draft,
    credit_reference,
    edition_reference,
    order_fingerprint,
    order_snapshot,
)
from autobook.domain.errors import KnownError, TransientError
from autobook.domain.idempotency import idempotency_key
from autobook.domain.invoice import DraftInvoice, References
from autobook.domain.ledger import Booker, Document, LedgerEntry, WriteStep
from autobook.domain.mapped import MappedInvoice
from autobook.domain.order import Order
from autobook.domain.ownership import Verdict, verify
from autobook.domain.rejections import translate
from autobook.domain.shop import InvoiceSource, ShopConfig, ShopMode
from autobook.domain.verify import verify_economic_gross
from autobook.usecases.clock import shop_date
from autobook.usecases.economic_write import WriteProtocol, adoptable, mismatch
from autobook.usecases.ports import Books, Clock, Ledger

logger = Logger(child=True)


def drafted_document(found: EconomicInvoice, customer_number: int | None) -> Document:
    return Document(
        draft_number=found.draft_number,
        booked_number=found.booked_number,
        reference=found.reference,
        customer_number=found.customer_number or customer_number,
        net=found.net,
        gross=found.gross,
        currency=found.currency,
        due_date=found.due_date,
        payment_terms=found.payment_terms_name,
    )


def booked_document(found: EconomicInvoice, draft: Document, by: Booker) -> Document:
    return draft.model_copy(
        update={
            "booked_number": found.booked_number,
            "net": found.net,
            "gross": found.gross,
            "due_date": found.due_date or draft.due_date,
            "payment_terms": found.payment_terms_name or draft.payment_terms,
            "booked_by": by,
        }
    )


class DraftGoneError(TransientError):
    """The stored draft is no longer this order's: the ledger starts the order over."""


@dataclass(frozen=True)
class Invoicing:
    """Draft, book and credit for one shop, on its agreement's `Books`."""

    shop: ShopConfig
    books: Books
    ledger: Ledger
    clock: Clock

    @property
    def _protocol(self) -> WriteProtocol:
        return WriteProtocol(self.ledger, self.clock)

    def reference(self, entry: LedgerEntry) -> str:
        return edition_reference(self.shop.order_reference(entry.order_id), entry.edition)

    # -- draft ---------------------------------------------------------------------------
    def draft(self, order: Order, entry: LedgerEntry, mapped: MappedInvoice) -> LedgerEntry:
        """A verified draft for `order` (created, or adopted after an unknown outcome)."""
        reference = self.reference(entry)
        draft = mapped.draft.model_copy(update={"references": References(other=reference)})
        customer = draft.customer.customer_number
        expected = Document(
            reference=reference,
            customer_number=customer,
            currency=draft.currency,
            net=mapped.expected_net,
        )
        written = self._protocol.write(
            entry,
            WriteStep.DRAFT,
            version=order_fingerprint(order),
            expected=expected,
            look=lambda: [
                *self.books.booked_with_reference(reference),
                *self.books.drafts_with_reference(reference),
            ],
            send=lambda key: self._create_draft(draft, key, mapped),
        )
        found, entry = written.document, written.entry
        now = self.clock()
        snapshot = order_snapshot(order)
        if found.booked_number is not None:
            # Found booked under our reference after an unknown outcome: autobook never booked
            # it (that is a later step), so it is the owner's — recorded, never mailed.
            document = booked_document(found, drafted_document(found, customer), Booker.OWNER)
            return self.ledger.save(
                entry.booked(
                    document,
                    now,
                    note=f"invoice {found.booked_number} booked in e-conomic by the owner",
                    snapshot=snapshot,
                    withhold_mail=True,
                )
            )
        entry = self.ledger.save(
            entry.drafted(
                drafted_document(found, customer),
                snapshot,
                now,
                in_trial=self.shop.mode == ShopMode.TRIAL,
            )
        )
        verify_economic_gross(mapped, found)  # TOTALS_MISMATCH leaves the draft unbooked
        return entry

    def _create_draft(
        self, draft: DraftInvoice, key: str, mapped: MappedInvoice
    ) -> EconomicInvoice:
        try:
            return self.books.create_draft(draft, idempotency_key=key)
        except Rejection as rejection:
            raise self._translated(rejection, mapped.order_id, draft) from rejection

    def _translated(self, rejection: Rejection, order_id: str, draft: DraftInvoice) -> KnownError:
        return translate(
            rejection,
            order_id=order_id,
            product_numbers=[line.product.product_number for line in draft.lines],
            invoice_date=draft.date.isoformat(),
        )

    def discard_stale_draft(self, entry: LedgerEntry) -> LedgerEntry:
        """A draft autobook made that must be made again (its totals did not reconcile):
        deleted if it is still ours unchanged; left alone (INVOICE_MISMATCH) if edited."""
        number = entry.invoice.draft_number
        assert number is not None
        found = self.books.draft(number)
        verdict = verify(found, entry.invoice) if found else Verdict.NOT_OURS
        if verdict == Verdict.ALTERED and found is not None:
            raise mismatch(entry.order_id, found, entry.invoice)
        if verdict == Verdict.OURS:
            key = idempotency_key(
                entry.shop_id, entry.order_id, "delete", f"{number}:{entry.attempts}"
            )
            self.books.delete_draft(number, idempotency_key=key)
        return self.ledger.save(
            entry.restarted(self.clock(), f"draft {number} discarded; drafting again")
        )

    # -- book ----------------------------------------------------------------------------
    def book(self, entry: LedgerEntry, *, fresh: bool) -> LedgerEntry:
        """Book the entry's draft. `fresh`: created in this run (its POST answer verified it);
        otherwise the stored number is re-read and verified first."""
        draft = entry.invoice
        number = draft.draft_number
        assert number is not None
        reference = draft.reference
        look = lambda: self.books.booked_with_reference(reference)  # noqa: E731
        if not fresh:
            found = self.books.draft(number)
            verdict = verify(found, draft) if found else Verdict.NOT_OURS
            if verdict == Verdict.ALTERED and found is not None:
                raise mismatch(entry.order_id, found, draft)
            if verdict == Verdict.NOT_OURS:
                return self._draft_gone(entry, number)
            # The draft is still a draft, so no earlier attempt booked it: nothing to look for.
            look = lambda: []  # noqa: E731
        written = self._protocol.write(
            entry,
            WriteStep.BOOK,
            version=str(number),
            expected=draft,
            look=look,
            send=lambda key: self._book_draft(entry, number, key),
        )
        booked = written.document
        note = f"invoice {booked.booked_number}" + (
            " (found after an unknown outcome)" if written.adopted else ""
        )
        return self.ledger.save(
            written.entry.booked(
                booked_document(booked, draft, Booker.AUTOBOOK),
                self.clock(),
                note=note,
                withhold_mail=self.shop.invoice_source == InvoiceSource.SHOP,
            )
        )

    def _book_draft(self, entry: LedgerEntry, number: int, key: str) -> EconomicInvoice:
        try:
            return self.books.book_draft(number, idempotency_key=key)
        except Rejection as rejection:
            if rejection.status == 404:
                # Gone between the check and the booking: the next attempt looks again.
                raise DraftGoneError(f"draft {number} vanished while booking") from rejection
            raise translate(
                rejection,
                order_id=entry.order_id,
                product_numbers=[],
                invoice_date=shop_date(self.clock()).isoformat(),
            ) from rejection

    def _draft_gone(self, entry: LedgerEntry, number: int) -> LedgerEntry:
        """The stored draft is not (or no longer) this order's. Booked by an earlier attempt?
        Adopt it. Otherwise start over: the next step drafts again."""
        booked = adoptable(
            entry.order_id, self.books.booked_with_reference(entry.reference), entry.invoice
        )
        now = self.clock()
        if booked is not None:
            return self.ledger.save(
                entry.booked(
                    booked_document(booked, entry.invoice, Booker.AUTOBOOK),
                    now,
                    note=f"invoice {booked.booked_number} found by reference",
                    withhold_mail=self.shop.invoice_source == InvoiceSource.SHOP,
                )
            )
        logger.warning("stored draft is not this order's", extra={"draft_number": number})
        self.ledger.save(
            entry.restarted(
                now, f"draft {number} is gone or no longer this order's; drafting again"
            )
        )
        raise DraftGoneError(f"draft {number} of order {entry.order_id} is gone; drafting again")

    # -- what the owner did with a draft ---------------------------------------------------
    def owner_booked(self, entry: LedgerEntry) -> LedgerEntry | None:
        """The invoice the owner booked by hand for this order (exact reference), recorded as
        theirs — never mailed by autobook. None when there is none."""
        reference = entry.reference
        found = [b for b in self.books.booked_with_reference(reference) if b.reference == reference]
        if not found:
            return None
        booked = found[0]
        return self.ledger.save(
            entry.booked(
                booked_document(booked, entry.invoice, Booker.OWNER),
                self.clock(),
                note=f"invoice {booked.booked_number} booked by the owner in e-conomic",
                withhold_mail=True,
            )
        )

    def draft_still_there(self, entry: LedgerEntry) -> bool:
        number = entry.invoice.draft_number
        found = self.books.draft(number) if number is not None else None
        return found is not None and found.reference == entry.reference

    # -- credit --------------------------------------------------------------------------
    def credit(self, entry: LedgerEntry, *, by_order: str = "") -> LedgerEntry:
        """Credit the entry's booked invoice in full (booked and ready to mail); `by_order`
        names the Dandomain credit-note order this credit note stands for, if any."""
        invoice = entry.invoice
        number = invoice.booked_number
        assert number is not None
        original = self.books.booked(number)
        if original is None or verify(original, invoice) != Verdict.OURS:
            raise mismatch(
                entry.order_id, original or EconomicInvoice(booked_number=number), invoice
            )
        reference = credit_reference(invoice.reference)
        credit = entry.credit
        if credit.draft_number is not None and credit.booked_number is None:
            entry = self._stored_credit_draft(entry)
            credit = entry.credit
        if credit.draft_number is None:
            entry = self._credit_draft(entry, original, reference)
            credit = entry.credit
        if credit.booked_number is None:
            assert credit.draft_number is not None
            draft_number = credit.draft_number
            written = self._protocol.write(
                entry,
                WriteStep.CREDIT_BOOK,
                version=str(draft_number),
                expected=credit,
                look=lambda: self.books.booked_with_reference(reference),
                send=lambda key: self._book_draft(entry, draft_number, key),
            )
            entry = written.entry
            credit = booked_document(written.document, credit, Booker.AUTOBOOK)
        return self.ledger.save(entry.credited(credit, self.clock(), by_order=by_order))

    def _credit_draft(
        self, entry: LedgerEntry, original: EconomicInvoice, reference: str
    ) -> LedgerEntry:
        draft = credit_note_draft(original, shop_date(self.clock()))
        expected = Document(
            reference=reference,
            customer_number=original.customer_number,
            currency=original.currency,
            net=-original.net,
        )
        written = self._protocol.write(
            entry,
            WriteStep.CREDIT_DRAFT,
            version=str(original.booked_number),
            expected=expected,
            look=lambda: [
                *self.books.booked_with_reference(reference),
                *self.books.drafts_with_reference(reference),
            ],
            send=lambda key: self._create_draft_for(entry, draft, key),
        )
        document = drafted_document(written.document, original.customer_number)
        if written.document.booked_number is not None:
            document = document.model_copy(update={"booked_by": Booker.AUTOBOOK})
        return self.ledger.save(written.entry.with_credit_draft(document, self.clock()))

    def _create_draft_for(
        self, entry: LedgerEntry, draft: DraftInvoice, key: str
    ) -> EconomicInvoice:
        try:
            return self.books.create_draft(draft, idempotency_key=key)
        except Rejection as rejection:
            raise self._translated(rejection, entry.order_id, draft) from rejection

    def _stored_credit_draft(self, entry: LedgerEntry) -> LedgerEntry:
        """A credit draft from an earlier run: book it if it is still ours; else forget it."""
        credit = entry.credit
        assert credit.draft_number is not None
        found = self.books.draft(credit.draft_number)
        verdict = verify(found, credit) if found else Verdict.NOT_OURS
        if verdict == Verdict.OURS:
            return entry
        if verdict == Verdict.ALTERED and found is not None:
            raise mismatch(entry.order_id, found, credit)
        booked = adoptable(
            entry.order_id, self.books.booked_with_reference(credit.reference), credit
        )
        if booked is not None:
            document = booked_document(booked, credit, Booker.AUTOBOOK)
            return self.ledger.save(entry.with_credit_draft(document, self.clock()))
        forgotten = entry.noted(self.clock(), f"credit draft {credit.draft_number} is gone")
        return self.ledger.save(forgotten.with_credit_draft(Document(), self.clock()))
