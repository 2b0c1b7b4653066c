"""e-conomic's own grossAmount on the created draft against the shop's total."""

from decimal import Decimal
from typing import Any

import pytest

from autobook.domain.books import EconomicInvoice
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import MappedInvoice, map_order, verify_economic_gross
from autobook.economic.models import invoice_from_json
from tests.unit.mapping.mapping_builders import dk_buyer, line, no_delivery, order, ref, shop


def _mapped() -> MappedInvoice:
    # T-shirt 100 + book 40 (both 25 %), shipping 29 gross: 125 + 50 + 29 = 204
    o = order(
        customerInfo=dk_buyer(),
        deliveryInfo=no_delivery(),
        orderLines=[line(sku="TSHIRT", price=100), line(sku="BOG-7", price=40, line_id=2)],
        totalPrice=204,
    )
    return map_order(o, shop(), ref())


def _response(
    gross: str, vat: str | None = None, net: str | None = None, **extra: Any
) -> EconomicInvoice:
    """The created draft as e-conomic answers it, read by the adapter."""
    body: dict[str, Any] = {"draftInvoiceNumber": 31, "grossAmount": Decimal(gross)}
    if vat is not None:
        body["vatAmount"] = Decimal(vat)
    if net is not None:
        body["netAmount"] = Decimal(net)
    body.update(extra)
    return invoice_from_json(body)


def test_given_e_conomic_agrees_to_the_ore_then_nothing_is_raised() -> None:
    mapped = _mapped()
    assert mapped.expected_gross == Decimal(204)

    verify_economic_gross(mapped, _response("204.00", vat="40.80", net="163.20"))


def test_given_a_line_with_zero_vat_in_e_conomic_then_the_product_is_named() -> None:
    lines = [
        {"lineNumber": 1, "vatAmount": 25.0},
        {"lineNumber": 2, "vatAmount": 0},
        {"vatAmount": 5.8},
    ]

    with pytest.raises(KnownError) as caught:
        verify_economic_gross(_mapped(), _response("194.00", vat="30.80", lines=lines))

    error = caught.value
    assert error.code is ErrorCode.TOTALS_MISMATCH
    assert "product BOG-7 is in a VAT-free product group" in error.text.en
    assert "BOG-7" in error.text.da
    assert error.parameters["economic_total"] == "194.00"
    assert error.parameters["shop_total"] == "204.00"


def test_given_only_totals_then_the_lines_that_explain_the_missing_vat_are_named() -> None:
    with pytest.raises(KnownError) as caught:
        verify_economic_gross(_mapped(), _response("179.00", vat="15.80", net="163.20"))

    assert "product TSHIRT is in a VAT-free product group" in caught.value.text.en


def test_given_more_vat_than_expected_then_the_line_that_got_vat_is_named() -> None:
    o = order(
        customerInfo=dk_buyer(),
        deliveryInfo=no_delivery(),
        orderLines=[line(sku="BOG", price=100, vat="0")],
        shippingInfo={"fee": 0},
        totalPrice=100,
    )
    mapped = map_order(o, shop(), ref())

    with pytest.raises(KnownError) as caught:
        verify_economic_gross(mapped, _response("125.00", vat="25", lines=[{"vatAmount": 25}]))

    assert "product BOG carries VAT in e-conomic" in caught.value.text.en


def test_given_a_changed_net_amount_then_customer_prices_are_suspected() -> None:
    with pytest.raises(KnownError) as caught:
        verify_economic_gross(_mapped(), _response("194.00", vat="40.80", net="153.20"))

    assert "changed the net amount" in caught.value.text.en


def test_given_no_gross_amount_then_totals_mismatch() -> None:
    with pytest.raises(KnownError) as caught:
        verify_economic_gross(_mapped(), invoice_from_json({"draftInvoiceNumber": 31}))

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
