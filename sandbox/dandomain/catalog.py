"""Shop reference data of the sandbox: sites, countries, currencies, payment and shipping methods.

Ids are shop-specific on a real Classic shop (Denmark is 2397 in one data set, 4911 in another);
these are made-up ids of the same shape. Country names are localised (the fixture mixes
``"Danmark"`` and ``"Belgium"``), so the names below mix Danish and English on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SITE_DK = 26
SITE_DE = 27
SITE_SE = 28


@dataclass(frozen=True, slots=True)
class Country:
    id: int
    name: str
    code: str  # ISO 3166-1 alpha-2

    def wire(self) -> dict[str, Any]:
        # Assumption: the v1 Countries field names are not documented; v2 uses id/name/code.
        return {"code": self.code, "id": self.id, "name": self.name}


DANMARK = Country(2397, "Danmark", "DK")
BELGIUM = Country(2363, "Belgium", "BE")
SVERIGE = Country(2431, "Sverige", "SE")
TYSKLAND = Country(2376, "Tyskland", "DE")
NORGE = Country(2413, "Norge", "NO")
GRONLAND = Country(2385, "Grønland", "GL")
STORBRITANNIEN = Country(2432, "Storbritannien", "GB")
NEDERLAND = Country(2409, "Holland", "NL")
FINLAND = Country(2374, "Finland", "FI")
FAEROERNE = Country(2372, "Færøerne", "FO")

COUNTRIES: tuple[Country, ...] = (
    DANMARK,
    BELGIUM,
    SVERIGE,
    TYSKLAND,
    NORGE,
    GRONLAND,
    STORBRITANNIEN,
    NEDERLAND,
    FINLAND,
    FAEROERNE,
)

SITES: tuple[dict[str, Any], ...] = (
    {"countryId": DANMARK.id, "currencyCode": "DKK", "id": SITE_DK, "name": "Dansk"},
    {"countryId": TYSKLAND.id, "currencyCode": "EUR", "id": SITE_DE, "name": "Deutsch"},
    {"countryId": SVERIGE.id, "currencyCode": "SEK", "id": SITE_SE, "name": "Svenska"},
)

#: ``factor``: assumption — the price of 100 units in the shop's base currency (DKK = 100).
#: ``payCode``: ISO 4217 numeric, emitted as a string (assumption).
CURRENCIES: tuple[dict[str, Any], ...] = (
    {"code": "DKK", "factor": 100, "id": 1, "payCode": "208"},
    {"code": "EUR", "factor": 746.1, "id": 2, "payCode": "978"},
    {"code": "SEK", "factor": 68.35, "id": 3, "payCode": "752"},
)


@dataclass(frozen=True, slots=True)
class Method:
    """A payment or shipping method of one site; ``fee_vat`` is the settings flag."""

    id: int
    name: str
    fee: int | float
    fee_vat: bool
    site_id: int

    def wire(self) -> dict[str, Any]:
        return {"fee": self.fee, "feeVat": self.fee_vat, "id": self.id, "name": self.name}

    def as_tuple(self) -> tuple[int, str, int | float, bool]:
        """``(method_id, name, fee, fee_incl_vat)`` as ``build_order`` takes it."""
        return (self.id, self.name, self.fee, self.fee_vat)


# Payment methods (ids are per site).
PAY_CARD = Method(60, "Betalingskort", 0, False, SITE_DK)
PAY_MOBILEPAY = Method(61, "MobilePay", 3.75, True, SITE_DK)
PAY_BANK = Method(62, "Bankoverførsel", 0, False, SITE_DK)
PAY_INVOICE_B2B = Method(63, "Faktura (kun erhverv)", 25, False, SITE_DK)
PAY_VIABILL = Method(64, "ViaBill", 19, True, SITE_DK)
PAY_DE_CARD = Method(70, "Kreditkarte", 0, False, SITE_DE)
PAY_DE_PAYPAL = Method(71, "PayPal", 1.5, False, SITE_DE)
PAY_SE_CARD = Method(80, "Kortbetalning", 0, False, SITE_SE)
PAY_SE_SWISH = Method(81, "Swish", 5, True, SITE_SE)

# Shipping methods (ids are per site).
SHIP_GLS_SHOP = Method(67, "GLS pakkeshop", 29, False, SITE_DK)
SHIP_POSTNORD_HOME = Method(68, "PostNord MyPack Home", 49, False, SITE_DK)
SHIP_PICKUP = Method(69, "Afhentning i butikken", 0, False, SITE_DK)
SHIP_FREE = Method(73, "Fri fragt (over 499 kr.)", 0, False, SITE_DK)
SHIP_ABROAD = Method(72, "DHL Express udland", 149, False, SITE_DK)
SHIP_DE_DHL = Method(75, "DHL Paket", 6.95, True, SITE_DE)
SHIP_SE_POSTNORD = Method(85, "PostNord Ombud", 59, True, SITE_SE)

PAYMENT_METHODS: tuple[Method, ...] = (
    PAY_CARD,
    PAY_MOBILEPAY,
    PAY_BANK,
    PAY_INVOICE_B2B,
    PAY_VIABILL,
    PAY_DE_CARD,
    PAY_DE_PAYPAL,
    PAY_SE_CARD,
    PAY_SE_SWISH,
)
SHIPPING_METHODS: tuple[Method, ...] = (
    SHIP_GLS_SHOP,
    SHIP_POSTNORD_HOME,
    SHIP_PICKUP,
    SHIP_FREE,
    SHIP_ABROAD,
    SHIP_DE_DHL,
    SHIP_SE_POSTNORD,
)
