"""e-conomic responses autobook reads. Unknown fields are kept out; amounts are Decimal."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class InvoiceResponse(_Response):
    """A draft or booked invoice as e-conomic answers it."""

    draft_invoice_number: int | None = Field(default=None, alias="draftInvoiceNumber")
    booked_invoice_number: int | None = Field(default=None, alias="bookedInvoiceNumber")
    date: str = ""
    currency: str = ""
    exchange_rate: Decimal | None = Field(default=None, alias="exchangeRate")
    net_amount: Decimal = Field(default=Decimal("0"), alias="netAmount")
    vat_amount: Decimal = Field(default=Decimal("0"), alias="vatAmount")
    gross_amount: Decimal = Field(default=Decimal("0"), alias="grossAmount")
    reference: str = ""
    raw: dict[str, object] = Field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, body: dict[str, object]) -> "InvoiceResponse":
        refs = body.get("references")
        reference = str(refs.get("other", "")) if isinstance(refs, dict) else ""
        return cls.model_validate({**body, "reference": reference, "raw": body})


class Customer(_Response):
    customer_number: int = Field(alias="customerNumber")
    name: str = ""
    email: str = ""


class AgreementSelf(_Response):
    base_currency: str
