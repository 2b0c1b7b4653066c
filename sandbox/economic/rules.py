"""Structural rules of the e-conomic write schemas, encoded independently of the JSON files.

The rules mirror e-conomic's published draft-03 schemas (``invoices.drafts.post``,
``customers.post``, ``invoices.booked.post``). The contract tests check this encoding against
the official files, so the sandbox never needs to read them at runtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")


@dataclass(frozen=True)
class Rule:
    type: str | None = None
    required: bool = False
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    max_decimal: int | None = None
    properties: dict[str, Rule] = field(default_factory=dict)
    items: Rule | None = None


def s(max_length: int | None = None, *, required: bool = False, **kw: Any) -> Rule:
    return Rule(type="string", max_length=max_length, required=required, **kw)


def i(minimum: int | None = None, maximum: int | None = None, *, required: bool = False) -> Rule:
    return Rule(type="integer", minimum=minimum, maximum=maximum, required=required)


def n(max_decimal: int | None = None, maximum: int | None = None) -> Rule:
    return Rule(type="number", max_decimal=max_decimal, maximum=maximum)


def o(required: bool = False, **props: Rule) -> Rule:
    return Rule(type="object", required=required, properties=props)


def ref(key: str, minimum: int | None = 1, *, required: bool = False) -> Rule:
    """A reference object: ``{key: int, self: uri}``."""
    return o(required, **{key: i(minimum), "self": s()})


DATE = r"\d{4}-\d{2}-\d{2}"
PAYMENT_TERMS_TYPES = (
    "net",
    "invoiceMonth",
    "paidInCash",
    "prepaid",
    "dueDate",
    "factoring",
    "invoiceWeekStartingSunday",
    "invoiceWeekStartingMonday",
    "creditcard",
    "avtaleGiro",
)

_LINE = o(
    lineNumber=i(1),
    sortKey=i(1),
    description=s(2500),
    accrual=o(startDate=s(pattern=DATE), endDate=s(pattern=DATE)),
    unit=ref("unitNumber"),
    product=o(productNumber=s(25), self=s()),
    quantity=n(2),
    unitNetPrice=n(2),
    discountPercentage=n(2),
    unitCostPrice=n(2),
    marginInBaseCurrency=n(2),
    marginPercentage=n(2),
    departmentalDistribution=o(departmentalDistributionNumber=i(1), distributionType=s(), self=s()),
)

DRAFT_INVOICE_POST = o(
    date=s(required=True, pattern=DATE),
    currency=s(required=True, pattern="[a-zA-Z]{3}"),
    exchangeRate=n(6, 999999999999),
    dueDate=s(pattern=DATE),
    grossAmount=n(2),
    grossAmountInBaseCurrency=n(2),
    marginInBaseCurrency=n(2),
    marginPercentage=n(2),
    netAmount=n(2),
    roundingAmount=n(2),
    vatAmount=n(2),
    layout=ref("layoutNumber", required=True),
    project=ref("projectNumber"),
    paymentTerms=o(
        True,
        paymentTermsNumber=i(1),
        daysOfCredit=i(0),
        paymentTermsType=Rule(enum=PAYMENT_TERMS_TYPES),
        self=s(),
    ),
    customer=o(True, customerNumber=i(1, 999999999), self=s()),
    recipient=o(
        True,
        name=s(250, required=True),
        address=s(250),
        zip=s(50),
        city=s(250),
        country=s(50),
        ean=s(13),
        publicEntryNumber=s(40),
        attention=ref("customerContactNumber", None),
        vatZone=ref("vatZoneNumber", None, required=True),
        mobilePhone=s(),
        nemHandelType=Rule(
            enum=("ean", "corporateIdentificationNumber", "pNumber", "peppol", None)
        ),
    ),
    deliveryLocation=ref("deliveryLocationNumber"),
    delivery=o(
        address=s(255),
        zip=s(30),
        city=s(50),
        country=s(50),
        deliveryTerms=s(100),
        deliveryDate=s(pattern=DATE),
    ),
    notes=o(heading=s(250), textLine1=s(1000), textLine2=s(1000)),
    references=o(
        customerContact=ref("customerContactNumber"),
        salesPerson=ref("employeeNumber"),
        vendorReference=ref("employeeNumber"),
        other=s(250),
    ),
    pdf=o(download=s()),
    lines=Rule(type="array", items=_LINE),
)

CUSTOMER_POST = o(
    barred=Rule(type="boolean"),
    address=s(510),
    balance=n(),
    corporateIdentificationNumber=s(40),
    pNumber=s(10, min_length=10),
    city=s(50),
    country=s(50),
    creditLimit=n(),
    currency=s(3, min_length=3, required=True),
    customerGroup=ref("customerGroupNumber", None, required=True),
    customerNumber=i(1, 999999999),
    ean=s(13),
    email=s(255),
    vatZone=ref("vatZoneNumber", None, required=True),
    layout=ref("layoutNumber", None),
    name=s(255, min_length=1, required=True),
    paymentTerms=ref("paymentTermsNumber", None, required=True),
    zip=s(30),
    publicEntryNumber=s(50),
    telephoneAndFaxNumber=s(255),
    mobilePhone=s(50),
    eInvoicingDisabledByDefault=Rule(type="boolean"),
    vatNumber=s(20),
    website=s(255),
    salesPerson=ref("employeeNumber", None),
    priceGroup=Rule(),
)

BOOKED_INVOICE_POST = o(
    draftInvoice=o(draftInvoiceNumber=i(1, 999999999), self=s()),
    bookWithNumber=i(),
    sendBy=Rule(type="string", enum=("none", "EAN", "Email")),
)
