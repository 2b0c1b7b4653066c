"""Builders for mapping tests: the real Classic fixtures, a fully mapped shop, reference data."""

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from autobook.dandomain.classic_adapter import parse_classic_order
from autobook.domain.mapping import ReferenceData
from autobook.domain.order import Order
from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE = REPO_ROOT.parent / "shared" / "reference"
CLASSIC_FIXTURES = REFERENCE / "dandomain-fixtures" / "classic-v1"
RAW_ORDER = "api-response-order.e59924f.json"  # reconciles: 103.96 × 1.25 + 29 = 158.95
EDITED_ORDER = "api-response-order.json"  # hand-edited: payment fee 30, same total

# Dandomain's shop-specific country ids used by the fixtures and the tests
COUNTRY_CODES = {
    2397: "DK",
    2363: "BE",
    101: "DE",
    102: "SE",
    103: "NO",
    104: "GL",
    105: "FO",
    106: "US",
    107: "FR",
}


def fixture_json(name: str = RAW_ORDER) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CLASSIC_FIXTURES / name).read_text(encoding="utf-8"))
    return data


def classic(**changes: Any) -> dict[str, Any]:
    """The raw fixture order with top-level keys replaced (nested dicts merged one level)."""
    data = copy.deepcopy(fixture_json())
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def line(
    sku: str = "SKU-1",
    price: float | str = 100,
    quantity: int = 1,
    vat: str = "25",
    name: str = "Vare",
    variant: str = "",
    line_id: int = 1,
) -> dict[str, Any]:
    return {
        "id": line_id,
        "productId": sku,
        "productName": name,
        "quantity": quantity,
        "unitPrice": price,
        "totalPrice": price,
        "variant": variant,
        "vatPct": vat,
        "fileUrl": "",
        "xmlParams": None,
    }


def order(**changes: Any) -> Order:
    return parse_classic_order(classic(**changes))


def economic(**changes: Any) -> EconomicMapping:
    base: dict[str, Any] = {
        "payment_methods": {
            60: PaymentMapping(
                name="Betalingskort",
                payment_terms_number=4,
                fee_product="GEBYR",
                card_fee_product="KORTGEBYR",
            )
        },
        "shipping_methods": {67: ShippingMapping(name="GLS pakkeshop", product="FRAGT")},
        "discount_product": "RABAT",
        "gift_card_product": "GAVEKORT",
        "rounding_product": "DIFF",
        "collective_customers": {1: 1000, 2: 1001, 3: 1002},
    }
    base.update(changes)
    return EconomicMapping(**base)


def shop(**economic_changes: Any) -> ShopConfig:
    return ShopConfig(
        shop_id="fit4fight",
        name="Fit4Fight",
        dandomain=DandomainSettings(base_url="https://www.example.dk"),
        economic=economic(**economic_changes),
    )


def ref(**changes: Any) -> ReferenceData:
    base: dict[str, Any] = {
        "customer_number": 1042,
        "base_currency": "DKK",
        "invoice_date": date(2026, 5, 14),
        "country_codes": COUNTRY_CODES,
    }
    base.update(changes)
    return ReferenceData(**base)


def dk_buyer(**changes: Any) -> dict[str, Any]:
    """customerInfo of a Danish buyer; delivery is cleared by `no_delivery()`."""
    base = {
        "id": "",
        "name": "Jens Hansen",
        "attention": "",
        "address": "Vestergade 1",
        "address2": "",
        "zipCode": "8000",
        "city": "Aarhus C",
        "state": "",
        "country": "Danmark",
        "countryId": 2397,
        "phone": "",
        "fax": "",
        "email": "jens@example.dk",
        "ean": "",
    }
    base.update(changes)
    return base


def no_delivery() -> dict[str, Any]:
    return {
        "name": "",
        "attention": "",
        "address": "",
        "address2": "",
        "zipCode": "",
        "city": "",
        "state": "",
        "country": "",
        "countryId": 0,
        "phone": "",
        "fax": "",
        "email": "",
        "ean": "",
        "cvr": "",
    }


D = Decimal
