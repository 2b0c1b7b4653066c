"""What e-conomic will compute for a draft, to the øre, before we send it.

e-conomic takes net unit prices (≤ 2 decimals) and adds VAT itself, per line:
line net = round_half_up(quantity × unitNetPrice, 2), line VAT = round_half_up(line net × rate, 2),
gross = Σ line net + Σ line VAT. The rate is the one e-conomic applies: the product group's rate
in a VAT-charging zone, 0 in the EU (reverse charge) and abroad zones.
"""

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.money import HUNDRED, ZERO, round_ore


class LineKind(StrEnum):
    PRODUCT = "product"
    DISCOUNT = "discount"  # a negative order line
    SALES_DISCOUNT = "sales_discount"  # the order-level salesDiscount
    GIFT_CARD = "gift_card"  # giftCertificateAmount redeemed
    SHIPPING = "shipping"
    PAYMENT_FEE = "payment_fee"
    CARD_FEE = "card_fee"
    ROUNDING = "rounding"


FEE_KINDS = frozenset({LineKind.SHIPPING, LineKind.PAYMENT_FEE, LineKind.CARD_FEE})


class PricedLine(BaseModel):
    """One invoice line with the VAT rate e-conomic is expected to apply to it."""

    model_config = ConfigDict(frozen=True)

    kind: LineKind
    product_number: str
    description: str
    quantity: Decimal
    unit_net_price: Decimal
    vat_percent: Decimal
    source: str = ""  # the order's SKU, fee or discount name, for messages

    @property
    def net(self) -> Decimal:
        return round_ore(self.quantity * self.unit_net_price)

    @property
    def vat(self) -> Decimal:
        return round_ore(self.net * self.vat_percent / HUNDRED)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


class Totals(BaseModel):
    model_config = ConfigDict(frozen=True)

    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def economic_totals(lines: Iterable[PricedLine]) -> Totals:
    net = vat = ZERO
    for line in lines:
        net += line.net
        vat += line.vat
    return Totals(net=net, vat=vat)


def net_unit_from_gross(gross: Decimal, vat_percent: Decimal) -> Decimal:
    """The 2-decimal net price whose e-conomic gross (net + rounded VAT) is nearest `gross`."""
    base = round_ore(gross / (1 + vat_percent / HUNDRED))
    candidates = (base - Decimal("0.01"), base, base + Decimal("0.01"))

    def miss(net: Decimal) -> Decimal:
        return abs(net + round_ore(net * vat_percent / HUNDRED) - gross)

    return min(candidates, key=lambda net: (miss(net), abs(net - base)))
