"""A credit note the shop made as an order of its own (Dandomain Webshop: `Origin` = the
credited order, negative amounts): what autobook does with it (pure).

Such an order is never invoiced. When it credits, in full, an invoice autobook booked for the
credited order, autobook credits that invoice (the same credit note it makes for a cancelled
order). Anything else - a partial credit, an invoice the owner booked, an order autobook never
invoiced - is the owner's to do in e-conomic, and they are told exactly why, so a credit note
is never silently lost.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.ledger import INVOICED, Booker, LedgerEntry, LedgerState
from autobook.domain.money import round_ore
from autobook.domain.order import Order


class CreditNoteAction(StrEnum):
    WAIT = "wait"  # still being written in Dandomain (a draft): its final version comes later
    CREDIT = "credit"  # credit autobook's invoice of the credited order in full
    DONE = "done"  # that invoice is already credited in full: nothing more to do
    BY_HAND = "by_hand"  # the owner makes it in e-conomic; `reason` says why


class Reason(StrEnum):
    NOT_INVOICED = "not_invoiced"
    DRAFT_ONLY = "draft_only"
    OWNERS_INVOICE = "owners_invoice"
    PARTIAL = "partial"
    CREDITED_BY_ANOTHER = "credited_by_another"


@dataclass(frozen=True)
class CreditNoteVerdict:
    action: CreditNoteAction
    reason: Reason | None = None


def judge_credit_note(order: Order, credited: LedgerEntry | None) -> CreditNoteVerdict:
    """What to do with credit-note order `order`, given the ledger entry of the order it
    credits (`credited`, None when autobook never saw that order)."""
    if order.incomplete:
        return CreditNoteVerdict(CreditNoteAction.WAIT)
    if credited is None or credited.state not in (*INVOICED, LedgerState.CREDITED):
        if credited is not None and credited.invoice.draft_number is not None:
            return CreditNoteVerdict(CreditNoteAction.BY_HAND, Reason.DRAFT_ONLY)
        return CreditNoteVerdict(CreditNoteAction.BY_HAND, Reason.NOT_INVOICED)
    if credited.state == LedgerState.CREDITED:
        if credited.credited_by_order in ("", order.order_id):
            return CreditNoteVerdict(CreditNoteAction.DONE)
        return CreditNoteVerdict(CreditNoteAction.BY_HAND, Reason.CREDITED_BY_ANOTHER)
    if credited.invoice.booked_by == Booker.OWNER:
        return CreditNoteVerdict(CreditNoteAction.BY_HAND, Reason.OWNERS_INVOICE)
    if not credits_in_full(order, credited):
        return CreditNoteVerdict(CreditNoteAction.BY_HAND, Reason.PARTIAL)
    return CreditNoteVerdict(CreditNoteAction.CREDIT)


def credits_in_full(order: Order, credited: LedgerEntry) -> bool:
    """The credit note gives back exactly what was invoiced: the negated total, in the same
    currency (the invoice's lines are what the credit note then mirrors)."""
    snapshot = credited.snapshot
    if snapshot is None or snapshot.currency != order.currency:
        return False
    return round_ore(order.total_gross) == -snapshot.total


_BY_HAND_DA = "Lav kreditnotaen i e-conomic."
_BY_HAND_EN = "Make the credit note in e-conomic."
_REASONS: dict[Reason, tuple[str, str]] = {
    Reason.NOT_INVOICED: (
        "Ordre {credited_order_id} er ikke faktureret af autobook. Er den faktureret på anden "
        "måde, så lav kreditnotaen i e-conomic; ellers er der intet at kreditere.",
        "Order {credited_order_id} was not invoiced by autobook. If it was invoiced some other "
        "way, make the credit note in e-conomic; otherwise there is nothing to credit.",
    ),
    Reason.DRAFT_ONLY: (
        "Ordre {credited_order_id} har kun kladde {draft_number} i e-conomic, ingen bogført "
        "faktura. Ret eller slet kladden i e-conomic, så den svarer til kreditnotaen.",
        "Order {credited_order_id} only has draft {draft_number} in e-conomic, no booked "
        "invoice. Edit or delete the draft in e-conomic to match the credit note.",
    ),
    Reason.OWNERS_INVOICE: (
        "Faktura {invoice_number} til ordre {credited_order_id} er bogført af dig. " + _BY_HAND_DA,
        "Invoice {invoice_number} for order {credited_order_id} was booked by you. " + _BY_HAND_EN,
    ),
    Reason.PARTIAL: (
        "Kreditnotaen dækker ikke hele faktura {invoice_number} til ordre {credited_order_id} "
        "(fakturaen er på {invoice_total} {currency}), og autobook krediterer kun hele "
        "fakturaer. " + _BY_HAND_DA,
        "The credit note does not cover all of invoice {invoice_number} for order "
        "{credited_order_id} (the invoice is for {invoice_total} {currency}), and autobook only "
        "credits whole invoices. " + _BY_HAND_EN,
    ),
    Reason.CREDITED_BY_ANOTHER: (
        "Faktura {invoice_number} til ordre {credited_order_id} er allerede krediteret fuldt ud "
        "med kreditnota {credit_number} (Dandomain-ordre {other_order_id}). Kontroller, om "
        "kreditnotaen er lavet to gange i Dandomain.",
        "Invoice {invoice_number} for order {credited_order_id} is already credited in full by "
        "credit note {credit_number} (Dandomain order {other_order_id}). Check whether the "
        "credit note was made twice in Dandomain.",
    ),
}


def credit_note_by_hand(order: Order, credited: LedgerEntry | None, reason: Reason) -> KnownError:
    """CREDIT_NOTE_BY_HAND for credit-note order `order`, with the values the owner needs."""
    values: dict[str, object] = {
        "order_id": order.order_id,
        "credited_order_id": order.credits_order_id,
        "amount": f"{-order.total_gross:.2f}",
        "currency": order.currency,
        "draft_number": credited.invoice.draft_number if credited else "",
        "invoice_number": credited.invoice.booked_number if credited else "",
        "invoice_total": f"{credited.snapshot.total:.2f}" if credited and credited.snapshot else "",
        "credit_number": credited.credit.booked_number if credited else "",
        "other_order_id": credited.credited_by_order if credited else "",
    }
    da, en = _REASONS[reason]
    parameters: dict[str, Any] = {
        **values,
        "reason": str(reason),
        "reason_da": da.format(**values),
        "reason_en": en.format(**values),
    }
    return KnownError(ErrorCode.CREDIT_NOTE_BY_HAND, **parameters)
