"""What autobook reads back from e-conomic: a draft or booked invoice, typed.

The e-conomic adapter builds these from the wire; the domain and the use cases never see raw
JSON. `lines` is None where e-conomic answered a "light" collection item without lines.
"""

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class BookedLine(_Frozen):
    product_number: str
    description: str = ""
    quantity: Decimal = Decimal("1")
    unit_net_price: Decimal = Decimal("0")
    discount_percentage: Decimal | None = None
    vat_amount: Decimal | None = None  # what e-conomic computed for the line (drafts)


class RecipientRecord(_Frozen):
    name: str = ""
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    ean: str | None = None
    vat_zone_number: int | None = None


class DeliveryRecord(_Frozen):
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None


class EconomicInvoice(_Frozen):
    """A draft (draft_number set) or a booked invoice (booked_number set)."""

    draft_number: int | None = None
    booked_number: int | None = None
    reference: str = ""  # references.other
    customer_number: int | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    currency: str = ""
    exchange_rate: Decimal | None = None
    net: Decimal = Decimal("0")
    vat: Decimal = Decimal("0")
    gross: Decimal = Decimal("0")
    payment_terms_number: int | None = None
    payment_terms_type: str | None = None
    payment_terms_name: str | None = None
    layout_number: int | None = None
    recipient: RecipientRecord = RecipientRecord()
    delivery: DeliveryRecord | None = None
    heading: str | None = None
    lines: tuple[BookedLine, ...] | None = None

    @property
    def is_booked(self) -> bool:
        return self.booked_number is not None


class ProductState(_Frozen):
    """A product as e-conomic has it: whether an invoice line may use it."""

    number: str
    barred: bool = False


class EconomicEntry(_Frozen):
    """One entry of an e-conomic list the mapping points into (payment terms, layouts, VAT
    zones, products): its number, its name, and what else a proposal needs."""

    number: str
    name: str = ""
    barred: bool = False
    terms_type: str = ""  # payment terms only: net, creditcard, prepaid, paidInCash, ...


class FieldProblem(_Frozen):
    """One annotated validation error: where (`lines[2].product.productNumber`), which code."""

    path: str
    code: str
    message: str = ""
    value: str | None = None
    line_index: int | None = None  # for errors under `lines`


class Rejection(Exception):
    """e-conomic refused a request (4xx other than access and throttling), parsed.

    Raised by the e-conomic adapter; `autobook.domain.rejections` turns it into the catalogue
    error the owner can act on."""

    def __init__(
        self,
        status: int,
        *,
        codes: frozenset[str],
        problems: tuple[FieldProblem, ...],
        message: str,
        operation: str,
    ) -> None:
        self.status = status
        self.codes = codes
        self.problems = problems
        self.message = message
        self.operation = operation
        super().__init__(f"e-conomic {operation} -> {status}: {message}")
