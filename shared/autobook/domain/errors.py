"""Known errors are data: a stable code, parameters, and text the shop owner can act on.

Every failure autobook recognises is raised as a `KnownError`; `describe` turns it into Danish
and English text. Anything that is not a `KnownError` is an unknown failure and is retried,
logged with context, and never swallowed.
"""

from collections.abc import Mapping
from datetime import datetime
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
    TRIAL_DRAFT_DELETED = "TRIAL_DRAFT_DELETED"
    INVOICE_MISMATCH = "INVOICE_MISMATCH"
    CREDIT_NOTE_BY_HAND = "CREDIT_NOTE_BY_HAND"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    UNEXPECTED = "UNEXPECTED"


# Codes that can be information rather than failure (the order is handled, the owner is only
# told: a credit note made after a cancellation, a changed order credited and rebooked). Each
# KnownError says whether it is; these are information unless raised as needing the owner.
INFORMATIONAL = frozenset(
    {ErrorCode.ORDER_CANCELLED_AFTER_BOOKING, ErrorCode.ORDER_CHANGED_AFTER_BOOKING}
)
# Errors that stop every order of the shop, not one: the shop is paused until they clear.
SHOP_WIDE = frozenset(
    {ErrorCode.ECONOMIC_ACCESS, ErrorCode.DANDOMAIN_ACCESS, ErrorCode.ACCOUNTING_YEAR_MISSING}
)
# Errors that stop an order before it is invoiced. An order has at most one such cause open:
# when it stops at a new one, the earlier one is behind it (fixed, or to be found again once
# the new one is), so the owner sees what blocks the order now, not what blocked it before.
BLOCKS_BOOKING = frozenset(
    {
        ErrorCode.PAYMENT_METHOD_UNMAPPED,
        ErrorCode.PRODUCT_MISSING,
        ErrorCode.PRODUCT_BARRED,
        ErrorCode.FEE_UNMAPPED,
        ErrorCode.DISCOUNT_UNMAPPED,
        ErrorCode.VAT_ZONE_UNKNOWN,
        ErrorCode.TOTALS_MISMATCH,
        ErrorCode.CUSTOMER_INVALID,
        ErrorCode.CURRENCY_UNKNOWN,
        ErrorCode.CUSTOMER_UNMAPPED,
        ErrorCode.ECONOMIC_REJECTED,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.UNEXPECTED,
    }
)
# The error log's order id for errors that concern the whole shop.
SHOP_WIDE_ORDER = "_shop"

