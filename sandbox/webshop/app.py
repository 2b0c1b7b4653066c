"""Starlette app imitating the Dandomain Webshop (HostedShop) SOAP API.

`POST /service.php` takes SOAP 1.1 document/literal calls; `GET /service.wsdl` (or
`/service.php?wsdl`) serves autobook's WSDL with this server's address. Reproduced pitfalls
(dandomain.md §2.3, P6, P7, P15): calls need the session cookie of `Solution_Connect`; the
default projection is `Id` only and is per session (a new login starts from `Id` again);
`Order_SetFields` with one unknown name faults and keeps the old set; `Status` must be sent to
the `*WithPagination` call (leaving it out is PHP's arity fault); `Page` starts at 1; an array
with one element comes back as the bare object; `CountryCode` is a numeric delivery-country id;
credit notes are orders with `Origin`; unset dates read `0000-00-00 00:00:00`; a payment-method
title carries an HTML entity; `Solution_SetEncoding("UTF-8")` double-encodes every text after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from importlib.resources import files
from typing import Any
from xml.etree import ElementTree as ET

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from sandbox.webshop import catalog
from sandbox.webshop.orders import SHOP_TZ, Order
from sandbox.webshop.soap import XML_TYPE, Call, SoapFault, fault, parse_call, result
from sandbox.webshop.state import REDACTED, RequestRecord, Session, WebshopShop, WebshopState

COOKIE = "PHPSESSID"


def _type_fields(name: str) -> frozenset[str]:
    """The element names of a WSDL complex type: what Order_SetFields may name."""
    xsd = "{http://www.w3.org/2001/XMLSchema}"
    root = ET.fromstring(wsdl_text(""))  # noqa: S314 - autobook's own packaged WSDL
    for node in root.iter(f"{xsd}complexType"):
        if node.get("name") == name:
            return frozenset(str(e.get("name")) for e in node.iter(f"{xsd}element"))
    raise KeyError(name)


_PAGED = ("Start", "End", "Status", "Page", "PageSize")

type Handler = Callable[[WebshopState, Session, WebshopShop, dict[str, str | None]], Any]


def _int(params: dict[str, str | None], name: str) -> int:
    raw = params.get(name)
    try:
        return int(raw or "")
    except ValueError:
        raise SoapFault(f"Invalid value for {name}: {raw!r}", "SOAP-ENV:Client") from None


def _moment(params: dict[str, str | None], name: str, *, end: bool) -> datetime:
    raw = (params.get(name) or "").strip()
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(raw, layout).replace(tzinfo=SHOP_TZ)
        except ValueError:
            continue
        if layout == "%Y-%m-%d" and end:
            moment = datetime.combine(moment.date(), time(23, 59, 59), tzinfo=SHOP_TZ)
        return moment
    raise SoapFault(f"Invalid date for {name}: {raw!r}", "SOAP-ENV:Client")


def _fields(raw: str | None, allowed: frozenset[str]) -> frozenset[str]:
    names = [name.strip() for name in (raw or "").split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise SoapFault(f"Unknown field: {unknown[0]}")  # and the old set stays
    return frozenset(names) | {"Id"}


def project(order: Order, session: Session) -> Order:
    """The order as this session's projection shows it."""
    shown = {key: value for key, value in order.items() if key in session.order_fields}
    if "OrderLines" in shown:
        shown["OrderLines"] = [
            {key: value for key, value in line.items() if key in session.line_fields}
            for line in shown["OrderLines"]
        ]
    return shown


# ------------------------------------------------------------------------------ handlers


