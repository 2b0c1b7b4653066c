"""Invoice currency and exchange rate.

e-conomic's exchangeRate is the base-currency price of 100 units of the invoice currency,
at most 6 decimals; omitted, e-conomic uses its daily rate; it must be omitted (or 100) when the
invoice currency is the base currency.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.money import HUNDRED
from autobook.domain.shop import ShopConfig

_ISO = re.compile(r"^[A-Z]{3}$")
RATE_PLACES = Decimal("0.000001")


def invoice_currency(order_id: str, code: str) -> str:
    """The ISO 4217 code of a shop currency code (Dandomain's are not guaranteed ISO)."""
    normalised = code.strip().upper()
    if "EUR" in normalised:
        normalised = "EUR"
    if not _ISO.match(normalised):
        raise KnownError(
            ErrorCode.CURRENCY_UNKNOWN,
            order_id=order_id,
            currency=code,
            reason_da=" (ikke en ISO-valutakode)",
            reason_en=" (not an ISO currency code)",
        )
    return normalised


def exchange_rate(
    order_id: str,
    currency: str,
    shop: ShopConfig,
    base_currency: str,
    shop_currency_factor: Decimal | None,
) -> Decimal | None:
    """None = omit (e-conomic's daily rate, or 100 for the base currency)."""
    if currency == base_currency.strip().upper():
        return None
    if shop.economic.exchange_rate_rule == "economic":
        return None
    if shop_currency_factor is None or shop_currency_factor <= 0:
        raise KnownError(
            ErrorCode.CURRENCY_UNKNOWN,
            order_id=order_id,
            currency=currency,
            reason_da=" (butikken har ingen kurs for valutaen)",
            reason_en=" (the shop has no exchange rate for it)",
        )
    return (shop_currency_factor * HUNDRED).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
