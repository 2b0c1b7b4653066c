"""Dandomain Classic as an order source: the WEBAPI v1 client plus the wire -> Order adapter."""

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from autobook.dandomain.classic_adapter import to_domain
from autobook.dandomain.classic_client import ClassicClient
from autobook.domain.order import Order

SHOP_ZONE = ZoneInfo("Europe/Copenhagen")


def shop_local(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Aware bounds as Classic wants them: naive Europe/Copenhagen wall-clock times.

    When the window crosses the autumn DST change the wall clock runs backwards, so the naive
    start can lie after the naive end; the start is then pulled back so the local window is
    never shorter than the real one (a longer window only re-reads orders).
    """
    local_start = start.astimezone(SHOP_ZONE).replace(tzinfo=None)
    local_end = end.astimezone(SHOP_ZONE).replace(tzinfo=None)
    return min(local_start, local_end - (end - start)), local_end


class ClassicOrderSource:
    def __init__(self, client: ClassicClient) -> None:
        self._client = client

    def fetch(self, order_id: str) -> Order:
        return to_domain(self._client.get_order(order_id))

    def changed_between(
        self, start: datetime, end: datetime, states: Collection[int]
    ) -> list[Order]:
        local_start, local_end = shop_local(start, end)
        return [
            to_domain(wire)
            for state in sorted(states)
            for wire in self._client.orders_modified(local_start, local_end, state_id=state)
        ]

    def country_codes(self) -> dict[int, str]:
        return self._client.country_codes()

    def currency_factors(self) -> dict[str, Decimal]:
        return self._client.currency_factors()
