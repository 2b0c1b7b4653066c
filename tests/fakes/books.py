"""e-conomic as an in-memory agreement, with the behaviour that matters to autobook:
freed draft numbers are reused, booking removes the draft, Idempotency-Keys replay, missing
and barred products are reported per line, and faults can be injected per operation."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from autobook.domain.books import (
    BookedLine,
    EconomicInvoice,
    FieldProblem,
    RecipientRecord,
    Rejection,
)
from autobook.domain.errors import (
    ErrorCode,
    KnownError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
)
from autobook.domain.invoice import DraftInvoice
from autobook.domain.money import round_ore

DOMESTIC_ZONE = 1


class FakeBooks:
    def __init__(self) -> None:
        self.drafts: dict[int, EconomicInvoice] = {}
        self.booked_invoices: dict[int, EconomicInvoice] = {}
        self.customers: dict[tuple[str, str], int] = {}
        self.created_customers: list[dict[str, Any]] = []
        self.products: set[str] | None = None  # None: every product exists
        self.barred: set[str] = set()
        self.vat_rates: dict[str, Decimal] = {}  # product -> VAT % in the domestic zone
        self.year_missing = False
        self.base = "DKK"
        self.calls: list[str] = []
        self._faults: dict[str, list[str]] = {}
        self._replies: dict[str, object] = {}
        self._next_booked = 1
        self._next_customer = 1000

    # -- test controls ---------------------------------------------------------------------
    def fail_next(self, operation: str, how: str) -> None:
        """how: unknown_after (done, then no answer), unknown_before, rate_limited, access,
        transient."""
        self._faults.setdefault(operation, []).append(how)

    def owner_books(self, draft_number: int) -> EconomicInvoice:
        return self._book(draft_number)

    def owner_edits(self, draft_number: int, **changes: Any) -> None:
        self.drafts[draft_number] = self.drafts[draft_number].model_copy(update=changes)

    def owner_deletes(self, draft_number: int) -> None:
        del self.drafts[draft_number]

    def write_calls(self) -> list[str]:
        return [
            c
            for c in self.calls
            if c in ("create_draft", "book_draft", "delete_draft", "create_customer")
        ]

    # -- Books -----------------------------------------------------------------------------
    def base_currency(self) -> str:
        self._call("base_currency")
        return self.base

    def find_customer(self, field: str, value: str) -> int | None:
        self._call("find_customer")
        return self.customers.get((field, value.lower()))

    def create_customer(self, body: dict[str, Any], *, idempotency_key: str) -> int:
        def create() -> int:
            self._next_customer += 1
            self.created_customers.append(body)
            return self._next_customer

        return int(str(self._write("create_customer", idempotency_key, create)))

    def create_draft(self, draft: DraftInvoice, *, idempotency_key: str) -> EconomicInvoice:
        return self._write("create_draft", idempotency_key, lambda: self._draft(draft))  # type: ignore[return-value]

    def delete_draft(self, number: int, *, idempotency_key: str) -> None:
        self._write("delete_draft", idempotency_key, lambda: self.drafts.pop(number, None))

    def book_draft(self, number: int, *, idempotency_key: str) -> EconomicInvoice:
        def book() -> EconomicInvoice:
            if number not in self.drafts:
                raise Rejection(
                    404,
                    codes=frozenset({"E06000"}),
                    problems=(),
                    message="not found",
                    operation="POST /invoices/booked",
                )
            if self.year_missing:
                raise Rejection(
                    400,
                    codes=frozenset({"E04190"}),
                    problems=(),
                    message="no year",
                    operation="POST /invoices/booked",
                )
            return self._book(number)

        return self._write("book_draft", idempotency_key, book)  # type: ignore[return-value]

    def draft(self, number: int) -> EconomicInvoice | None:
        self._call("draft")
        return self.drafts.get(number)

    def booked(self, number: int) -> EconomicInvoice | None:
        self._call("booked")
        return self.booked_invoices.get(number)

    def drafts_with_reference(self, reference: str) -> list[EconomicInvoice]:
        self._call("drafts_with_reference")
        return [d for d in self.drafts.values() if d.reference.lower() == reference.lower()]

    def booked_with_reference(self, reference: str) -> list[EconomicInvoice]:
        self._call("booked_with_reference")
        return [
            b for b in self.booked_invoices.values() if b.reference.lower() == reference.lower()
        ]

    def booked_pdf(self, number: int) -> bytes:
        self._call("booked_pdf")
        if number not in self.booked_invoices:
            raise TransientError("no such invoice")
        return b"%PDF-1.4 invoice " + str(number).encode()

    # -- plumbing ----------------------------------------------------------------------------
    def _call(self, operation: str) -> None:
        self.calls.append(operation)
        faults = self._faults.get(operation)
        how = faults.pop(0) if faults else None
        if how == "rate_limited":
            raise RateLimitedError(f"{operation}: 429", retry_after_seconds=2)
        if how == "access":
            raise KnownError(ErrorCode.ECONOMIC_ACCESS, detail="HTTP 401")
        if how == "transient":
            raise TransientError(f"{operation}: HTTP 503")
        if how == "unknown_before":
            raise UnknownOutcomeError(f"{operation}: timeout")
        if how == "unknown_after":
            self._faults.setdefault(f"{operation}:after", []).append("unknown")

    def _write(self, operation: str, key: str, act: Callable[[], object]) -> object:
        self._call(operation)
        if key in self._replies:
            return self._replies[key]
        result = act()
        self._replies[key] = result
        if self._faults.get(f"{operation}:after"):
            self._faults[f"{operation}:after"].pop()
            raise UnknownOutcomeError(f"{operation}: the answer was lost")
        return result

    def _draft(self, draft: DraftInvoice) -> EconomicInvoice:
        problems = []
        for index, line in enumerate(draft.lines):
            number = line.product.product_number
            if self.products is not None and number not in self.products:
                problems.append(
                    FieldProblem(
                        path="product.productNumber",
                        code="E06000",
                        message="Product not found.",
                        value=number,
                        line_index=index,
                    )
                )
            elif number in self.barred:
                problems.append(
                    FieldProblem(
                        path="product",
                        code="E07060",
                        message="barred",
                        value=number,
                        line_index=index,
                    )
                )
        if problems:
            raise Rejection(
                400,
                codes=frozenset(p.code for p in problems),
                problems=tuple(problems),
                message="Validation error.",
                operation="POST /invoices/drafts",
            )
        zone = draft.recipient.vat_zone.vat_zone_number
        lines = []
        net = vat = Decimal(0)
        for line in draft.lines:
            line_net = round_ore(line.quantity * line.unit_net_price)
            rate = (
                self.vat_rates.get(line.product.product_number, Decimal(25))
                if zone == DOMESTIC_ZONE
                else Decimal(0)
            )
            line_vat = round_ore(line_net * rate / 100)
            net += line_net
            vat += line_vat
            lines.append(
                BookedLine(
                    product_number=line.product.product_number,
                    description=line.description,
                    quantity=line.quantity,
                    unit_net_price=line.unit_net_price,
                    vat_amount=line_vat,
                )
            )
        number = 1
        while number in self.drafts:
            number += 1  # e-conomic hands out the lowest free draft number
        document = EconomicInvoice(
            draft_number=number,
            reference=draft.references.other,
            customer_number=draft.customer.customer_number,
            date=draft.date,
            due_date=draft.due_date or draft.date,
            currency=draft.currency,
            exchange_rate=draft.exchange_rate,
            net=net,
            vat=vat,
            gross=net + vat,
            payment_terms_number=draft.payment_terms.payment_terms_number,
            payment_terms_type="net",
            payment_terms_name=f"Netto {draft.payment_terms.payment_terms_number}",
            layout_number=draft.layout.layout_number,
            recipient=RecipientRecord(name=draft.recipient.name, vat_zone_number=zone),
            lines=tuple(lines),
        )
        self.drafts[number] = document
        return document

    def _book(self, draft_number: int) -> EconomicInvoice:
        draft = self.drafts.pop(draft_number)
        booked = draft.model_copy(update={"draft_number": None, "booked_number": self._next_booked})
        self.booked_invoices[self._next_booked] = booked
        self._next_booked += 1
        return booked


class FakeAgreements:
    def __init__(self, books: FakeBooks | None = None) -> None:
        self.books = books or FakeBooks()

    def for_shop(self, shop_id: str) -> FakeBooks:
        return self.books
