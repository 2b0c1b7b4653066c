"""propose(): a mapping proposal from the shop's Dandomain lists and e-conomic's (pure)."""

import pytest

from autobook.dandomain.catalogue import (
    OrderStateInfo,
    PaymentMethodInfo,
    ShippingMethodInfo,
    SiteInfo,
)
from autobook.domain.books import EconomicEntry
from autobook.domain.mapping_proposal import DandomainLists, EconomicLists, RowStatus, propose
from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
)

pytestmark = pytest.mark.disable_socket

TERMS = (
    EconomicEntry(number="1", name="Netto 8 dage", terms_type="net"),
    EconomicEntry(number="2", name="Kontant", terms_type="paidInCash"),
    EconomicEntry(number="4", name="Kreditkort", terms_type="creditcard"),
    EconomicEntry(number="7", name="Swish", terms_type="prepaid"),
)
ECONOMIC = EconomicLists(
    payment_terms=TERMS,
    layouts=(EconomicEntry(number="19", name="Standard"),),
    products=(
        EconomicEntry(number="FRAGT", name="Fragt"),
        EconomicEntry(number="GEBYR", name="Betalingsgebyr"),
        EconomicEntry(number="KAFFE", name="Coffee beans"),  # "fee" in it is no fee
    ),
)


def _shop(**economic: object) -> ShopConfig:
    return ShopConfig(
        shop_id="s",
        name="S",
        dandomain=DandomainSettings(base_url="https://s.example"),
        booking_state_ids=frozenset({3}),
        economic=EconomicMapping(**economic),  # type: ignore[arg-type]
    )


def _lists(
    payment: tuple[tuple[int, str], ...] = (),
    shipping: tuple[tuple[int, str], ...] = (),
    states: tuple[OrderStateInfo, ...] = (OrderStateInfo(id=3, name="Afsendt"),),
) -> DandomainLists:
    return DandomainLists(
        sites=(SiteInfo(id=26, name="Dansk"),),
        payment_methods=tuple(PaymentMethodInfo(id=i, name=n, site_id=26) for i, n in payment),
        shipping_methods=tuple(ShippingMethodInfo(id=i, name=n, site_id=26) for i, n in shipping),
        order_states=states,
        per_site=True,
    )


def _row(proposal: object, name: str) -> object:
    return next(r for r in proposal.rows if r.name == name)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("method", "terms"),
    [
        ("Swish", 7),  # the same name wins
        ("Betalingskort", 4),
        ("MobilePay", 4),
        ("Kreditkarte", 4),
        ("Bankoverførsel", 1),
        ("Faktura (kun erhverv)", 1),
    ],
)
def test_given_an_unmapped_method_when_proposed_then_terms_by_name_or_how_it_is_paid(
    method: str, terms: int
) -> None:
    proposal = propose(_shop(), _lists(payment=((5, method),)), ECONOMIC)

    row = _row(proposal, method)
    assert row.status == RowStatus.PROPOSED  # type: ignore[attr-defined]
    mapped = proposal.proposed.economic.payment_methods[5]
    assert (mapped.name, mapped.payment_terms_number, mapped.fee_product) == (
        method,
        terms,
        "GEBYR",
    )


def test_given_a_name_nothing_matches_when_proposed_then_unresolved_and_not_mapped() -> None:
    proposal = propose(_shop(), _lists(payment=((5, "Kontakt os"),)), ECONOMIC)

    assert _row(proposal, "Kontakt os").status == RowStatus.UNRESOLVED  # type: ignore[attr-defined]
    assert proposal.proposed.economic.payment_methods == {}


def test_given_a_name_mapped_under_an_id_dandomain_no_longer_has_then_id_changed_not_moved() -> (
    None
):
    old = PaymentMapping(name="Betalingskort", payment_terms_number=4)
    proposal = propose(
        _shop(payment_methods={60: old}), _lists(payment=((61, "Betalingskort"),)), ECONOMIC
    )

    row = _row(proposal, "Betalingskort")
    assert row.status == RowStatus.ID_CHANGED  # type: ignore[attr-defined]
    assert "60" in row.note  # type: ignore[attr-defined]
    assert proposal.proposed.economic.payment_methods == {60: old}


