"""The ports: everything the use cases need from the outside world, as Protocols.

Each has one production adapter (DynamoDB, SQS, SES, Secrets Manager, e-conomic, Dandomain —
built by `autobook.composition`) and one in-memory fake (tests/fakes) for the unit tests.
Use cases depend on these and on the domain only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from autobook.domain.errors import TransientError

if TYPE_CHECKING:  # annotations only: a function imports the domain models it uses, no more
    from collections.abc import Collection, Sequence
    from datetime import date, datetime
    from decimal import Decimal
    from email.message import EmailMessage

    from autobook.dandomain.catalogue import (
        OrderStateInfo,
        PaymentMethodInfo,
        ShippingMethodInfo,
        SiteInfo,
    )
    from autobook.domain.books import EconomicEntry, EconomicInvoice, ProductState
    from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus, ErrorText
    from autobook.domain.events import DeadLetter, MailJob, OrderEvent
    from autobook.domain.invoice import DraftInvoice
    from autobook.domain.ledger import LedgerEntry, LedgerState
    from autobook.domain.order import Order
    from autobook.domain.shop import ShopConfig, ShopSecrets


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class ConcurrentUpdateError(TransientError):
    """Someone else changed the item since it was read: re-read and decide again."""

    def __init__(self, message: str) -> None:
        super().__init__(message, service="DynamoDB")


class ShopConfigs(Protocol):
    """Only the configs: what a caller needs that reads a shop and changes nothing."""

    def get(self, shop_id: str) -> ShopConfig | None: ...


class ShopDirectory(Protocol):
    """Shop configs and the small per-shop state kept beside them."""

    def get(self, shop_id: str) -> ShopConfig | None: ...
    def put(self, config: ShopConfig) -> None: ...
    def ids(self) -> list[str]: ...

    def customer_number(self, shop_id: str, key: str) -> int | None: ...
    def remember_customer(self, shop_id: str, key: str, number: int) -> None: ...

    def cached(self, shop_id: str, name: str) -> dict[str, Any] | None: ...
    def cache(self, shop_id: str, name: str, value: dict[str, Any]) -> None: ...

    def watermark(self, shop_id: str) -> datetime | None: ...
    def set_watermark(self, shop_id: str, at: datetime) -> None: ...

    def paused(self, shop_id: str) -> tuple[ErrorCode, datetime] | None: ...
    def pause(self, shop_id: str, code: ErrorCode, since: datetime) -> bool:
        """True when this call paused the shop (it was not paused already)."""
        ...

    def resume(self, shop_id: str) -> bool:
        """True when this call lifted a pause."""
        ...

    def claim(self, shop_id: str, name: str, now: datetime, until: datetime) -> bool:
        """Take the named slot (e.g. one notice mail per code per hour) unless someone holds it
        past `now`; True for exactly one of concurrent callers."""
        ...


class Secrets(Protocol):
    def shop(self, shop_id: str) -> ShopSecrets: ...
    def economic_app_token(self) -> str: ...
    def owner_page_key(self) -> bytes: ...


class SecretWriter(Protocol):
    def put_shop(self, shop_id: str, secrets: ShopSecrets) -> None: ...


class OrderSource(Protocol):
    """One shop's Dandomain (Classic or Webshop), read only."""

    def fetch(self, order_id: str) -> Order: ...
    def changed_between(
        self, start: datetime, end: datetime, states: Collection[int]
    ) -> list[Order]: ...
    def country_codes(self) -> dict[int, str]: ...
    def currency_factors(self) -> dict[str, Decimal]: ...
    # The shop's own lists, to check (and propose) its mapping against.
    def sites(self) -> list[SiteInfo]: ...
    def payment_methods(self, site_id: int) -> list[PaymentMethodInfo]: ...
    def shipping_methods(self, site_id: int) -> list[ShippingMethodInfo]: ...
    def order_states(self) -> list[OrderStateInfo]: ...


class OrderSources(Protocol):
    def for_shop(self, shop: ShopConfig) -> OrderSource: ...


