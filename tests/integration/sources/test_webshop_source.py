"""WebshopOrderSource against the Webshop SOAP sandbox over loopback: every seed order, the
changed-orders window across pages, sessions and projections, the catalogue reads."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from autobook.dandomain.sources import WebshopOrderSource, build_order_source
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.shop import ShopMode, ShopSecrets, WebshopSettings
from sandbox.shopkit import webshop_config
from sandbox.webshop import (
    RunningWebshopSandbox,
    WebshopShop,
    WebshopState,
    catalog,
    seed_demo_orders,
    start_webshop_sandbox,
)

pytestmark = pytest.mark.integration

WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[WebshopState, RunningWebshopSandbox, httpx.Client]]:
    state = WebshopState()
    with start_webshop_sandbox(state) as running, httpx.Client(timeout=10) as http:
        yield state, running, http


_count = iter(range(1000))


def _shop(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
    orders: int = 36,
    settings: WebshopSettings | None = None,
) -> tuple[WebshopShop, WebshopOrderSource]:
    state, running, http = sandbox
    name = f"source-{next(_count)}"
    shop = state.add_shop(name, "pw")
    seed_demo_orders(shop, count=orders)
    config = webshop_config(
        name, running.endpoint, [], mode=ShopMode.ACTIVE, settings=settings or WebshopSettings()
    )
    secrets = ShopSecrets(
        webshop_username=name, webshop_password="pw", economic_grant_token="g", webhook_secret="s"
    )
    source = build_order_source(config, secrets, http)
    assert isinstance(source, WebshopOrderSource)
    return shop, source


def test_given_every_seed_order_when_fetched_then_each_is_read_with_what_its_buyer_paid(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    shop, source = _shop(sandbox, settings=WebshopSettings(price_basis="net"))

    orders = {order_id: source.fetch(str(order_id)) for order_id in sorted(shop.orders)}

    for order_id, order in orders.items():
        owed = shop.amounts[order_id]
        scenario = shop.scenarios[order_id]
        assert order.order_id == str(order_id)
        assert order.total_gross == (owed.paid if owed.paid else owed.gross), scenario
        assert order.currency in {"DKK", "EUR", "SEK"}
        assert order.customer.country_id in {c.id for c in catalog.COUNTRIES}
        assert bool(order.credits_order_id) == (scenario == "credit_note")
        assert order.incomplete == (scenario == "not_completed")
    by_name = {shop.scenarios[i]: o for i, o in orders.items()}
    assert by_name["double_encoded"].customer.name == "Søren Møller"
    assert by_name["guest_bank"].payment.name == "Kontooverførsel"
    assert by_name["b2b_invoice"].vat_reg_number == "29403473"
    assert by_name["fixture_like"].delivery is not None
    assert by_name["fixture_like"].delivery.address2.startswith("Pakkeshop: ")
    assert by_name["gift_card_redeemed"].gift_certificate_amount == Decimal(250)
    assert by_name["discount_code"].sales_discount > 0


def test_given_an_unknown_order_when_fetched_then_it_is_order_not_found(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    _, source = _shop(sandbox, orders=23)

    for unknown in ("424242", "not-a-number"):
        with pytest.raises(KnownError) as caught:
            source.fetch(unknown)
        assert caught.value.code == ErrorCode.ORDER_NOT_FOUND


def test_given_more_orders_than_a_page_when_listed_then_every_page_is_read(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    state, _, _ = sandbox
    shop, source = _shop(sandbox, orders=250)
    state.clear_requests()

    changed = source.changed_between(*WINDOW, states={catalog.STATUS_SENT})

    expected = {i for i, o in shop.orders.items() if o["Status"] == str(catalog.STATUS_SENT)}
    assert {int(o.order_id) for o in changed} == expected
    assert len(changed) == len(expected) > 200
    pages = [r.params["Page"] for r in state.requests if r.operation.endswith("WithPagination")]
    assert pages == ["1", "2", "3"]


def test_given_a_window_when_listed_then_only_orders_updated_in_it_come_back(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    shop, source = _shop(sandbox)
    # 2026-03-29 02:00 UTC+1 -> 03:00 UTC+2: the window crosses the spring DST switch
    start, end = datetime(2026, 3, 28, 12, 0, tzinfo=UTC), datetime(2026, 3, 30, 12, 0, tzinfo=UTC)

    changed = source.changed_between(start, end, states=set())

    assert changed
    assert all(start <= o.modified_at <= end for o in changed)
    inside = [o for o in shop.orders.values() if start <= _updated(o) <= end]
    assert len(changed) == len(inside)


def _updated(order: dict[str, object]) -> datetime:
    from sandbox.webshop.orders import parse_wire_date

    moment = parse_wire_date(str(order["DateUpdated"]))
    assert moment is not None
    return moment


def test_given_the_session_expires_between_calls_when_read_then_the_projection_comes_back(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    state, _, _ = sandbox
    _, source = _shop(sandbox)
    first = source.fetch("2001")
    state.expire_sessions()

    again = source.fetch("2001")
    listed = source.changed_between(*WINDOW, states={catalog.STATUS_SENT})

    assert again == first
    assert all(order.lines for order in listed)


def test_given_the_projection_is_forgotten_when_listed_then_full_orders_come_back(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    state, _, _ = sandbox
    _, source = _shop(sandbox)
    source.fetch("2001")
    state.forget_projections()

    listed = source.changed_between(*WINDOW, states={catalog.STATUS_SENT})

    assert listed
    assert all(order.lines for order in listed)


def test_given_the_catalogue_when_read_then_methods_states_sites_and_countries_come_back(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
) -> None:
    _, source = _shop(sandbox, orders=23)

    payments = {m.id: m.name for m in source.payment_methods(catalog.SITE_DK)}
    shipping = {m.id: m.name for m in source.shipping_methods(catalog.SITE_DK)}
    states = {s.id: s.name for s in source.order_states()}
    sites = {s.id: (s.name, s.language) for s in source.sites()}

    assert payments[catalog.PAY_BANK.id] == "Kontooverførsel"
    assert shipping[catalog.SHIP_GLS_SHOP.id] == "GLS Pakkeshop"
    assert states[100] == "Kreditnota"
    assert sites[catalog.SITE_SE] == ("Svenska", "SE")
    assert source.country_codes() == {c.id: c.iso for c in catalog.COUNTRIES}


@pytest.mark.parametrize(
    ("reading", "eur"),  # the sandbox's EUR rate is 7.461 DKK per euro
    [(None, None), ("per_unit", Decimal("746.100")), ("inverse", None)],
)
def test_given_a_currency_rate_reading_when_factors_are_read_then_they_follow_it(
    sandbox: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
    reading: str | None,
    eur: Decimal | None,
) -> None:
    _, source = _shop(sandbox, orders=23, settings=WebshopSettings(currency_rate=reading))

    factors = source.currency_factors()

    if reading is None:
        assert factors == {}
    elif eur is not None:
        assert factors["EUR"] == eur
        assert factors["DKK"] == 100
    else:
        assert factors["EUR"] == Decimal(100) / Decimal("7.461")
