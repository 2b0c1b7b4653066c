"""Reference data that rarely changes, cached in the shops table so steady state costs no call:
the agreement's base currency (e-conomic /self), the shop's country ids and currency factors
(Dandomain). A lookup the cached list cannot answer reads the list again (the owner may have
added the country or the rate since), so a fix in Dandomain is seen on the next retry."""

from collections.abc import Callable, Collection
from decimal import Decimal

from autobook.usecases.ports import ShopDirectory


class ReferenceCache:
    def __init__(self, shops: ShopDirectory, shop_id: str) -> None:
        self._shops = shops
        self._shop_id = shop_id

    def base_currency(self, fetch: Callable[[], str]) -> str:
        cached = self._shops.cached(self._shop_id, "economic-self")
        if cached:
            return str(cached["base_currency"])
        currency = fetch()
        self._shops.cache(self._shop_id, "economic-self", {"base_currency": currency})
        return currency

    def currency_factors(
        self, fetch: Callable[[], dict[str, Decimal]], *, needed: Collection[str] = ()
    ) -> dict[str, Decimal]:
        cached = self._shops.cached(self._shop_id, "currency-factors")
        if cached and all(code in cached for code in needed):
            return {code: Decimal(value) for code, value in cached.items()}
        factors = fetch()
        self._shops.cache(
            self._shop_id, "currency-factors", {k: str(v) for k, v in factors.items()}
        )
        return factors

    def country_codes(
        self, fetch: Callable[[], dict[int, str]], *, needed: Collection[int] = ()
    ) -> dict[int, str]:
        cached = self._shops.cached(self._shop_id, "countries")
        if cached and all(str(country_id) in cached for country_id in needed):
            return {int(k): str(v) for k, v in cached.items()}
        codes = fetch()
        self._shops.cache(self._shop_id, "countries", {str(k): v for k, v in codes.items()})
        return codes
