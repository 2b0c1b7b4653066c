"""Builder for Webshop (HostedShop) SOAP `Order` dicts, PascalCase, in the wire shape.

Money (the readings autobook must cope with, dandomain.md P4):

* every price is given to the builder gross (incl. VAT, in the order currency);
* `basis="net"` (what the probe saw): line `Price`, line `Discount`, fee `Price`, discount-code
  `Discount` and `Total` exclude VAT; `basis="gross"`: they include it;
* `Order.Vat` reads 0 either way; line `VatRate` is the rate, or 0 with `zero_vat_rates`;
* what the buyer paid is a transaction in øre: `Amount` = the gross total less any gift card,
  which is a transaction of its own with `Cardtype` "giftcard" (an assumption: SOAP shows no
  gift-card field);
* a fee's `Vat` flag says whether VAT applies to it; its VAT is the order's rate (the highest
  line rate);
* unpaid orders (bank transfer, B2B invoice, not completed) have no transaction.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sandbox.webshop import catalog
from sandbox.webshop.catalog import Country, Currency, Method

SHOP_TZ = ZoneInfo("Europe/Copenhagen")
NULL_DATE = "0000-00-00 00:00:00"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

type Basis = Literal["net", "gross"]
type Order = dict[str, Any]


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def wire_date(moment: datetime | None) -> str:
    """`YYYY-MM-DD HH:MM:SS` shop-local; None -> `0000-00-00 00:00:00`."""
    if moment is None:
        return NULL_DATE
    return moment.astimezone(SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S")


def parse_wire_date(value: str) -> datetime | None:
    if not value or value.startswith("0000-00-00"):
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHOP_TZ)


def _net(gross: Decimal, rate: Decimal) -> Decimal:
    return round2(gross / (1 + rate / HUNDRED))


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    title: str
    qty: int
    gross: Decimal  # unit price incl. VAT, order currency
    vat_rate: Decimal = Decimal(25)
    variant: str = ""
    discount: Decimal = Decimal(0)  # per unit, incl. VAT
    product_id: int = 0


@dataclass(frozen=True, slots=True)
class Buyer:
    firstname: str
    lastname: str
    address: str
    zip: str
    city: str
    country: Country = catalog.DANMARK
    company: str = ""
    cvr: str = ""
    ean: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    address2: str = ""
    customer_id: int = 0


@dataclass(frozen=True, slots=True)
class DiscountCode:
    title: str
    amount: Decimal  # incl. VAT
    type: str = "fixed"
    value: Decimal = Decimal(0)
    vat: bool = True


@dataclass
class OrderSpec:
    """Everything an order says; `build_order` turns it into the wire dict."""

    order_id: int
    lines: Sequence[Line]
    buyer: Buyer
    created: datetime
    delivery: Method = catalog.SHIP_POSTNORD_HOME
    payment: Method = catalog.PAY_CARD
    ship_to: Buyer | None = None
    droppoint: str = ""
    currency: Currency = catalog.DKK
    site: int = catalog.SITE_DK
    status: int = catalog.STATUS_SENT
    updated: datetime | None = None
    sent: datetime | None = None
    delivery_fee: Decimal | None = None  # gross, order currency (default: the method's)
    payment_fee: Decimal | None = None
    discount_codes: Sequence[DiscountCode] = ()
    gift_card: Decimal = Decimal(0)  # redeemed, order currency
    paid: bool = True  # a captured card transaction
    card_type: str = "Dankort"
    customer_comment: str = ""
    order_comment: str = ""
    reference_number: str = ""
    tracking_code: str = ""
    language: str = "DK"
    transaction_number: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Amounts:
    """An order's money as the sandbox computed it (gross = what the buyer owes)."""

    gross: Decimal
    total: Decimal  # Order.Total on the order's basis
    paid: Decimal  # the captured money transaction (0 when unpaid)
    payable: Decimal  # what the invoice totals: the gross less a redeemed gift card


def _order_rate(lines: Sequence[Line]) -> Decimal:
    return max((line.vat_rate for line in lines), default=Decimal(0))


def _fee_wire(gross: Decimal, method: Method, rate: Decimal, basis: Basis) -> Decimal:
    return _net(gross, rate) if basis == "net" and method.vat else gross


def _fee_gross(wire_price: Decimal, vat: bool, rate: Decimal, basis: Basis) -> Decimal:
    if basis == "net" and vat:
        return round2(wire_price * (1 + rate / HUNDRED))
    return wire_price


