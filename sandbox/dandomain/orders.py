"""Builder for Dandomain Classic WEBAPI v1 order dicts in the exact wire shape.

Money semantics (reference P4 and the fixture):

* line ``unitPrice`` / ``totalPrice`` are NET (excl. VAT);
* order ``totalPrice`` is GROSS:
  ``sum(line net * (1 + line vatPct/100)) + fees - salesDiscount - giftCertificateAmount``,
  rounded half-up to 2 decimals;
* ``fee_semantics="gross"`` (the fixture's reading): a fee is added as-is whatever its
  ``feeInclVat`` flag; ``fee_semantics="flag"``: a fee with ``feeInclVat`` false gets the order
  ``vatPct`` added before it is summed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Europe/Copenhagen")
CENT = Decimal("0.01")

type FeeSemantics = Literal["gross", "flag"]
type Money = Decimal | int | float | str
type Order = dict[str, Any]

#: (id, name, isDefault, exclStatistics) — shop-defined; these are the sandbox defaults.
DEFAULT_ORDER_STATES: tuple[dict[str, Any], ...] = (
    {"exclStatistics": False, "id": 1, "isDefault": True, "name": "Nye"},
    {"exclStatistics": False, "id": 2, "isDefault": False, "name": "Under behandling"},
    {"exclStatistics": False, "id": 3, "isDefault": False, "name": "Afsendt"},
    {"exclStatistics": True, "id": 4, "isDefault": False, "name": "Annulleret"},
    {"exclStatistics": True, "id": 5, "isDefault": False, "name": "Svindel"},
)


def order_state(
    state_id: int, states: Iterable[Mapping[str, Any]] = DEFAULT_ORDER_STATES
) -> dict[str, Any]:
    """The ``orderState`` object for ``state_id`` (KeyError when the shop has no such state)."""
    for state in states:
        if state["id"] == state_id:
            return dict(state)
    raise KeyError(f"unknown order state {state_id}")


# --------------------------------------------------------------------------- numbers and dates


def dec(value: Money) -> Decimal:
    """Decimal from a wire number or string without binary-float noise."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def wire_number(value: Money) -> int | float:
    """A JSON number like the real API emits: ``29``, ``0``, ``103.96``."""
    d = round2(dec(value))
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def to_wire_date(moment: datetime) -> str:
    """``/Date(<epoch ms UTC><±HHMM shop offset>)/`` — the .NET JSON date of the v1 API."""
    if moment.tzinfo is None:
        raise ValueError("wire dates need an aware datetime")
    ms = int(moment.timestamp() * 1000)
    offset = moment.astimezone(SHOP_TZ).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"/Date({ms}{sign}{minutes // 60:02d}{minutes % 60:02d})/"


def parse_wire_date(value: str) -> datetime:
    """Inverse of :func:`to_wire_date` (UTC result; tolerates negative ms and ``-`` offsets)."""
    inner = value.strip().removeprefix("/Date(").removesuffix(")/")
    digits = inner
    for i, ch in enumerate(inner[1:], start=1):
        if ch in "+-":
            digits = inner[:i]
            break
    return datetime.fromtimestamp(int(digits) / 1000, tz=UTC)


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True, slots=True)
class LineSpec:
    sku: str
    name: str
    qty: int
    unit_net: Money
    vat_pct: str = "25"
    variant: str = ""
    file_url: str = ""


@dataclass(frozen=True, slots=True)
class Party:
    """A customerInfo / deliveryInfo block (``id`` and ``cvr`` only where the wire has them)."""

    name: str
    address: str
    zip_code: str
    city: str
    country: str = "Danmark"
    country_id: int = 2397
    attention: str = ""
    address2: str = ""
    phone: str = ""
    email: str = ""
    id: str = ""
    ean: str = ""
    state: str = ""
    fax: str = ""
    cvr: str = ""

    def customer_info(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "address2": self.address2,
            "attention": self.attention,
            "city": self.city,
            "country": self.country,
            "countryId": self.country_id,
            "ean": self.ean,
            "email": self.email,
            "fax": self.fax,
            "id": self.id,
            "name": self.name,
            "phone": self.phone,
            "state": self.state,
            "zipCode": self.zip_code,
        }

    def delivery_info(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "address2": self.address2,
            "attention": self.attention,
            "city": self.city,
            "country": self.country,
            "countryId": self.country_id,
            "cvr": self.cvr,
            "ean": self.ean,
            "email": self.email,
            "fax": self.fax,
            "name": self.name,
            "phone": self.phone,
            "state": self.state,
            "zipCode": self.zip_code,
        }


#: (method_id, name, fee, fee_incl_vat)
type MethodTuple = tuple[int, str, Money, bool]

DEFAULT_CUSTOMER = Party(
    name="Karen Lund",
    address="Nørrebrogade 12, 3. th.",
    zip_code="2200",
    city="København N",
    phone="26 45 78 12",
    email="karen.lund@example.dk",
    id="100001",
)
DEFAULT_CREATED = datetime(2026, 3, 2, 9, 15, tzinfo=SHOP_TZ)


# --------------------------------------------------------------------------- totals


def line_net(line: Mapping[str, Any]) -> Decimal:
    return round2(dec(line["unitPrice"]) * int(line["quantity"]))


def fee_gross(info: Mapping[str, Any], order_vat_pct: str, semantics: FeeSemantics) -> Decimal:
    fee = dec(info.get("fee", 0) or 0)
    if semantics == "flag" and not info.get("feeInclVat", False):
        fee = fee * (1 + dec(order_vat_pct or "0") / 100)
    return fee


