"""Webshop order documents for unit tests: the sandbox's builder (pure), plus edits."""

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.webshop.orders import SHOP_TZ, Amounts, Basis, Buyer, Line, OrderSpec, build_order

BUYER = Buyer(
    "Karen",
    "Lund",
    "Nørrebrogade 12",
    "2200",
    "København N",
    email="karen@example.dk",
    phone="26457812",
    customer_id=300101,
)
T_SHIRT = Line("TS-ORG-001", "Økologisk T-shirt", 1, Decimal("199.00"))
MUG = Line("KRUS-350", "Keramikkrus", 2, Decimal("129.00"))


def spec(**changes: Any) -> OrderSpec:
    base: dict[str, Any] = {
        "order_id": 2001,
        "lines": [T_SHIRT, MUG],
        "buyer": BUYER,
        "created": datetime(2026, 3, 2, 9, 15, tzinfo=SHOP_TZ),
        "updated": datetime(2026, 3, 3, 12, 0, tzinfo=SHOP_TZ),
    }
    base.update(changes)
    return OrderSpec(**base)


def document(
    *, basis: Basis = "net", zero_vat_rates: bool = False, **changes: Any
) -> dict[str, Any]:
    order, _ = build_order(spec(**changes), basis=basis, zero_vat_rates=zero_vat_rates)
    return order


def built(
    *, basis: Basis = "net", zero_vat_rates: bool = False, **changes: Any
) -> tuple[dict[str, Any], Amounts]:
    return build_order(spec(**changes), basis=basis, zero_vat_rates=zero_vat_rates)


def edited(order: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy with top-level keys replaced (nested dicts merged one level)."""
    out = copy.deepcopy(order)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out
