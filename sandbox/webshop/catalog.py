"""Reference data of the Webshop sandbox shop, in SOAP shape (PascalCase dicts).

Made-up ids of the real shapes: delivery countries have small numeric ids (an order's
`CountryCode` holds one), payment and delivery method ids are shop-wide, sites are language
fronts. One payment-method title carries an HTML entity, as a probed shop's did.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# ------------------------------------------------------------------ sites and currencies

SITE_DK = 1
SITE_DE = 2
SITE_SE = 3

SITES: tuple[dict[str, Any], ...] = (
    {"Id": SITE_DK, "LanguageISO": "DK", "Title": "Dansk", "Sorting": 1, "Type": "webshop"},
    {"Id": SITE_DE, "LanguageISO": "DE", "Title": "Deutsch", "Sorting": 2, "Type": "webshop"},
    {"Id": SITE_SE, "LanguageISO": "SE", "Title": "Svenska", "Sorting": 3, "Type": "webshop"},
)
LANGUAGES = frozenset(site["LanguageISO"] for site in SITES) | {"EN"}


@dataclass(frozen=True, slots=True)
class Currency:
    id: int
    iso: str
    symbol: str
    rate: Decimal  # assumption: DKK per 1 unit (the reference gives no unit)

    def wire(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Iso": self.iso,
            "Symbol": self.symbol,
            "SymbolPlace": "right" if self.iso == "DKK" else "left",
            "Currency": self.rate,
            "Decimal": ",",
            "DecimalCount": 2,
            "Point": ".",
            "Round": 2,
            "RoundOn": 0,
            "Title": self.iso,
        }


DKK = Currency(1, "DKK", "kr.", Decimal("1"))
EUR = Currency(2, "EUR", "€", Decimal("7.461"))
SEK = Currency(3, "SEK", "kr", Decimal("0.6835"))
CURRENCIES: tuple[Currency, ...] = (DKK, EUR, SEK)

# ------------------------------------------------------------------ delivery countries


@dataclass(frozen=True, slots=True)
class Country:
    id: int  # what an order's CountryCode holds
    name: str
    iso: str
    code: str  # assumption: the ISO numeric code
    tax: int = 25

    def wire(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Iso": self.iso,
            "Code": self.code,
            "Tax": self.tax,
            "CompanyTax": self.tax,
            "Access": ["DK"],
            "Primary": self.iso == "DK",
        }


DANMARK = Country(1, "Danmark", "DK", "208")
SVERIGE = Country(2, "Sverige", "SE", "752")
NORGE = Country(3, "Norge", "NO", "578", tax=0)
TYSKLAND = Country(4, "Tyskland", "DE", "276")
BELGIEN = Country(5, "Belgien", "BE", "056")
STORBRITANNIEN = Country(6, "Storbritannien", "GB", "826", tax=0)
GRONLAND = Country(7, "Grønland", "GL", "304", tax=0)
HOLLAND = Country(8, "Holland", "NL", "528")

COUNTRIES: tuple[Country, ...] = (
    DANMARK,
    SVERIGE,
    NORGE,
    TYSKLAND,
    BELGIEN,
    STORBRITANNIEN,
    GRONLAND,
    HOLLAND,
)

# ------------------------------------------------------------------ methods


@dataclass(frozen=True, slots=True)
class Method:
    """A payment or delivery method; `fee` is gross (incl. VAT where `vat`)."""

    id: int
    title: str
    fee: Decimal
    vat: bool  # whether VAT applies to the fee


PAY_CARD = Method(1, "Betalingskort", Decimal("0"), True)
PAY_MOBILEPAY = Method(2, "MobilePay", Decimal("3.75"), True)
PAY_BANK = Method(3, "Kontooverf&oslash;rsel", Decimal("0"), True)  # the entity is on purpose
PAY_INVOICE_B2B = Method(4, "Faktura (kun erhverv)", Decimal("25"), True)
PAY_VIABILL = Method(5, "ViaBill", Decimal("19"), True)
PAY_PAYPAL = Method(6, "PayPal", Decimal("1.50"), True)
PAY_SWISH = Method(7, "Swish", Decimal("5"), True)

SHIP_GLS_SHOP = Method(1, "GLS Pakkeshop", Decimal("29"), True)
SHIP_POSTNORD_HOME = Method(2, "PostNord MyPack Home", Decimal("49"), True)
SHIP_PICKUP = Method(3, "Afhentning i butikken", Decimal("0"), True)
SHIP_FREE = Method(4, "Fri fragt (over 499 kr.)", Decimal("0"), True)
SHIP_ABROAD = Method(5, "DHL Express udland", Decimal("149"), False)
SHIP_DE_DHL = Method(6, "DHL Paket", Decimal("6.95"), True)
SHIP_SE_POSTNORD = Method(7, "PostNord Ombud", Decimal("59"), True)

PAYMENT_METHODS: tuple[Method, ...] = (
    PAY_CARD,
    PAY_MOBILEPAY,
    PAY_BANK,
    PAY_INVOICE_B2B,
    PAY_VIABILL,
    PAY_PAYPAL,
    PAY_SWISH,
)
DELIVERY_METHODS: tuple[Method, ...] = (
    SHIP_GLS_SHOP,
    SHIP_POSTNORD_HOME,
    SHIP_PICKUP,
    SHIP_FREE,
    SHIP_ABROAD,
    SHIP_DE_DHL,
    SHIP_SE_POSTNORD,
)


def payment_method_wire(method: Method) -> dict[str, Any]:
    """`PaymentMethod`, gateway credentials included: the real type carries them, and the
    client must drop them."""
    return {
        "Id": method.id,
        "Title": method.title,
        "Description": "",
        "LanguageISO": "DK",
        "Sorting": method.id,
        "GatewayUserId": f"gw-{method.id}",
        "GatewayUserName": "gateway-user",
        "GatewayPassword": "gateway-secret-not-for-autobook",
        "Type": "online" if method in (PAY_CARD, PAY_MOBILEPAY, PAY_VIABILL) else "offline",
        "Vat": method.vat,
        "FixedFee": method.fee,
        "PercentageFee": Decimal("0"),
        "OrderStatus": 1,
        "LanguageAccess": ["DK"],
    }


def delivery_method_wire(method: Method) -> dict[str, Any]:
    return {
        "Id": method.id,
        "Type": "droppoint" if method is SHIP_GLS_SHOP else "standard",
        "ServiceType": "GLS" if method is SHIP_GLS_SHOP else "",
        "Vat": method.vat,
        "FreeDeliveryActive": method is SHIP_FREE,
        "FreeDeliveryPrice": Decimal("499") if method is SHIP_FREE else Decimal("0"),
        "Sorting": method.id,
        "Primary": method is SHIP_POSTNORD_HOME,
        "Title": method.title,
        "Text": "",
        "LanguageISO": "DK",
        "Price": method.fee,
    }


# ------------------------------------------------------------------ order status codes

STATUS_NOT_RECEIVED = 0
STATUS_RECEIVED = 1
STATUS_PROCESSING = 2
STATUS_SENT = 3  # the demo shop's booking status
STATUS_CANCELLED = 4
STATUS_DRAFT = 99  # a credit note being written
STATUS_CREDIT_NOTE = 100

STATUS_CODES: tuple[dict[str, Any], ...] = (
    {"Id": STATUS_NOT_RECEIVED, "Title": "Ikke modtaget", "LanguageISO": "DK", "Sorting": 0},
    {"Id": STATUS_RECEIVED, "Title": "Ordre modtaget", "LanguageISO": "DK", "Sorting": 1},
    {"Id": STATUS_PROCESSING, "Title": "Under behandling", "LanguageISO": "DK", "Sorting": 2},
    {"Id": STATUS_SENT, "Title": "Afsendt", "LanguageISO": "DK", "Sorting": 3},
    {"Id": STATUS_CANCELLED, "Title": "Annulleret", "LanguageISO": "DK", "Sorting": 4},
    {"Id": STATUS_DRAFT, "Title": "Kladde", "LanguageISO": "DK", "Sorting": 99},
    {"Id": STATUS_CREDIT_NOTE, "Title": "Kreditnota", "LanguageISO": "DK", "Sorting": 100},
)
