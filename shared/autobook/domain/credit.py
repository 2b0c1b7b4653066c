"""Credit notes and orders that change after booking (pure parts).

A credit note is a new draft mirroring the booked invoice with negated unit prices, for the same
customer, currency and exchange rate. Its `references.other` is the original reference + "-K":
the booking use case finds invoices by `references.other`, so the credit note gets a reference of
its own (unambiguous idempotency look-up) that still starts with the order's reference; the
heading names the credited invoice ("Kreditnota til faktura N").
"""

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from autobook.domain.books import EconomicInvoice
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
from autobook.domain.money import round_ore
from autobook.domain.order import Order
from autobook.domain.texts import truncate, truncate_or_none

CREDIT_SUFFIX = "-K"


def credit_reference(reference: str) -> str:
    return f"{reference[: 250 - len(CREDIT_SUFFIX)]}{CREDIT_SUFFIX}"


def edition_reference(reference: str, edition: int) -> str:
    """The reference of the order's `edition`-th invoice: a rebooked order (after a credit note)
    gets `<ref>-2`, `<ref>-3`, … so each invoice and its credit note stay findable."""
    return reference if edition <= 1 else f"{reference[:240]}-{edition}"


def credit_note_draft(booked: EconomicInvoice, today: date) -> DraftInvoice:
    """The draft that credits the booked invoice `booked` in full: the same customer, currency,
    exchange rate, payment terms, layout, recipient and lines, with negated unit prices."""
    number = booked.booked_number
    if number is None or booked.lines is None:
        raise ValueError("a credit note mirrors a booked invoice read with its lines")
    if booked.customer_number is None or booked.payment_terms_number is None:
        raise ValueError(f"booked invoice {number} has no customer or payment terms")
    recipient = booked.recipient
    delivery = booked.delivery
    return DraftInvoice(
        date=today,
        due_date=today if booked.payment_terms_type == "dueDate" else None,
        currency=booked.currency,
        exchange_rate=booked.exchange_rate,
        customer=CustomerRef(customer_number=booked.customer_number),
        payment_terms=PaymentTermsRef(payment_terms_number=booked.payment_terms_number),
        layout=LayoutRef(layout_number=booked.layout_number or 0),
        recipient=Recipient(
            name=truncate(recipient.name or "-", 250),
            address=_text(recipient.address, 250),
            zip=_text(recipient.zip, 50),
            city=_text(recipient.city, 250),
            country=_text(recipient.country, 50),
            ean=_text(recipient.ean, 13),
            vat_zone=VatZoneRef(vat_zone_number=recipient.vat_zone_number or 0),
        ),
        delivery=Delivery(
            address=_text(delivery.address, 255),
            zip=_text(delivery.zip, 30),
            city=_text(delivery.city, 50),
            country=_text(delivery.country, 50),
        )
        if delivery and delivery.address
        else None,
        notes=Notes(
            heading=f"Kreditnota til faktura {number}",
            text_line1=truncate_or_none(
                f"Krediterer faktura {number} af {booked.date} ({booked.reference}).", 1000
            ),
        ),
        references=References(other=credit_reference(booked.reference or f"faktura-{number}")),
        lines=tuple(
            InvoiceLine(
                line_number=i,
                sort_key=i,
                product=ProductRef(product_number=line.product_number),
                description=truncate(line.description or line.product_number, 2500),
                quantity=round_ore(line.quantity),
                unit_net_price=-round_ore(line.unit_net_price),
                discount_percentage=None
                if line.discount_percentage is None
                else round_ore(line.discount_percentage),
            )
            for i, line in enumerate(booked.lines, start=1)
        ),
    )


def _text(value: str | None, limit: int) -> str | None:
    return truncate_or_none(value, limit) if value else None


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


class Difference(BaseModel):
    """What changed in a booked order, in Danish and in English."""

    model_config = ConfigDict(frozen=True)

    da: str
    en: str


_FIELD_NAMES = {
    "shipping": ("fragt", "shipping"),
    "payment_fee": ("betalingsgebyr", "payment fee"),
    "sales_discount": ("rabat", "discount"),
    "gift_certificate": ("gavekort", "gift card"),
    "currency": ("valuta", "currency"),
    "total": ("total", "total"),
}


def order_difference(old: OrderSnapshot, new: Order) -> Difference | None:
    """None when the order still matches what was booked; else the changes, in plain words."""
    current = order_snapshot(new)
    if current.fingerprint == old.fingerprint:
        return None
    da: list[str] = []
    en: list[str] = []
    before = {line.key: line for line in old.lines}
    after = {line.key: line for line in current.lines}
    for key, line in before.items():
        if key not in after:
            da.append(f"linjen {line.label} er fjernet")
            en.append(f"line {line.label} removed")
            continue
        now = after[key]
        if now.quantity != line.quantity:
            da.append(f"linjen {line.label} antal {line.quantity} → {now.quantity}")
            en.append(f"line {line.label} quantity {line.quantity} → {now.quantity}")
        if now.unit_net_price != line.unit_net_price:
            was, is_ = _fmt(line.unit_net_price), _fmt(now.unit_net_price)
            da.append(f"linjen {line.label} pris {was} → {is_}")
            en.append(f"line {line.label} price {was} → {is_}")
        if now.vat_percent != line.vat_percent:
            da.append(f"linjen {line.label} moms {line.vat_percent} % → {now.vat_percent} %")
            en.append(f"line {line.label} VAT {line.vat_percent} % → {now.vat_percent} %")
        if now.label != line.label:
            da.append(f"linjen {line.label} vare → {now.label}")
            en.append(f"line {line.label} product → {now.label}")
    for key, line in after.items():
        if key not in before:
            da.append(f"linjen {line.label} er tilføjet")
            en.append(f"line {line.label} added")
    for name, (label_da, label_en) in _FIELD_NAMES.items():
        was, now_value = getattr(old, name), getattr(current, name)
        if was != now_value:
            shown = (
                (_fmt(was), _fmt(now_value))
                if isinstance(was, Decimal)
                else (str(was), str(now_value))
            )
            da.append(f"{label_da} {shown[0]} → {shown[1]}")
            en.append(f"{label_en} {shown[0]} → {shown[1]}")
    return Difference(da="; ".join(da) or "ordren er ændret", en="; ".join(en) or "order changed")