def build_order(
    spec: OrderSpec, *, basis: Basis = "net", zero_vat_rates: bool = False
) -> tuple[Order, Amounts]:
    """The SOAP `Order` dict (all 35 fields) and its amounts."""
    oid = spec.order_id
    rate = _order_rate(spec.lines)
    lines: list[dict[str, Any]] = []
    line_gross = line_sum = Decimal(0)
    for index, line in enumerate(spec.lines):
        if basis == "gross":
            price, discount = line.gross, line.discount
            gross = (price - discount) * line.qty
        else:
            price, discount = _net(line.gross, line.vat_rate), _net(line.discount, line.vat_rate)
            gross = round2((price - discount) * line.qty * (1 + line.vat_rate / HUNDRED))
        line_gross += gross
        line_sum += (price - discount) * line.qty
        lines.append(
            {
                "Id": oid * 100 + index,
                "OrderId": oid,
                "ProductId": line.product_id or zlib.crc32(line.sku.encode()) % 90000 + 10000,
                "VariantId": 0,
                "FileDownloadId": 0,
                "Amount": line.qty,
                "PacketLines": [],  # the lines of a packet product (none sold here)
                "PacketTitle": "",
                "PacketId": 0,
                "ProductTitle": line.title,
                "VariantTitle": line.variant,
                "AdditionalTitle": "",
                "ItemNumber": line.sku,
                "ItemNumberSupplier": "",
                "Discount": discount,
                "DiscountRounded": round2(discount),
                "Price": price,
                "PriceRounded": round2(price),
                "ServiceType": "",
                "BuyPrice": round2(price * Decimal("0.45")),
                "StockStatus": "",
                "Status": 0,
                "TrackingCode": "",
                "Weight": Decimal("0.35"),
                "LineAddresses": [],
                "OfflineProduct": False,
                "VatRate": Decimal(0) if zero_vat_rates else line.vat_rate,
                "StockLocationId": 0,
                "DeliveryId": 0,
                "Unit": "stk.",
                "ExtendedDataInternal": "",
                "ExtendedDataExternal": "",
            }
        )
    delivery_gross = spec.delivery.fee if spec.delivery_fee is None else spec.delivery_fee
    payment_gross = spec.payment.fee if spec.payment_fee is None else spec.payment_fee
    delivery_price = _fee_wire(delivery_gross, spec.delivery, rate, basis)
    payment_price = _fee_wire(payment_gross, spec.payment, rate, basis)
    codes: list[dict[str, Any]] = []
    code_gross = code_sum = Decimal(0)
    for index, code in enumerate(spec.discount_codes):
        amount = _net(code.amount, rate) if basis == "net" and code.vat else code.amount
        code_sum += amount
        code_gross += _fee_gross(amount, code.vat, rate, basis)
        codes.append(
            {
                "Id": oid * 10 + index,
                "OrderId": oid,
                "DiscountId": 700 + index,
                "Title": code.title,
                "Type": code.type,
                "Value": code.value,
                "Discount": amount,
                "Vat": code.vat,
            }
        )
    gross = (
        line_gross
        + _fee_gross(delivery_price, spec.delivery.vat, rate, basis)
        + _fee_gross(payment_price, spec.payment.vat, rate, basis)
        - code_gross
    )
    total = round2(line_sum + delivery_price + payment_price - code_sum)
    paid = gross - spec.gift_card if spec.paid else Decimal(0)
    transactions = _transactions(spec, paid)
    order: Order = {
        "Id": oid,
        "InvoiceNumber": 0,
        "CurrencyId": 9000 + oid,  # a per-order snapshot id, not the currency list id
        "Currency": {
            "OrderId": oid,
            "Id": 9000 + oid,
            "Iso": spec.currency.iso,
            "Symbol": spec.currency.symbol,
            "SymbolPlace": "right" if spec.currency.iso == "DKK" else "left",
            "Currency": spec.currency.rate,
            "Decimal": ",",
            "Point": ".",
            "Round": 2,
        },
        "CustomerId": spec.buyer.customer_id,
        "Customer": _customer(oid, spec.buyer, spec.ship_to),
        "UserId": spec.buyer.customer_id,
        "User": {"Id": spec.buyer.customer_id},
        "Site": spec.site,
        "LanguageISO": spec.language,
        "Status": str(spec.status),
        "PaymentId": 5000 + oid,
        "Payment": {
            "Id": 5000 + oid,
            "OrderId": oid,
            "PaymentMethodId": spec.payment.id,
            "Title": spec.payment.title,
            "Price": payment_price,
            "Vat": spec.payment.vat,
            "ExternalId": "",
        },
        "Transactions": transactions,
        "Vat": Decimal(0),
        "Total": total,
        "OrderComment": spec.order_comment,
        "OrderCommentExternal": "",
        "CustomerComment": spec.customer_comment,
        "DeliveryComment": "",
        "DeliveryTime": "",
        "TrackingCode": spec.tracking_code,
        # The probed shop kept the creation time in DateDelivered.
        "DateDelivered": wire_date(spec.created),
        "DateDue": NULL_DATE,
        "DateSent": wire_date(spec.sent),
        "DateUpdated": wire_date(spec.updated or spec.created),
        "OrderLines": lines,
        "PackingId": 0,
        "Packing": {"Id": 0, "OrderId": oid, "Text": "", "From": ""},
        "DeliveryId": 6000 + oid,
        "Delivery": {
            "Id": 6000 + oid,
            "OrderId": oid,
            "DeliveryMethodId": spec.delivery.id,
            "Vat": spec.delivery.vat,
            "Title": spec.delivery.title,
            "Price": delivery_price,
            "BuyPrice": Decimal(0),
            "ServiceType": "GLS" if spec.droppoint else "",
            "DroppointId": int(spec.droppoint) if spec.droppoint.isdigit() else 0,
            "DroppointIdLong": spec.droppoint,
        },
        "DiscountCodes": codes,
        "ReferenceNumber": spec.reference_number,
        "Origin": "",
        "ReferralCode": "",
        **spec.extra,
    }
    amounts = Amounts(
        gross=round2(gross),
        total=total,
        paid=round2(paid),
        payable=round2(gross - spec.gift_card),
    )
    return order, amounts