class Books(Protocol):
    """One agreement's e-conomic, as far as autobook uses it. Writes carry an Idempotency-Key.

    Failures: KnownError (ECONOMIC_ACCESS, or what a rejection translates to),
    RateLimitedError (not done), UnknownOutcomeError (a write that may have happened),
    TransientError. `draft`/`booked` answer None for a number that does not exist."""

    def base_currency(self) -> str: ...
    def find_customer(self, field: str, value: str) -> int | None: ...
    def create_customer(self, body: dict[str, Any], *, idempotency_key: str) -> int: ...
    def create_draft(self, draft: DraftInvoice, *, idempotency_key: str) -> EconomicInvoice: ...
    def delete_draft(self, number: int, *, idempotency_key: str) -> None: ...
    def book_draft(self, number: int, *, idempotency_key: str) -> EconomicInvoice: ...
    def draft(self, number: int) -> EconomicInvoice | None: ...
    def booked(self, number: int) -> EconomicInvoice | None: ...
    def drafts_with_reference(self, reference: str) -> list[EconomicInvoice]: ...
    def booked_with_reference(self, reference: str) -> list[EconomicInvoice]: ...
    def booked_pdf(self, number: int) -> bytes: ...
    # What a shop's mapping refers to (the operator's doctor checks them before orders fail).
    def product(self, number: str) -> ProductState | None: ...
    def exists(self, kind: str, number: int) -> bool: ...
    def entries(self, kind: str) -> list[EconomicEntry]: ...
    def accounting_year_covers(self, day: date) -> bool: ...


class BooksFactory(Protocol):
    def for_shop(self, shop_id: str) -> Books: ...


class Ledger(Protocol):
    def get(self, shop_id: str, order_id: str) -> LedgerEntry | None: ...
    def create_if_absent(self, entry: LedgerEntry) -> LedgerEntry:
        """Store `entry` unless the order has one; either way the stored entry."""
        ...

    def save(self, entry: LedgerEntry) -> LedgerEntry:
        """Write `entry` if the stored revision is still `entry.revision`; the saved entry
        (revision + 1). ConcurrentUpdateError otherwise."""
        ...

    def in_states(
        self, shop_id: str, states: Collection[LedgerState], *, limit: int = 100
    ) -> list[LedgerEntry]:
        """The shop's entries in these states, most recently changed first (an index, no scan)."""
        ...


class ErrorLog(Protocol):
    def record(
        self,
        shop_id: str,
        order_id: str,
        text: ErrorText,
        now: datetime,
        *,
        reference: str | None = None,
    ) -> ErrorRecord:
        """Open (or count up) the error; the stored record (occurrences 1 = new)."""
        ...

    def get(self, shop_id: str, order_id: str, code: ErrorCode) -> ErrorRecord | None: ...
    def for_order(self, shop_id: str, order_id: str) -> list[ErrorRecord]: ...
    def with_status(
        self, shop_id: str, status: ErrorStatus, *, code: ErrorCode | None = None
    ) -> list[ErrorRecord]:
        """The shop's errors in `status` (optionally of one code), through an index, no scan."""
        ...

    def close(
        self, record: ErrorRecord, status: ErrorStatus, now: datetime, *, by: str, reason: str = ""
    ) -> ErrorRecord: ...
    def mark_notified(self, records: Sequence[ErrorRecord], now: datetime) -> None: ...


class OwnerNotices(Protocol):
    """The single outlet for everything the owner is told (error log, mail, the page)."""

    def problem(
        self,
        shop: ShopConfig,
        order_id: str,
        text: ErrorText,
        now: datetime,
        *,
        reference: str | None = None,
    ) -> ErrorRecord: ...
    def order_through(self, shop: ShopConfig, order_id: str, now: datetime) -> None:
        """The order went through: its open errors are resolved."""
        ...

    def shop_paused(self, shop: ShopConfig, text: ErrorText, now: datetime) -> None: ...
    def shop_resumed(self, shop: ShopConfig, now: datetime) -> None: ...


class OwnerMail(Protocol):
    """Renders and sends what the owner is told by mail (the page link included)."""

    def about_orders(
        self, shop: ShopConfig, records: Sequence[ErrorRecord], *, follow_up: bool
    ) -> None: ...
    def paused(self, shop: ShopConfig, record: ErrorRecord) -> None: ...
    def resumed(
        self, shop: ShopConfig, code: ErrorCode, since: datetime, now: datetime
    ) -> None: ...
    def digest(self, shop: ShopConfig, records: Sequence[ErrorRecord]) -> None: ...


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> str:
        """Send; SES's message id. MailRejectedError when it can never be sent as it is."""
        ...


class SenderCheck(Protocol):
    def sender_verified(self, address: str) -> bool:
        """Whether mail may be sent from `address` (it, or its domain, is verified)."""
        ...


class OrderQueue(Protocol):
    def send(self, events: Sequence[OrderEvent]) -> None: ...


class MailQueue(Protocol):
    def send(self, job: MailJob) -> None: ...


class DeadLetters(Protocol):
    """One dead-letter queue and the queue its messages came from."""

    def peek(self, *, max_messages: int = 100, wait_seconds: int = 0) -> list[DeadLetter]: ...
    def redrive(self, *, max_messages: int, now: datetime, wait_seconds: int = 0) -> int: ...
