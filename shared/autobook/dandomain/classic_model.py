"""Dandomain Classic WEBAPI v1 order JSON, as it arrives on the wire (camelCase, loose types)."""

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from autobook.domain.money import to_decimal

_DOTNET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def parse_dotnet_date(value: Any) -> datetime | None:
    """`/Date(1509972409000+0100)/`: epoch milliseconds in UTC; the offset is informational."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    match = _DOTNET_DATE.match(str(value))
    if not match:
        raise ValueError(f"not a /Date()/ value: {value!r}")
    instant = datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)
    offset = match.group(2)
    if offset:
        sign = 1 if offset[0] == "+" else -1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        return instant.astimezone(timezone(sign * delta))
    return instant


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _money(value: Any) -> Decimal:
    """JSON numbers, or strings such as "25", "25,00" or "1.234,50" (VAT rates are strings)."""
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("%", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        return Decimal(text)
    return to_decimal(value)


Money = Annotated[Decimal, BeforeValidator(_money)]
Text = Annotated[str, BeforeValidator(_text)]
DotNetDate = Annotated[datetime | None, BeforeValidator(parse_dotnet_date)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ClassicParty(_Wire):
    id: Text = ""
    name: Text = ""
    attention: Text = ""
    address: Text = ""
    address2: Text = ""
    zip_code: Text = Field(default="", alias="zipCode")
    city: Text = ""
    state: Text = ""
    country: Text = ""
    country_id: int | None = Field(default=None, alias="countryId")  # shop-specific, not ISO
    phone: Text = ""
    email: Text = ""
    ean: Text = ""
    cvr: Text = ""


class ClassicFee(_Wire):
    id: int
    name: Text = ""
    fee: Money = Decimal("0")
    fee_incl_vat: bool = Field(default=False, alias="feeInclVat")


class ClassicOrderState(_Wire):
    id: int
    name: Text = ""
    is_default: bool = Field(default=False, alias="isDefault")
    excl_statistics: bool = Field(default=False, alias="exclStatistics")


class ClassicOrderLine(_Wire):
    id: int
    product_id: Text = Field(default="", alias="productId")
    product_name: Text = Field(default="", alias="productName")
    quantity: Money
    unit_price: Money = Field(alias="unitPrice")
    total_price: Money = Field(default=Decimal("0"), alias="totalPrice")
    variant: Text = ""
    vat_pct: Money = Field(default=Decimal("0"), alias="vatPct")


class ClassicOrder(_Wire):
    id: int
    created_date: DotNetDate = Field(alias="createdDate")
    modified_date: DotNetDate = Field(default=None, alias="modifiedDate")
    order_state: ClassicOrderState | None = Field(default=None, alias="orderState")
    incomplete: bool = False
    currency_code: Text = Field(default="DKK", alias="currencyCode")
    site_id: int | None = Field(default=None, alias="siteId")
    total_price: Money = Field(alias="totalPrice")
    vat_pct: Money = Field(default=Decimal("25"), alias="vatPct")
    vat_reg_number: Text = Field(default="", alias="vatRegNumber")
    sales_discount: Money = Field(default=Decimal("0"), alias="salesDiscount")
    gift_certificate_amount: Money = Field(default=Decimal("0"), alias="giftCertificateAmount")
    gift_certificate_number: Text = Field(default="", alias="giftCertificateNumber")
    customer_comment: Text = Field(default="", alias="customerComment")
    reference_number: Text = Field(default="", alias="referenceNumber")
    transaction_number: Text = Field(default="", alias="transactionNumber")
    customer_info: ClassicParty = Field(alias="customerInfo")
    delivery_info: ClassicParty | None = Field(default=None, alias="deliveryInfo")
    payment_info: ClassicFee = Field(alias="paymentInfo")
    shipping_info: ClassicFee = Field(alias="shippingInfo")
    order_lines: list[ClassicOrderLine] = Field(default_factory=list, alias="orderLines")
