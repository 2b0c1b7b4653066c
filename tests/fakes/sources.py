"""Dandomain as a dict of orders."""

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal

from autobook.domain.errors import ErrorCode, KnownError, TransientError
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig


class FakeOrderSource:
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.countries: dict[int, str] = {}
        self.factors: dict[str, Decimal] = {}
        self.key_refused = False
        self.down = False
        self.fetches = 0

    def put(self, order: Order) -> Order:
        self.orders[order.order_id] = order
        return order

    def _check(self) -> None:
        if self.key_refused:
            raise KnownError(ErrorCode.DANDOMAIN_ACCESS, detail="HTTP 401")
        if self.down:
            raise TransientError("Dandomain GET: HTTP 503", service="Dandomain")

    def fetch(self, order_id: str) -> Order:
        self._check()
        self.fetches += 1
        try:
            return self.orders[order_id]
        except KeyError:
            raise KnownError(ErrorCode.ORDER_NOT_FOUND, order_id=order_id) from None

    def changed_between(
        self, start: datetime, end: datetime, states: Collection[int]
    ) -> list[Order]:
        self._check()
        return [
            o for o in self.orders.values() if start <= o.modified_at < end and o.state.id in states
        ]

    def country_codes(self) -> dict[int, str]:
        self._check()
        return dict(self.countries)

    def currency_factors(self) -> dict[str, Decimal]:
        self._check()
        return dict(self.factors)


class FakeSources:
    def __init__(self, source: FakeOrderSource | None = None) -> None:
        self.source = source or FakeOrderSource()

    def for_shop(self, shop: ShopConfig) -> FakeOrderSource:
        return self.source
