"""A recording in-memory `OwnerActions` and sample owner-loop data for the mail and page tests."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import LedgerState
from autobook.notify.owner_views import ErrorView, OrderRef, PauseView
from autobook.owner_page.ports import InvoiceSummary, ShopSummary

NOW = datetime(2026, 3, 2, 13, 5, tzinfo=UTC)
HOSTILE = "<script>alert('x')</script>"

# Values a test can look for in a mail or on the page, per code.
SAMPLE_PARAMETERS: dict[ErrorCode, dict[str, str]] = {
    ErrorCode.PAYMENT_METHOD_UNMAPPED: {
        "order_id": "1001",
        "method_id": "17",
        "method_name": "MobilePay",
        "old_id": "12",
        "id_changed_da": " Dandomain har ændret id'et for 'MobilePay' fra 12 til 17.",
        "id_changed_en": " Dandomain changed the id of 'MobilePay' from 12 to 17.",
    },
    ErrorCode.PRODUCT_MISSING: {"order_id": "1002", "products": "SKU-4711"},
    ErrorCode.PRODUCT_BARRED: {"order_id": "1003", "products": "SKU-0815"},
    ErrorCode.FEE_UNMAPPED: {
        "order_id": "1004",
        "fee_name": "GLS",
        "fee_kind_da": "forsendelse",
        "fee_kind_en": "shipping",
        "method_id": "9",
    },
    ErrorCode.DISCOUNT_UNMAPPED: {
        "order_id": "1005",
        "line_name": "SPRING10",
        "product_da": "rabatvare",
        "product_en": "discount product",
    },
    ErrorCode.VAT_ZONE_UNKNOWN: {"order_id": "1006", "country": "Atlantis"},
    ErrorCode.TOTALS_MISMATCH: {
        "order_id": "1007",
        "economic_total": "1249.00",
        "shop_total": "1250.25",
        "currency": "DKK",
        "cause_da": "Forskellen er -1.25.",
        "cause_en": "The difference is -1.25.",
        "draft_invoice_number": "314",
    },
    ErrorCode.CUSTOMER_INVALID: {
        "order_id": "1008",
        "field": "ean",
        "field_da": "EAN-nummer",
        "field_en": "EAN",
        "reason_da": "Et EAN-nummer har 13 cifre. ",
        "reason_en": "An EAN has 13 digits. ",
    },
    ErrorCode.ACCOUNTING_YEAR_MISSING: {"order_id": "1009", "date": "2027-01-02"},
    ErrorCode.ECONOMIC_ACCESS: {"detail": "HTTP 401"},
    ErrorCode.DANDOMAIN_ACCESS: {"detail": "HTTP 403"},
    ErrorCode.ORDER_CANCELLED_AFTER_BOOKING: {
        "order_id": "1010",
        "invoice_number": "20417",
        "action_da": "Kreditnota 20418 er oprettet og bogført.",
        "action_en": "Credit note 20418 was created and booked.",
    },
    ErrorCode.ORDER_CHANGED_AFTER_BOOKING: {
        "order_id": "1011",
        "invoice_number": "20419",
        "difference_da": "total 500.00 → 450.00",
        "difference_en": "total 500.00 → 450.00",
        "action_da": "Vælg på ejersiden: krediter og fakturer igen, eller behold fakturaen.",
        "action_en": "Choose on the owner page: credit and invoice again, or keep the invoice.",
    },
    ErrorCode.MAIL_FAILED: {
        "order_id": "1012",
        "invoice_number": "20420",
        "detail_da": "Mailtjenesten afviste mailen.",
        "detail_en": "The mail service refused the mail.",
    },
    ErrorCode.ORDER_NOT_FOUND: {"order_id": "1013"},
    ErrorCode.ECONOMIC_REJECTED: {
        "order_id": "1014",
        "detail_da": "layoutet findes ikke i e-conomic (99).",
        "detail_en": "the layout does not exist in e-conomic (99).",
    },
    ErrorCode.CURRENCY_UNKNOWN: {
        "order_id": "1015",
        "currency": "XYZ",
        "reason_da": " (ikke en ISO-valutakode)",
        "reason_en": " (not an ISO currency code)",
    },
    ErrorCode.CUSTOMER_UNMAPPED: {
        "order_id": "1016",
        "vat_zone": "2",
        "what_da": "kundegruppe",
        "what_en": "customer group",
    },
    ErrorCode.TRIAL_DRAFT_DELETED: {"order_id": "1017", "draft_number": "88"},
    ErrorCode.CREDIT_NOTE_BY_HAND: {
        "order_id": "1031",
        "credited_order_id": "1019",
        "amount": "100.00",
        "currency": "DKK",
        "invoice_number": "90",
        "invoice_total": "250.00",
        "reason": "partial",
        "reason_da": "Kreditnotaen dækker ikke hele faktura 90 til ordre 1019 (fakturaen er på "
        "250.00 DKK).",
        "reason_en": "The credit note does not cover all of invoice 90 for order 1019 (the invoice "
        "is for 250.00 DKK).",
    },
    ErrorCode.INVOICE_MISMATCH: {
        "order_id": "1018",
        "number": "89",
        "document_da": "kladden",
        "document_en": "draft",
        "difference_da": "den har beløb 130.00 i stedet for 125.00 i forhold til det, autobook skrev.",
        "difference_en": "it has amount 130.00 instead of 125.00 compared with what autobook wrote.",
    },
    ErrorCode.SERVICE_UNAVAILABLE: {"order_id": "1019", "service": "e-conomic", "attempts": "5"},
    ErrorCode.UNEXPECTED: {"order_id": "1020", "reference": "msg-7f3a"},
}


def order_ref(order_id: str, *, buyer: str = "Jens Hansen", amount: str = "1250.25") -> OrderRef:
    return OrderRef(order_id=order_id, buyer_name=buyer, amount=Decimal(amount), currency="DKK")


def error_view(
    code: ErrorCode, *, order_id: str | None = None, buyer: str = "Jens Hansen"
) -> ErrorView:
    parameters = dict(SAMPLE_PARAMETERS[code])
    if order_id is not None:
        parameters["order_id"] = order_id
    order = order_ref(parameters["order_id"], buyer=buyer) if "order_id" in parameters else None
    return ErrorView(
        code=code, parameters=parameters, order=order, first_seen=NOW - timedelta(hours=2)
    )


def pause_view(code: ErrorCode = ErrorCode.ECONOMIC_ACCESS, waiting: int = 7) -> PauseView:
    return PauseView(
        code=code,
        parameters=SAMPLE_PARAMETERS[code],
        since=NOW - timedelta(hours=3),
        waiting_orders=waiting,
    )


@dataclass
class FakeOwnerActions:
    """Answers the page's reads from lists and records every action it is asked to do."""

    shops: dict[str, ShopSummary] = field(default_factory=dict)
    errors: dict[str, list[ErrorView]] = field(default_factory=dict)
    invoices: dict[str, list[InvoiceSummary]] = field(default_factory=dict)
    calls: list[tuple[object, ...]] = field(default_factory=list)

    def shop(self, shop_id: str) -> ShopSummary | None:
        return self.shops.get(shop_id)

    def open_errors(self, shop_id: str) -> Sequence[ErrorView]:
        return list(self.errors.get(shop_id, []))

    def recent_invoices(self, shop_id: str, limit: int) -> Sequence[InvoiceSummary]:
        return self.invoices.get(shop_id, [])[:limit]

    def _open(self, shop_id: str, order_id: str, code: ErrorCode | None = None) -> list[ErrorView]:
        return [
            e
            for e in self.errors.get(shop_id, [])
            if e.order and e.order.order_id == order_id and (code is None or e.code == code)
        ]

    def _close(self, shop_id: str, closed: list[ErrorView]) -> int:
        self.errors[shop_id] = [e for e in self.errors.get(shop_id, []) if e not in closed]
        return len(closed)

    def replay(self, shop_id: str, order_id: str, actor: str) -> int:
        self.calls.append(("replay", shop_id, order_id, actor))
        return self._close(shop_id, self._open(shop_id, order_id))

    def replay_code(self, shop_id: str, code: ErrorCode, actor: str) -> int:
        self.calls.append(("replay_code", shop_id, code, actor))
        return self._close(shop_id, [e for e in self.errors.get(shop_id, []) if e.code == code])

    def resend_mail(self, shop_id: str, order_id: str, actor: str) -> int:
        self.calls.append(("resend_mail", shop_id, order_id, actor))
        return self._close(shop_id, self._open(shop_id, order_id, ErrorCode.MAIL_FAILED))

    def ignore(self, shop_id: str, order_id: str, code: ErrorCode, reason: str, actor: str) -> int:
        self.calls.append(("ignore", shop_id, order_id, code, reason, actor))
        return self._close(shop_id, self._open(shop_id, order_id, code))

    def credit_and_rebook(self, shop_id: str, order_id: str, actor: str) -> int:
        self.calls.append(("credit_and_rebook", shop_id, order_id, actor))
        return self._close(
            shop_id, self._open(shop_id, order_id, ErrorCode.ORDER_CHANGED_AFTER_BOOKING)
        )


