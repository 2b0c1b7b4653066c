"""The real Classic v1 fixtures, end to end through the adapter and the mapping engine."""

from decimal import Decimal

import pytest

from autobook.dandomain.classic_adapter import parse_classic_order
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import map_order
from autobook.domain.pricing import LineKind
from tests.unit.mapping.mapping_builders import EDITED_ORDER, fixture_json, ref, shop


def test_given_the_raw_fixture_when_mapped_then_gross_is_the_shop_total_158_95() -> None:
    mapped = map_order(parse_classic_order(fixture_json()), shop(), ref())

    assert mapped.expected_gross == Decimal("158.95")
    assert mapped.rounding == 0
    product, shipping = mapped.priced_lines
    assert (product.net, product.vat) == (Decimal("103.96"), Decimal("25.99"))
    assert shipping.kind is LineKind.SHIPPING
    assert (shipping.net, shipping.vat) == (Decimal("23.20"), Decimal("5.80"))
    assert mapped.fee_reading == "gross"  # feeInclVat is false, yet the 29 includes VAT


def test_given_the_raw_fixture_when_mapped_then_the_body_is_what_an_accountant_types() -> None:
    body = map_order(parse_classic_order(fixture_json()), shop(), ref()).draft.to_body()

    assert body["currency"] == "DKK"
    assert "exchangeRate" not in body
    assert body["customer"] == {"customerNumber": 1042}
    assert body["paymentTerms"] == {"paymentTermsNumber": 4}
    assert body["layout"] == {"layoutNumber": 19}
    assert body["references"] == {"other": "fit4fight-295591"}
    assert body["notes"] == {"heading": "Ordre 295591"}
    assert body["lines"][0] == {
        "lineNumber": 1,
        "sortKey": 1,
        "product": {"productNumber": "4009249-0001-12"},
        "description": "D-XEL - Matti T-shirt, Størrelse 0-16 år:152 cm - 12 år",
        "quantity": 1,
        "unitNetPrice": 103.96,
    }
    assert body["lines"][1]["product"] == {"productNumber": "FRAGT"}
    assert body["lines"][1]["unitNetPrice"] == 23.2


def test_given_a_parcel_shop_delivery_when_mapped_then_it_stays_out_of_the_recipient() -> None:
    body = map_order(parse_classic_order(fixture_json()), shop(), ref()).draft.to_body()

    # Delivery in Denmark decides the zone (the buyer's address says Belgium).
    assert body["recipient"]["vatZone"] == {"vatZoneNumber": 1}
    assert body["recipient"]["name"] == "test 5"
    assert "Pakkeshop" not in body["recipient"]["address"]
    assert "Pakkeshop: 95864" in body["delivery"]["address"]
    assert body["delivery"]["address"].startswith("Fit4Fight")
    assert body["delivery"]["city"] == "Aarhus C"


def test_given_the_hand_edited_fixture_when_mapped_then_totals_mismatch() -> None:
    # It adds a 30.00 payment fee without changing totalPrice: it cannot reconcile.
    order = parse_classic_order(fixture_json(EDITED_ORDER))

    with pytest.raises(KnownError) as caught:
        map_order(order, shop(), ref())

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
    assert caught.value.parameters["shop_total"] == "158.95"
    assert "30.00" in caught.value.text.en  # the difference is named


def test_given_the_fixture_and_no_shipping_mapping_when_mapped_then_fee_unmapped() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(parse_classic_order(fixture_json()), shop(shipping_methods={}), ref())

    assert caught.value.code is ErrorCode.FEE_UNMAPPED
    assert caught.value.parameters["method_id"] == 67
    assert "GLS pakkeshop" in caught.value.text.da
    assert "forsendelse" in caught.value.text.da
    assert "shipping" in caught.value.text.en


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_given_the_mapping_tests_then_the_network_is_off() -> None:
    import socket

    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
