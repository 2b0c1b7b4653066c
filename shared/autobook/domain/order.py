"""The order as autobook understands it, whatever shop platform it came from.

Adapters in `autobook.dandomain` build it from the wire format; the mapping engine only ever
sees this model. Amounts are Decimal; line prices are net; `total_gross` is what the buyer paid.
"""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Party(_Frozen):
    """A buyer or a delivery address. Country is a name plus the shop's own country id."""

    name: str = ""
    attention: str = ""
    address: str = ""
    address2: str = ""
    zip_code: str = ""
    city: str = ""
    country: str = ""
    country_id: int | None = None
    email: str = ""
    phone: str = ""
    ean: str = ""
    cvr: str = ""


class OrderLine(_Frozen):
    line_id: int
    sku: str
    name: str
    variant: str = ""
    quantity: Decimal
    unit_net_price: Decimal
    vat_percent: Decimal


class Fee(_Frozen):
    """A shipping or payment fee; `flag_incl_vat` is the shop's flag, whose meaning is ambiguous."""

    method_id: int
    name: str
    amount: Decimal = Decimal("0")
    flag_incl_vat: bool = False


class OrderState(_Frozen):
    id: int
    name: str = ""
    excluded_from_statistics: bool = False


class Order(_Frozen):
    order_id: str
    created_at: datetime
    modified_at: datetime
    state: OrderState
    incomplete: bool = False
    site_id: int | None = None
    currency: str
    total_gross: Decimal
    vat_percent: Decimal
    vat_reg_number: str = ""
    customer_id: str = ""
    customer: Party
    delivery: Party | None = None
    payment: Fee
    shipping: Fee
    # A card-type surcharge where the platform reports one apart from the payment fee
    # (Classic v1 does not; its payment fee already holds it).
    card_fee: Fee | None = None
    sales_discount: Decimal = Decimal("0")
    gift_certificate_amount: Decimal = Decimal("0")
    gift_certificate_number: str = ""
    customer_comment: str = ""
    reference_number: str = ""
    transaction_number: str = ""
    lines: tuple[OrderLine, ...] = Field(default_factory=tuple)
    # A credit note the shop made as an order of its own (Dandomain Webshop: `Origin`), with
    # negative amounts: the id of the order it credits. Such an order is not an invoice.
    credits_order_id: str = ""
