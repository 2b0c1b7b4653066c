"""Dandomain Webshop (HostedShop) SOAP order -> the platform-neutral domain `Order`.

Everything Webshop-specific ends here: PascalCase names, `"YYYY-MM-DD HH:MM:SS"` shop-local
dates with `0000-00-00 00:00:00` for none, the numeric delivery-country id in `CountryCode`,
`Currency.Iso` (never `CurrencyId`), HTML entities and double-encoded UTF-8 in texts,
`Company`/`Cvr`/`Ean`, the `Shipping*` address and the parcel shop (`Delivery.DroppointId`),
discount codes, line discounts, transactions in øre, and credit notes made as orders of their
own (`Origin` = the credited order, negative amounts).

Money (docs/webshop.md). The reference could not confirm whether `Price`/`Total` include VAT,
so `WebshopSettings.price_basis` decides; its default `auto` reads each order by what the buyer
paid: the captured transactions, in øre. `Order.total_gross` is that paid amount, so the mapping
engine only books an order whose lines, fees and discounts add up to it, and refuses
(TOTALS_MISMATCH) otherwise. Without a capture nothing independent says which basis holds:
`auto` then reads the prices as net against `Total`, which adds up only for a VAT-free order
(where both readings agree) and is refused otherwise until the owner sets the basis.
"""

import html
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from autobook.dandomain import webshop_model as wire
from autobook.domain.money import HUNDRED, ZERO, round_ore
from autobook.domain.order import Fee, Order, OrderLine, OrderState, Party
from autobook.domain.pricing import net_unit_from_gross
from autobook.domain.shop import WebshopSettings
from autobook.domain.texts import join_nonempty

SHOP_ZONE = ZoneInfo("Europe/Copenhagen")  # assumption: the service's times are shop-local

Basis = Literal["net", "gross"]

# Double-encoded UTF-8 ("Ã¸" for "ø"): each byte of a UTF-8 sequence read as one latin-1 or
# cp1252 character. Leads: Ã and Â (the 2-byte sequences of every Latin-1 letter and sign, so
# all of æøåÆØÅéü...) and â (3-byte typographic punctuation: – ’ € …), each followed by
# continuation characters. Other leads are left alone: "Ø°" is as likely meant as it is.
_BYTES = bytes(range(0x80, 0xC0))
_CONTINUATION = "[" + re.escape(_BYTES.decode("latin-1") + _BYTES.decode("cp1252", "ignore")) + "]"
_MOJIBAKE = re.compile(f"[\u00c2\u00c3]{_CONTINUATION}|\u00e2{_CONTINUATION}{{2}}")


def _redecode(match: re.Match[str]) -> str:
    text = match.group()
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as latin-1/cp1252 (what `Solution_SetEncoding("UTF-8")` did to stored
    texts), sequence by sequence, so a text that is only partly mangled is repaired too."""
    return _MOJIBAKE.sub(_redecode, text)


def clean(text: str) -> str:
    """A text from the service as e-conomic should get it: repaired, entities decoded."""
    return html.unescape(repair_mojibake(text)).strip()


def parse_webshop_date(value: str) -> datetime | None:
    """`"YYYY-MM-DD HH:MM:SS"` (or a bare date), shop-local; empty or 0000-00-00 = None."""
    text = value.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).replace(tzinfo=SHOP_ZONE)
        except ValueError:
            continue
    raise ValueError(f"not a Webshop date: {value!r}")


def _country(name: str, code: str) -> tuple[str, int | None]:
    """(country name, the shop's delivery-country id); an ISO code stands in for a name."""
    code = code.strip()
    country = clean(name)
    if code.isdigit():
        return country, int(code) or None
    return country or code.upper(), None


def _customer(c: wire.OrderCustomer) -> Party:
    person = clean(join_nonempty([c.firstname, c.lastname], " "))
    company = clean(c.company)
    country, country_id = _country(c.country, c.country_code)
    return Party(
        name=company or person,
        attention=person if company else "",
        address=clean(c.address),
        address2=clean(c.address2),
        zip_code=clean(c.zip),
        city=clean(c.city),
        country=country,
        country_id=country_id,
        email=c.email.strip(),
        phone=(c.phone or c.mobile).strip(),
        ean=c.ean.strip(),
        cvr=c.cvr.strip(),
    )


def _droppoint(delivery: wire.OrderDelivery | None) -> str:
    if delivery is None:
        return ""
    return delivery.droppoint_id_long.strip() or (
        str(delivery.droppoint_id) if delivery.droppoint_id else ""
    )


def _delivery(c: wire.OrderCustomer, delivery: wire.OrderDelivery | None) -> Party | None:
    """The `Shipping*` address; a parcel shop keeps its number in address2 (never the
    debtor's address)."""
    droppoint = _droppoint(delivery)
    has_address = any(v.strip() for v in (c.shipping_address, c.shipping_address2, c.shipping_city))
    if not has_address and not droppoint:
        return None
    person = clean(join_nonempty([c.shipping_firstname, c.shipping_lastname], " "))
    company = clean(c.shipping_company)
    address2 = clean(c.shipping_address2)
    if droppoint:
        address2 = join_nonempty([address2, f"Pakkeshop: {droppoint}"], ", ")
    country, country_id = _country(c.shipping_country, c.shipping_country_code)
    return Party(
        name=company or person,
        attention=person if company else "",
        address=clean(c.shipping_address),
        address2=address2,
        zip_code=clean(c.shipping_zip),
        city=clean(c.shipping_city),
        country=country,
        country_id=country_id,
        email=c.shipping_email.strip(),
        phone=(c.shipping_phone or c.shipping_mobile).strip(),
    )


def _rate(line: wire.OrderLine, settings: WebshopSettings) -> Decimal:
    rate = line.vat_rate
    if 0 < rate < 1:  # a fraction (0.25) rather than a percentage
        rate *= HUNDRED
    if rate == 0 and settings.zero_vat_rate is not None:
        return settings.zero_vat_rate
    return rate


def _unit_price(line: wire.OrderLine, settings: WebshopSettings) -> Decimal:
    """The price of one piece after the line discount, on the service's basis."""
    if settings.line_discount == "included" or line.discount == 0:
        return line.price
    if settings.line_discount == "per_line":
        return line.price - (line.discount / line.amount if line.amount else ZERO)
    return line.price - line.discount


class _Payments:
    """The order's transactions: money captured, gift cards redeemed (both in major units)."""

    def __init__(self, transactions: Iterable[wire.OrderTransaction], gift_types: frozenset[str]):
        counted = [t for t in transactions if t.errorcode == 0]  # failed attempts paid nothing
        gifts = [t for t in counted if t.cardtype.strip().casefold() in gift_types]
        money = [t for t in counted if t not in gifts]
        self.captured = bool(counted)
        self.money = sum((_amount(t) for t in money), ZERO)
        self.gift = sum((_amount(t) for t in gifts), ZERO)
        self.number = next((_number(t) for t in money if _number(t)), "")
        self.gift_number = ", ".join(n for n in (_number(t) for t in gifts) if n)


def _amount(t: wire.OrderTransaction) -> Decimal:
    """`Amount` is in øre (exact); `AmountFull` only where Amount is missing."""
    return Decimal(t.amount) / HUNDRED if t.amount else t.amount_full


def _number(t: wire.OrderTransaction) -> str:
    return t.transaction_number_long.strip() or (
        str(t.transaction_number) if t.transaction_number else ""
    )


def _is_credit_note(w: wire.Order) -> bool:
    origin = w.origin.strip()
    return origin.isdigit() and bool(origin.strip("0"))


def _discounts(w: wire.Order) -> list[Decimal]:
    """Discount-code amounts, positive; negative on a credit note (it gives them back)."""
    sign = -1 if _is_credit_note(w) else 1
    return [sign * abs(c.discount) for c in w.discount_codes]


class _Money:
    """The order's amounts on the service's own basis, and what VAT would add to them."""

    def __init__(self, w: wire.Order, settings: WebshopSettings):
        self.units = [
            (line, _unit_price(line, settings), _rate(line, settings)) for line in w.order_lines
        ]
        rates = [rate for _, _, rate in self.units]
        fallback = settings.zero_vat_rate or ZERO
        self.order_rate = max(rates, default=fallback) or fallback
        self.fees = [f for f in (w.delivery, w.payment) if f is not None]
        self.codes = list(zip(w.discount_codes, _discounts(w), strict=True))
        self.discount = sum((amount for _, amount in self.codes), ZERO)
        self.sum = (
            sum((unit * line.amount for line, unit, _ in self.units), ZERO)
            + sum((f.price for f in self.fees), ZERO)
            - self.discount
        )

    def gross_if_net(self) -> Decimal:
        """The gross the buyer owes when the amounts are net: lines get their rate, fees and
        discount codes the order's rate where their Vat flag says VAT applies."""
        vat = self.order_rate / HUNDRED
        lines = sum(
            (
                round_ore(unit * line.amount * (1 + rate / HUNDRED))
                for line, unit, rate in self.units
            ),
            ZERO,
        )
        fees = sum((round_ore(f.price * (1 + vat)) if f.vat else f.price for f in self.fees), ZERO)
        codes = sum(
            (round_ore(amount * (1 + vat)) if c.vat else amount for c, amount in self.codes),
            ZERO,
        )
        return lines + fees - codes


def _basis(money: _Money, paid: _Payments, settings: WebshopSettings) -> Basis:
    if settings.price_basis != "auto":
        return settings.price_basis
    if not paid.captured:
        return "net"  # undecidable: adds up to Total only where VAT does not matter
    captured = paid.money + paid.gift
    as_gross = abs(money.sum - captured)
    as_net = abs(money.gross_if_net() - captured)
    return "gross" if as_gross <= as_net else "net"


def _total(
    w: wire.Order, money: _Money, paid: _Payments, basis: Basis, settings: WebshopSettings
) -> Decimal:
    if paid.captured:
        return paid.money  # what the buyer paid (gift cards are booked as their own line)
    if basis == "net" and settings.price_basis == "net":
        return money.gross_if_net()  # nothing paid yet: what the buyer owes
    return w.total


def _lines(money: _Money, basis: Basis) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(
            line_id=line.id,
            sku=line.item_number.strip(),
            name=clean(line.product_title),
            variant=clean(join_nonempty([line.variant_title, line.additional_title], ", ")),
            quantity=line.amount,
            unit_net_price=net_unit_from_gross(unit, rate) if basis == "gross" else unit,
            vat_percent=rate,
        )
        for line, unit, rate in money.units
    )