def compute_total(order: Mapping[str, Any], semantics: FeeSemantics = "gross") -> Decimal:
    """Gross order total from lines, fees, sales discount and gift certificate."""
    total = Decimal(0)
    for line in order.get("orderLines", []):
        total += dec(line["totalPrice"]) * (1 + dec(line.get("vatPct") or "0") / 100)
    vat_pct = str(order.get("vatPct") or "0")
    total += fee_gross(order.get("shippingInfo") or {}, vat_pct, semantics)
    total += fee_gross(order.get("paymentInfo") or {}, vat_pct, semantics)
    total -= dec(order.get("salesDiscount") or 0)
    total -= dec(order.get("giftCertificateAmount") or 0)
    return round2(total)


def infer_fee_semantics(order: Mapping[str, Any]) -> FeeSemantics | None:
    """Which fee reading reconciles ``totalPrice`` (``gross`` preferred when both do)."""
    actual = round2(dec(order["totalPrice"]))
    for semantics in ("gross", "flag"):
        if compute_total(order, semantics) == actual:
            return semantics
    return None


def build_line(line_id: int, spec: LineSpec) -> dict[str, Any]:
    unit = dec(spec.unit_net)
    return {
        "fileUrl": spec.file_url,
        "id": line_id,
        "productId": spec.sku,
        "productName": spec.name,
        "quantity": spec.qty,
        "totalPrice": wire_number(unit * spec.qty),
        "unitPrice": wire_number(unit),
        "variant": spec.variant,
        "vatPct": spec.vat_pct,
        "xmlParams": None,
    }


def _method(method: MethodTuple) -> dict[str, Any]:
    method_id, name, fee, incl = method
    return {"fee": wire_number(fee), "feeInclVat": incl, "id": method_id, "name": name}


def build_order(
    order_id: int,
    *,
    lines: Sequence[LineSpec],
    shipping: MethodTuple = (67, "GLS pakkeshop", 29, False),
    payment: MethodTuple = (60, "Betalingskort", 0, False),
    customer: Party = DEFAULT_CUSTOMER,
    delivery: Party | None = None,
    site_id: int = 26,
    currency: str = "DKK",
    vat_pct: str = "25",
    sales_discount: Money = 0,
    gift_certificate: Money = 0,
    gift_certificate_number: str | None = None,
    vat_reg_number: str = "",
    state_id: int = 1,
    states: Iterable[Mapping[str, Any]] = DEFAULT_ORDER_STATES,
    incomplete: bool = False,
    created: datetime = DEFAULT_CREATED,
    modified: datetime | None = None,
    fee_semantics: FeeSemantics = "gross",
    comment: str = "",
    customer_comment: str = "",
    reference_number: str = "",
    tracking_number: str = "",
    transaction_number: str | None = None,
    total_weight: Money | None = None,
    ip: str = "192.0.2.10",
    referrer: str = "https://www.example.dk/shop/frontpage.html",
    first_line_id: int | None = None,
) -> Order:
    """A complete v1 order dict (same key set as the fixture) with a consistent ``totalPrice``.

    ``delivery=None`` copies the customer into ``deliveryInfo`` (assumption: the shop fills the
    delivery block with the billing address when the buyer gives no separate one).
    """
    base_line_id = first_line_id if first_line_id is not None else order_id * 100
    order_lines = [build_line(base_line_id + i, spec) for i, spec in enumerate(lines)]
    weight = (
        dec(total_weight)
        if total_weight is not None
        else Decimal("0.35") * sum((spec.qty for spec in lines if spec.sku), 0)
    )
    order: Order = {
        "comment": comment,
        "createdDate": to_wire_date(created),
        "creditNoteNumber": None,
        "currencyCode": currency,
        "customerComment": customer_comment,
        "customerInfo": customer.customer_info(),
        "deliveryInfo": (delivery or customer).delivery_info(),
        "giftCertificateAmount": wire_number(gift_certificate),
        "giftCertificateNumber": gift_certificate_number,
        "id": order_id,
        "incomplete": incomplete,
        "invoiceInfo": {
            "creditNoteNumber": None,
            "date": None,
            "isPaid": False,
            "number": None,
            "state": "RECIEVED",
        },
        "ip": ip,
        "modified": False,
        "modifiedDate": to_wire_date(modified or created),
        "orderLines": order_lines,
        "orderState": order_state(state_id, states),
        "paymentInfo": _method(payment),
        "referenceNumber": reference_number,
        "referrer": referrer,
        "reservedField1": "",
        "reservedField2": "",
        "reservedField3": "",
        "reservedField4": "",
        "reservedField5": "",
        "salesDiscount": wire_number(sales_discount),
        "shippingInfo": _method(shipping),
        "siteId": site_id,
        "totalPrice": 0,
        "totalWeight": wire_number(weight),
        "trackingNumber": tracking_number,
        "transactionNumber": transaction_number,
        "vatPct": vat_pct,
        "vatRegNumber": vat_reg_number,
        "xmlParams": None,
    }
    order["totalPrice"] = wire_number(compute_total(order, fee_semantics))
    return order


def recompute(order: Order, semantics: FeeSemantics) -> Order:
    """Copy of ``order`` with every line total and the order total recomputed."""
    out = copy.deepcopy(order)
    for line in out["orderLines"]:
        line["totalPrice"] = wire_number(line_net(line))
    out["totalPrice"] = wire_number(compute_total(out, semantics))
    return out
