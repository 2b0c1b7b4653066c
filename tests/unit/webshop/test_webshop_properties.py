"""Properties: any Webshop order the sandbox's builder can make, read by the adapter and mapped
by the real engine, comes to what the buyer owes (pure; no services)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autobook.dandomain.webshop_adapter import parse_webshop_order, repair_mojibake
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import ReferenceData, map_order
from autobook.domain.shop import WebshopSettings
from sandbox.webshop import catalog
from sandbox.webshop.orders import Basis, DiscountCode, Line
from tests.unit.webshop.builders import built
from tests.unit.webshop.shops import webshop_shop

REF = ReferenceData(
    customer_number=1042,
    invoice_date=date(2026, 5, 14),
    country_codes={c.id: c.iso for c in catalog.COUNTRIES},
)

prices = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("2500.00"), places=2)
lines = st.builds(
    lambda sku, qty, gross, rate, discount_share: Line(
        sku,
        f"Vare {sku}",
        qty,
        gross,
        rate,
        discount=(gross * discount_share).quantize(Decimal("0.01")),
    ),
    st.sampled_from(["A-1", "B/2", "C 3", "D_4", "E.5"]),
    st.integers(min_value=1, max_value=3),
    prices,
    st.sampled_from([Decimal(25), Decimal(25), Decimal(0)]),
    st.sampled_from([Decimal(0), Decimal(0), Decimal("0.1"), Decimal("0.25")]),
)


@st.composite
def orders(draw: st.DrawFn) -> tuple[dict[str, object], Decimal, WebshopSettings]:
    basis: Basis = draw(st.sampled_from(["net", "gross"]))
    reading = draw(st.sampled_from(["auto", basis]))
    chosen = draw(st.lists(lines, min_size=1, max_size=3, unique_by=lambda line: line.sku))
    goods = sum((line.gross - line.discount) * line.qty for line in chosen)
    discount = draw(st.sampled_from([Decimal(0), (goods / 5).quantize(Decimal("0.01"))]))
    codes = [DiscountCode("KODE", discount)] if discount else []
    gift = draw(st.sampled_from([Decimal(0), (goods / 3).quantize(Decimal(1))]))
    document, owed = built(
        basis=basis,
        lines=chosen,
        delivery=draw(st.sampled_from(catalog.DELIVERY_METHODS[:4])),
        payment=draw(st.sampled_from(catalog.PAYMENT_METHODS)),
        discount_codes=codes,
        gift_card=gift,
    )
    return document, owed.payable, WebshopSettings(price_basis=reading)


@settings(max_examples=300, deadline=None)
@given(case=orders())
def test_given_any_captured_webshop_order_when_mapped_then_it_grosses_to_what_is_owed(
    case: tuple[dict[str, object], Decimal, WebshopSettings],
) -> None:
    document, payable, reading = case

    mapped = map_order(parse_webshop_order(document, reading), webshop_shop(reading), REF)

    assert mapped.expected_gross == payable
    assert abs(mapped.rounding) < Decimal("0.10")


def test_given_net_prices_read_as_gross_when_mapped_then_the_capture_refuses_them() -> None:
    document, _ = built(basis="net")
    misread = parse_webshop_order(document, WebshopSettings(price_basis="gross"))

    with pytest.raises(KnownError) as caught:
        map_order(misread, webshop_shop(), REF)

    assert caught.value.code == ErrorCode.TOTALS_MISMATCH


def test_given_gross_prices_read_as_net_when_mapped_then_the_capture_refuses_them() -> None:
    document, _ = built(basis="gross")
    misread = parse_webshop_order(document, WebshopSettings(price_basis="net"))

    with pytest.raises(KnownError) as caught:
        map_order(misread, webshop_shop(), REF)

    assert caught.value.code == ErrorCode.TOTALS_MISMATCH


danish = st.text(alphabet="abcæøåÆØÅ éü–’ Sørensen-Ærø,.", min_size=1, max_size=40)


@given(text=danish)
def test_given_any_danish_text_when_double_encoded_then_it_is_repaired_exactly(text: str) -> None:
    mangled = text.encode("utf-8").decode("cp1252")

    assert repair_mojibake(mangled) == text
    assert repair_mojibake(text) == text
