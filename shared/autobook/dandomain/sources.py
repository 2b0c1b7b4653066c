"""Order sources: one per Dandomain platform, each producing the platform-neutral `Order`.

`ClassicOrderSource` (WEBAPI v1, JSON) and `WebshopOrderSource` (HostedShop SOAP) have the
same shape: `fetch`, `changed_between`, the reference data the mapping needs
(`country_codes`, `currency_factors`) and the catalogue reads of the operator's `mappings
sync` (`payment_methods`, `shipping_methods`, `order_states`, `sites`). Times come in aware;
each source converts them to what its API wants (naive Europe/Copenhagen wall-clock times).
`build_order_source` picks the source by `shop.dandomain.platform`. Nothing after the source
(mapping, booking) knows which platform an order came from.
"""

from collections.abc import Collection, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx

from autobook.dandomain.catalogue import (
    OrderStateInfo,
    PaymentMethodInfo,
    ShippingMethodInfo,
    SiteInfo,
)
from autobook.dandomain.classic_adapter import parse_classic_order, to_domain
from autobook.dandomain.classic_client import ClassicClient
from autobook.dandomain.webshop_adapter import clean, parse_webshop_order
from autobook.dandomain.webshop_adapter import to_domain as webshop_to_domain
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.money import HUNDRED
from autobook.domain.order import Order
from autobook.domain.shop import Platform, ShopConfig, ShopSecrets, WebshopSettings

if TYPE_CHECKING:  # the SOAP stack (zeep, lxml) is imported only when a Webshop shop is used
    from autobook.dandomain.webshop_client import WebshopClient

SHOP_ZONE = ZoneInfo("Europe/Copenhagen")
WEBSHOP_TIMEOUT_SECONDS = 30.0


def shop_local_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end] as naive Copenhagen wall-clock times. Across the autumn DST change the
    wall clock runs backwards; the start is then pulled back so the local window is never
    shorter than the real one (a longer window only re-reads orders)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("order sources take aware datetimes")
    local_start = start.astimezone(SHOP_ZONE).replace(tzinfo=None)
    local_end = end.astimezone(SHOP_ZONE).replace(tzinfo=None)
    return min(local_start, local_end - (end - start)), local_end


def _text(item: Mapping[str, Any], key: str) -> str:
    return str(item.get(key) or "").strip()


class ClassicOrderSource:
    """Dandomain Classic through WEBAPI v1."""

    def __init__(self, client: ClassicClient) -> None:
        self._client = client

    def fetch(self, order_id: str) -> Order:
        return to_domain(self._client.get_order(order_id))

    def changed_between(
        self, start: datetime, end: datetime, states: Collection[int]
    ) -> list[Order]:
        """Orders modified in the window, in any of `states` (empty: any), each once."""
        local_start, local_end = shop_local_window(start, end)
        found: dict[int, Order] = {}
        wanted: list[int | None] = [*sorted(states)] or [None]
        for state in wanted:
            for wire in self._client.orders_modified(local_start, local_end, state_id=state):
                found.setdefault(wire.id, to_domain(wire))
        return list(found.values())

    def country_codes(self) -> dict[int, str]:
        return self._client.country_codes()

    def currency_factors(self) -> dict[str, Decimal]:
        return self._client.currency_factors()

    def payment_methods(self, site_id: int) -> list[PaymentMethodInfo]:
        return [
            PaymentMethodInfo(id=int(m["id"]), name=clean(_text(m, "name")), site_id=site_id)
            for m in self._client.payment_methods(site_id)
            if "id" in m
        ]

    def shipping_methods(self, site_id: int) -> list[ShippingMethodInfo]:
        return [
            ShippingMethodInfo(id=int(m["id"]), name=clean(_text(m, "name")), site_id=site_id)
            for m in self._client.shipping_methods(site_id)
            if "id" in m
        ]

    def order_states(self) -> list[OrderStateInfo]:
        return [
            OrderStateInfo(
                id=int(s["id"]),
                name=clean(_text(s, "name")),
                is_default=bool(s.get("isDefault")),
                excluded_from_statistics=bool(s.get("exclStatistics")),
            )
            for s in self._client.order_states()
            if "id" in s
        ]

    def sites(self) -> list[SiteInfo]:
        return [
            SiteInfo(
                id=int(s["id"]),
                name=clean(_text(s, "name")),
                currency=_text(s, "currencyCode").upper(),
            )
            for s in self._client.sites()
            if "id" in s
        ]


