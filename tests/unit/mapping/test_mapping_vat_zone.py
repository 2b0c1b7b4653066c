"""VAT zone per order: domestic, EU reverse charge, EU private (domestic or OSS), abroad."""

import pytest

from autobook.domain.countries import iso_from_name
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import map_order, vat_zone_number
from autobook.domain.order import Order
from autobook.domain.shop import VatZones
from autobook.domain.vat_zone import ZoneKind, decide_vat_zone
from tests.unit.mapping.mapping_builders import (
    COUNTRY_CODES,
    dk_buyer,
    line,
    no_delivery,
    order,
    ref,
    shop,
)


def _buyer_in(country: str, country_id: int | None, vat: str = "") -> Order:
    return order(
        customerInfo=dk_buyer(country=country, countryId=country_id),
        deliveryInfo=no_delivery(),
        vatRegNumber=vat,
    )


@pytest.mark.parametrize(
    ("country", "country_id", "vat", "kind", "number"),
    [
        ("Danmark", 2397, "", ZoneKind.DOMESTIC, 1),
        ("Danmark", 2397, "DK12345678", ZoneKind.DOMESTIC, 1),
        ("Tyskland", 101, "DE123456789", ZoneKind.EU, 2),
        ("Tyskland", 101, "", ZoneKind.EU_PRIVATE, 1),
        ("Norge", 103, "NO123456789MVA", ZoneKind.ABROAD, 3),
        ("Grønland", 104, "", ZoneKind.ABROAD, 3),
        ("Færøerne", 105, "", ZoneKind.ABROAD, 3),
        ("USA", 106, "", ZoneKind.ABROAD, 3),
    ],
)
def test_given_a_buyer_country_and_vat_number_then_the_zone_follows_the_rules(
    country: str, country_id: int, vat: str, kind: ZoneKind, number: int
) -> None:
    o = _buyer_in(country, country_id, vat)
    zone = decide_vat_zone(o, shop(), COUNTRY_CODES)

    assert (zone.kind, zone.number) == (kind, number)


def test_given_an_eu_private_buyer_and_an_oss_zone_then_the_oss_zone_is_used() -> None:
    o = _buyer_in("Sverige", 102)
    s = shop(vat_zones=VatZones(eu_private=7))

    assert vat_zone_number(o, s, COUNTRY_CODES) == 7


def test_given_a_country_id_then_the_shops_list_wins_over_the_name() -> None:
    o = _buyer_in("Some local spelling", 101)

    assert decide_vat_zone(o, shop(), COUNTRY_CODES).country == "DE"


def test_given_an_unknown_id_then_the_danish_or_english_name_is_used() -> None:
    for name, iso in [
        ("Danmark", "DK"),
        ("Tyskland", "DE"),
        ("Sverige", "SE"),
        ("Norge", "NO"),
        ("Belgien", "BE"),
        ("Belgium", "BE"),
        ("  the  Netherlands ", "NL"),
        ("Storbritannien", "GB"),
        ("Faroe Islands", "FO"),
        ("fr", "FR"),
    ]:
        assert iso_from_name(name) == iso, name
    o = _buyer_in("Belgien", 999)
    assert decide_vat_zone(o, shop(), COUNTRY_CODES).country == "BE"


def test_given_a_delivery_country_then_it_decides_over_the_buyers() -> None:
    # The real fixture: buyer in Belgium, parcel shop in Denmark.
    o = order()
    assert decide_vat_zone(o, shop(), COUNTRY_CODES).kind is ZoneKind.DOMESTIC
    assert o.customer.country == "Belgium"


def test_given_an_unknown_country_then_vat_zone_unknown() -> None:
    o = _buyer_in("Atlantis", 999)

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(), ref())

    assert caught.value.code is ErrorCode.VAT_ZONE_UNKNOWN
    assert "Atlantis" in caught.value.text.da


def test_given_an_eu_business_then_lines_carry_no_vat_and_the_invoice_says_reverse_charge() -> None:
    o = order(
        customerInfo=dk_buyer(country="Tyskland", countryId=101, name="GmbH"),
        deliveryInfo=no_delivery(),
        vatRegNumber="DE123456789",
        orderLines=[line(price=100, vat="0")],
        shippingInfo={"fee": 20, "feeInclVat": False},
        vatPct="0",
        totalPrice=120,
    )
    mapped = map_order(o, shop(), ref())

    assert mapped.draft.recipient.vat_zone.vat_zone_number == 2
    assert all(x.vat == 0 for x in mapped.priced_lines)
    assert mapped.expected_gross == 120
    assert mapped.draft.notes is not None
    assert "DE123456789" in (mapped.draft.notes.text_line2 or "")


def test_given_abroad_and_the_shop_charged_vat_then_totals_mismatch_names_the_zone() -> None:
    o = order(
        customerInfo=dk_buyer(country="Norge", countryId=103),
        deliveryInfo=no_delivery(),
        orderLines=[line(price=100, vat="25")],
        shippingInfo={"fee": 0},
        totalPrice=125,
    )

    with pytest.raises(KnownError) as caught:
        map_order(o, shop(), ref())

    assert caught.value.code is ErrorCode.TOTALS_MISMATCH
    assert "abroad" in caught.value.text.en
