"""Dandomain Webshop (HostedShop) SOAP types as they arrive, under their exact SOAP names.

What the service sends is loose: a field outside the session's projection is missing (and a
missing field means an empty value), numbers may come as strings, arrays come as a list, as
zeep's `{"item": [...]}` or, with a single element, as the bare object. The validators here
take all of these; the adapter (`webshop_adapter.py`) decides what the values mean.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from autobook.domain.money import to_decimal

NULL_DATE = "0000-00-00 00:00:00"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, str):
        return Decimal(value.strip().replace(",", "."))
    return to_decimal(value)


def _integer(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        return int(value.strip())
    return int(value)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return bool(value)


def as_list(value: Any) -> list[Any]:
    """An array in any of its wire forms -> a list (None and {} are empty)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        if "item" in value and len(value) <= 2:  # zeep adds `_raw_elements` beside `item`
            return as_list(value["item"])
        return [value] if value else []
    return [value]


Text = Annotated[str, BeforeValidator(_text)]
Number = Annotated[Decimal, BeforeValidator(_number)]
Integer = Annotated[int, BeforeValidator(_integer)]
Flag = Annotated[bool, BeforeValidator(_flag)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class OrderCurrency(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    iso: Text = Field(default="", alias="Iso")
    symbol: Text = Field(default="", alias="Symbol")
    symbol_place: Text = Field(default="", alias="SymbolPlace")
    rate: Number = Field(default=Decimal("0"), alias="Currency")
    decimal: Text = Field(default="", alias="Decimal")
    point: Text = Field(default="", alias="Point")
    round: Integer = Field(default=0, alias="Round")


class OrderCustomer(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    firstname: Text = Field(default="", alias="Firstname")
    lastname: Text = Field(default="", alias="Lastname")
    company: Text = Field(default="", alias="Company")
    b2b: Flag = Field(default=False, alias="B2B")
    cvr: Text = Field(default="", alias="Cvr")
    ean: Text = Field(default="", alias="Ean")
    address: Text = Field(default="", alias="Address")
    address2: Text = Field(default="", alias="Address2")
    zip: Text = Field(default="", alias="Zip")
    city: Text = Field(default="", alias="City")
    country: Text = Field(default="", alias="Country")
    country_code: Text = Field(default="", alias="CountryCode")  # numeric delivery-country id
    state: Text = Field(default="", alias="State")
    phone: Text = Field(default="", alias="Phone")
    mobile: Text = Field(default="", alias="Mobile")
    email: Text = Field(default="", alias="Email")
    shipping_firstname: Text = Field(default="", alias="ShippingFirstname")
    shipping_lastname: Text = Field(default="", alias="ShippingLastname")
    shipping_company: Text = Field(default="", alias="ShippingCompany")
    shipping_address: Text = Field(default="", alias="ShippingAddress")
    shipping_address2: Text = Field(default="", alias="ShippingAddress2")
    shipping_zip: Text = Field(default="", alias="ShippingZip")
    shipping_city: Text = Field(default="", alias="ShippingCity")
    shipping_country: Text = Field(default="", alias="ShippingCountry")
    shipping_country_code: Text = Field(default="", alias="ShippingCountryCode")
    shipping_state: Text = Field(default="", alias="ShippingState")
    shipping_phone: Text = Field(default="", alias="ShippingPhone")
    shipping_mobile: Text = Field(default="", alias="ShippingMobile")
    shipping_email: Text = Field(default="", alias="ShippingEmail")


class OrderPayment(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    payment_method_id: Integer = Field(default=0, alias="PaymentMethodId")
    title: Text = Field(default="", alias="Title")
    price: Number = Field(default=Decimal("0"), alias="Price")
    vat: Flag = Field(default=False, alias="Vat")
    external_id: Text = Field(default="", alias="ExternalId")


class OrderTransaction(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    payment_id: Integer = Field(default=0, alias="PaymentId")
    status: Integer = Field(default=0, alias="Status")
    transaction_number: Integer = Field(default=0, alias="TransactionNumber")
    transaction_number_long: Text = Field(default="", alias="TransactionNumberLong")
    cardtype: Text = Field(default="", alias="Cardtype")
    amount: Integer = Field(default=0, alias="Amount")  # minor units (øre)
    amount_full: Number = Field(default=Decimal("0"), alias="AmountFull")  # major units
    amount_original: Number = Field(default=Decimal("0"), alias="AmountOriginal")
    currency: Text = Field(default="", alias="Currency")  # numeric currency id
    errorcode: Integer = Field(default=0, alias="Errorcode")
    actioncode: Integer = Field(default=0, alias="Actioncode")
    date: Text = Field(default="", alias="Date")


class OrderLine(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    product_id: Integer = Field(default=0, alias="ProductId")
    variant_id: Integer = Field(default=0, alias="VariantId")
    amount: Number = Field(default=Decimal("0"), alias="Amount")  # the quantity
    product_title: Text = Field(default="", alias="ProductTitle")
    variant_title: Text = Field(default="", alias="VariantTitle")
    additional_title: Text = Field(default="", alias="AdditionalTitle")
    item_number: Text = Field(default="", alias="ItemNumber")  # the SKU
    item_number_supplier: Text = Field(default="", alias="ItemNumberSupplier")
    price: Number = Field(default=Decimal("0"), alias="Price")
    price_rounded: Number = Field(default=Decimal("0"), alias="PriceRounded")
    discount: Number = Field(default=Decimal("0"), alias="Discount")
    discount_rounded: Number = Field(default=Decimal("0"), alias="DiscountRounded")
    buy_price: Number = Field(default=Decimal("0"), alias="BuyPrice")
    vat_rate: Number = Field(default=Decimal("0"), alias="VatRate")
    weight: Number = Field(default=Decimal("0"), alias="Weight")
    unit: Text = Field(default="", alias="Unit")
    offline_product: Flag = Field(default=False, alias="OfflineProduct")
    stock_location_id: Integer = Field(default=0, alias="StockLocationId")
    tracking_code: Text = Field(default="", alias="TrackingCode")
    status: Integer = Field(default=0, alias="Status")


class OrderDelivery(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    delivery_method_id: Integer = Field(default=0, alias="DeliveryMethodId")
    vat: Flag = Field(default=False, alias="Vat")
    title: Text = Field(default="", alias="Title")
    price: Number = Field(default=Decimal("0"), alias="Price")
    buy_price: Number = Field(default=Decimal("0"), alias="BuyPrice")
    service_type: Text = Field(default="", alias="ServiceType")
    droppoint_id: Integer = Field(default=0, alias="DroppointId")
    droppoint_id_long: Text = Field(default="", alias="DroppointIdLong")


class OrderDiscountCode(_Wire):
    id: Integer = Field(default=0, alias="Id")
    order_id: Integer = Field(default=0, alias="OrderId")
    discount_id: Integer = Field(default=0, alias="DiscountId")
    title: Text = Field(default="", alias="Title")
    type: Text = Field(default="", alias="Type")  # e.g. "percent"
    value: Number = Field(default=Decimal("0"), alias="Value")
    discount: Number = Field(default=Decimal("0"), alias="Discount")  # the amount
    vat: Flag = Field(default=False, alias="Vat")


Array = BeforeValidator(as_list)


class Order(_Wire):
    """The SOAP `Order` (35 fields). Absent sub-objects mean the projection left them out."""

    id: Integer = Field(alias="Id")
    invoice_number: Integer = Field(default=0, alias="InvoiceNumber")
    currency_id: Integer = Field(default=0, alias="CurrencyId")  # a per-order snapshot id
    currency: OrderCurrency | None = Field(default=None, alias="Currency")
    customer_id: Integer = Field(default=0, alias="CustomerId")
    customer: OrderCustomer | None = Field(default=None, alias="Customer")
    user_id: Integer = Field(default=0, alias="UserId")
    site: Integer = Field(default=0, alias="Site")
    language_iso: Text = Field(default="", alias="LanguageISO")
    status: Text = Field(default="", alias="Status")  # status code id, as a string
    payment_id: Integer = Field(default=0, alias="PaymentId")
    payment: OrderPayment | None = Field(default=None, alias="Payment")
    transactions: Annotated[list[OrderTransaction], Array] = Field(
        default_factory=list, alias="Transactions"
    )
    vat: Number = Field(default=Decimal("0"), alias="Vat")
    total: Number = Field(default=Decimal("0"), alias="Total")
    order_comment: Text = Field(default="", alias="OrderComment")
    order_comment_external: Text = Field(default="", alias="OrderCommentExternal")
    customer_comment: Text = Field(default="", alias="CustomerComment")
    delivery_comment: Text = Field(default="", alias="DeliveryComment")
    delivery_time: Text = Field(default="", alias="DeliveryTime")
    tracking_code: Text = Field(default="", alias="TrackingCode")
    date_delivered: Text = Field(default="", alias="DateDelivered")
    date_due: Text = Field(default="", alias="DateDue")
    date_sent: Text = Field(default="", alias="DateSent")
    date_updated: Text = Field(default="", alias="DateUpdated")
    order_lines: Annotated[list[OrderLine], Array] = Field(default_factory=list, alias="OrderLines")
    packing_id: Integer = Field(default=0, alias="PackingId")
    delivery_id: Integer = Field(default=0, alias="DeliveryId")
    delivery: OrderDelivery | None = Field(default=None, alias="Delivery")
    discount_codes: Annotated[list[OrderDiscountCode], Array] = Field(
        default_factory=list, alias="DiscountCodes"
    )
    reference_number: Text = Field(default="", alias="ReferenceNumber")
    origin: Text = Field(default="", alias="Origin")  # credit note: the credited order's id
    referral_code: Text = Field(default="", alias="ReferralCode")


# ----------------------------------------------------------------------------- reference data


class DeliveryCountry(_Wire):
    """`Product_GetDeliveryCountryAll`: the shop's delivery countries; `Id` is what an order's
    `CountryCode` holds."""

    id: Integer = Field(alias="Id")
    iso: Text = Field(default="", alias="Iso")
    code: Text = Field(default="", alias="Code")


class PaymentMethod(_Wire):
    id: Integer = Field(alias="Id")
    title: Text = Field(default="", alias="Title")
    description: Text = Field(default="", alias="Description")
    language_iso: Text = Field(default="", alias="LanguageISO")
    type: Text = Field(default="", alias="Type")
    vat: Flag = Field(default=False, alias="Vat")
    fixed_fee: Number = Field(default=Decimal("0"), alias="FixedFee")
    percentage_fee: Number = Field(default=Decimal("0"), alias="PercentageFee")
    order_status: Integer = Field(default=0, alias="OrderStatus")


class DeliveryMethod(_Wire):
    """`Delivery_GetAll` (SOAP type `Delivery`)."""

    id: Integer = Field(alias="Id")
    title: Text = Field(default="", alias="Title")
    price: Number = Field(default=Decimal("0"), alias="Price")
    vat: Flag = Field(default=False, alias="Vat")
    type: Text = Field(default="", alias="Type")
    service_type: Text = Field(default="", alias="ServiceType")
    free_delivery_active: Flag = Field(default=False, alias="FreeDeliveryActive")
    free_delivery_price: Number = Field(default=Decimal("0"), alias="FreeDeliveryPrice")
    language_iso: Text = Field(default="", alias="LanguageISO")


class OrderStatusCode(_Wire):
    id: Integer = Field(alias="Id")
    title: Text = Field(default="", alias="Title")
    language_iso: Text = Field(default="", alias="LanguageISO")
    sorting: Integer = Field(default=0, alias="Sorting")


class Currency(_Wire):
    """`Currency_GetAll`; `Currency` is the rate (see `WebshopSettings.currency_rate_per`)."""

    id: Integer = Field(alias="Id")
    iso: Text = Field(default="", alias="Iso")
    rate: Number = Field(default=Decimal("0"), alias="Currency")
    title: Text = Field(default="", alias="Title")


class Site(_Wire):
    id: Integer = Field(alias="Id")
    language_iso: Text = Field(default="", alias="LanguageISO")
    title: Text = Field(default="", alias="Title")
    sorting: Integer = Field(default=0, alias="Sorting")
    type: Text = Field(default="", alias="Type")