class WebshopOrderSource:
    """Dandomain Webshop (HostedShop) through its SOAP API."""

    def __init__(self, client: "WebshopClient", settings: WebshopSettings) -> None:
        self._client = client
        self._settings = settings

    def fetch(self, order_id: str) -> Order:
        number = order_id.strip()
        if not number.isdigit():  # Webshop order ids are numbers; anything else is unknown
            raise KnownError(ErrorCode.ORDER_NOT_FOUND, order_id=order_id)
        return webshop_to_domain(self._client.order(int(number)), self._settings)

    def changed_between(
        self, start: datetime, end: datetime, states: Collection[int]
    ) -> list[Order]:
        """Orders whose DateUpdated is in the window and whose status is one of `states`
        (empty: any)."""
        local_start, local_end = shop_local_window(start, end)
        return [
            webshop_to_domain(wire, self._settings)
            for wire in self._client.orders_updated(local_start, local_end, list(states))
        ]

    def country_codes(self) -> dict[int, str]:
        """Delivery-country id (what an order's `CountryCode` holds) -> ISO 3166 alpha-2."""
        codes: dict[int, str] = {}
        for country in self._client.delivery_countries():
            iso = country.iso.strip().upper()
            if len(iso) == 2 and iso.isalpha():
                codes[country.id] = iso
        return codes

    def currency_factors(self) -> dict[str, Decimal]:
        """Currency -> the value of 100 units in the shop's base currency (as Classic gives
        it); empty unless `currency_rate` says how the service's rate reads."""
        reading = self._settings.currency_rate
        if reading is None:
            return {}
        factors: dict[str, Decimal] = {}
        for currency in self._client.currencies():
            iso, rate = currency.iso.strip().upper(), currency.rate
            if not iso or rate <= 0:
                continue
            if reading == "per_unit":
                factors[iso] = rate * HUNDRED
            elif reading == "per_hundred":
                factors[iso] = rate
            else:
                factors[iso] = HUNDRED / rate
        return factors

    def payment_methods(self, site_id: int) -> list[PaymentMethodInfo]:
        """The shop's payment methods (Webshop ids are shop-wide: `site_id` is not a filter)."""
        return [
            PaymentMethodInfo(id=m.id, name=clean(m.title)) for m in self._client.payment_methods()
        ]

    def shipping_methods(self, site_id: int) -> list[ShippingMethodInfo]:
        """The shop's delivery methods (shop-wide, like payment methods)."""
        return [
            ShippingMethodInfo(id=m.id, name=clean(m.title))
            for m in self._client.delivery_methods()
        ]

    def order_states(self) -> list[OrderStateInfo]:
        return [
            OrderStateInfo(id=s.id, name=clean(s.title)) for s in self._client.order_status_codes()
        ]

    def sites(self) -> list[SiteInfo]:
        return [
            SiteInfo(id=s.id, name=clean(s.title), language=s.language_iso.strip())
            for s in self._client.sites()
        ]


OrderSource = ClassicOrderSource | WebshopOrderSource


def build_order_source(shop: ShopConfig, secrets: ShopSecrets, http: httpx.Client) -> OrderSource:
    """The shop's order source, by its platform (the credentials come from its secrets)."""
    settings = shop.dandomain
    if settings.platform == Platform.CLASSIC:
        client = ClassicClient(
            base_url=settings.base_url, api_key=secrets.dandomain_api_key, http=http
        )
        return ClassicOrderSource(client)
    # Imported here: zeep and lxml cost a Classic-only container nothing (bench/README.md).
    from autobook.dandomain.webshop_client import WebshopClient

    webshop = settings.webshop_settings
    return WebshopOrderSource(
        WebshopClient(
            endpoint=settings.base_url,
            username=secrets.webshop_username,
            password=secrets.webshop_password,
            http=http,
            language=webshop.language,
            timeout_seconds=WEBSHOP_TIMEOUT_SECONDS,
        ),
        webshop,
    )


def parse_order(
    platform: str, document: dict[str, Any], *, webshop: WebshopSettings | None = None
) -> Order:
    """The platform's order document -> `Order`: a Classic v1 order JSON, or a Webshop SOAP
    `Order` as a JSON document (docs/webshop.md), read with the shop's Webshop settings."""
    if platform == Platform.CLASSIC:
        return parse_classic_order(document)
    if platform == Platform.WEBSHOP:
        return parse_webshop_order(document, webshop)
    raise ValueError(f"no order adapter for Dandomain platform {platform!r}")
