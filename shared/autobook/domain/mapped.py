"""The result of mapping one order: the draft and what e-conomic must compute for it."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from autobook.domain.invoice import DraftInvoice
from autobook.domain.pricing import PricedLine
from autobook.domain.vat_zone import ZoneDecision


class MappedInvoice(BaseModel):
    """The draft plus what e-conomic must answer for it (checked by `verify_economic_gross`)."""

    model_config = ConfigDict(frozen=True)

    draft: DraftInvoice
    expected_gross: Decimal  # = the shop's total; what e-conomic's grossAmount must be
    expected_net: Decimal | None = None
    expected_vat: Decimal | None = None
    order_id: str = ""
    priced_lines: tuple[PricedLine, ...] = ()  # aligned with draft.lines
    vat_zone: ZoneDecision | None = None
    fee_reading: str = ""
    discount_reading: str = ""
    rounding: Decimal = Decimal("0")
