"""Invoice texts from per-shop templates, e-conomic's text limits, currency and exchange rate."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import map_order
from autobook.domain.templates import fill
from autobook.domain.texts import truncate
from tests.unit.mapping.mapping_builders import economic, order, ref, shop


def test_given_a_long_text_when_truncated_then_it_is_cut_on_a_word_boundary() -> None:
    text = "Lorem ipsum dolor sit amet consectetur"

    assert truncate(text, 20) == "Lorem ipsum dolor…"
    assert len(truncate(text, 20)) <= 20
    assert truncate("x" * 30, 10) == "x" * 9 + "…"  # one long word is cut inside
    assert truncate("  short  ", 10) == "short"


def test_given_a_template_with_an_unknown_placeholder_then_the_shop_config_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"\{nope\}"):
        economic(heading_template="Ordre {order_id}{nope}")


def test_given_a_value_with_braces_when_filled_then_it_is_not_expanded_again() -> None:
    assert fill("{customer_comment}", {"customer_comment": "{order_id} literal"}) == (
        "{order_id} literal"
    )
    assert fill("{{order_id}} {order_id}", {"order_id": "7"}) == "{order_id} 7"


def test_given_a_broken_template_then_the_shop_config_is_rejected() -> None:
    with pytest.raises(ValidationError):
        economic(heading_template="Ordre {order_id")
    with pytest.raises(ValidationError):
        economic(heading_template="Ordre {order_id!r}")


def test_given_templates_and_a_long_comment_then_notes_are_filled_and_cut() -> None:
    comment = "Stil pakken ved døren. " * 80
    s = shop(
        heading_template="{shop_name} ordre {order_id} ({reference_number})",
        text_line1_template="Kundens kommentar: {customer_comment}",
        text_line2_template="Betalt med {payment_method}",
    )
    body = map_order(
        order(customerComment=comment, referenceNumber="REK-1"), s, ref()
    ).draft.to_body()

    assert body["notes"]["heading"] == "Fit4Fight ordre 295591 (REK-1)"
    assert len(body["notes"]["textLine1"]) <= 1000
    cut = body["notes"]["textLine1"]
    assert cut.endswith("…")
    full = f"Kundens kommentar: {comment}"
    assert full.startswith(cut[:-1] + " ")  # cut between words
    assert body["notes"]["textLine2"] == "Betalt med Betalingskort"


def test_given_long_product_texts_then_descriptions_fit_e_conomic() -> None:
    o = order(orderLines=[{**order_line(), "productName": "Meget lang " * 400}])
    mapped = map_order(o, shop(), ref())

    assert len(mapped.draft.lines[0].description) <= 2500


def order_line() -> dict[str, object]:
    from tests.unit.mapping.mapping_builders import fixture_json

    line: dict[str, object] = fixture_json()["orderLines"][0]
    return line


def test_given_a_foreign_currency_and_the_economic_rule_then_the_rate_is_omitted() -> None:
    body = map_order(order(currencyCode="eur"), shop(), ref()).draft.to_body()

    assert body["currency"] == "EUR"
    assert "exchangeRate" not in body


def test_given_the_shop_factor_rule_then_the_rate_is_100_units_in_base_currency() -> None:
    s = shop(exchange_rate_rule="shop_factor")
    body = map_order(
        order(currencyCode="EUR"), s, ref(shop_currency_factor=Decimal("7.4612345"))
    ).draft.to_body()

    assert body["exchangeRate"] == 746.12345


def test_given_the_base_currency_then_the_rate_is_omitted_whatever_the_rule() -> None:
    s = shop(exchange_rate_rule="shop_factor")
    body = map_order(order(), s, ref(shop_currency_factor=Decimal("1"))).draft.to_body()

    assert "exchangeRate" not in body


def test_given_the_shop_factor_rule_and_no_factor_then_currency_unknown() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(order(currencyCode="SEK"), shop(exchange_rate_rule="shop_factor"), ref())

    assert caught.value.code is ErrorCode.CURRENCY_UNKNOWN
    assert "no exchange rate" in caught.value.text.en


def test_given_a_non_iso_currency_code_then_currency_unknown() -> None:
    with pytest.raises(KnownError) as caught:
        map_order(order(currencyCode="KR."), shop(), ref())

    assert caught.value.code is ErrorCode.CURRENCY_UNKNOWN


def test_given_a_euro_variant_code_then_it_is_eur() -> None:
    assert map_order(order(currencyCode="EURO"), shop(), ref()).draft.currency == "EUR"
