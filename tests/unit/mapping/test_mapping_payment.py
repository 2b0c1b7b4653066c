"""Payment method -> payment terms and layout, and Dandomain's changed payment-method ids."""

import pytest

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import map_order
from autobook.domain.shop import PaymentMapping
from tests.unit.mapping.mapping_builders import order, ref, shop


def test_given_a_mapped_method_with_a_layout_then_terms_and_layout_follow_it() -> None:
    payments = {60: PaymentMapping(name="Betalingskort", payment_terms_number=9, layout_number=21)}
    body = map_order(order(), shop(payment_methods=payments), ref()).draft.to_body()

    assert body["paymentTerms"] == {"paymentTermsNumber": 9}
    assert body["layout"] == {"layoutNumber": 21}


def test_given_an_unmapped_method_and_a_default_then_the_default_terms_are_used() -> None:
    body = map_order(
        order(paymentInfo={"id": 99, "name": "MobilePay"}),
        shop(default_payment_terms_number=2),
        ref(),
    ).draft.to_body()

    assert body["paymentTerms"] == {"paymentTermsNumber": 2}
    assert body["layout"] == {"layoutNumber": 19}


def test_given_an_unmapped_method_and_no_default_then_payment_method_unmapped() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(order(paymentInfo={"id": 99, "name": "MobilePay"}), shop(), ref())

    error = caught.value
    assert error.code is ErrorCode.PAYMENT_METHOD_UNMAPPED
    assert "'MobilePay' (id 99)" in error.text.en
    assert "changed the id" not in error.text.en


def test_given_a_new_id_with_a_mapped_name_then_the_error_says_dandomain_changed_the_id() -> None:
    # Same name with other case and spacing, new id: even a default does not hide it.
    with pytest.raises(KnownError) as caught:
        map_order(
            order(paymentInfo={"id": 160, "name": " betalings kort "}),
            shop(default_payment_terms_number=2),
            ref(),
        )

    error = caught.value
    assert error.code is ErrorCode.PAYMENT_METHOD_UNMAPPED
    assert "Dandomain changed the id" in error.text.en
    assert "from 60 to 160" in error.text.en
    assert "fra 60 til 160" in error.text.da
