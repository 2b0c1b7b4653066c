"""Starlette app imitating the Dandomain Classic WEBAPI v1 (JSON only).

Base path ``/admin/WEBAPI/Endpoints/v1_0/``; the API key is a path segment and is redacted
(``***``) in the request log. Paths and query parameter names match case-insensitively, like the
.NET service behind the real API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from sandbox.dandomain.orders import SHOP_TZ
from sandbox.dandomain.state import REDACTED, DandomainState, RequestRecord, ShopData

PREFIX = "/admin/WEBAPI/Endpoints/v1_0/"
_SERVICE_PATH = re.compile(r"^/admin/webapi/endpoints/v1_0/(\w+Service)/([^/]+)(?:/(.*))?$", re.I)
_REDACT = re.compile(r"(/v1_0/\w+Service/)([^/?]+)", re.I)

JSON_TYPE = "application/json; charset=utf-8"

type Handler = Callable[[Request, ShopData, list[str]], Awaitable[Response]]


def redact_path(path: str) -> str:
    """``/admin/WEBAPI/Endpoints/v1_0/OrderService/<key>/1001`` → ``…/OrderService/***/1001``."""
    return _REDACT.sub(lambda m: m.group(1) + REDACTED, path)


def json_response(payload: Any, status: int = 200) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode("utf-8"), status_code=status, media_type=JSON_TYPE)


def plain(text: str, status: int) -> Response:
    return PlainTextResponse(text, status_code=status)


class BadRequestError(ValueError):
    pass


def _query(request: Request, name: str) -> str | None:
    wanted = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == wanted:
            return value
    return None


def _local_datetime(request: Request, name: str) -> datetime:
    raw = _query(request, name)
    if not raw:
        raise BadRequestError(f"Missing parameter '{name}'")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequestError(f"Invalid date '{raw}', expected YYYY-MM-DDTHH:MM:SS") from exc
    if moment.tzinfo is None:  # shop-local time (Europe/Copenhagen)
        moment = moment.replace(tzinfo=SHOP_TZ)
    return moment


def _int_param(request: Request, name: str, default: int | None) -> int | None:
    raw = _query(request, name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise BadRequestError(f"Invalid integer '{raw}' for '{name}'") from exc


def _int_segment(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise LookupError(value) from exc


# ---------------------------------------------------------------------------- OrderService


async def _order_by_id(request: Request, shop: ShopData, rest: list[str]) -> Response:
    try:
        return json_response(shop.get_order(_int_segment(rest[0])))
    except (KeyError, LookupError):
        return plain("Order not found", 404)


def _interval(request: Request) -> tuple[datetime, datetime, int | None]:
    start = _local_datetime(request, "start")
    end = _local_datetime(request, "end")
    return start, end, _int_param(request, "orderstateid", None)


async def _get_by_modified(request: Request, shop: ShopData, rest: list[str]) -> Response:
    start, end, state_id = _interval(request)
    page_index = _int_param(request, "pageIndex", 1) or 1
    page_size = _int_param(request, "pageSize", 100) or 100
    if page_index < 1 or page_size < 1:
        raise BadRequestError("pageIndex and pageSize start at 1")
    orders = shop.orders_modified_between(start, end, state_id)
    first = (page_index - 1) * page_size
    return json_response(orders[first : first + page_size])


async def _count_by_modified(request: Request, shop: ShopData, rest: list[str]) -> Response:
    start, end, state_id = _interval(request)
    return json_response(len(shop.orders_modified_between(start, end, state_id)))


async def _get_by_date(request: Request, shop: ShopData, rest: list[str]) -> Response:
    start = _local_datetime(request, "start")
    end = _local_datetime(request, "end")
    return json_response(shop.orders_created_between(start, end))


async def _order_states(request: Request, shop: ShopData, rest: list[str]) -> Response:
    return json_response(shop.order_states)


async def _set_order_state(request: Request, shop: ShopData, rest: list[str]) -> Response:
    if len(rest) != 3:
        return plain("Endpoint not found.", 404)
    try:
        shop.set_order_state(_int_segment(rest[1]), _int_segment(rest[2]))
    except (KeyError, LookupError):
        return json_response(False)
    return json_response(True)


# ---------------------------------------------------------------------------- SettingService


async def _sites(request: Request, shop: ShopData, rest: list[str]) -> Response:
    return json_response(shop.sites)


async def _countries(request: Request, shop: ShopData, rest: list[str]) -> Response:
    return json_response(shop.countries)


async def _currencies(request: Request, shop: ShopData, rest: list[str]) -> Response:
    return json_response(shop.currencies)


def _per_site(attr: str) -> Handler:
    async def handler(request: Request, shop: ShopData, rest: list[str]) -> Response:
        if len(rest) != 2:
            return plain("Endpoint not found.", 404)
        try:
            site_id = _int_segment(rest[1])
        except LookupError:
            return plain("Site not found", 404)
        methods: dict[int, list[dict[str, Any]]] = getattr(shop, attr)
        if not any(site["id"] == site_id for site in shop.sites):
            return plain("Site not found", 404)
        return json_response(methods.get(site_id, []))

    return handler


# (service, first segment after the key lowercased or "*" for an id, method) → handler
_ROUTES: dict[tuple[str, str, str], Handler] = {
    ("orderservice", "getbymodifiedinterval", "GET"): _get_by_modified,
    ("orderservice", "countbymodifiedinterval", "GET"): _count_by_modified,
    ("orderservice", "getbydateinterval", "GET"): _get_by_date,
    ("orderservice", "orderstates", "GET"): _order_states,
    ("orderservice", "setorderstate", "PUT"): _set_order_state,
    ("orderservice", "*", "GET"): _order_by_id,
    ("settingservice", "sites", "GET"): _sites,
    ("settingservice", "countries", "GET"): _countries,
    ("settingservice", "currencies", "GET"): _currencies,
    ("settingservice", "paymentmethods", "GET"): _per_site("payment_methods"),
    ("settingservice", "shippingmethods", "GET"): _per_site("shipping_methods"),
}
_NAMED = {segment for (_, segment, _) in _ROUTES if segment != "*"}


def create_app(state: DandomainState) -> Starlette:
    async def dispatch(request: Request) -> Response:
        response = await _answer(request)
        state.log(
            RequestRecord(
                method=request.method,
                path=redact_path(request.url.path),
                query=request.url.query,
                status=response.status_code,
                accept=request.headers.get("accept", ""),
            )
        )
        return response

    async def _answer(request: Request) -> Response:
        failure = state.take_failure()
        if failure is not None:
            return plain(f"Sandbox injected failure ({failure})", failure)
        match = _SERVICE_PATH.match(request.url.path)
        if match is None:
            return plain("Endpoint not found.", 404)
        service, key, tail = match.group(1).lower(), match.group(2), match.group(3) or ""
        shop = state.shop(key)
        if shop is None:
            # Assumption: the real body of an auth failure is unknown; an HTML page is likely.
            return HTMLResponse(
                "<html><head><title>401 Unauthorized</title></head>"
                "<body><h1>Unauthorized</h1><p>Access is denied.</p></body></html>",
                status_code=401,
            )
        rest = [segment for segment in tail.split("/") if segment]
        if not rest:
            return plain("Endpoint not found.", 404)
        first = rest[0].lower()
        segment = first if first in _NAMED else "*"
        if segment == "*" and len(rest) != 1:
            return plain("Endpoint not found.", 404)
        handler = _ROUTES.get((service, segment, request.method))
        if handler is None:
            known = any(s == service and g == segment for (s, g, _) in _ROUTES)
            return plain(
                "Method not allowed." if known else "Endpoint not found.", 405 if known else 404
            )
        try:
            return await handler(request, shop, rest)
        except BadRequestError as exc:
            return plain(str(exc), 400)

    methods = ["GET", "PUT", "POST", "DELETE", "PATCH"]
    return Starlette(routes=[Route("/{path:path}", dispatch, methods=methods)])
