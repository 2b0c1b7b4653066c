"""Known errors are data: a stable code, parameters, and text the shop owner can act on.

Every failure autobook recognises is raised as a `KnownError`; `describe` turns it into Danish
and English text. Anything that is not a `KnownError` is an unknown failure and is retried,
logged with context, and never swallowed.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorCode(StrEnum):
    PAYMENT_METHOD_UNMAPPED = "PAYMENT_METHOD_UNMAPPED"
    PRODUCT_MISSING = "PRODUCT_MISSING"
    PRODUCT_BARRED = "PRODUCT_BARRED"
    FEE_UNMAPPED = "FEE_UNMAPPED"
    DISCOUNT_UNMAPPED = "DISCOUNT_UNMAPPED"
    VAT_ZONE_UNKNOWN = "VAT_ZONE_UNKNOWN"
    TOTALS_MISMATCH = "TOTALS_MISMATCH"
    CUSTOMER_INVALID = "CUSTOMER_INVALID"
    ACCOUNTING_YEAR_MISSING = "ACCOUNTING_YEAR_MISSING"
    ECONOMIC_ACCESS = "ECONOMIC_ACCESS"
    DANDOMAIN_ACCESS = "DANDOMAIN_ACCESS"
    ORDER_CANCELLED_AFTER_BOOKING = "ORDER_CANCELLED_AFTER_BOOKING"
    ORDER_CHANGED_AFTER_BOOKING = "ORDER_CHANGED_AFTER_BOOKING"
    MAIL_FAILED = "MAIL_FAILED"
    ORDER_NOT_FOUND = "ORDER_NOT_FOUND"
    ECONOMIC_REJECTED = "ECONOMIC_REJECTED"
    CURRENCY_UNKNOWN = "CURRENCY_UNKNOWN"
    CUSTOMER_UNMAPPED = "CUSTOMER_UNMAPPED"


# Information, not failure: the order is handled, the owner is only told.
INFORMATIONAL = frozenset({ErrorCode.ORDER_CANCELLED_AFTER_BOOKING})

_TEXTS: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.PAYMENT_METHOD_UNMAPPED: (
        "Ordre {order_id}: betalingsmetoden '{method_name}' (id {method_id}) er ikke knyttet til "
        "en betalingsbetingelse i e-conomic. Opret koblingen og genkør ordren.{id_changed_da}",
        "Order {order_id}: payment method '{method_name}' (id {method_id}) is not mapped to "
        "e-conomic payment terms. Map it and replay the order.{id_changed_en}",
    ),
    ErrorCode.PRODUCT_MISSING: (
        "Ordre {order_id}: varenummer {products} findes ikke i e-conomic. {detail_da}Opret varen i "
        "e-conomic (eller kobl varenummeret) og genkør ordren. Tip: deaktiverede varer kan stadig "
        "købes via søgemaskiner.",
        "Order {order_id}: product number {products} does not exist in e-conomic. {detail_en}Create "
        "the product in e-conomic (or map the number) and replay the order. Hint: deactivated "
        "products can still be bought through search engines.",
    ),
    ErrorCode.PRODUCT_BARRED: (
        "Ordre {order_id}: varen {products} er spærret i e-conomic. Ophæv spærringen eller kobl "
        "til en anden vare, og genkør ordren.",
        "Order {order_id}: product {products} is barred in e-conomic. Unbar it or map another "
        "product, then replay the order.",
    ),
    ErrorCode.FEE_UNMAPPED: (
        "Ordre {order_id}: gebyret '{fee_name}' ({fee_kind_da}, metode-id {method_id}) har ingen "
        "vare i e-conomic. Kobl gebyret til en vare og genkør ordren.",
        "Order {order_id}: the fee '{fee_name}' ({fee_kind_en}, method id {method_id}) has no "
        "e-conomic product. Map the fee to a product and replay the order.",
    ),
    ErrorCode.DISCOUNT_UNMAPPED: (
        "Ordre {order_id}: rabat/gavekort '{line_name}' har ingen vare i e-conomic. Kobl en "
        "{product_da} og genkør ordren.",
        "Order {order_id}: discount or gift card '{line_name}' has no e-conomic product. Map a "
        "{product_en} and replay the order.",
    ),
    ErrorCode.VAT_ZONE_UNKNOWN: (
        "Ordre {order_id}: landet '{country}' kan ikke knyttes til en momszone. Tilføj en "
        "landeregel og genkør ordren.",
        "Order {order_id}: the country '{country}' maps to no VAT zone. Add a country rule and "
        "replay the order.",
    ),
    ErrorCode.TOTALS_MISMATCH: (
        "Ordre {order_id}: e-conomic beregner {economic_total} {currency}, men webshoppen "
        "opkrævede {shop_total} {currency}. {cause_da} Kladden er ikke bogført.",
        "Order {order_id}: e-conomic computes {economic_total} {currency} but the shop charged "
        "{shop_total} {currency}. {cause_en} The draft is left unbooked.",
    ),
    ErrorCode.CUSTOMER_INVALID: (
        "Ordre {order_id}: e-conomic afviser kundens {field} ('{value}'). {reason_da}Ret det i "
        "Dandomain og genkør ordren.",
        "Order {order_id}: e-conomic rejects the buyer's {field} ('{value}'). {reason_en}Correct it "
        "in Dandomain and replay the order.",
    ),
    ErrorCode.ACCOUNTING_YEAR_MISSING: (
        "Ordre {order_id}: der findes intet åbent regnskabsår for fakturadatoen {date}. Opret "
        "regnskabsåret i e-conomic; ordren bogføres derefter.",
        "Order {order_id}: no open accounting year covers the invoice date {date}. Create the "
        "year in e-conomic; the order is then booked.",
    ),
    ErrorCode.ECONOMIC_ACCESS: (
        "Adgangen til e-conomic er afvist ({detail}). Forbind autobook til e-conomic igen; "
        "ordrerne venter imens.",
        "e-conomic access was refused ({detail}). Reconnect autobook to e-conomic; orders wait "
        "meanwhile.",
    ),
    ErrorCode.DANDOMAIN_ACCESS: (
        "Dandomain afviser API-nøglen ({detail}). Forny nøglen; ordrerne venter imens.",
        "Dandomain rejected the API key ({detail}). Renew the key; orders wait meanwhile.",
    ),
    ErrorCode.ORDER_CANCELLED_AFTER_BOOKING: (
        "Ordre {order_id} blev annulleret efter bogføring af faktura {invoice_number}. {action_da}",
        "Order {order_id} was cancelled after invoice {invoice_number} was booked. {action_en}",
    ),
    ErrorCode.ORDER_CHANGED_AFTER_BOOKING: (
        "Ordre {order_id} er ændret efter bogføring af faktura {invoice_number} ({difference}). "
        "Krediter fakturaen og bogfør ordren igen.",
        "Order {order_id} changed after invoice {invoice_number} was booked ({difference}). Credit "
        "the invoice and book the order again.",
    ),
    ErrorCode.MAIL_FAILED: (
        "Faktura {invoice_number} til ordre {order_id} kunne ikke mailes til {recipient} "
        "({detail}). Kontroller adressen og send igen.",
        "Invoice {invoice_number} for order {order_id} could not be mailed to {recipient} "
        "({detail}). Check the address and resend.",
    ),
    ErrorCode.ORDER_NOT_FOUND: (
        "Ordre {order_id} findes ikke i Dandomain. Kontroller ordrenummeret.",
        "Order {order_id} does not exist in Dandomain. Check the order number.",
    ),
    ErrorCode.ECONOMIC_REJECTED: (
        "Ordre {order_id}: e-conomic afviste fakturaen: {detail}. Ret forholdet og genkør ordren.",
        "Order {order_id}: e-conomic rejected the invoice: {detail}. Fix it and replay the order.",
    ),
    ErrorCode.CURRENCY_UNKNOWN: (
        "Ordre {order_id}: valutaen '{currency}' kan ikke bruges i e-conomic{reason_da}. Ret "
        "valutaopsætningen og genkør ordren.",
        "Order {order_id}: the currency '{currency}' cannot be used in e-conomic{reason_en}. Fix "
        "the currency setup and replay the order.",
    ),
    ErrorCode.CUSTOMER_UNMAPPED: (
        "Ordre {order_id}: momszone {vat_zone} har ingen {what_da} i opsætningen. Tilføj den og "
        "genkør ordren.",
        "Order {order_id}: VAT zone {vat_zone} has no {what_en} configured. Add it and replay the "
        "order.",
    ),
}


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


class ErrorText(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: ErrorCode
    parameters: dict[str, str]
    da: str
    en: str


def describe(code: ErrorCode, parameters: Mapping[str, object]) -> ErrorText:
    da, en = _TEXTS[code]
    params = {k: str(v) for k, v in parameters.items()}
    values = _Defaults(params)
    return ErrorText(
        code=code,
        parameters=params,
        da=da.format_map(values).strip(),
        en=en.format_map(values).strip(),
    )


class KnownError(Exception):
    """A failure from the catalogue: the owner can fix it; retrying without a fix is pointless."""

    def __init__(self, code: ErrorCode, **parameters: object) -> None:
        self.code = code
        self.parameters = parameters
        super().__init__(f"{code}: {parameters}")

    @property
    def text(self) -> ErrorText:
        return describe(self.code, self.parameters)


class TransientError(Exception):
    """A failure that may pass by itself (5xx, timeout, throttling): retry later."""

    def __init__(self, message: str, *, retry_after_seconds: float | None = None) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message)


class UnknownOutcomeError(TransientError):
    """A write whose result we could not observe: the next attempt must look before re-creating."""
