"""The Classic WEBAPI v1 wire model and its adapter to the platform-neutral Order."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from autobook.dandomain.classic_adapter import parse_classic_order
from autobook.dandomain.classic_model import parse_dotnet_date
from autobook.domain.mapping import skip_reason
from tests.unit.mapping.mapping_builders import classic, line, order


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/Date(1509972409000+0100)/",
            datetime(2017, 11, 6, 13, 46, 49, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "/Date(1509972409000-0500)/",
            datetime(2017, 11, 6, 7, 46, 49, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("/Date(1509972409000)/", datetime(2017, 11, 6, 12, 46, 49, tzinfo=UTC)),
        ("/Date(-86400000+0000)/", datetime(1969, 12, 31, tzinfo=UTC)),
    ],
)
def test_given_a_dotnet_date_then_it_is_the_utc_instant_in_the_given_offset(
    text: str, expected: datetime
) -> None:
    parsed = parse_dotnet_date(text)

    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


def test_given_a_malformed_date_then_parsing_fails() -> None:
    with pytest.raises(ValueError, match="not a /Date"):
        parse_dotnet_date("2017-11-06")


def test_given_the_fixture_then_the_order_is_complete() -> None:
    o = order()

    assert (o.order_id, o.site_id, o.currency) == ("295591", 26, "DKK")
    assert o.total_gross == Decimal("158.95")
    assert o.vat_percent == Decimal(25)
    assert o.lines[0].vat_percent == Decimal(25)
    assert o.lines[0].unit_net_price == Decimal("103.96")
    assert o.shipping.amount == Decimal(29)
    assert o.shipping.flag_incl_vat is False
    assert o.customer_id == "220739"
    assert o.delivery is not None
    assert o.delivery.address2 == "Pakkeshop: 95864"
    assert o.gift_certificate_number == ""


@pytest.mark.parametrize(
    ("text", "rate"), [("25", "25"), ("25,00", "25.00"), (" 12.5 ", "12.5"), ("", "0")]
)
def test_given_vat_rates_as_strings_then_they_are_decimals(text: str, rate: str) -> None:
    o = order(orderLines=[line(vat=text)], vatPct=text)

    assert o.lines[0].vat_percent == Decimal(rate)
    assert o.vat_percent == Decimal(rate)


def test_given_an_empty_customer_id_and_html_entities_then_they_are_cleaned() -> None:
    o = order(customerInfo={"id": "", "name": "Bl&aring;b&aelig;r ApS"})

    assert o.customer_id == ""
    assert o.customer.name == "Blåbær ApS"


def test_given_vat_reg_number_site_and_sales_discount_then_they_arrive() -> None:
    o = order(vatRegNumber=" DK12345678 ", siteId=27, salesDiscount=12.5, giftCertificateAmount=50)

    assert o.vat_reg_number == "DK12345678"
    assert o.site_id == 27
    assert o.sales_discount == Decimal("12.5")
    assert o.gift_certificate_amount == Decimal(50)


def test_given_an_empty_delivery_block_then_the_order_has_no_delivery() -> None:
    empty = {key: "" for key in classic()["deliveryInfo"]}
    o = parse_classic_order(classic(deliveryInfo={**empty, "countryId": 0}))

    assert o.delivery is None


def test_given_an_incomplete_order_then_it_is_skipped() -> None:
    assert skip_reason(order(incomplete=True)) == "incomplete"
    assert skip_reason(order()) is None


def test_given_float_noise_from_the_wire_then_money_is_exact() -> None:
    o = order(totalPrice=0.1 + 0.2)

    assert o.total_gross == Decimal("0.30000000000000004")  # repr-exact, no binary expansion