def test_given_a_mapped_id_dandomain_now_names_otherwise_then_renamed_and_kept() -> None:
    mapped = PaymentMapping(name="Dankort", payment_terms_number=4)
    proposal = propose(
        _shop(payment_methods={60: mapped}), _lists(payment=((60, "Faktura"),)), ECONOMIC
    )

    assert _row(proposal, "Faktura").status == RowStatus.RENAMED  # type: ignore[attr-defined]
    assert proposal.proposed.economic.payment_methods == {60: mapped}


def test_given_shipping_methods_when_proposed_then_the_shops_freight_product() -> None:
    used = ShippingMapping(name="GLS", product="FRAGT")
    proposal = propose(
        _shop(shipping_methods={67: used}),
        _lists(shipping=((67, "GLS"), (68, "PostNord"))),
        ECONOMIC,
    )

    assert _row(proposal, "GLS").status == RowStatus.KEPT  # type: ignore[attr-defined]
    assert proposal.proposed.economic.shipping_methods[68].product == "FRAGT"


def test_given_no_states_when_proposed_then_booking_and_cancel_states_by_name() -> None:
    shop = _shop().model_copy(update={"booking_state_ids": frozenset()})
    states = (
        OrderStateInfo(id=1, name="Ny ordre"),
        OrderStateInfo(id=3, name="Afsendt"),
        OrderStateInfo(id=4, name="Annulleret"),
        OrderStateInfo(id=9, name="Returneret", excluded_from_statistics=True),
    )

    proposal = propose(shop, _lists(states=states), ECONOMIC)

    assert proposal.proposed.booking_state_ids == {3}
    assert proposal.proposed.cancel_state_ids == {4, 9}


def test_given_a_layout_that_does_not_exist_when_proposed_then_the_agreements_layout() -> None:
    proposal = propose(_shop(layout_number=7), _lists(), ECONOMIC)

    assert proposal.proposed.economic.layout_number == 19
    (layout,) = [r for r in proposal.rows if r.kind == "layout"]
    assert layout.status == RowStatus.PROPOSED


def test_given_vat_zones_that_do_not_exist_when_proposed_then_the_agreements_by_name() -> None:
    zones = (
        EconomicEntry(number="11", name="Indland"),
        EconomicEntry(number="12", name="EU"),
        EconomicEntry(number="13", name="Udland"),
    )
    economic = ECONOMIC.model_copy(update={"vat_zones": zones})

    proposal = propose(_shop(), _lists(), economic)

    got = proposal.proposed.economic.vat_zones
    assert (got.domestic, got.eu, got.abroad) == (11, 12, 13)
    assert {r.status for r in proposal.rows if r.kind == "VAT zone"} == {RowStatus.PROPOSED}


def test_given_the_shops_countries_when_proposed_then_each_zone_is_counted() -> None:
    lists = _lists().model_copy(update={"countries": {1: "DK", 2: "SE", 3: "DE", 4: "NO"}})

    proposal = propose(_shop(), lists, ECONOMIC)

    (row,) = [r for r in proposal.rows if r.kind == "countries"]
    assert (row.status, row.mapped_to) == (RowStatus.KEPT, "1 domestic, 2 EU, 1 abroad")


def test_given_a_shipping_name_mapped_under_an_id_dandomain_no_longer_has_then_id_changed() -> None:
    old = ShippingMapping(name="GLS", product="FRAGT")
    proposal = propose(_shop(shipping_methods={67: old}), _lists(shipping=((99, "GLS"),)), ECONOMIC)

    assert _row(proposal, "GLS").status == RowStatus.ID_CHANGED  # type: ignore[attr-defined]
    assert proposal.proposed.economic.shipping_methods == {67: old}
