"""A Classic shop with several sites maps per site: payment and shipping method ids (and the
layout) are the site's own. A shop without site overrides maps exactly as before."""

import pytest

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import map_order
from autobook.domain.shop import EconomicMapping, PaymentMapping, ShippingMapping, SiteMapping
from tests.unit.mapping.mapping_builders import order, ref, shop

GERMAN = 27
GERMAN_SITE = SiteMapping(
    payment_methods={
        60: PaymentMapping(name="Kreditkarte", payment_terms_number=7, fee_product="GEBUEHR")
    },
    shipping_methods={67: ShippingMapping(name="DHL Paket", product="FRAGT-DE")},
    layout_number=23,
)


def _body(site_id: int, **economic: object) -> dict[str, object]:
    mapped = map_order(order(siteId=site_id), shop(**economic), ref())
    return mapped.draft.to_body()


def _products(body: dict[str, object]) -> list[str]:
    lines = body["lines"]
    assert isinstance(lines, list)
    return [line["product"]["productNumber"] for line in lines]


def test_given_no_site_overrides_when_orders_of_two_sites_map_then_both_map_as_before() -> None:
    legacy = map_order(order(siteId=None), shop(), ref()).draft.to_body()

    assert _body(26) == legacy
    assert _body(GERMAN) == legacy


def test_given_a_site_override_when_an_order_of_that_site_maps_then_its_methods_decide() -> None:
    body = _body(GERMAN, sites={GERMAN: GERMAN_SITE})

    assert body["paymentTerms"] == {"paymentTermsNumber": 7}
    assert body["layout"] == {"layoutNumber": 23}
    assert "FRAGT-DE" in _products(body)
    assert "FRAGT" not in _products(body)


def test_given_a_site_override_when_an_order_of_another_site_maps_then_the_shop_wide_apply() -> (
    None
):
    body = _body(26, sites={GERMAN: GERMAN_SITE})

    assert body["paymentTerms"] == {"paymentTermsNumber": 4}
    assert body["layout"] == {"layoutNumber": 19}
    assert "FRAGT" in _products(body)


def test_given_a_site_with_only_a_layout_when_mapped_then_methods_stay_shop_wide() -> None:
    body = _body(GERMAN, sites={GERMAN: SiteMapping(layout_number=23)})

    assert body["paymentTerms"] == {"paymentTermsNumber": 4}
    assert body["layout"] == {"layoutNumber": 23}
    assert "FRAGT" in _products(body)


def test_given_a_method_layout_on_a_site_when_mapped_then_the_method_layout_wins() -> None:
    site = SiteMapping(
        payment_methods={
            60: PaymentMapping(name="Kreditkarte", payment_terms_number=7, layout_number=31)
        },
        layout_number=23,
    )

    assert _body(GERMAN, sites={GERMAN: site})["layout"] == {"layoutNumber": 31}


def test_given_a_site_dict_when_an_id_is_only_shop_wide_then_it_is_unmapped_on_that_site() -> None:
    # The site's ids replace the shop-wide ones: id 60 there is another method elsewhere.
    site = SiteMapping(payment_methods={70: PaymentMapping(name="PayPal", payment_terms_number=7)})

    with pytest.raises(KnownError) as caught:
        _body(GERMAN, sites={GERMAN: site})

    assert caught.value.code is ErrorCode.PAYMENT_METHOD_UNMAPPED


def test_given_a_site_without_the_shipping_method_when_mapped_then_the_fee_is_unmapped() -> None:
    site = SiteMapping(shipping_methods={75: ShippingMapping(name="DHL", product="FRAGT-DE")})

    with pytest.raises(KnownError) as caught:
        _body(GERMAN, sites={GERMAN: site})

    assert caught.value.code is ErrorCode.FEE_UNMAPPED


def test_given_a_changed_id_on_a_site_when_mapped_then_the_rename_is_found_among_its_methods() -> (
    None
):
    renamed = order(siteId=GERMAN, paymentInfo={"id": 160, "name": "Kreditkarte"})

    with pytest.raises(KnownError) as caught:
        map_order(renamed, shop(sites={GERMAN: GERMAN_SITE}), ref())

    assert "from 60 to 160" in caught.value.text.en


def test_given_a_stored_config_when_read_then_site_ids_come_back_as_numbers() -> None:
    mapping = EconomicMapping.model_validate_json(
        '{"sites": {"27": {"layout_number": 23,'
        ' "shipping_methods": {"75": {"name": "DHL", "product": "FRAGT-DE"}}}}}'
    )

    assert mapping.layout_number_for(27) == 23
    assert mapping.shipping_methods_for(27)[75].product == "FRAGT-DE"
    assert mapping.layout_number_for(None) == 19
