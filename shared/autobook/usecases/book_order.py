"""Book one order: fetch it, decide, map, draft, book, record, and hand the mail on.

Exactly-once rests on three things: the ledger moves by conditional writes; every e-conomic
write carries an Idempotency-Key; and a write whose outcome is unknown is never simply repeated —
the next attempt first looks for the invoice by `references.other` and adopts what it finds.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.dandomain.classic_adapter import to_domain
from autobook.dandomain.classic_client import ClassicClient
from autobook.domain.decision import Decision, decide
from autobook.domain.errors import ErrorCode, KnownError, TransientError
from autobook.domain.events import OrderEvent
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.mapping import (
    MappedInvoice,
    OrderSnapshot,
    ReferenceData,
    map_order,
    order_difference,
    order_fingerprint,
    order_snapshot,
    vat_zone_number,
    verify_economic_gross,
)
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig, ShopMode, ShopSecrets
from autobook.economic.client import EconomicClient
from autobook.economic.errors import (
    EconomicHttpError,
    EconomicNotFoundError,
    translate_draft_rejection,
    translate_rejection,
)
from autobook.economic.idempotency import idempotency_key
from autobook.economic.models import InvoiceResponse
from autobook.usecases.clock import shop_date
from autobook.usecases.credit_order import credit_booked_order
from autobook.usecases.customers import resolve_customer_number
from autobook.usecases.dependencies import Dependencies
from autobook.usecases.mail_handoff import ensure_mail_queued
from autobook.usecases.reference_data import ReferenceCache

logger = Logger(child=True)


class Outcome(StrEnum):
    BOOKED = "booked"
    DRAFTED = "drafted"  # trial mode: the draft waits for the owner
    SKIPPED = "skipped"
    ALREADY_DONE = "already_done"
    FAILED = "failed"  # a known error, recorded for the owner
    CREDITED = "credited"
    CHANGED_AFTER_BOOKING = "changed_after_booking"


class UnknownShopError(Exception):
    pass


class BookingService:
    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    def handle(self, event: OrderEvent) -> Outcome:
        shop = self._deps.shops.get_config(event.shop_id)
        if shop is None:
            raise UnknownShopError(f"shop {event.shop_id} is not registered")
        secrets = self._deps.secrets.shop(shop.shop_id)
        try:
            return self._handle(event, shop, secrets)
        except KnownError as error:
            return self._record(shop, event.order_id, error)

    def _handle(self, event: OrderEvent, shop: ShopConfig, secrets: ShopSecrets) -> Outcome:
        ledger = self._deps.ledger
        entry = ledger.get(shop.shop_id, event.order_id)
        order = to_domain(self._deps.dandomain(shop, secrets).get_order(event.order_id))
        decision = decide(order, shop, entry)
        logger.info("decided", extra={"decision": decision, "ledger_state": entry and entry.state})
        if decision == Decision.SKIP:
            return Outcome.SKIPPED
        if decision == Decision.DONE:
            assert entry is not None
            self._ensure_mail(shop, entry)
            self._check_unchanged(order, entry)
            return Outcome.ALREADY_DONE
        economic = self._deps.economic(secrets)
        if decision == Decision.CREDIT:
            assert entry is not None
            credit_booked_order(self._deps, shop, entry, economic)
            return Outcome.CREDITED
        entry = entry or ledger.create_if_absent(shop.shop_id, order.order_id, self._deps.clock())
        if entry.state != LedgerState.DRAFTED:
            entry = self._draft(shop, order, entry, economic)
        if shop.mode == ShopMode.TRIAL:
            self._deps.errors.resolve_order(shop.shop_id, order.order_id, self._deps.clock())
            return Outcome.DRAFTED
        entry = self._book(shop, entry, economic)
        self._ensure_mail(shop, entry)
        self._deps.errors.resolve_order(shop.shop_id, order.order_id, self._deps.clock())
        return Outcome.BOOKED

    # -- steps ----------------------------------------------------------------------------
    def _draft(
        self, shop: ShopConfig, order: Order, entry: LedgerEntry, economic: EconomicClient
    ) -> LedgerEntry:
        now = self._deps.clock()
        mapped = self._map(shop, order, economic)
        version = order_fingerprint(order)
        snapshot = order_snapshot(order).model_dump_json()
        reference = shop.order_reference(order.order_id)
        # Count the attempt before the write: a later attempt then knows to look first.
        entry = self._deps.ledger.update(entry, now, draft_attempts=entry.draft_attempts + 1)
        draft = self._existing(economic, reference) if entry.draft_attempts > 1 else None
        if draft is None:
            body = mapped.draft.to_body()
            # One key per attempt: its in-process retries replay from e-conomic's cache, while a
            # later attempt relies on the look-up above (the cache lives an hour at most, and a
            # cached answer could name a draft number that has since been reused).
            key = idempotency_key(
                shop.shop_id, order.order_id, "draft", f"{version}:{entry.draft_attempts}"
            )
            try:
                draft = economic.create_draft(body, idempotency_key=key)
            except EconomicHttpError as error:
                products = [line.product.product_number for line in mapped.draft.lines]
                raise translate_draft_rejection(
                    error,
                    order_id=order.order_id,
                    product_numbers=products,
                    invoice_date=mapped.draft.date.isoformat(),
                ) from error
        if draft.booked_invoice_number is not None:
            # Adopted an invoice booked by an earlier attempt that crashed before recording it.
            return self._deps.ledger.move(
                entry,
                LedgerState.BOOKED,
                now,
                note="adopted booked invoice",
                booked_number=draft.booked_invoice_number,
                gross_amount=str(draft.gross_amount),
                currency=draft.currency,
                error_code=None,
                mail_to=order.customer.email or None,
            )
        entry = self._deps.ledger.move(
            entry,
            LedgerState.DRAFTED,
            now,
            note=f"draft {draft.draft_invoice_number}",
            draft_number=draft.draft_invoice_number,
            gross_amount=str(draft.gross_amount),
            currency=draft.currency,
            error_code=None,
            mail_to=order.customer.email or None,
            order_snapshot=snapshot,
        )
        verify_economic_gross(mapped, draft.raw)
        return entry

    def _book(self, shop: ShopConfig, entry: LedgerEntry, economic: EconomicClient) -> LedgerEntry:
        if entry.state != LedgerState.DRAFTED:
            return entry  # adopted as booked already
        draft_number = entry.draft_number
        assert draft_number is not None
        now = self._deps.clock()
        reference = shop.order_reference(entry.order_id)
        entry = self._deps.ledger.update(entry, now, book_attempts=entry.book_attempts + 1)
        if entry.book_attempts > 1:
            # An earlier attempt may have booked the draft, and e-conomic reuses draft numbers:
            # look for our invoice first, and book the stored number only if it is still ours.
            found = economic.find_booked(reference)
            if found:
                return self._booked(entry, found[0], now)
            self._ensure_draft_is_ours(entry, economic, draft_number, reference, now)
        key = idempotency_key(
            shop.shop_id, entry.order_id, "book", f"{draft_number}:{entry.book_attempts}"
        )
        try:
            booked = economic.book_draft(draft_number, idempotency_key=key)
        except EconomicNotFoundError:
            # The draft is gone: an earlier attempt booked it. Find that invoice and adopt it.
            found = economic.find_booked(reference)
            if not found:
                self._ensure_draft_is_ours(entry, economic, draft_number, reference, now)
                raise
            booked = found[0]
        except EconomicHttpError as error:
            raise translate_rejection(
                error, order_id=entry.order_id, invoice_date=shop_date(now).isoformat()
            ) from error
        return self._booked(entry, booked, now)

    def _booked(self, entry: LedgerEntry, booked: InvoiceResponse, now: datetime) -> LedgerEntry:
        return self._deps.ledger.move(
            entry,
            LedgerState.BOOKED,
            now,
            note=f"invoice {booked.booked_invoice_number}",
            booked_number=booked.booked_invoice_number,
            gross_amount=str(booked.gross_amount),
        )

    def _ensure_draft_is_ours(
        self,
        entry: LedgerEntry,
        economic: EconomicClient,
        draft_number: int,
        reference: str,
        now: datetime,
    ) -> None:
        """If the stored draft vanished (or its number now belongs to another invoice) and
        nothing is booked under our reference, start over: the next delivery drafts again."""
        try:
            draft: InvoiceResponse | None = economic.get_draft(draft_number)
        except EconomicNotFoundError:
            draft = None
        if draft is not None and draft.reference == reference:
            return
        self._deps.ledger.move(
            entry,
            LedgerState.RECEIVED,
            now,
            note=f"draft {draft_number} vanished",
            draft_number=None,
        )
        raise TransientError(f"draft {draft_number} of order {entry.order_id} vanished; redrafting")

    def _ensure_mail(self, shop: ShopConfig, entry: LedgerEntry) -> None:
        """Hand a booked document to the mailer; safe to repeat (the mailer checks the ledger)."""
        ensure_mail_queued(self._deps, shop, entry)

    # -- helpers --------------------------------------------------------------------------
    def _map(self, shop: ShopConfig, order: Order, economic: EconomicClient) -> MappedInvoice:
        cache = ReferenceCache(self._deps.shops, shop)
        countries = cache.country_codes(lambda: self._countries(shop))
        zone = vat_zone_number(order, shop, countries)
        customer = resolve_customer_number(
            order, shop, zone, shops=self._deps.shops, economic=economic
        )
        ref = ReferenceData(
            customer_number=customer,
            base_currency=cache.base_currency(economic),
            invoice_date=shop_date(self._deps.clock()),
            country_codes=countries,
            shop_currency_factor=self._currency_factor(shop, order, cache),
        )
        return map_order(order, shop, ref)

    def _currency_factor(
        self, shop: ShopConfig, order: Order, cache: ReferenceCache
    ) -> Decimal | None:
        if shop.economic.exchange_rate_rule != "shop_factor":
            return None  # e-conomic's daily rate: nothing to look up
        factors = cache.currency_factors(lambda: self._dandomain(shop).currency_factors())
        per_hundred = factors.get(order.currency)
        return per_hundred / 100 if per_hundred else None

    def _countries(self, shop: ShopConfig) -> dict[int, str]:
        return self._dandomain(shop).country_codes()

    def _dandomain(self, shop: ShopConfig) -> ClassicClient:
        return self._deps.dandomain(shop, self._deps.secrets.shop(shop.shop_id))

    @staticmethod
    def _existing(economic: EconomicClient, reference: str) -> InvoiceResponse | None:
        booked = economic.find_booked(reference)
        if booked:
            return booked[0]
        drafts = economic.find_drafts(reference)
        return drafts[0] if drafts else None

    @staticmethod
    def _check_unchanged(order: Order, entry: LedgerEntry) -> None:
        """A booked invoice is immutable: a later change to the order is for the owner."""
        if entry.order_snapshot is None or entry.state not in (
            LedgerState.BOOKED,
            LedgerState.MAILED,
        ):
            return
        difference = order_difference(
            OrderSnapshot.model_validate_json(entry.order_snapshot), order
        )
        if difference:
            raise KnownError(
                ErrorCode.ORDER_CHANGED_AFTER_BOOKING,
                order_id=order.order_id,
                invoice_number=entry.booked_number,
                difference=difference,
            )

    def _record(self, shop: ShopConfig, order_id: str, error: KnownError) -> Outcome:
        now = self._deps.clock()
        text = error.text
        logger.warning("known error", extra={"code": text.code, "parameters": text.parameters})
        self._deps.errors.record(shop.shop_id, order_id, text, now)
        if error.code == ErrorCode.ORDER_CHANGED_AFTER_BOOKING:
            return Outcome.CHANGED_AFTER_BOOKING
        entry = self._deps.ledger.get(shop.shop_id, order_id)
        if entry is not None and entry.state in (
            LedgerState.RECEIVED,
            LedgerState.DRAFTED,
            LedgerState.FAILED,
            LedgerState.SKIPPED,
        ):
            self._deps.ledger.move(
                entry, LedgerState.FAILED, now, note=str(error.code), error_code=str(error.code)
            )
        return Outcome.FAILED
