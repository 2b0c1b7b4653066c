"""Shop configs kept in the container for a short while, for the webhook: a burst of
deliveries for one shop reads its config once, not once per request.

Only found configs are kept: a shop registered a moment ago is seen on its first delivery. A
changed config (a new mode, a removed shop) reaches the webhook within `MAX_AGE_SECONDS`; the
booking function, which acts on the config, always reads it fresh."""

import time
from collections.abc import Callable

from autobook.domain.shop import ShopConfig
from autobook.usecases.ports import ShopConfigs

MAX_AGE_SECONDS = 60.0


class CachedShopConfigs:
    def __init__(
        self,
        configs: ShopConfigs,
        *,
        max_age_seconds: float = MAX_AGE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._configs = configs
        self._max_age = max_age_seconds
        self._monotonic = monotonic
        self._kept: dict[str, tuple[float, ShopConfig]] = {}

    def get(self, shop_id: str) -> ShopConfig | None:
        now = self._monotonic()
        kept = self._kept.get(shop_id)
        if kept and now - kept[0] < self._max_age:
            return kept[1]
        config = self._configs.get(shop_id)
        if config is None:
            self._kept.pop(shop_id, None)
        else:
            self._kept[shop_id] = (now, config)
        return config
