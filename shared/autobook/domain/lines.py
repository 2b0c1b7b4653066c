"""Order lines, fees, discounts and gift cards -> priced e-conomic invoice lines.

Every line needs an e-conomic product. Product lines keep their SKU (or the shop's override);
fees, discounts, gift cards and rounding go to the products the shop mapped for them.
"""

from decimal import Decimal
from typing import Literal

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.money import ZERO, round_ore
from autobook.domain.order import Fee, Order, OrderLine
from autobook.domain.payment import PaymentChoice
from autobook.domain.pricing import LineKind, PricedLine, net_unit_from_gross
from autobook.domain.shop import EconomicMapping
from autobook.domain.texts import join_nonempty, truncate
from autobook.domain.vat_zone import ZoneDecision

PRODUCT_NUMBER_MAX = 25
DESCRIPTION_MAX = 2500

FeeReading = Literal["gross", "flag", "net", "inverted"]
DiscountReading = Literal["gross", "net", "in_lines"]
FEE_READINGS: tuple[FeeReading, ...] = ("gross", "flag", "net", "inverted")
DISCOUNT_READINGS: tuple[DiscountReading, ...] = ("gross", "net", "in_lines")


def _rate(zone: ZoneDecision, shop_rate: Decimal) -> Decimal:
    """The VAT rate e-conomic applies: the shop's rate where the zone charges VAT, else 0."""
    return shop_rate if zone.charges_vat else ZERO


def _description(*parts: str) -> str:
    return truncate(join_nonempty(list(parts), ", "), DESCRIPTION_MAX)


def _quantity(line: OrderLine) -> Decimal:
    return round_ore(line.quantity)


def goods_lines(order: Order, mapping: EconomicMapping, zone: ZoneDecision) -> list[PricedLine]:
    """Product lines and negative (discount) lines, in order; raises PRODUCT_MISSING or
    DISCOUNT_UNMAPPED for lines that cannot be given a product."""
    priced: list[PricedLine] = []
    missing: list[tuple[str, str]] = []  # (what, reason)
    for line in order.lines:
        quantity = _quantity(line)
        unit = round_ore(line.unit_net_price)
        if quantity == 0:
            continue
        override = mapping.product_overrides.get(line.sku) if line.sku else None
        if quantity * unit < 0 or (not line.sku and unit == 0):
            product = override or mapping.discount_product
            if product is None:
                if unit == 0:
                    continue  # a text-only line without amount: nothing to book
                raise KnownError(
                    ErrorCode.DISCOUNT_UNMAPPED,
                    order_id=order.order_id,
                    line_name=line.name or line.sku,
                    product_da="rabatvare",
                    product_en="discount product",
                )
            kind = LineKind.DISCOUNT
        elif not line.sku:
            missing.append((line.name or f"line {line.line_id}", "no_sku"))
            continue
        else:
            product = override or line.sku
            kind = LineKind.PRODUCT
            if len(product) > PRODUCT_NUMBER_MAX:
                missing.append((product, "too_long"))
                continue
        priced.append(
            PricedLine(
                kind=kind,
                product_number=product,
                description=_description(line.name or line.sku or "Rabat", line.variant),
                quantity=quantity,
                unit_net_price=unit,
                vat_percent=_rate(zone, line.vat_percent),
                source=line.sku or line.name,
            )
        )
    if missing:
        raise _product_missing(order.order_id, missing)
    return priced


def _product_missing(order_id: str, missing: list[tuple[str, str]]) -> KnownError:
    reasons = {reason for _, reason in missing}
    da: list[str] = []
    en: list[str] = []
    if "no_sku" in reasons:
        da.append("Ordrelinjen har intet varenummer i Dandomain. ")
        en.append("The order line has no product number in Dandomain. ")
    if "too_long" in reasons:
        da.append(f"e-conomics varenumre er højst {PRODUCT_NUMBER_MAX} tegn. ")
        en.append(f"e-conomic product numbers are at most {PRODUCT_NUMBER_MAX} characters. ")
    return KnownError(
        ErrorCode.PRODUCT_MISSING,
        order_id=order_id,
        products=", ".join(what for what, _ in missing),
        detail_da="".join(da),
        detail_en="".join(en),
    )


_FEE_TEXT = {
    LineKind.SHIPPING: ("forsendelse", "shipping"),
    LineKind.PAYMENT_FEE: ("betalingsgebyr", "payment fee"),
    LineKind.CARD_FEE: ("kortgebyr", "card fee"),
}


