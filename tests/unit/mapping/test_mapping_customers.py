"""Debtor look-up keys, the new-customer body, and buyer data e-conomic would reject."""

from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import customer_lookup, map_order, new_customer
from tests.contract.economic_schema import validator
from tests.unit.mapping.mapping_builders import dk_buyer, no_delivery, order, ref, shop


def _order(vat: str = "", **buyer: Any) -> Any:
    return order(customerInfo=dk_buyer(**buyer), deliveryInfo=no_delivery(), vatRegNumber=vat)


def test_given_a_private_buyer_then_the_debtor_is_looked_up_by_e_mail() -> None:
    lookup = customer_lookup(_order(email="Jens@Example.dk"), shop(), 1)

    assert (lookup.kind, lookup.value, lookup.economic_field) == (
        "email",
        "jens@example.dk",
        "email",
    )


def test_given_a_danish_business_then_the_debtor_is_looked_up_by_cvr() -> None:
    lookup = customer_lookup(_order(vat="DK 1234 5678"), shop(), 1)

    assert (lookup.kind, lookup.value) == ("cvr", "12345678")
    assert lookup.economic_field == "corporateIdentificationNumber"


def test_given_an_ean_then_it_is_the_key_over_the_cvr() -> None:
    lookup = customer_lookup(_order(vat="12345678", ean="5790000123456"), shop(), 1)

    assert (lookup.kind, lookup.value) == ("ean", "5790000123456")


def test_given_an_eu_business_then_the_debtor_is_looked_up_by_vat_number() -> None:
    lookup = customer_lookup(_order(vat="DE123456789", country="Tyskland"), shop(), 2)

    assert (lookup.kind, lookup.value, lookup.economic_field) == (
        "vat_number",
        "DE123456789",
        "vatNumber",
    )


def test_given_collective_mode_then_the_zones_collective_debtor_is_used() -> None:
    lookup = customer_lookup(_order(), shop(customer_mode="collective"), 3)

    assert (lookup.kind, lookup.customer_number) == ("collective", 1002)


def test_given_collective_mode_and_no_debtor_for_the_zone_then_customer_unmapped() -> None:
    with pytest.raises(KnownError) as caught:
        customer_lookup(_order(), shop(customer_mode="collective", collective_customers={}), 1)

    assert caught.value.code is ErrorCode.CUSTOMER_UNMAPPED
    assert "collective debtor" in caught.value.text.en


def test_given_a_buyer_when_a_new_customer_is_built_then_it_validates_against_the_schema() -> None:
    body = new_customer(_order(vat="DK12345678", phone="+45 12 34 56 78"), shop(), 1)

    assert list(validator("customers.post").iter_errors(body)) == []
    assert body["customerGroup"] == {"customerGroupNumber": 1}
    assert body["paymentTerms"] == {"paymentTermsNumber": 4}  # the order's payment terms
    assert body["vatZone"] == {"vatZoneNumber": 1}
    assert body["corporateIdentificationNumber"] == "12345678"
    assert body["currency"] == "DKK"
    assert "ean" not in body
    assert "vatNumber" not in body


def test_given_zone_payment_terms_then_new_customers_get_them() -> None:
    body = new_customer(_order(), shop(customer_payment_terms={1: 11}), 1)

    assert body["paymentTerms"] == {"paymentTermsNumber": 11}


def test_given_no_customer_group_for_the_zone_then_customer_unmapped() -> None:
    with pytest.raises(KnownError) as caught:
        new_customer(_order(), shop(customer_groups={}), 1)

    assert caught.value.code is ErrorCode.CUSTOMER_UNMAPPED


def test_given_overlong_buyer_fields_then_they_are_cut_to_e_conomics_limits() -> None:
    o = _order(name="Navn " * 80, address="Vej " * 200, city="By " * 30, zipCode="1" * 40)
    body = new_customer(o, shop(), 1)

    assert list(validator("customers.post").iter_errors(body)) == []
    assert len(body["name"]) <= 255
    assert body["name"].endswith("…")
    assert len(body["city"]) <= 50


@pytest.mark.parametrize(
    ("buyer", "vat", "field"),
    [
        ({"name": "", "attention": ""}, "", "name"),
        ({"ean": "57900001234"}, "", "ean"),
        ({"ean": "579000012345X"}, "", "ean"),
        ({"email": "jens@@example"}, "", "email"),
        ({"email": "jens example.dk"}, "", "email"),
        ({}, "DK1234", "cvr"),
        ({"country": "Tyskland"}, "DE" + "1" * 25, "vatNumber"),
    ],
)
def test_given_buyer_data_e_conomic_rejects_then_customer_invalid_names_the_field(
    buyer: dict[str, str], vat: str, field: str
) -> None:
    o = _order(vat=vat, **buyer)
    zone = 2 if buyer.get("country") == "Tyskland" else 1

    with pytest.raises(KnownError) as caught:
        new_customer(o, shop(), zone)

    assert caught.value.code is ErrorCode.CUSTOMER_INVALID
    assert caught.value.parameters["field"] == field


def test_given_a_buyer_without_a_name_when_mapped_then_customer_invalid() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(_order(name="", attention=""), shop(), ref())

    assert caught.value.code is ErrorCode.CUSTOMER_INVALID
    assert "no name" in caught.value.text.en


def test_given_only_an_attention_then_it_is_the_name() -> None:
    mapped = map_order(_order(name="", attention="Jens Hansen"), shop(), ref())

    assert mapped.draft.recipient.name == "Jens Hansen"


def test_given_a_buyer_with_no_key_at_all_then_customer_invalid() -> None:
    with pytest.raises(KnownError) as caught:
        customer_lookup(_order(email=""), shop(), 1)

    assert caught.value.code is ErrorCode.CUSTOMER_INVALID
    assert caught.value.parameters["field"] == "email"


def test_given_an_ean_buyer_when_mapped_then_the_recipient_carries_the_ean() -> None:
    mapped = map_order(_order(ean="5790000123456"), shop(), ref())

    assert mapped.draft.recipient.ean == "5790000123456"


def test_given_a_malformed_e_mail_in_collective_mode_then_the_invoice_still_maps() -> None:
    # The e-mail is not on the invoice; only a per-buyer debtor needs it.
    mapped = map_order(_order(email="jens@@example"), shop(customer_mode="collective"), ref())

    assert mapped.draft.recipient.name == "Jens Hansen"


def test_given_a_bad_ean_when_mapped_then_customer_invalid_names_the_ean() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(_order(ean="123"), shop(), ref())

    assert caught.value.parameters["field"] == "ean"
    assert "13 digits" in caught.value.text.en
