"""ClassicOrderSource against the Dandomain Classic sandbox over loopback: every seed order,
the changed-orders window across pages and states, the catalogue reads."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from autobook.dandomain.sources import ClassicOrderSource, build_order_source
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.shop import ShopMode, ShopSecrets
from sandbox.dandomain import (
    DandomainState,
    RunningSandbox,
    ShopData,
    seed_demo_orders,
    start_dandomain_sandbox,
)
from sandbox.dandomain import catalog as classic_catalog
from sandbox.dandomain.orders import parse_wire_date
from sandbox.shopkit import shop_config

pytestmark = pytest.mark.integration

WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[DandomainState, RunningSandbox, httpx.Client]]:
    state = DandomainState()
    with start_dandomain_sandbox(state) as running, httpx.Client(timeout=10) as http:
        yield state, running, http


_count = iter(range(1000))


def _shop(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client], orders: int = 36
) -> tuple[ShopData, ClassicOrderSource]:
    state, running, http = sandbox
    key = f"{next(_count):04d}-3f1c9a7e-5b2d-4c8e-9a1f-0d6e7b8c"
    shop = state.add_shop(key)
    seed_demo_orders(shop, count=orders)
    config = shop_config("classic-source", running.url, [], mode=ShopMode.ACTIVE)
    secrets = ShopSecrets(dandomain_api_key=key, economic_grant_token="g", webhook_secret="s")
    source = build_order_source(config, secrets, http)
    assert isinstance(source, ClassicOrderSource)
    return shop, source


def test_given_every_seed_order_when_fetched_then_each_reads_with_its_total(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    shop, source = _shop(sandbox)

    for order_id, wire in sorted(shop.orders.items()):
        order = source.fetch(str(order_id))
        assert order.order_id == str(order_id)
        assert order.total_gross == Decimal(str(wire["totalPrice"]))
        assert order.site_id == wire["siteId"]
        assert order.incomplete == wire["incomplete"]


def test_given_an_unknown_order_when_fetched_then_it_is_order_not_found(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    _, source = _shop(sandbox, orders=21)

    with pytest.raises(KnownError) as caught:
        source.fetch("424242")
    assert caught.value.code == ErrorCode.ORDER_NOT_FOUND


def test_given_more_orders_than_a_page_when_listed_by_states_then_each_comes_once(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    state, _, _ = sandbox
    shop, source = _shop(sandbox, orders=230)
    state.clear_requests()

    changed = source.changed_between(*WINDOW, states={1, 3})

    expected = {i for i, o in shop.orders.items() if o["orderState"]["id"] in (1, 3)}
    assert sorted(int(o.order_id) for o in changed) == sorted(expected)
    pages = [r.query for r in state.requests if "GetByModifiedInterval" in r.path]
    assert sum("pageIndex=2" in q for q in pages) >= 1
    assert any("orderstateid=1" in q for q in pages)
    assert any("orderstateid=3" in q for q in pages)


def test_given_no_states_when_listed_then_every_order_of_the_window_comes_back(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    shop, source = _shop(sandbox)
    start, end = datetime(2026, 3, 28, 12, 0, tzinfo=UTC), datetime(2026, 3, 31, 12, 0, tzinfo=UTC)

    changed = source.changed_between(start, end, states=())

    inside = [o for o in shop.orders.values() if start <= parse_wire_date(o["modifiedDate"]) <= end]
    assert changed
    assert len(changed) == len(inside)


def test_given_naive_times_when_listed_then_they_are_refused(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    _, source = _shop(sandbox, orders=21)

    with pytest.raises(ValueError, match="aware"):
        source.changed_between(datetime(2026, 3, 1), datetime(2026, 4, 1), states={3})


def test_given_the_catalogue_when_read_then_per_site_methods_states_and_sites_come_back(
    sandbox: tuple[DandomainState, RunningSandbox, httpx.Client],
) -> None:
    _, source = _shop(sandbox, orders=21)

    danish = {m.id for m in source.payment_methods(classic_catalog.SITE_DK)}
    german = {m.id for m in source.payment_methods(classic_catalog.SITE_DE)}
    shipping = {m.id: m.name for m in source.shipping_methods(classic_catalog.SITE_SE)}
    states = {s.id: s for s in source.order_states()}
    sites = {s.id: s.currency for s in source.sites()}

    assert classic_catalog.PAY_CARD.id in danish
    assert classic_catalog.PAY_DE_PAYPAL.id in german
    assert not danish & german  # method ids are per site
    assert shipping == {classic_catalog.SHIP_SE_POSTNORD.id: "PostNord Ombud"}
    assert states[1].is_default
    assert states[4].excluded_from_statistics
    assert sites == {26: "DKK", 27: "EUR", 28: "SEK"}
    assert source.country_codes()[classic_catalog.BELGIUM.id] == "BE"
    assert source.currency_factors()["EUR"] > 700
    with pytest.raises(LookupError):
        source.payment_methods(999)
