"""Dandomain Classic WEBAPI v1 client (httpx). The API key sits in the URL path, so every error
that leaves this module is built from a redacted path, never from httpx's message."""

import json
import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from autobook.dandomain.classic_model import ClassicOrder
from autobook.domain.errors import ErrorCode, KnownError, TransientError

_BASE = "/admin/WEBAPI/Endpoints/v1_0"

# httpx logs every request URL at INFO, and Classic puts the API key in the URL path: keep
# httpx's own request log quiet whatever level the function logs at.
logging.getLogger("httpx").setLevel(logging.WARNING)
_PAGE_SIZE = 100


class ClassicClient:
    def __init__(self, *, base_url: str, api_key: str, http: httpx.Client) -> None:
        self._base = base_url.rstrip("/") + _BASE
        self._key = api_key
        self._http = http

    def get_order(self, order_id: str) -> ClassicOrder:
        body = self._get(f"OrderService/{{key}}/{order_id}", order_id=order_id)
        return ClassicOrder.model_validate(body)

    def orders_modified(
        self, start: datetime, end: datetime, *, state_id: int | None = None
    ) -> list[ClassicOrder]:
        """Every order modified in [start, end) (shop-local naive times), all pages."""
        orders: list[ClassicOrder] = []
        page = 1
        while True:
            params = {
                "start": start.strftime("%Y-%m-%dT%H:%M:%S"),
                "end": end.strftime("%Y-%m-%dT%H:%M:%S"),
                "pageIndex": str(page),
                "pageSize": str(_PAGE_SIZE),
            }
            if state_id is not None:
                params["orderstateid"] = str(state_id)
            batch = self._get("OrderService/{key}/GetByModifiedInterval", params=params)
            items = batch if isinstance(batch, list) else []
            orders.extend(ClassicOrder.model_validate(item) for item in items)
            if len(items) < _PAGE_SIZE:
                return orders
            page += 1

    def country_codes(self) -> dict[int, str]:
        """Shop-specific country id -> ISO 3166 alpha-2 (empty where the shop gives no code)."""
        body = self._get("SettingService/{key}/Countries")
        result: dict[int, str] = {}
        for item in body if isinstance(body, list) else []:
            code = str(item.get("code") or item.get("isoCode") or "").strip().upper()
            if "id" in item and len(code) == 2:
                result[int(item["id"])] = code
        return result

    def currency_factors(self) -> dict[str, Decimal]:
        """Currency code -> Dandomain's factor: the value of 100 units in the shop's base
        currency (as the Classic settings show it; an assumption, see dandomain.md P8)."""
        body = self._get("SettingService/{key}/Currencies")
        factors: dict[str, Decimal] = {}
        for item in body if isinstance(body, list) else []:
            code = str(item.get("code") or "").strip().upper()
            if code and item.get("factor") is not None:
                factors[code] = Decimal(str(item["factor"]))
        return factors

    def payment_methods(self, site_id: int) -> list[dict[str, Any]]:
        """`{id, name, fee, feeVat}` of one site (ids are per site)."""
        return _items(self._get(f"SettingService/{{key}}/PaymentMethods/{site_id}", site=site_id))

    def shipping_methods(self, site_id: int) -> list[dict[str, Any]]:
        return _items(self._get(f"SettingService/{{key}}/ShippingMethods/{site_id}", site=site_id))

    def order_states(self) -> list[dict[str, Any]]:
        """`{id, name, isDefault, exclStatistics}`: the shop-defined order states."""
        return _items(self._get("OrderService/{key}/OrderStates"))

    def sites(self) -> list[dict[str, Any]]:
        return _items(self._get("SettingService/{key}/Sites"))

    def _get(
        self,
        template: str,
        *,
        params: dict[str, str] | None = None,
        order_id: str | None = None,
        site: int | None = None,
    ) -> Any:
        redacted = template.replace("{key}", "***")
        url = f"{self._base}/{template.replace('{key}', self._key)}"
        try:
            response = self._http.get(url, params=params, headers={"Accept": "application/json"})
        except httpx.TimeoutException:
            raise TransientError(
                f"Dandomain GET {redacted}: timeout", service="Dandomain"
            ) from None
        except httpx.TransportError as exc:
            raise TransientError(
                f"Dandomain GET {redacted}: {type(exc).__name__}", service="Dandomain"
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise KnownError(ErrorCode.DANDOMAIN_ACCESS, detail=f"HTTP {status}")
        if status == 404 and order_id is not None:
            raise KnownError(ErrorCode.ORDER_NOT_FOUND, order_id=order_id)
        if status == 404 and site is not None:
            raise LookupError(f"Dandomain has no site {site}")
        if status == 429 or status >= 500:
            raise TransientError(f"Dandomain GET {redacted}: HTTP {status}", service="Dandomain")
        if status >= 400:
            raise TransientError(f"Dandomain GET {redacted}: HTTP {status}", service="Dandomain")
        return json.loads(response.content, parse_float=Decimal)


def _items(body: Any) -> list[dict[str, Any]]:
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []
