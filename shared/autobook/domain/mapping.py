"""Order -> e-conomic draft invoice. Pure: no network, no AWS, no clock.

`map_order` is the only entry point the use cases call. Everything it needs that comes from
outside (customer number, base currency, country codes, invoice date, the shop's currency
factor) arrives in `ReferenceData`. The engine computes what e-conomic will compute for the
draft and only returns one whose gross equals the shop's total to the øre (adding a rounding
line within the shop's tolerance); otherwise it raises TOTALS_MISMATCH.

The parts live in short modules: vat_zone, payment, lines, pricing, customers, texts,
currency, verify, credit. This module assembles them and re-exports the public names.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from autobook.domain.credit import (
    OrderSnapshot,
    credit_note_draft,
    credit_reference,
    order_difference,
    order_fingerprint,
    order_snapshot,
)
from autobook.domain.currency import exchange_rate, invoice_currency
from autobook.domain.customers import (
    CustomerLookup,
    buyer_ean,
    buyer_name,
    customer_lookup,
    new_customer,
)
from autobook.domain.errors import ErrorCode, KnownError
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
from autobook.domain.lines import (
    DISCOUNT_READINGS,
    FEE_READINGS,
    DiscountReading,
    FeeReading,
    fee_lines,
    gift_card_lines,
    goods_lines,
    rounding_line,
    sales_discount_lines,
)
from autobook.domain.mapped import MappedInvoice
from autobook.domain.order import Order, Party
from autobook.domain.payment import PaymentChoice, resolve_payment
from autobook.domain.pricing import PricedLine, economic_totals
from autobook.domain.shop import ShopConfig
from autobook.domain.templates import fill
from autobook.domain.texts import join_nonempty, truncate, truncate_or_none
from autobook.domain.vat_zone import ZoneDecision, ZoneKind, decide_vat_zone
from autobook.domain.verify import verify_economic_gross

__all__ = [
    "CustomerLookup",
    "MappedInvoice",
    "OrderSnapshot",
    "ReferenceData",
    "credit_note_draft",
    "credit_reference",
    "customer_lookup",
    "map_order",
    "new_customer",
    "order_difference",
    "order_fingerprint",
    "order_snapshot",
    "skip_reason",
    "vat_zone_number",
    "verify_economic_gross",
]


class ReferenceData(BaseModel):
    """What the mapping needs from the outside world, fetched (and cached) by the use case."""

    model_config = ConfigDict(frozen=True)

    customer_number: int
    base_currency: str = "DKK"
    invoice_date: date
    # Dandomain's shop-specific country id -> ISO 3166 alpha-2
    country_codes: dict[int, str] = Field(default_factory=dict)
    # Dandomain's currency factor for the order currency: the value in base currency of one
    # unit of it (EUR in a DKK shop ≈ 7.46). Used when exchange_rate_rule = "shop_factor".
    shop_currency_factor: Decimal | None = None


def skip_reason(order: Order) -> str | None:
    """Orders the engine must not book at all (checkout or payment never completed)."""
    if order.incomplete:
        return "incomplete"
    return None


def vat_zone_number(order: Order, shop: ShopConfig, country_codes: dict[int, str]) -> int:
    return decide_vat_zone(order, shop, country_codes).number


class _Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    fee_reading: FeeReading
    discount_reading: DiscountReading
    lines: tuple[PricedLine, ...]
    difference: Decimal  # shop total - e-conomic gross


def _candidates(
    order: Order, shop: ShopConfig, zone: ZoneDecision, payment: PaymentChoice
) -> list[_Candidate]:
    mapping = shop.economic
    goods = goods_lines(order, mapping, zone)
    gift = gift_card_lines(order, mapping)
    fee_readings = (mapping.fee_semantics,) if mapping.fee_semantics else FEE_READINGS
    discount_readings = (
        (mapping.discount_semantics,) if mapping.discount_semantics else DISCOUNT_READINGS
    )
    result: list[_Candidate] = []
    for fee_reading in fee_readings:
        fees = fee_lines(order, mapping, payment, zone, fee_reading)
        for discount_reading in discount_readings:
            discount = sales_discount_lines(order, mapping, zone, discount_reading)
            lines = (*goods, *discount, *gift, *fees)
            gross = economic_totals(lines).gross
            result.append(
                _Candidate(
                    fee_reading=fee_reading,
                    discount_reading=discount_reading,
                    lines=lines,
                    difference=order.total_gross - gross,
                )
            )
    return result


def _reconcile(
    order: Order, shop: ShopConfig, zone: ZoneDecision, currency: str, payment: PaymentChoice
) -> tuple[_Candidate, tuple[PricedLine, ...], Decimal]:
    mapping = shop.economic
    candidates = _candidates(order, shop, zone, payment)
    best = min(candidates, key=lambda c: abs(c.difference))  # first wins ties: stable order
    difference = best.difference
    if difference == 0:
        return best, best.lines, Decimal("0")
    if abs(difference) < mapping.rounding_tolerance and mapping.rounding_product:
        line = rounding_line(mapping.rounding_product, difference)
        return best, (*best.lines, line), difference
    da, en = _mismatch_cause(order, zone, difference, shop)
    raise KnownError(
        ErrorCode.TOTALS_MISMATCH,
        order_id=order.order_id,
        economic_total=f"{order.total_gross - difference:.2f}",
        shop_total=f"{order.total_gross:.2f}",
        currency=currency,
        cause_da=da,
        cause_en=en,
    )


def _mismatch_cause(
    order: Order, zone: ZoneDecision, difference: Decimal, shop: ShopConfig
) -> tuple[str, str]:
    mapping = shop.economic
    shop_vat = any(line.vat_percent > 0 for line in order.lines)
    if not zone.charges_vat and shop_vat:
        return (
            f"Webshoppen har lagt moms på, men køberen ({zone.country}) hører til momszonen "
            f"'{zone.kind}', hvor e-conomic ikke lægger moms på.",
            f"The shop charged VAT, but the buyer ({zone.country}) is in VAT zone "
            f"'{zone.kind}', where e-conomic adds no VAT.",
        )
    if abs(difference) < mapping.rounding_tolerance:
        return (
            f"Forskellen på {difference:.2f} er en øreafrunding, men der er ingen "
            "afrundingsvare koblet.",
            f"The difference of {difference:.2f} is rounding, but no rounding product is mapped.",
        )
    return (
        f"Ordrens linjer, gebyrer og rabatter summer ikke til ordrens total (forskel "
        f"{difference:.2f}, tolerance {mapping.rounding_tolerance}).",
        f"The order's lines, fees and discounts do not add up to its total (difference "
        f"{difference:.2f}, tolerance {mapping.rounding_tolerance}).",
    )


def _party_address(party: Party) -> str:
    return join_nonempty([party.address, party.address2], "\n")


def _recipient(order: Order, zone: ZoneDecision) -> Recipient:
    party = order.customer
    ean = buyer_ean(order)  # the invoice carries only name, address and EAN of the buyer
    return Recipient(
        name=truncate(buyer_name(order), 250),
        address=truncate_or_none(_party_address(party), 250),
        zip=truncate_or_none(party.zip_code, 50),
        city=truncate_or_none(party.city, 250),
        country=truncate_or_none(party.country, 50),
        ean=ean or None,
        vat_zone=VatZoneRef(vat_zone_number=zone.number),
    )


def _delivery(party: Party | None) -> Delivery | None:
    """The delivery block (a parcel shop stays here, never in the debtor's address)."""
    if party is None or not (party.address or party.address2):
        return None
    lines = [party.name, party.address, party.address2]
    if party.attention and party.attention != party.name:
        lines.insert(1, f"Att. {party.attention}")
    return Delivery(
        address=truncate(join_nonempty(lines, "\n"), 255),
        zip=truncate_or_none(party.zip_code, 30),
        city=truncate_or_none(party.city, 50),
        country=truncate_or_none(party.country, 50),
    )


def _notes(order: Order, shop: ShopConfig, zone: ZoneDecision) -> Notes | None:
    mapping = shop.economic
    values = {
        "order_id": order.order_id,
        "reference": shop.order_reference(order.order_id),
        "customer_comment": order.customer_comment,
        "reference_number": order.reference_number,
        "shop_name": shop.name,
        "customer_name": order.customer.name or order.customer.attention,
        "order_date": order.created_at.strftime("%d-%m-%Y"),
        "transaction_number": order.transaction_number,
        "payment_method": order.payment.name,
        "shipping_method": order.shipping.name,
    }
    text2 = fill(mapping.text_line2_template, values).strip()
    if zone.kind == ZoneKind.EU:
        reverse = (
            "Omvendt betalingspligt (reverse charge) - køber afregner momsen. "
            f"Købers momsnummer: {order.vat_reg_number.strip()}"
        )
        text2 = join_nonempty([text2, reverse], "\n")
    notes = Notes(
        heading=truncate_or_none(fill(mapping.heading_template, values).strip(), 250),
        text_line1=truncate_or_none(fill(mapping.text_line1_template, values).strip(), 1000),
        text_line2=truncate_or_none(text2, 1000),
    )
    return notes if notes.model_dump(exclude_none=True) else None


def map_order(order: Order, shop: ShopConfig, ref: ReferenceData) -> MappedInvoice:
    """The draft an accountant would have typed for `order`, or a KnownError."""
    currency = invoice_currency(order.order_id, order.currency)
    zone = decide_vat_zone(order, shop, ref.country_codes)
    payment = resolve_payment(order, shop.economic)
    recipient = _recipient(order, zone)
    chosen, priced, rounding = _reconcile(order, shop, zone, currency, payment)
    draft = DraftInvoice(
        date=ref.invoice_date,
        currency=currency,
        exchange_rate=exchange_rate(
            order.order_id, currency, shop, ref.base_currency, ref.shop_currency_factor
        ),
        customer=CustomerRef(customer_number=ref.customer_number),
        payment_terms=PaymentTermsRef(payment_terms_number=payment.payment_terms_number),
        layout=LayoutRef(layout_number=payment.layout_number),
        recipient=recipient,
        delivery=_delivery(order.delivery),
        notes=_notes(order, shop, zone),
        references=References(other=shop.order_reference(order.order_id)),
        lines=tuple(
            InvoiceLine(
                line_number=i,
                sort_key=i,
                product=ProductRef(product_number=line.product_number),
                description=line.description,
                quantity=line.quantity,
                unit_net_price=line.unit_net_price,
            )
            for i, line in enumerate(priced, start=1)
        ),
    )
    totals = economic_totals(priced)
    return MappedInvoice(
        draft=draft,
        expected_gross=totals.gross,
        expected_net=totals.net,
        expected_vat=totals.vat,
        order_id=order.order_id,
        priced_lines=priced,
        vat_zone=zone,
        fee_reading=chosen.fee_reading,
        discount_reading=chosen.discount_reading,
        rounding=rounding,
    )
