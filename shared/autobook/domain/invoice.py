"""The e-conomic draft invoice that the mapping engine produces (the POST /invoices/drafts body).

Field names follow e-conomic's JSON exactly (aliases); `to_body()` gives the JSON-ready dict
with None omitted, because e-conomic rejects explicit nulls.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _max_decimals(places: int) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise ValueError(f"{value} has more than {places} decimals")
        return value

    return AfterValidator(check)


Amount2 = Annotated[Decimal, _max_decimals(2)]
Rate6 = Annotated[Decimal, _max_decimals(6)]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class CustomerRef(_Body):
    customer_number: int = Field(alias="customerNumber")


class PaymentTermsRef(_Body):
    payment_terms_number: int = Field(alias="paymentTermsNumber")


class LayoutRef(_Body):
    layout_number: int = Field(alias="layoutNumber")


class VatZoneRef(_Body):
    vat_zone_number: int = Field(alias="vatZoneNumber")


class ProductRef(_Body):
    product_number: str = Field(alias="productNumber", max_length=25)


class Recipient(_Body):
    name: str = Field(max_length=250)
    address: str | None = Field(default=None, max_length=250)
    zip: str | None = Field(default=None, max_length=50)
    city: str | None = Field(default=None, max_length=250)
    country: str | None = Field(default=None, max_length=50)
    ean: str | None = Field(default=None, max_length=13)
    vat_zone: VatZoneRef = Field(alias="vatZone")


class Delivery(_Body):
    address: str | None = Field(default=None, max_length=255)
    zip: str | None = Field(default=None, max_length=30)
    city: str | None = Field(default=None, max_length=50)
    country: str | None = Field(default=None, max_length=50)
    delivery_terms: str | None = Field(default=None, alias="deliveryTerms", max_length=100)


class Notes(_Body):
    heading: str | None = Field(default=None, max_length=250)
    text_line1: str | None = Field(default=None, alias="textLine1", max_length=1000)
    text_line2: str | None = Field(default=None, alias="textLine2", max_length=1000)


class References(_Body):
    other: str = Field(max_length=250)


class InvoiceLine(_Body):
    line_number: int = Field(alias="lineNumber", ge=1)
    sort_key: int = Field(alias="sortKey", ge=1)
    product: ProductRef
    description: str = Field(max_length=2500)
    quantity: Amount2
    unit_net_price: Amount2 = Field(alias="unitNetPrice")
    discount_percentage: Amount2 | None = Field(default=None, alias="discountPercentage")


class DraftInvoice(_Body):
    date: dt.date
    currency: str = Field(min_length=3, max_length=3)
    exchange_rate: Rate6 | None = Field(default=None, alias="exchangeRate", gt=0)
    due_date: dt.date | None = Field(default=None, alias="dueDate")
    customer: CustomerRef
    payment_terms: PaymentTermsRef = Field(alias="paymentTerms")
    layout: LayoutRef
    recipient: Recipient
    delivery: Delivery | None = None
    notes: Notes | None = None
    references: References
    lines: tuple[InvoiceLine, ...]

    def to_body(self) -> dict[str, Any]:
        """JSON-ready body: no nulls, dates as ISO text, Decimals as exact JSON numbers."""
        body: dict[str, Any] = _jsonable(
            self.model_dump(mode="python", exclude_none=True, by_alias=True)
        )
        return body


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        # A 2-decimal Decimal converts to the float whose shortest repr is the same text.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