_TEXTS: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.PAYMENT_METHOD_UNMAPPED: (
        "Ordre {order_id}: betalingsmetoden '{method_name}' (id {method_id}) er ikke knyttet til "
        "en betalingsbetingelse i e-conomic.{id_changed_da} Når koblingen er gemt, prøver "
        "autobook ordren igen af sig selv.",
        "Order {order_id}: payment method '{method_name}' (id {method_id}) is not mapped to "
        "e-conomic payment terms.{id_changed_en} Once the mapping is saved, autobook retries the "
        "order by itself.",
    ),
    ErrorCode.PRODUCT_MISSING: (
        "Ordre {order_id}: varenummer {products} findes ikke i e-conomic. {detail_da}Opret varen "
        "i e-conomic (eller kobl varenummeret); autobook prøver ordren igen af sig selv. Tip: "
        "deaktiverede varer kan stadig købes via søgemaskiner.",
        "Order {order_id}: product number {products} does not exist in e-conomic. {detail_en}"
        "Create the product in e-conomic (or map the number); autobook retries the order by "
        "itself. Hint: deactivated products can still be bought through search engines.",
    ),
    ErrorCode.PRODUCT_BARRED: (
        "Ordre {order_id}: varen {products} er spærret i e-conomic. {detail_da}Ophæv spærringen "
        "(eller kobl til en anden vare); autobook prøver ordren igen af sig selv.",
        "Order {order_id}: product {products} is barred in e-conomic. {detail_en}Unbar it (or map "
        "another product); autobook retries the order by itself.",
    ),
    ErrorCode.FEE_UNMAPPED: (
        "Ordre {order_id}: gebyret '{fee_name}' ({fee_kind_da}, metode-id {method_id}) har ingen "
        "vare i e-conomic. Når gebyret er koblet til en vare, prøver autobook ordren igen af sig "
        "selv.",
        "Order {order_id}: the fee '{fee_name}' ({fee_kind_en}, method id {method_id}) has no "
        "e-conomic product. Once the fee is mapped to a product, autobook retries the order by "
        "itself.",
    ),
    ErrorCode.DISCOUNT_UNMAPPED: (
        "Ordre {order_id}: rabat eller gavekort '{line_name}' har ingen vare i e-conomic. Når en "
        "{product_da} er koblet, prøver autobook ordren igen af sig selv.",
        "Order {order_id}: discount or gift card '{line_name}' has no e-conomic product. Once a "
        "{product_en} is mapped, autobook retries the order by itself.",
    ),
    ErrorCode.VAT_ZONE_UNKNOWN: (
        "Ordre {order_id}: landet '{country}' kan ikke knyttes til en momszone. Ret landet på "
        "ordren i Dandomain; når ordren er gemt, prøver autobook den igen af sig selv.",
        "Order {order_id}: the country '{country}' maps to no VAT zone. Correct the country on "
        "the order in Dandomain; once the order is saved, autobook retries it by itself.",
    ),
    ErrorCode.TOTALS_MISMATCH: (
        "Ordre {order_id}: e-conomic beregner {economic_total} {currency}, men webshoppen "
        "opkrævede {shop_total} {currency}. {cause_da} Kladden er ikke bogført; tryk Prøv igen, "
        "når det er rettet.",
        "Order {order_id}: e-conomic computes {economic_total} {currency} but the shop charged "
        "{shop_total} {currency}. {cause_en} The draft is left unbooked; press Retry once it is "
        "fixed.",
    ),
    ErrorCode.CUSTOMER_INVALID: (
        "Ordre {order_id}: kundens {field_da} kan ikke bruges i e-conomic. {reason_da}Ret det i "
        "Dandomain; når ordren er gemt, prøver autobook den igen af sig selv.",
        "Order {order_id}: the buyer's {field_en} cannot be used in e-conomic. {reason_en}Correct "
        "it in Dandomain; once the order is saved, autobook retries it by itself.",
    ),
    ErrorCode.ACCOUNTING_YEAR_MISSING: (
        "Der findes intet åbent regnskabsår i e-conomic for fakturadatoen {date} (ordre "
        "{order_id}). Bogføringen er sat på pause. Opret regnskabsåret i e-conomic; autobook "
        "fortsætter af sig selv.",
        "No open accounting year in e-conomic covers the invoice date {date} (order {order_id}). "
        "Booking is paused. Create the year in e-conomic; autobook carries on by itself.",
    ),
    ErrorCode.ECONOMIC_ACCESS: (
        "e-conomic afviser autobooks adgang ({detail}). Bogføringen er sat på pause, og ordrerne "
        "venter. Forbind autobook til e-conomic igen; autobook fortsætter af sig selv.",
        "e-conomic refuses autobook's access ({detail}). Booking is paused and orders wait. "
        "Reconnect autobook to e-conomic; autobook carries on by itself.",
    ),
    ErrorCode.DANDOMAIN_ACCESS: (
        "Dandomain afviser autobooks adgang ({detail}). Bogføringen er sat på pause, og ordrerne "
        "venter. Forny adgangen; autobook fortsætter af sig selv.",
        "Dandomain refuses autobook's access ({detail}). Booking is paused and orders wait. "
        "Renew the access; autobook carries on by itself.",
    ),
    ErrorCode.ORDER_CANCELLED_AFTER_BOOKING: (
        "Ordre {order_id} blev annulleret efter bogføring af faktura {invoice_number}. {action_da}",
        "Order {order_id} was cancelled after invoice {invoice_number} was booked. {action_en}",
    ),
    ErrorCode.ORDER_CHANGED_AFTER_BOOKING: (
        "Ordre {order_id} er ændret efter bogføring af faktura {invoice_number} "
        "({difference_da}). {action_da}",
        "Order {order_id} changed after invoice {invoice_number} was booked ({difference_en}). "
        "{action_en}",
    ),
    ErrorCode.MAIL_FAILED: (
        "Faktura {invoice_number} til ordre {order_id} blev ikke mailet til kunden: {detail_da} "
        "Kontroller kundens e-mailadresse i Dandomain og send fakturaen igen.",
        "Invoice {invoice_number} for order {order_id} was not mailed to the buyer: {detail_en} "
        "Check the buyer's e-mail address in Dandomain and resend the invoice.",
    ),
    ErrorCode.ORDER_NOT_FOUND: (
        "Ordre {order_id} findes ikke i Dandomain. Kontroller ordrenummeret.",
        "Order {order_id} does not exist in Dandomain. Check the order number.",
    ),
    ErrorCode.ECONOMIC_REJECTED: (
        "Ordre {order_id}: e-conomic afviste fakturaen: {detail_da} Ret forholdet, og tryk "
        "Prøv igen.",
        "Order {order_id}: e-conomic rejected the invoice: {detail_en} Fix it, then press Retry.",
    ),
    ErrorCode.CURRENCY_UNKNOWN: (
        "Ordre {order_id}: valutaen '{currency}' kan ikke bruges i e-conomic{reason_da}. Opret "
        "valutaen i e-conomic (eller ret valutaopsætningen); autobook prøver ordren igen af sig "
        "selv.",
        "Order {order_id}: the currency '{currency}' cannot be used in e-conomic{reason_en}. Add "
        "the currency in e-conomic (or fix the currency setup); autobook retries the order by "
        "itself.",
    ),
    ErrorCode.CUSTOMER_UNMAPPED: (
        "Ordre {order_id}: momszone {vat_zone} har ingen {what_da} i opsætningen. Når den er "
        "tilføjet, prøver autobook ordren igen af sig selv.",
        "Order {order_id}: VAT zone {vat_zone} has no {what_en} configured. Once it is added, "
        "autobook retries the order by itself.",
    ),
    ErrorCode.TRIAL_DRAFT_DELETED: (
        "Ordre {order_id} fik kladde {draft_number} i prøveperioden, men kladden er slettet i "
        "e-conomic uden at være bogført. autobook rører den ikke selv: tryk Prøv igen, hvis "
        "autobook skal fakturere ordren nu, ellers Ignorer.",
        "Order {order_id} got draft {draft_number} during the trial, but the draft was deleted in "
        "e-conomic without being booked. autobook leaves it alone: press Retry if autobook "
        "should invoice the order now, otherwise Ignore.",
    ),
    ErrorCode.INVOICE_MISMATCH: (
        "Ordre {order_id}: e-conomic har {document_da} {number} med ordrens reference, men "
        "{difference_da} autobook rører den ikke. Bogfør eller slet den i e-conomic, og tryk "
        "Prøv igen.",
        "Order {order_id}: e-conomic holds {document_en} {number} with the order's reference, but "
        "{difference_en} autobook leaves it alone. Book or delete it in e-conomic, then press "
        "Retry.",
    ),
    ErrorCode.CREDIT_NOTE_BY_HAND: (
        "Ordre {order_id} er en kreditnota fra Dandomain til ordre {credited_order_id} på "
        "{amount} {currency}, og autobook har ikke overført den til e-conomic. {reason_da}",
        "Order {order_id} is a Dandomain credit note for order {credited_order_id} of {amount} "
        "{currency}, and autobook has not carried it over to e-conomic. {reason_en}",
    ),
    ErrorCode.SERVICE_UNAVAILABLE: (
        "Ordre {order_id}: {service} svarede ikke efter {attempts} forsøg. autobook prøver igen "
        "af sig selv; intet bliver bogført to gange.",
        "Order {order_id}: {service} did not answer after {attempts} attempts. autobook retries "
        "by itself; nothing is booked twice.",
    ),
    ErrorCode.UNEXPECTED: (
        "Ordre {order_id} stoppede på en uventet fejl. Intet er bogført to gange. Giv "
        "referencen {reference} til den, der driver autobook.",
        "Order {order_id} stopped on an unexpected error. Nothing was booked twice. Give the "
        "reference {reference} to whoever runs autobook.",
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
    informational: bool = False  # nothing for the owner to do


def describe(
    code: ErrorCode, parameters: Mapping[str, object], *, informational: bool = False
) -> ErrorText:
    da, en = _TEXTS[code]
    params = {k: str(v) for k, v in parameters.items()}
    values = _Defaults(params)
    return ErrorText(
        code=code,
        parameters=params,
        da=" ".join(da.format_map(values).split()),
        en=" ".join(en.format_map(values).split()),
        informational=informational,
    )


class ErrorStatus(StrEnum):
    OPEN = "open"  # needs the owner (or passes by itself and is then resolved)
    RESOLVED = "resolved"  # the order went through after it, or someone marked it resolved
    IGNORED = "ignored"  # the owner or operator chose to leave it, with a reason
    INFO = "info"  # nothing to do; the owner is only told


class ErrorRecord(BaseModel):
    """One error of one order (or of the whole shop) as the error log keeps it."""

    model_config = ConfigDict(frozen=True)

    shop_id: str
    order_id: str
    code: ErrorCode
    parameters: dict[str, str]
    da: str
    en: str
    status: ErrorStatus
    occurrences: int = 1
    first_seen: datetime
    last_seen: datetime
    reference: str | None = None  # finds the log line of an UNEXPECTED error
    closed_at: datetime | None = None
    closed_by: str | None = None
    reason: str = ""  # why it was ignored
    notified_at: datetime | None = None  # when the owner was told about it

    @property
    def shop_wide(self) -> bool:
        return self.order_id == SHOP_WIDE_ORDER

    def text(self, language: str) -> str:
        return self.da if language == "da" else self.en


def next_record(
    old: ErrorRecord | None,
    shop_id: str,
    order_id: str,
    text: ErrorText,
    now: datetime,
    *,
    reference: str | None = None,
) -> ErrorRecord:
    """The record after `text` happened (again) to the order.

    A repeat counts up and keeps its status (an ignored error stays ignored while its cause is
    the same); an error that comes back after it was resolved, or ignored for another cause,
    is a new appearance (counted from 1, not yet told to the owner)."""
    status = ErrorStatus.INFO if text.informational else ErrorStatus.OPEN
    fresh = ErrorRecord(
        shop_id=shop_id,
        order_id=order_id,
        code=text.code,
        parameters=text.parameters,
        da=text.da,
        en=text.en,
        status=status,
        first_seen=now,
        last_seen=now,
        reference=reference,
    )
    if old is None:
        return fresh
    same = old.parameters == text.parameters
    if old.status == ErrorStatus.RESOLVED or (old.status == ErrorStatus.IGNORED and not same):
        return fresh
    update: dict[str, object] = {
        "occurrences": old.occurrences + 1,
        "last_seen": now,
        "parameters": text.parameters,
        "da": text.da,
        "en": text.en,
        "reference": reference or old.reference,
    }
    if old.status == ErrorStatus.INFO and status == ErrorStatus.OPEN:
        update["status"] = ErrorStatus.OPEN
    return old.model_copy(update=update)


class KnownError(Exception):
    """A failure from the catalogue: the owner can fix it; retrying without a fix is pointless."""

    def __init__(
        self, code: ErrorCode, *, informational: bool = False, **parameters: object
    ) -> None:
        if informational and code not in INFORMATIONAL:
            raise ValueError(f"{code} is never information")
        self.code = code
        self.informational = informational
        self.parameters = parameters
        super().__init__(f"{code}: {parameters}")

    @property
    def text(self) -> ErrorText:
        return describe(self.code, self.parameters, informational=self.informational)


class TransientError(Exception):
    """A failure that may pass by itself (5xx, timeout): retry later. `service` names who did
    not answer (for the owner's SERVICE_UNAVAILABLE when the retries run out)."""

    def __init__(
        self,
        message: str,
        *,
        retry_after_seconds: float | None = None,
        service: str = "e-conomic",
    ) -> None:
        self.retry_after_seconds = retry_after_seconds
        self.service = service
        super().__init__(message)


class UnknownOutcomeError(TransientError):
    """A write whose result we could not observe: the next attempt must look before re-creating."""


class MailRejectedError(Exception):
    """The mail service refused the message for good (bad address, unverified sender)."""


class RateLimitedError(TransientError):
    """e-conomic said 429: the call was not done. Retry it as it is, after the wait, without
    looking first (nothing was written)."""
