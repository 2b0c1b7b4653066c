"""Lines, fees, discounts, gift cards, and reconciling e-conomic's arithmetic with totalPrice."""

from decimal import Decimal

import pytest

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import MappedInvoice, map_order
from autobook.domain.pricing import LineKind, PricedLine, economic_totals, net_unit_from_gross
from tests.unit.mapping.mapping_builders import dk_buyer, line, no_delivery, order, ref, shop

D = Decimal


def _dk(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "customerInfo": dk_buyer(),
        "deliveryInfo": no_delivery(),
        "shippingInfo": {"fee": 0, "feeInclVat": False},
        "paymentInfo": {"fee": 0, "feeInclVat": False},
    }
    base.update(changes)
    return base


def _kinds(mapped: MappedInvoice) -> list[LineKind]:
    return [line.kind for line in mapped.priced_lines]


def test_given_e_conomic_rules_when_totals_are_computed_then_each_line_is_rounded() -> None:
    lines = [
        PricedLine(
            kind=LineKind.PRODUCT,
            product_number="A",
            description="a",
            quantity=D(3),
            unit_net_price=D("33.33"),
            vat_percent=D(25),
        ),
        PricedLine(
            kind=LineKind.PRODUCT,
            product_number="B",
            description="b",
            quantity=D("1.5"),
            unit_net_price=D("0.99"),
            vat_percent=D(25),
        ),
    ]
    totals = economic_totals(lines)

    # 99.99 -> VAT 25.00 (24.9975); 1.485 -> 1.49 -> VAT 0.37 (0.3725)
    assert (totals.net, totals.vat, totals.gross) == (D("101.48"), D("25.37"), D("126.85"))


@pytest.mark.parametrize(
    ("gross", "net"), [(D(29), D("23.20")), (D("99.99"), D("79.99")), (D("0.01"), D("0.01"))]
)
def test_given_a_gross_fee_when_netted_then_e_conomic_gives_the_gross_back(
    gross: Decimal, net: Decimal
) -> None:
    assert net_unit_from_gross(gross, D(25)) == net


def test_given_a_fee_flagged_incl_vat_when_that_reconciles_then_it_is_netted() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=100)],
            shippingInfo={"fee": 40, "feeInclVat": True},
            totalPrice=165,
        )
    )
    mapped = map_order(o, shop(), ref())

    assert mapped.expected_gross == D(165)
    assert mapped.priced_lines[-1].unit_net_price == D("32.00")


def test_given_a_fee_that_is_net_when_that_reconciles_then_vat_is_added_on_top() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=100)],
            shippingInfo={"fee": 40, "feeInclVat": False},
            totalPrice=175,
        )
    )
    mapped = map_order(o, shop(), ref())

    assert mapped.priced_lines[-1].unit_net_price == D(40)
    assert mapped.fee_reading == "flag"


def test_given_a_forced_fee_reading_that_does_not_reconcile_then_totals_mismatch() -> None:
    o = order(**_dk(orderLines=[line(price=100)], shippingInfo={"fee": 40}, totalPrice=175))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(fee_semantics="gross"), ref())

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
    assert caught.value.parameters["economic_total"] == "165.00"


def test_given_a_small_difference_when_a_rounding_product_is_mapped_then_a_line_absorbs_it() -> (
    None
):
    # 3 × 33.333 net: the shop rounds once (124.99875 -> 125.00); e-conomic per line.
    o = order(**_dk(orderLines=[line(price=33.333, quantity=3)], totalPrice=125.00))
    mapped = map_order(o, shop(), ref())

    assert _kinds(mapped) == [LineKind.PRODUCT, LineKind.ROUNDING]
    assert mapped.rounding == D("0.01")
    assert mapped.priced_lines[-1].vat_percent == 0
    assert mapped.expected_gross == D("125.00")
    assert mapped.draft.lines[-1].product.product_number == "DIFF"


def test_given_a_small_difference_and_no_rounding_product_then_totals_mismatch() -> None:
    o = order(**_dk(orderLines=[line(price=33.333, quantity=3)], totalPrice=125.00))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(rounding_product=None), ref())

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
    assert "no rounding product" in caught.value.text.en


def test_given_a_difference_at_the_tolerance_then_totals_mismatch() -> None:
    o = order(**_dk(orderLines=[line(price=100)], totalPrice=125.10))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(), ref())

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
    assert "do not add up" in caught.value.text.en


def test_given_a_discount_line_without_sku_then_it_goes_to_the_discount_product() -> None:
    o = order(
        **_dk(
            orderLines=[
                line(price=200),
                line(sku="", price=-40, name="Rabatkode SOMMER", line_id=2),
            ],
            totalPrice=200,
        )
    )
    mapped = map_order(o, shop(), ref())

    discount = mapped.draft.lines[1]
    assert discount.product.product_number == "RABAT"
    assert discount.unit_net_price == D(-40)
    assert discount.description == "Rabatkode SOMMER"
    assert mapped.expected_gross == D(200)


def test_given_a_discount_line_and_no_discount_product_then_discount_unmapped() -> None:
    o = order(
        **_dk(orderLines=[line(price=200), line(sku="", price=-40, line_id=2)], totalPrice=200)
    )

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(discount_product=None), ref())

    assert caught.value.code is ErrorCode.DISCOUNT_UNMAPPED
    assert "rabatvare" in caught.value.text.da


def test_given_a_sales_discount_incl_vat_then_a_discount_line_nets_it() -> None:
    o = order(**_dk(orderLines=[line(price=200)], salesDiscount=50, totalPrice=200))
    mapped = map_order(o, shop(), ref())

    assert mapped.discount_reading == "gross"
    assert mapped.priced_lines[1].kind is LineKind.SALES_DISCOUNT
    assert mapped.priced_lines[1].unit_net_price == D(-40)