def _transactions(spec: OrderSpec, paid: Decimal) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    moment = wire_date(spec.created + timedelta(minutes=1))

    def transaction(index: int, amount: Decimal, card: str) -> dict[str, Any]:
        number = spec.transaction_number or spec.order_id * 1000 + 17
        return {
            "Id": spec.order_id * 10 + index,
            "OrderId": spec.order_id,
            "PaymentId": 5000 + spec.order_id,
            "Status": 1,
            "TransactionNumber": number + index,
            "TransactionNumberLong": str(number + index),
            "SubscriptionId": 0,
            "SubscriptionIdLong": "",
            "Cardtype": card,
            "Amount": int(round2(amount) * HUNDRED),
            "AmountFull": round2(amount),
            "AmountOriginal": round2(amount),
            "Currency": {"DKK": "208", "EUR": "978", "SEK": "752"}.get(spec.currency.iso, ""),
            "Errorcode": 0,
            "Actioncode": 0,
            "Date": moment,
        }

    if spec.paid and paid:
        out.append(transaction(0, paid, spec.card_type))
    if spec.gift_card:
        out.append(transaction(1, spec.gift_card, "giftcard"))
    return out


def _customer(oid: int, buyer: Buyer, ship_to: Buyer | None) -> dict[str, Any]:
    to = ship_to
    return {
        "Id": 8000 + oid,
        "OrderId": oid,
        "Firstname": buyer.firstname,
        "Lastname": buyer.lastname,
        "Company": buyer.company,
        "B2B": bool(buyer.company),
        "Cvr": buyer.cvr,
        "Ean": buyer.ean,
        "Address": buyer.address,
        "Address2": buyer.address2,
        "Zip": buyer.zip,
        "City": buyer.city,
        "Country": buyer.country.name,
        "CountryCode": str(buyer.country.id),  # the numeric delivery-country id
        "State": "",
        "Phone": buyer.phone,
        "Mobile": buyer.mobile,
        "Email": buyer.email,
        "ShippingFirstname": to.firstname if to else "",
        "ShippingLastname": to.lastname if to else "",
        "ShippingCompany": to.company if to else "",
        "ShippingAddress": to.address if to else "",
        "ShippingAddress2": to.address2 if to else "",
        "ShippingZip": to.zip if to else "",
        "ShippingCity": to.city if to else "",
        "ShippingCountry": to.country.name if to else "",
        "ShippingCountryCode": str(to.country.id) if to else "",
        "ShippingState": "",
        "ShippingPhone": to.phone if to else "",
        "ShippingMobile": to.mobile if to else "",
        "ShippingEmail": to.email if to else "",
    }


def negated(amounts: Amounts) -> Amounts:
    return Amounts(
        gross=-amounts.gross, total=-amounts.total, paid=-amounts.paid, payable=-amounts.payable
    )


def credit_note(
    parent: Order, credit_id: int, created: datetime, *, status: int = catalog.STATUS_CREDIT_NOTE
) -> Order:
    """A credit note as the Webshop makes it: a new order in the same id sequence, with
    `Origin` = the parent's id, negative amounts, and the parent's ReferenceNumber copied."""
    note = copy.deepcopy(parent)
    note.update(
        {
            "Id": credit_id,
            "Origin": str(parent["Id"]),
            "Status": str(status),
            "Total": -parent["Total"],
            "CurrencyId": 9000 + credit_id,
            "PaymentId": 5000 + credit_id,
            "DeliveryId": 6000 + credit_id,
            "DateDelivered": wire_date(created),
            "DateUpdated": wire_date(created),
            "DateSent": NULL_DATE,
            "TrackingCode": "",
        }
    )
    note["Currency"].update({"Id": 9000 + credit_id, "OrderId": credit_id})
    note["Payment"].update(
        {"Id": 5000 + credit_id, "OrderId": credit_id, "Price": -parent["Payment"]["Price"]}
    )
    note["Delivery"].update(
        {"Id": 6000 + credit_id, "OrderId": credit_id, "Price": -parent["Delivery"]["Price"]}
    )
    for index, line in enumerate(note["OrderLines"]):
        line.update(
            {"Id": credit_id * 100 + index, "OrderId": credit_id, "Amount": -line["Amount"]}
        )
    for index, transaction in enumerate(note["Transactions"]):
        transaction.update(
            {
                "Id": credit_id * 10 + index,
                "OrderId": credit_id,
                "Amount": -transaction["Amount"],
                "AmountFull": -transaction["AmountFull"],
                "AmountOriginal": -transaction["AmountOriginal"],
            }
        )
    for code in note["DiscountCodes"]:
        code.update({"OrderId": credit_id, "Discount": -code["Discount"]})
    return note
