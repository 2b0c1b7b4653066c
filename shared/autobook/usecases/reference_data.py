"""Reference data that rarely changes, cached in the shops table so steady state costs no call:
the agreement's base currency (e-conomic /self) and the shop's country ids (Dandomain)."""

from collections.abc import Callable
from decimal import Decimal

from autobook.domain.shop import ShopConfig
from autobook.economic.client import EconomicClient
from autobook.store.shops import ShopRepository


class ReferenceCache:
    def __init__(self, shops: ShopRepository, shop: ShopConfig) -> None:
        self._shops = shops
        self._shop_id = shop.shop_id

    def base_currency(self, economic: EconomicClient) -> str:
        cached = self._shops.get_cached(self._shop_id, "economic-self")
        if cached:
            return str(cached["base_currency"])
        currency = economic.agreement().base_currency
        self._shops.put_cached(self._shop_id, "economic-self", {"base_currency": currency})
        return currency

    def currency_factors(self, fetch: Callable[[], dict[str, Decimal]]) -> dict[str, Decimal]:
        cached = self._shops.get_cached(self._shop_id, "currency-factors")
        if cached:
            return {code: Decimal(value) for code, value in cached.items()}
        factors = fetch()
        self._shops.put_cached(
            self._shop_id, "currency-factors", {k: str(v) for k, v in factors.items()}
        )
        return factors

    def country_codes(self, fetch: Callable[[], dict[int, str]]) -> dict[int, str]:
        cached = self._shops.get_cached(self._shop_id, "countries")
        if cached:
            return {int(k): str(v) for k, v in cached.items()}
        codes = fetch()
        self._shops.put_cached(self._shop_id, "countries", {str(k): v for k, v in codes.items()})
        return codes
