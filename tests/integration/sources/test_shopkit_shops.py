"""The local environment opens a shop of either platform: seeded on its sandbox, registered in
autobook (config and secrets), its orders readable through the order source its config picks,
its products in its e-conomic agreement."""

import httpx
import pytest

from autobook.dandomain.sources import ClassicOrderSource, WebshopOrderSource, build_order_source
from autobook.domain.shop import Platform
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import economic_number, open_shop

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("platform", "source_type"),
    [(Platform.CLASSIC, ClassicOrderSource), (Platform.WEBSHOP, WebshopOrderSource)],
)
def test_given_a_platform_when_a_shop_is_opened_then_it_is_registered_and_readable(
    local_env: LocalEnvironment, platform: Platform, source_type: type
) -> None:
    shop = open_shop(local_env, f"kit-{platform.value}", orders=30, platform=platform)

    with local_env.operator() as root:
        stored = root.shops.get(shop.shop_id)
        secrets = root.secrets.shop(shop.shop_id)
    with httpx.Client(timeout=10) as http:
        source = build_order_source(shop.config, secrets, http)
        orders = [source.fetch(str(order_id)) for order_id in shop.order_ids]

    assert stored == shop.config
    assert stored.dandomain.platform == platform
    assert secrets.missing_for(platform) == []
    assert isinstance(source, source_type)
    assert [o.order_id for o in orders] == [str(i) for i in shop.order_ids]
    skus = {line.sku for order in orders for line in order.lines} - {"UDGAAET-4711", ""}
    assert {economic_number(sku) for sku in skus} <= set(shop.agreement.products)


def test_given_a_webshop_shop_when_opened_then_its_api_user_is_on_the_webshop_sandbox(
    local_env: LocalEnvironment,
) -> None:
    shop = open_shop(local_env, "kit-webshop-user", orders=25, platform=Platform.WEBSHOP)

    assert shop.webshop is not None
    assert shop.dandomain is None
    assert local_env.webshop_state.shop(shop.secrets.webshop_username) is shop.webshop
    assert shop.config.dandomain.base_url == local_env.webshop.endpoint
    assert shop.config.dandomain.webshop is not None
    assert shop.config.dandomain.webshop.price_basis == shop.webshop.basis
