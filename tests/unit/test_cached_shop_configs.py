"""The webhook's shop-config cache: found configs are kept for a short while, misses never."""

from autobook.domain.shop import ShopConfig
from autobook.store.cached_shops import MAX_AGE_SECONDS, CachedShopConfigs
from tests.fakes import FakeShops
from tests.unit.usecases.world import SHOP_ID, World


class _Counting(FakeShops):
    def __init__(self, *shops: ShopConfig) -> None:
        super().__init__(*shops)
        self.reads = 0

    def get(self, shop_id: str) -> ShopConfig | None:
        self.reads += 1
        return super().get(shop_id)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _shop() -> ShopConfig:
    config = World().shops.get(SHOP_ID)
    assert config is not None
    return config


def test_given_a_burst_for_one_shop_when_configs_are_cached_then_the_store_is_read_once() -> None:
    store, clock = _Counting(_shop()), _Clock()
    configs = CachedShopConfigs(store, monotonic=clock)

    seen = [configs.get(SHOP_ID) for _ in range(50)]

    assert store.reads == 1
    assert all(s is not None and s.shop_id == SHOP_ID for s in seen)


def test_given_a_kept_config_when_it_is_older_than_the_max_age_then_it_is_read_again() -> None:
    store, clock = _Counting(_shop()), _Clock()
    configs = CachedShopConfigs(store, monotonic=clock)
    configs.get(SHOP_ID)
    del store.configs[SHOP_ID]  # the shop was removed meanwhile

    clock.now += MAX_AGE_SECONDS - 0.001
    still_kept = configs.get(SHOP_ID)
    clock.now += 0.002
    after_max_age = configs.get(SHOP_ID)

    assert still_kept is not None
    assert after_max_age is None
    assert store.reads == 2


def test_given_an_unknown_shop_when_it_is_registered_then_its_next_request_sees_it() -> None:
    store, clock = _Counting(), _Clock()
    configs = CachedShopConfigs(store, monotonic=clock)

    before = configs.get(SHOP_ID)
    store.put(_shop())
    after = configs.get(SHOP_ID)

    assert before is None
    assert after is not None
    assert store.reads == 2
