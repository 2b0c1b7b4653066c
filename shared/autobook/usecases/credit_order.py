"""Credit a booked invoice whose order was cancelled (card fraud, cancellation).

The credit note mirrors the booked invoice (same customer, currency and exchange rate, negated
prices) and is booked and mailed like an invoice. Both writes are safe to repeat: they carry
Idempotency-Keys, the draft number is recorded before booking, and after an unknown outcome the
credit note is looked up by its own reference before anything is created again.
"""

from aws_lambda_powertools import Logger

from autobook.domain.credit import credit_note_draft, credit_reference
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.shop import ShopConfig
from autobook.economic.client import EconomicClient
from autobook.economic.errors import EconomicHttpError, EconomicNotFoundError, translate_rejection
from autobook.economic.idempotency import idempotency_key
from autobook.economic.models import InvoiceResponse
from autobook.usecases.clock import shop_date
from autobook.usecases.dependencies import Dependencies
from autobook.usecases.mail_handoff import ensure_mail_queued

logger = Logger(child=True)


def credit_booked_order(
    deps: Dependencies, shop: ShopConfig, entry: LedgerEntry, economic: EconomicClient
) -> LedgerEntry:
    booked_number = entry.booked_number
    assert booked_number is not None
    now = deps.clock()
    reference = credit_reference(shop.order_reference(entry.order_id))
    entry = deps.ledger.update(entry, now, credit_attempts=entry.credit_attempts + 1)
    draft_number = entry.credit_draft_number
    booked: InvoiceResponse | None = None
    if entry.credit_attempts > 1:
        # After an unknown outcome, trust what e-conomic holds under our reference, not the
        # stored draft number (numbers are reused once a draft is booked or deleted).
        existing = _existing_credit(economic, reference)
        if existing is not None and existing.booked_invoice_number is not None:
            booked = existing
        draft_number = existing.draft_invoice_number if existing else None
    if booked is None:
        if draft_number is None:
            original = economic.get_booked(booked_number)
            draft = credit_note_draft(original.raw, shop, shop_date(now))
            key = idempotency_key(
                shop.shop_id,
                entry.order_id,
                "credit-draft",
                f"{booked_number}:{entry.credit_attempts}",
            )
            try:
                created = economic.create_draft(draft.to_body(), idempotency_key=key)
            except EconomicHttpError as error:
                raise translate_rejection(
                    error, order_id=entry.order_id, invoice_date=shop_date(now).isoformat()
                ) from error
            draft_number = created.draft_invoice_number
            entry = deps.ledger.update(entry, now, credit_draft_number=draft_number)
        assert draft_number is not None
        booked = _book_credit(shop, entry, economic, draft_number, reference)
    entry = deps.ledger.move(
        entry,
        LedgerState.CREDITED,
        now,
        note=f"credit note {booked.booked_invoice_number}",
        credit_note_number=booked.booked_invoice_number,
    )
    # Queue the mail before telling the owner: a crash after the move is repaired by the next
    # delivery (DONE re-queues an unsent mail), and telling twice only counts up.
    ensure_mail_queued(deps, shop, entry)
    _tell_owner(deps, shop, entry)
    return entry


def _book_credit(
    shop: ShopConfig,
    entry: LedgerEntry,
    economic: EconomicClient,
    draft_number: int,
    reference: str,
) -> InvoiceResponse:
    key = idempotency_key(
        shop.shop_id, entry.order_id, "credit-book", f"{draft_number}:{entry.credit_attempts}"
    )
    try:
        return economic.book_draft(draft_number, idempotency_key=key)
    except EconomicNotFoundError:
        found = economic.find_booked(reference)
        if not found:
            raise
        return found[0]


def _existing_credit(economic: EconomicClient, reference: str) -> InvoiceResponse | None:
    """A credit note from an earlier attempt: booked, or still a draft (then book that one)."""
    found = economic.find_booked(reference) or economic.find_drafts(reference)
    return found[0] if found else None


def _tell_owner(deps: Dependencies, shop: ShopConfig, entry: LedgerEntry) -> None:
    info = KnownError(
        ErrorCode.ORDER_CANCELLED_AFTER_BOOKING,
        order_id=entry.order_id,
        invoice_number=entry.booked_number,
        action_da=f"Kreditnota {entry.credit_note_number} er oprettet og bogført.",
        action_en=f"Credit note {entry.credit_note_number} was created and booked.",
    )
    logger.info("order credited", extra={"credit_note": entry.credit_note_number})
    deps.errors.record(shop.shop_id, entry.order_id, info.text, deps.clock())
