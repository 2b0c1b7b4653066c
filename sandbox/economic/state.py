"""In-memory state of the e-conomic sandbox: agreements and their data."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sandbox.economic.faults import Faults
from sandbox.economic.ratelimit import TokenBucket

ZERO = Decimal("0")


@dataclass
class Product:
    product_number: str
    name: str
    product_group: int = 1
    barred: bool = False
    sales_price: Decimal = ZERO
    description: str | None = None


@dataclass
class ProductGroup:
    number: int
    name: str
    vat_rates: dict[int, Decimal]  # vat zone number -> rate (0.25 = 25 %)


@dataclass
class PaymentTerms:
    number: int
    name: str
    terms_type: str
    days_of_credit: int = 0


@dataclass
class AccountingYear:
    year: str
    from_date: date
    to_date: date


@dataclass
class CallRecord:
    method: str
    path: str
    status: int
    idempotency_key: str | None
    from_cache: bool


@dataclass
class CachedResponse:
    status: int
    body: bytes
    headers: dict[str, str]
    stored_at: datetime


@dataclass
class Agreement:
    grant_token: str
    clock: Callable[[], datetime]
    base_currency: str = "DKK"
    agreement_number: int = 1
    company_name: str = "Sandbox ApS"
    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    product_groups: dict[int, ProductGroup] = field(default_factory=dict)
    payment_terms: dict[int, PaymentTerms] = field(default_factory=dict)
    vat_zones: dict[int, str] = field(default_factory=dict)
    layouts: dict[int, str] = field(default_factory=dict)
    customer_groups: dict[int, str] = field(default_factory=dict)
    accounting_years: list[AccountingYear] = field(default_factory=list)
    drafts: dict[int, dict[str, Any]] = field(default_factory=dict)
    booked: dict[int, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, CachedResponse] = field(default_factory=dict)
    calls: list[CallRecord] = field(default_factory=list)
    pdf_downloads: int = 0
    bucket: TokenBucket = field(init=False)

    def __post_init__(self) -> None:
        self.bucket = TokenBucket(self.clock)

    def set_rate_limit(self, capacity: int, per_seconds: float = 60.0) -> None:
        self.bucket = TokenBucket(self.clock, capacity, per_seconds)

    def seed_defaults(self) -> Agreement:
        """Reference data of a typical Danish agreement (idempotent)."""
        for number, name in ((1, "Domestic"), (2, "EU"), (3, "Abroad")):
            self.vat_zones.setdefault(number, name)
        rates_with = {1: Decimal("0.25"), 2: ZERO, 3: ZERO}
        self.product_groups.setdefault(1, ProductGroup(1, "Varer m/moms", rates_with))
        self.product_groups.setdefault(
            2, ProductGroup(2, "Varer u/moms", {1: ZERO, 2: ZERO, 3: ZERO})
        )
        for terms in (
            PaymentTerms(1, "Netto 8 dage", "net", 8),
            PaymentTerms(2, "Kontant", "paidInCash"),
            PaymentTerms(3, "Forudbetalt", "prepaid"),
            PaymentTerms(4, "Kreditkort", "creditcard"),
        ):
            self.payment_terms.setdefault(terms.number, terms)
        self.layouts.setdefault(19, "Standard")
        for number, name in ((1, "Indland"), (2, "EU"), (3, "Udland")):
            self.customer_groups.setdefault(number, name)
        for year in range(2024, 2028):
            if not any(y.year == str(year) for y in self.accounting_years):
                self.add_accounting_year(date(year, 1, 1), date(year, 12, 31))
        return self

    def add_accounting_year(self, from_date: date, to_date: date) -> AccountingYear:
        label = (
            str(from_date.year)
            if from_date.year == to_date.year
            else (f"{from_date.year}/{to_date.year}")
        )
        year = AccountingYear(label, from_date, to_date)
        self.accounting_years.append(year)
        return year

    def add_product(
        self,
        number: str,
        name: str,
        group: int = 1,
        barred: bool = False,
        sales_price: Decimal | str | int = ZERO,
        description: str | None = None,
    ) -> Product:
        product = Product(number, name, group, barred, Decimal(sales_price), description)
        self.products[number] = product
        return product

    def add_customer(
        self,
        name: str,
        *,
        customer_number: int | None = None,
        email: str | None = None,
        currency: str | None = None,
        customer_group: int = 1,
        payment_terms: int = 1,
        vat_zone: int = 1,
        barred: bool = False,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a customer document (e-conomic JSON shape, without links); returns it."""
        number = customer_number or self.next_customer_number()
        doc: dict[str, Any] = {
            "customerNumber": number,
            "name": name,
            "currency": currency or self.base_currency,
            "customerGroup": {"customerGroupNumber": customer_group},
            "paymentTerms": {"paymentTermsNumber": payment_terms},
            "vatZone": {"vatZoneNumber": vat_zone},
            **extra,
        }
        if email is not None:
            doc["email"] = email
        if barred:
            doc["barred"] = True
        self.customers[number] = doc
        return doc

    def next_customer_number(self) -> int:
        return max(self.customers, default=0) + 1

    def next_draft_number(self) -> int:
        # Identifiers are reused by e-conomic (economic.md §1.2): max existing + 1.
        return max(self.drafts, default=0) + 1

    def next_booked_number(self) -> int:
        return max(self.booked, default=0) + 1

    def accounting_year_for(self, day: date) -> AccountingYear | None:
        for year in self.accounting_years:
            if year.from_date <= day <= year.to_date:
                return year
        return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EconomicState:
    """All agreements of the sandbox plus its fault knobs."""

    def __init__(
        self,
        app_secret_token: str = "sandbox-app-secret",  # noqa: S107 - a fake, public token
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app_secret_token = app_secret_token
        self.clock: Callable[[], datetime] = clock or _utc_now
        self.agreements: dict[str, Agreement] = {}
        self.faults = Faults()
        self.lock = threading.RLock()
        self.calls: list[CallRecord] = []  # every request, including unauthenticated ones

    def add_agreement(
        self, grant_token: str, base_currency: str = "DKK", *, seed: bool = True
    ) -> Agreement:
        agreement = Agreement(
            grant_token,
            self.clock,
            base_currency=base_currency,
            agreement_number=len(self.agreements) + 1,
        )
        if seed:
            agreement.seed_defaults()
        self.agreements[grant_token] = agreement
        return agreement

    # Fault knobs, delegated to :class:`Faults`.
    def fail_next(
        self,
        n: int,
        status: int = 503,
        *,
        method: str | None = None,
        path_prefix: str | None = None,
        after_commit: bool = False,
    ) -> None:
        self.faults.fail_next(
            n, status, method=method, path_prefix=path_prefix, after_commit=after_commit
        )

    def timeout_next(
        self,
        n: int,
        *,
        seconds: float,
        after_commit: bool = False,
        method: str | None = None,
        path_prefix: str | None = None,
    ) -> None:
        self.faults.timeout_next(
            n, seconds=seconds, after_commit=after_commit, method=method, path_prefix=path_prefix
        )

    def set_latency(self, seconds: float) -> None:
        self.faults.set_latency(seconds)

    def set_transient_failure_rate(
        self,
        p: float,
        seed: int,
        statuses: tuple[int, ...] = (500, 502, 503),
        after_commit_share: float = 0.5,
    ) -> None:
        self.faults.set_transient_failure_rate(p, seed, statuses, after_commit_share)