def _set_language(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> bool:
    language = (p.get("LanguageISO") or "").strip().upper()
    if language not in catalog.LANGUAGES:
        return False
    session.language = language
    return True


def _set_encoding(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> bool:
    # The service already speaks UTF-8; asking for it again encodes every text twice.
    session.double_encode = (p.get("Encoding") or "").replace("-", "").upper() == "UTF8"
    return True


def _set_fields(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> bool:
    session.order_fields = _fields(p.get("Fields"), ORDER_FIELDS)
    return True


def _set_line_fields(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> bool:
    session.line_fields = _fields(p.get("Fields"), LINE_FIELDS)
    return True


def _get_by_id(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> Order:
    order_id = _int(p, "OrderId")
    try:
        return project(shop.get_order(order_id), session)
    except KeyError:
        raise SoapFault(f"Order with id {order_id} not found") from None


def _get_by_date_updated_paged(
    state: WebshopState, session: Session, shop: WebshopShop, p: Any
) -> list[Order]:
    missing = [name for name in _PAGED if name not in p]
    if missing:  # PHP's arity check: a nillable parameter must still be sent
        raise SoapFault(
            "Function Order_GetByDateUpdatedWithPagination() expects exactly 5 parameters, "
            f"{5 - len(missing)} given"
        )
    status = (p.get("Status") or "").strip()
    try:
        statuses = {int(s) for s in status.split(",") if s.strip()} if status else None
    except ValueError:
        raise SoapFault(f"Invalid value for Status: {status!r}", "SOAP-ENV:Client") from None
    page, size = _int(p, "Page"), _int(p, "PageSize")
    if size < 1:
        raise SoapFault("PageSize must be positive", "SOAP-ENV:Client")
    if page < 1:
        return []  # pages start at 1
    orders = shop.orders_updated_between(
        _moment(p, "Start", end=False), _moment(p, "End", end=True), statuses
    )
    first = (page - 1) * size
    return [project(order, session) for order in orders[first : first + size]]


def _update_status(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> bool:
    try:
        shop.set_status(_int(p, "OrderId"), _int(p, "Status"))
    except KeyError:
        return False
    return True


def _listing(attribute: str) -> Handler:
    def handler(state: WebshopState, session: Session, shop: WebshopShop, p: Any) -> Any:
        return getattr(shop, attribute)

    return handler


HANDLERS: dict[str, Handler] = {
    "Solution_SetLanguage": _set_language,
    "Solution_SetEncoding": _set_encoding,
    "Order_SetFields": _set_fields,
    "Order_SetOrderLineFields": _set_line_fields,
    "Order_GetById": _get_by_id,
    "Order_GetByDateUpdatedWithPagination": _get_by_date_updated_paged,
    "Order_UpdateStatus": _update_status,
    "OrderStatusCode_GetAll": _listing("status_codes"),
    "Payment_GetAll": _listing("payment_methods"),
    "Delivery_GetAll": _listing("delivery_methods"),
    "Currency_GetAll": _listing("currencies"),
    "Sites_GetAll": _listing("sites"),
    "Product_GetDeliveryCountryAll": _listing("countries"),
}


def _xml(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=XML_TYPE)


def wsdl_text(address: str) -> str:
    text = (files("autobook.dandomain") / "webshop.wsdl").read_text(encoding="utf-8")
    return text.replace('https://api.hostedshop.io/service.php"/>', f'{address}"/>')


ORDER_FIELDS = _type_fields("Order")
LINE_FIELDS = _type_fields("OrderLine")


def create_app(state: WebshopState) -> Starlette:
    async def wsdl(request: Request) -> Response:
        address = str(request.base_url).rstrip("/") + "/service.php"
        return Response(wsdl_text(address).encode("utf-8"), media_type=XML_TYPE)

    async def service(request: Request) -> Response:
        if request.method == "GET":
            return await wsdl(request) if "wsdl" in request.query_params else _xml(b"", 405)
        return handle(state, await request.body(), request.cookies.get(COOKIE))

    return Starlette(
        routes=[
            Route("/service.wsdl", wsdl, methods=["GET"]),
            Route("/service.php", service, methods=["GET", "POST"]),
        ]
    )


def handle(state: WebshopState, body: bytes, session_id: str | None) -> Response:
    """One POST to /service.php: the fault knobs, the call, the request log."""
    failure = state.take_failure()
    if failure is not None:
        return PlainTextResponse(f"Sandbox injected failure ({failure})", status_code=failure)
    try:
        call = parse_call(body)
    except SoapFault as error:
        return _xml(fault(error), 500)
    session = state.session(session_id)
    response, fault_text = _answer(state, call, session)
    state.log(
        RequestRecord(
            operation=call.operation,
            http_status=response.status_code,
            in_session=session is not None,
            params={k: (REDACTED if k == "Password" else v) for k, v in call.params.items()},
            fault=fault_text,
        )
    )
    return response


def _answer(state: WebshopState, call: Call, session: Session | None) -> tuple[Response, str]:
    try:
        if call.operation == "Solution_Connect":
            fresh = state.login(
                call.params.get("Username") or "", call.params.get("Password") or ""
            )
            if fresh is None:
                raise SoapFault("Login failed: wrong username or password")
            response = _xml(result(call.operation, True))
            response.set_cookie(COOKIE, fresh.id, httponly=True)
            return response, ""
        handler = HANDLERS.get(call.operation)
        if handler is None:
            raise SoapFault(f"Procedure '{call.operation}' not present", "SOAP-ENV:Client")
        if session is None:
            raise SoapFault("Not connected: call Solution_Connect first")
        shop = state.shop(session.username)
        if shop is None:
            raise SoapFault("Not connected: call Solution_Connect first")
        injected = state.take_fault()
        if injected is not None:
            raise SoapFault(injected)
        value = handler(state, session, shop, call.params)
        text = _double_encode if session.double_encode else str
        return _xml(
            result(call.operation, value, single_as_object=state.single_as_object, text=text)
        ), ""
    except SoapFault as error:
        return _xml(fault(error), 500), error.message


def _double_encode(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")