def sample_actions(shop_id: str = "hansens-vin", *, name: str = "Hansens Vin") -> FakeOwnerActions:
    """A shop with a paused e-conomic access, several open errors and recent invoices."""
    errors = [
        error_view(ErrorCode.PRODUCT_MISSING, order_id="2001", buyer=HOSTILE),
        error_view(ErrorCode.PRODUCT_MISSING, order_id="2002", buyer="Mette Sørensen"),
        error_view(ErrorCode.PAYMENT_METHOD_UNMAPPED, order_id="2003"),
        error_view(ErrorCode.MAIL_FAILED, order_id="2004"),
        error_view(ErrorCode.ORDER_CHANGED_AFTER_BOOKING, order_id="2005"),
    ]
    invoices = [
        InvoiceSummary(
            order=order_ref("1990", buyer="Ole Olsen", amount="499.00"),
            state=LedgerState.MAILED,
            booked_number=20401,
            updated_at=NOW - timedelta(hours=1),
        ),
        InvoiceSummary(
            order=order_ref("1991", buyer="Kirsten Berg", amount="89.95"),
            state=LedgerState.CREDITED,
            booked_number=20402,
            credit_note_number=20403,
            updated_at=NOW - timedelta(hours=4),
        ),
        InvoiceSummary(
            order=order_ref("1992", buyer="Anders And", amount="1200.00"),
            state=LedgerState.BOOKED,
            booked_number=20404,
            mail_failed=True,
            updated_at=NOW - timedelta(hours=5),
        ),
    ]
    return FakeOwnerActions(
        shops={shop_id: ShopSummary(shop_id=shop_id, name=name, pauses=(pause_view(),))},
        errors={shop_id: errors},
        invoices={shop_id: invoices},
    )
