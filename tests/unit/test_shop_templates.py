"""Shop texts with placeholders: refused when saved if broken, never crashing when filled."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autobook.domain.templates import MAIL_PLACEHOLDERS, check, fill

pytestmark = pytest.mark.disable_socket


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Faktura {order.__class__}", "Unknown placeholder {order.__class__}"),
        ("Faktura {0}", "Unknown placeholder {0}"),
        ("Faktura {}", "Unknown placeholder {}"),
        ("Faktura {ordre_id}", "Unknown placeholder {ordre_id}"),
        ("Faktura {invoice_number:>10}", "Unknown placeholder {invoice_number:>10}"),
        ("Faktura { invoice_number", "A lone '{' at character 9"),
        ("Faktura }", "A lone '}' at character 9"),
    ],
)
def test_given_a_broken_text_when_checked_then_the_problem_is_named(
    text: str, problem: str
) -> None:
    found = check(text, MAIL_PLACEHOLDERS)
    assert found is not None
    assert found.en.startswith(problem)
    assert found.da  # and said in Danish


def test_given_a_good_text_when_checked_and_filled_then_values_and_literal_braces() -> None:
    text = "Faktura {invoice_number} fra {shop_name} {{ikke et felt}}"
    assert check(text, MAIL_PLACEHOLDERS) is None
    assert (
        fill(text, {"invoice_number": "7", "shop_name": "Butik"})
        == "Faktura 7 fra Butik {ikke et felt}"
    )


def test_given_a_value_with_braces_when_filled_then_it_is_not_read_again() -> None:
    assert fill("{buyer_name}", {"buyer_name": "{shop_name}"}) == "{shop_name}"


@given(st.text(max_size=60))
def test_given_any_text_when_filled_then_it_never_raises(text: str) -> None:
    fill(text, {"shop_name": "Butik"})