def _fee(method_id: int, title: str, price: Decimal, vat: bool) -> Fee:
    return Fee(method_id=method_id, name=clean(title), amount=price, flag_incl_vat=vat)


def _state(w: wire.Order, settings: WebshopSettings) -> tuple[OrderState, bool]:
    status = w.status.strip()
    if not status.lstrip("-").isdigit():
        raise ValueError(f"order {w.id} has no numeric Status ({status!r}): projection?")
    state = OrderState(id=int(status))
    drafting = _is_credit_note(w) and state.id in settings.credit_note_draft_status_ids
    return state, drafting or state.id in settings.incomplete_status_ids


def _dates(w: wire.Order, settings: WebshopSettings) -> tuple[datetime, datetime]:
    fields = {
        "DateDelivered": w.date_delivered,
        "DateSent": w.date_sent,
        "DateUpdated": w.date_updated,
    }
    updated = parse_webshop_date(w.date_updated)
    created = parse_webshop_date(fields[settings.created_at_field]) or updated
    if created is None:
        raise ValueError(f"order {w.id} has no date ({settings.created_at_field}, DateUpdated)")
    return created, updated or created


def to_domain(w: wire.Order, settings: WebshopSettings | None = None) -> Order:
    settings = settings or WebshopSettings()
    if w.currency is None or not w.currency.iso.strip():
        raise ValueError(f"order {w.id} has no Currency.Iso: projection?")
    if w.customer is None:
        raise ValueError(f"order {w.id} has no Customer: projection?")
    state, incomplete = _state(w, settings)
    created, modified = _dates(w, settings)
    money = _Money(w, settings)
    paid = _Payments(w.transactions, settings.gift_card_types)
    basis = _basis(money, paid, settings)
    payment = w.payment or wire.OrderPayment()
    delivery = w.delivery or wire.OrderDelivery()
    return Order(
        order_id=str(w.id),
        created_at=created,
        modified_at=modified,
        state=state,
        incomplete=incomplete,
        site_id=w.site or None,
        currency=w.currency.iso.strip().upper(),
        total_gross=_total(w, money, paid, basis, settings),
        vat_percent=money.order_rate,
        vat_reg_number=w.customer.cvr.strip(),
        customer_id=str(w.customer_id) if w.customer_id else "",
        customer=_customer(w.customer),
        delivery=_delivery(w.customer, w.delivery),
        payment=_fee(payment.payment_method_id, payment.title, payment.price, payment.vat),
        shipping=_fee(delivery.delivery_method_id, delivery.title, delivery.price, delivery.vat),
        sales_discount=money.discount,
        gift_certificate_amount=paid.gift,
        gift_certificate_number=paid.gift_number,
        customer_comment=clean(w.customer_comment),
        reference_number=w.reference_number.strip(),
        transaction_number=paid.number,
        lines=_lines(money, basis),
        credits_order_id=w.origin.strip() if _is_credit_note(w) else "",
    )


def parse_webshop_order(
    document: Mapping[str, Any], settings: WebshopSettings | None = None
) -> Order:
    """A Webshop order document (the SOAP `Order` as zeep serialises it, or the same with
    plain lists; docs/webshop.md) -> `Order`."""
    return to_domain(wire.Order.model_validate(dict(document)), settings)