def test_given_a_sales_discount_already_in_the_lines_then_no_second_line() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=200), line(sku="", price=-40, line_id=2)],
            salesDiscount=50,
            totalPrice=200,
        )
    )
    mapped = map_order(o, shop(), ref())

    assert mapped.discount_reading == "in_lines"
    assert _kinds(mapped) == [LineKind.PRODUCT, LineKind.DISCOUNT]


def test_given_a_sales_discount_and_no_discount_product_then_discount_unmapped() -> None:
    o = order(**_dk(orderLines=[line(price=200)], salesDiscount=50, totalPrice=200))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(discount_product=None), ref())

    assert caught.value.code is ErrorCode.DISCOUNT_UNMAPPED


def test_given_a_gift_certificate_then_a_vat_free_gift_card_line_pays_part() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=200)],
            giftCertificateAmount=100,
            giftCertificateNumber="GC-77",
            totalPrice=150,
        )
    )
    mapped = map_order(o, shop(), ref())

    gift = mapped.priced_lines[1]
    assert (gift.kind, gift.product_number, gift.vat_percent) == (
        LineKind.GIFT_CARD,
        "GAVEKORT",
        D(0),
    )
    assert gift.unit_net_price == D(-100)
    assert gift.description == "Gavekort GC-77"
    assert mapped.expected_gross == D(150)


def test_given_a_gift_certificate_and_no_gift_card_product_then_discount_unmapped() -> None:
    o = order(**_dk(orderLines=[line(price=200)], giftCertificateAmount=100, totalPrice=150))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(gift_card_product=None), ref())

    assert caught.value.code is ErrorCode.DISCOUNT_UNMAPPED
    assert "gavekortvare" in caught.value.text.da


def test_given_a_payment_fee_then_it_goes_to_the_payment_methods_fee_product() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=100)], paymentInfo={"fee": 5, "feeInclVat": True}, totalPrice=130
        )
    )
    mapped = map_order(o, shop(), ref())

    fee = mapped.draft.lines[-1]
    assert fee.product.product_number == "GEBYR"
    assert fee.description == "Gebyr Betalingskort"
    assert fee.unit_net_price == D(4)


def test_given_a_payment_fee_and_no_fee_product_then_fee_unmapped() -> None:
    from autobook.domain.shop import PaymentMapping

    o = order(**_dk(orderLines=[line(price=100)], paymentInfo={"fee": 5}, totalPrice=130))
    payments = {60: PaymentMapping(name="Betalingskort", payment_terms_number=4)}

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(payment_methods=payments), ref())

    assert caught.value.code is ErrorCode.FEE_UNMAPPED
    assert caught.value.parameters["fee_kind_en"] == "payment fee"


def test_given_a_zero_fee_then_no_product_is_needed() -> None:
    o = order(**_dk(orderLines=[line(price=100)], totalPrice=125))
    mapped = map_order(o, shop(shipping_methods={}), ref())

    assert _kinds(mapped) == [LineKind.PRODUCT]


def test_given_a_card_fee_then_it_goes_to_the_card_fee_product() -> None:
    from autobook.domain.order import Fee

    o = order(**_dk(orderLines=[line(price=100)], totalPrice=127.50))
    o = o.model_copy(update={"card_fee": Fee(method_id=60, name="Kortgebyr", amount=D("2.50"))})
    mapped = map_order(o, shop(), ref())

    assert mapped.draft.lines[-1].product.product_number == "KORTGEBYR"
    assert mapped.expected_gross == D("127.50")


def test_given_a_positive_line_without_sku_then_product_missing() -> None:
    o = order(**_dk(orderLines=[line(sku="", price=100, name="Hjemmelavet vare")], totalPrice=125))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(), ref())

    assert caught.value.code is ErrorCode.PRODUCT_MISSING
    assert caught.value.parameters["products"] == "Hjemmelavet vare"
    assert "no product number" in caught.value.text.en


def test_given_a_sku_over_25_characters_then_product_missing_unless_overridden() -> None:
    long_sku = "X" * 26
    o = order(**_dk(orderLines=[line(sku=long_sku, price=100)], totalPrice=125))

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(), ref())
    assert caught.value.code is ErrorCode.PRODUCT_MISSING
    assert "25 characters" in caught.value.text.en

    mapped = map_order(o, shop(product_overrides={long_sku: "SHORT-1"}), ref())
    assert mapped.draft.lines[0].product.product_number == "SHORT-1"


def test_given_odd_skus_then_they_are_sent_as_they_are() -> None:
    skus = ["A/B 1", "æøå_#.+", "  pad  "]
    o = order(
        **_dk(
            orderLines=[line(sku=s, price=10, line_id=i) for i, s in enumerate(skus)],
            totalPrice=37.50,
        )
    )
    mapped = map_order(o, shop(), ref())

    assert [x.product.product_number for x in mapped.draft.lines] == ["A/B 1", "æøå_#.+", "pad"]


def test_given_a_zero_quantity_line_then_it_is_left_out() -> None:
    o = order(
        **_dk(orderLines=[line(price=100), line(sku="B", quantity=0, line_id=2)], totalPrice=125)
    )
    assert len(map_order(o, shop(), ref()).draft.lines) == 1


def test_given_a_vat_free_line_then_e_conomic_adds_no_vat_to_it() -> None:
    o = order(
        **_dk(
            orderLines=[line(price=100), line(sku="BOG", price=50, vat="0", line_id=2)],
            totalPrice=175,
        )
    )
    mapped = map_order(o, shop(), ref())

    assert [x.vat for x in mapped.priced_lines] == [D(25), D(0)]