def _fee_line(
    order: Order,
    kind: LineKind,
    fee: Fee,
    product: str | None,
    description: str,
    zone: ZoneDecision,
    reading: FeeReading,
) -> PricedLine | None:
    if fee.amount == 0:
        return None  # a zero fee needs no product
    if product is None:
        da, en = _FEE_TEXT[kind]
        raise KnownError(
            ErrorCode.FEE_UNMAPPED,
            order_id=order.order_id,
            fee_name=fee.name or en,
            fee_kind_da=da,
            fee_kind_en=en,
            method_id=fee.method_id,
        )
    rate = _rate(zone, order.vat_percent)
    includes_vat = {
        "gross": True,
        "net": False,
        "flag": fee.flag_incl_vat,
        "inverted": not fee.flag_incl_vat,
    }[reading]
    unit = net_unit_from_gross(fee.amount, rate) if includes_vat else round_ore(fee.amount)
    return PricedLine(
        kind=kind,
        product_number=product,
        description=truncate(description, DESCRIPTION_MAX),
        quantity=Decimal(1),
        unit_net_price=unit,
        vat_percent=rate,
        source=fee.name,
    )


def fee_lines(
    order: Order,
    mapping: EconomicMapping,
    payment: PaymentChoice,
    zone: ZoneDecision,
    reading: FeeReading,
) -> list[PricedLine]:
    """Shipping by shipping method (of the order's site); payment and card fee by payment
    method."""
    shipping = mapping.shipping_methods_for(order.site_id).get(order.shipping.method_id)
    pay = payment.mapping
    candidates = [
        _fee_line(
            order,
            LineKind.SHIPPING,
            order.shipping,
            shipping.product if shipping else None,
            order.shipping.name or "Fragt",
            zone,
            reading,
        ),
        _fee_line(
            order,
            LineKind.PAYMENT_FEE,
            order.payment,
            pay.fee_product if pay else None,
            join_nonempty(["Gebyr", order.payment.name], " "),
            zone,
            reading,
        ),
    ]
    if order.card_fee is not None:
        candidates.append(
            _fee_line(
                order,
                LineKind.CARD_FEE,
                order.card_fee,
                (pay.card_fee_product or pay.fee_product) if pay else None,
                order.card_fee.name or "Kortgebyr",
                zone,
                reading,
            )
        )
    return [line for line in candidates if line is not None]


def sales_discount_lines(
    order: Order, mapping: EconomicMapping, zone: ZoneDecision, reading: DiscountReading
) -> list[PricedLine]:
    amount = order.sales_discount
    if amount == 0 or reading == "in_lines":
        return []
    product = mapping.discount_product
    if product is None:
        raise KnownError(
            ErrorCode.DISCOUNT_UNMAPPED,
            order_id=order.order_id,
            line_name="salesDiscount",
            product_da="rabatvare",
            product_en="discount product",
        )
    rate = _rate(zone, order.vat_percent)
    unit = net_unit_from_gross(abs(amount), rate) if reading == "gross" else round_ore(abs(amount))
    return [
        PricedLine(
            kind=LineKind.SALES_DISCOUNT,
            product_number=product,
            description="Rabat",
            quantity=Decimal(1),
            unit_net_price=-unit if amount > 0 else unit,
            vat_percent=rate,
            source="salesDiscount",
        )
    ]


def gift_card_lines(order: Order, mapping: EconomicMapping) -> list[PricedLine]:
    """A redeemed gift card is payment with a voucher: a negative line without VAT."""
    amount = order.gift_certificate_amount
    if amount == 0:
        return []
    product = mapping.gift_card_product
    name = join_nonempty(["Gavekort", order.gift_certificate_number], " ")
    if product is None:
        raise KnownError(
            ErrorCode.DISCOUNT_UNMAPPED,
            order_id=order.order_id,
            line_name=name,
            product_da="gavekortvare",
            product_en="gift-card product",
        )
    return [
        PricedLine(
            kind=LineKind.GIFT_CARD,
            product_number=product,
            description=truncate(name, DESCRIPTION_MAX),
            quantity=Decimal(1),
            unit_net_price=-round_ore(amount),
            vat_percent=ZERO,
            source=name,
        )
    ]


def rounding_line(product: str, difference: Decimal) -> PricedLine:
    """Øre difference on the rounding product (which must be in a VAT-free product group)."""
    return PricedLine(
        kind=LineKind.ROUNDING,
        product_number=product,
        description="Øreafrunding",
        quantity=Decimal(1),
        unit_net_price=difference,
        vat_percent=ZERO,
        source="rounding",
    )
