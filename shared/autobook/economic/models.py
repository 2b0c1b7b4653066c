"""e-conomic's invoice JSON -> the domain's `EconomicInvoice`. The one place that reads it.

Unknown fields are ignored; amounts are Decimal (the client parses JSON numbers as Decimal).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autobook.domain.books import BookedLine, DeliveryRecord, EconomicInvoice, RecipientRecord


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Number(_Wire):
    customer_number: int | None = Field(default=None, alias="customerNumber")
    layout_number: int | None = Field(default=None, alias="layoutNumber")
    vat_zone_number: int | None = Field(default=None, alias="vatZoneNumber")
    product_number: str | None = Field(default=None, alias="productNumber")


class _Terms(_Wire):
    number: int | None = Field(default=None, alias="paymentTermsNumber")
    kind: str | None = Field(default=None, alias="paymentTermsType")
    name: str | None = None


class _Recipient(_Wire):
    name: str = ""
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    ean: str | None = None
    vat_zone: _Number | None = Field(default=None, alias="vatZone")


class _Delivery(_Wire):
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None


class _Line(_Wire):
    product: _Number | None = None
    description: str = ""
    quantity: Decimal = Decimal("1")
    unit_net_price: Decimal = Field(default=Decimal("0"), alias="unitNetPrice")
    discount_percentage: Decimal | None = Field(default=None, alias="discountPercentage")
    vat_amount: Decimal | None = Field(default=None, alias="vatAmount")


class _References(_Wire):
    other: str = ""


class _Notes(_Wire):
    heading: str | None = None


class _Invoice(_Wire):
    draft_invoice_number: int | None = Field(default=None, alias="draftInvoiceNumber")
    booked_invoice_number: int | None = Field(default=None, alias="bookedInvoiceNumber")
    date: dt.date | None = None
    due_date: dt.date | None = Field(default=None, alias="dueDate")
    currency: str = ""
    exchange_rate: Decimal | None = Field(default=None, alias="exchangeRate")
    net_amount: Decimal = Field(default=Decimal("0"), alias="netAmount")
    vat_amount: Decimal = Field(default=Decimal("0"), alias="vatAmount")
    gross_amount: Decimal = Field(default=Decimal("0"), alias="grossAmount")
    customer: _Number | None = None
    layout: _Number | None = None
    payment_terms: _Terms | None = Field(default=None, alias="paymentTerms")
    recipient: _Recipient = _Recipient()
    delivery: _Delivery | None = None
    references: _References | None = None
    notes: _Notes | None = None
    lines: list[_Line] | None = None


def invoice_from_json(body: dict[str, Any]) -> EconomicInvoice:
    wire = _Invoice.model_validate(body)
    terms = wire.payment_terms or _Terms()
    recipient = wire.recipient
    return EconomicInvoice(
        draft_number=wire.draft_invoice_number,
        booked_number=wire.booked_invoice_number,
        reference=wire.references.other if wire.references else "",
        customer_number=wire.customer.customer_number if wire.customer else None,
        date=wire.date,
        due_date=wire.due_date,
        currency=wire.currency,
        exchange_rate=wire.exchange_rate,
        net=wire.net_amount,
        vat=wire.vat_amount,
        gross=wire.gross_amount,
        payment_terms_number=terms.number,
        payment_terms_type=terms.kind,
        payment_terms_name=terms.name,
        layout_number=wire.layout.layout_number if wire.layout else None,
        recipient=RecipientRecord(
            name=recipient.name,
            address=recipient.address,
            zip=recipient.zip,
            city=recipient.city,
            country=recipient.country,
            ean=recipient.ean,
            vat_zone_number=recipient.vat_zone.vat_zone_number if recipient.vat_zone else None,
        ),
        delivery=DeliveryRecord(**wire.delivery.model_dump()) if wire.delivery else None,
        heading=wire.notes.heading if wire.notes else None,
        lines=None
        if wire.lines is None
        else tuple(
            BookedLine(
                product_number=(line.product.product_number or "") if line.product else "",
                description=line.description,
                quantity=line.quantity,
                unit_net_price=line.unit_net_price,
                discount_percentage=line.discount_percentage,
                vat_amount=line.vat_amount,
            )
            for line in wire.lines
        ),
    )


def customer_number_from_json(body: dict[str, Any]) -> int:
    return int(body["customerNumber"])
