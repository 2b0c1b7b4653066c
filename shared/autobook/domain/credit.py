"""Credit notes and orders that change after booking (pure parts).

A credit note is a new draft mirroring the booked invoice with negated unit prices, for the same
customer, currency and exchange rate. Its `references.other` is the original reference + "-K":
the booking use case finds invoices by `references.other`, so the credit note gets a reference of
its own (unambiguous idempotency look-up) that still starts with the order's reference; the
heading names the credited invoice ("Kreditnota til faktura N").
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from autobook.domain.invoice import (
    CustomerRef,
    Delivery,
    DraftInvoice,
    InvoiceLine,
    LayoutRef,
    Notes,
    PaymentTermsRef,
    ProductRef,
    Recipient,
    References,
    VatZoneRef,
)
from autobook.domain.money import round_ore, to_decimal
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig
from autobook.domain.texts import truncate, truncate_or_none

CREDIT_SUFFIX = "-K"


def credit_reference(reference: str) -> str:
    return f"{reference[: 250 - len(CREDIT_SUFFIX)]}{CREDIT_SUFFIX}"


def _obj(body: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = body.get(key)
    return value if isinstance(value, Mapping) else {}


def _text(body: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = body.get(key)
    return truncate_or_none(str(value), limit) if value is not None else None


def _credit_line(index: int, line: Mapping[str, Any]) -> InvoiceLine:
    product = _obj(line, "product").get("productNumber")
    if not product:
        raise ValueError(f"booked invoice line {line.get('lineNumber')} has no product number")
    discount = line.get("discountPercentage")
    return InvoiceLine(
        line_number=index,
        sort_key=index,
        product=ProductRef(product_number=str(product)),
        description=truncate(str(line.get("description") or product), 2500),
        quantity=round_ore(to_decimal(line.get("quantity", 1))),
        unit_net_price=-round_ore(to_decimal(line.get("unitNetPrice", 0))),
        discount_percentage=None if discount is None else round_ore(to_decimal(discount)),
    )


def credit_note_draft(
    booked_invoice: dict[str, Any], shop: ShopConfig, today: date
) -> DraftInvoice:
    """The draft that credits `booked_invoice` (e-conomic's booked-invoice JSON) in full."""
    number = booked_invoice["bookedInvoiceNumber"]
    recipient = _obj(booked_invoice, "recipient")
    delivery = _obj(booked_invoice, "delivery")
    terms = _obj(booked_invoice, "paymentTerms")
    original = str(_obj(booked_invoice, "references").get("other") or "")
    rate = booked_invoice.get("exchangeRate")
    booked_date = booked_invoice.get("date", "")
    return DraftInvoice(
        date=today,
        due_date=today if terms.get("paymentTermsType") == "dueDate" else None,
        currency=str(booked_invoice["currency"]),
        exchange_rate=None if rate is None else to_decimal(rate),
        customer=CustomerRef(customer_number=_obj(booked_invoice, "customer")["customerNumber"]),
        payment_terms=PaymentTermsRef(payment_terms_number=terms["paymentTermsNumber"]),
        layout=LayoutRef(layout_number=_obj(booked_invoice, "layout")["layoutNumber"]),
        recipient=Recipient(
            name=truncate(str(recipient.get("name") or "-"), 250),
            address=_text(recipient, "address", 250),
            zip=_text(recipient, "zip", 50),
            city=_text(recipient, "city", 250),
            country=_text(recipient, "country", 50),
            ean=_text(recipient, "ean", 13),
            vat_zone=VatZoneRef(vat_zone_number=_obj(recipient, "vatZone")["vatZoneNumber"]),
        ),
        delivery=Delivery(
            address=_text(delivery, "address", 255),
            zip=_text(delivery, "zip", 30),
            city=_text(delivery, "city", 50),
            country=_text(delivery, "country", 50),
        )
        if delivery.get("address")
        else None,
        notes=Notes(
            heading=f"Kreditnota til faktura {number}",
            text_line1=truncate_or_none(
                f"Krediterer faktura {number} af {booked_date} ({original}).", 1000
            ),
        ),
        references=References(other=credit_reference(original or f"faktura-{number}")),
        lines=tuple(
            _credit_line(i, line)
            for i, line in enumerate(booked_invoice.get("lines", []), start=1)
            if isinstance(line, Mapping)
        ),
    )


class SnapshotLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # the order line id
    label: str  # SKU, or the name of a line without one
    quantity: Decimal
    unit_net_price: Decimal
    vat_percent: Decimal


class OrderSnapshot(BaseModel):
    """What was booked, kept in the ledger to tell later what changed (JSON-serialisable)."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    currency: str
    total: Decimal
    shipping: Decimal
    payment_fee: Decimal
    sales_discount: Decimal
    gift_certificate: Decimal
    lines: tuple[SnapshotLine, ...]
    fingerprint: str


def _fmt(amount: Decimal) -> str:
    return f"{round_ore(amount):.2f}"


def _fields(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "currency": order.currency,
        "total": round_ore(order.total_gross),
        "shipping": round_ore(order.shipping.amount),
        "payment_fee": round_ore(order.payment.amount),
        "sales_discount": round_ore(order.sales_discount),
        "gift_certificate": round_ore(order.gift_certificate_amount),
        "lines": tuple(
            SnapshotLine(
                key=str(line.line_id),
                label=line.sku or line.name,
                quantity=line.quantity.normalize(),
                unit_net_price=line.unit_net_price.normalize(),
                vat_percent=line.vat_percent.normalize(),
            )
            for line in order.lines
        ),
    }


def _digest(fields: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if isinstance(value, BaseModel):
            return plain(value.model_dump())
        if isinstance(value, dict):
            return {k: plain(v) for k, v in sorted(value.items())}
        return value

    text = json.dumps(plain(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def order_fingerprint(order: Order) -> str:
    """A stable hash of what the invoice is made of (lines, fees, discounts, total, currency)."""
    return _digest(_fields(order))


def order_snapshot(order: Order) -> OrderSnapshot:
    fields = _fields(order)
    return OrderSnapshot(**fields, fingerprint=_digest(fields))


def order_difference(old: OrderSnapshot, new: Order) -> str | None:
    """None when the order still matches what was booked; else the changes, in plain words."""
    current = order_snapshot(new)
    if current.fingerprint == old.fingerprint:
        return None
    changes: list[str] = []
    before = {line.key: line for line in old.lines}
    after = {line.key: line for line in current.lines}
    for key, line in before.items():
        if key not in after:
            changes.append(f"line {line.label} removed")
            continue
        now = after[key]
        if now.quantity != line.quantity:
            changes.append(f"line {line.label} quantity {line.quantity} → {now.quantity}")
        if now.unit_net_price != line.unit_net_price:
            changes.append(
                f"line {line.label} price {_fmt(line.unit_net_price)} → {_fmt(now.unit_net_price)}"
            )
        if now.vat_percent != line.vat_percent:
            changes.append(f"line {line.label} VAT {line.vat_percent} % → {now.vat_percent} %")
        if now.label != line.label:
            changes.append(f"line {line.label} product → {now.label}")
    changes.extend(f"line {line.label} added" for key, line in after.items() if key not in before)
    for name, label in (
        ("shipping", "shipping"),
        ("payment_fee", "payment fee"),
        ("sales_discount", "discount"),
        ("gift_certificate", "gift card"),
        ("currency", "currency"),
        ("total", "total"),
    ):
        was, now_value = getattr(old, name), getattr(current, name)
        if was != now_value:
            shown = (
                (_fmt(was), _fmt(now_value))
                if isinstance(was, Decimal)
                else (str(was), str(now_value))
            )
            changes.append(f"{label} {shown[0]} → {shown[1]}")
    return "; ".join(changes) or "order changed"
