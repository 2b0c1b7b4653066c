"""Dandomain Webshop (HostedShop) SOAP client: zeep over the caller's httpx client.

The WSDL ships with the package (`webshop.wsdl`) and is parsed once per process. Calls run in
a server session: `Solution_Connect` sets a cookie that this client keeps to itself (the httpx
client is shared between shops, so its cookie jar is never used), then `Solution_SetLanguage`;
before the first order call of a session the projection is chosen with `Order_SetFields` and
`Order_SetOrderLineFields` (the service returns only `Id` otherwise, and forgets the choice on
a new login). `Solution_SetEncoding` is never called: the service already speaks UTF-8 and
asking again double-encodes.

Errors: a refused login is KnownError DANDOMAIN_ACCESS, an unknown order ORDER_NOT_FOUND, a
timeout, transport error, 429 or 5xx without a SOAP fault a TransientError; any other fault is
a `WebshopProtocolError` (an unknown failure: retried, then left for the operator). No message
or log line ever contains the password or a request body.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import httpx
import zeep
from lxml import etree
from pydantic import BaseModel
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError
from zeep.helpers import serialize_object
from zeep.wsdl import Document
from zeep.wsdl.utils import etree_to_string

from autobook.dandomain import webshop_model as wire
from autobook.domain.errors import ErrorCode, KnownError, TransientError

# zeep logs whole envelopes (the login's password included) at DEBUG.
logging.getLogger("zeep").setLevel(logging.WARNING)

WSDL_PATH = str(files("autobook.dandomain") / "webshop.wsdl")
BINDING = "{https://api.hostedshop.io/service.php}WebServiceBinding"
PAGE_SIZE = 100
MAX_PAGES = 10_000
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"

# The projection autobook reads (webshop_model.Order / OrderLine); nothing more is fetched.
ORDER_FIELDS = (
    "Id,InvoiceNumber,CurrencyId,Currency,CustomerId,Customer,Site,LanguageISO,Status,"
    "PaymentId,Payment,Transactions,Vat,Total,OrderComment,CustomerComment,DeliveryComment,"
    "TrackingCode,DateDelivered,DateDue,DateSent,DateUpdated,OrderLines,DeliveryId,Delivery,"
    "DiscountCodes,ReferenceNumber,Origin,ReferralCode"
)
ORDER_LINE_FIELDS = (
    "Id,OrderId,ProductId,VariantId,Amount,ProductTitle,VariantTitle,AdditionalTitle,"
    "ItemNumber,ItemNumberSupplier,Price,PriceRounded,Discount,DiscountRounded,BuyPrice,"
    "VatRate,Weight,Unit,OfflineProduct,Status,TrackingCode,StockLocationId"
)
# Fields every order has once the projection is in effect (the default is `Id` only; other
# fields may be missing when empty).
_PROJECTED = ("Status", "DateUpdated", "Currency", "Customer")
# Payment-gateway credentials the service includes in Payment_GetAll: dropped on arrival.
_SECRET_ELEMENTS = frozenset({"GatewayUserId", "GatewayUserName", "GatewayPassword"})
_NOT_FOUND = ("not found", "does not exist", "findes ikke", "no order", "unknown order")


class WebshopProtocolError(RuntimeError):
    """The service answered something autobook cannot use (a fault, a lost projection)."""


@cache
def _array_elements() -> frozenset[str]:
    """Names of the WSDL's array-typed elements (their content is `<item>`s)."""
    tree = etree.parse(WSDL_PATH, etree.XMLParser(resolve_entities=False, no_network=True))
    xsd = "{http://www.w3.org/2001/XMLSchema}element"
    return frozenset(
        str(node.get("name"))
        for node in tree.iter(xsd)
        if str(node.get("type", "")).startswith("tns:ArrayOf")
    )


class _NormaliseArrays(zeep.Plugin):
    """Before zeep reads a response: an array holding a single element as the bare object
    (the service's habit) gets its `<item>` back, and gateway credentials are dropped."""

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        arrays = _array_elements()
        for node in list(envelope.iter()):
            if not isinstance(node.tag, str):
                continue
            name = etree.QName(node).localname
            if name in _SECRET_ELEMENTS:
                node.getparent().remove(node)
            elif name in arrays:
                children = [c for c in node if isinstance(c.tag, str)]
                if children and etree.QName(children[0]).localname != "item":
                    item = etree.SubElement(node, "item")
                    for child in children:
                        item.append(child)
        return envelope, http_headers


def _settings() -> zeep.Settings:
    # Lenient schema (fields the service adds are ignored, not fatal); the transport checks
    # that every answer is well-formed XML first, so recover mode never guesses.
    return zeep.Settings(strict=False, forbid_dtd=True, forbid_entities=True, forbid_external=True)


@cache
def _document() -> Any:
    """The parsed WSDL, shared by every client of the process (a cold start parses once)."""
    # zeep annotates `transport` as a class; it takes (and needs) an instance.
    return Document(WSDL_PATH, zeep.Transport(), settings=_settings())  # type: ignore[arg-type]


class _Session:
    """One server session: its cookie, and whether its projection has been chosen."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.connected = False
        self.projected = False

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class _Transport(zeep.Transport):
    """zeep's transport over the shared httpx client, with this session's cookie only."""

    def __init__(self, http: httpx.Client, timeout: float, session: _Session) -> None:
        super().__init__(operation_timeout=timeout)
        self._http = http
        self._timeout = timeout
        self._session = session

    def post_xml(self, address: str, envelope: Any, headers: dict[str, str]) -> httpx.Response:
        action = str(headers.get("SOAPAction", "")).strip('"').rsplit("#", 1)[-1]
        request = self._http.build_request(
            "POST",
            address,
            content=etree_to_string(envelope),
            headers=headers,
            timeout=self._timeout,
        )
        cookie = self._session.header()
        if cookie:
            request.headers["Cookie"] = cookie
        elif "Cookie" in request.headers:  # another shop's session, left in the shared jar
            del request.headers["Cookie"]
        try:
            response = self._http.send(request)
        except httpx.TimeoutException:
            raise TransientError(f"Webshop SOAP {action}: timeout") from None
        except httpx.TransportError as exc:
            raise TransientError(f"Webshop SOAP {action}: {type(exc).__name__}") from None
        self._session.cookies.update(dict(response.cookies.items()))
        _check_http(action, response)
        return response


def _check_http(action: str, response: httpx.Response) -> None:
    """What zeep must not see: refused access, throttling, a 5xx that is not a SOAP fault, and
    anything that is not well-formed XML (so zeep's lenient parser never guesses)."""
    status = response.status_code
    if status in (401, 403):
        raise KnownError(ErrorCode.DANDOMAIN_ACCESS, detail=f"HTTP {status}")
    if status == 429:
        raise TransientError(f"Webshop SOAP {action}: HTTP 429")
    try:
        root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        root = None
    fault = root is not None and root.find(".//{*}Fault") is not None
    if status >= 500 and not fault:
        raise TransientError(f"Webshop SOAP {action}: HTTP {status}")
    if root is None:
        raise TransientError(f"Webshop SOAP {action}: HTTP {status}, not XML")
    if status != 200 and not fault:
        raise WebshopProtocolError(f"Webshop SOAP {action}: HTTP {status}")


def _fault_text(fault: Fault) -> str:
    return " ".join(str(fault.message or "").split())[:200]


def webshop_time(moment: datetime) -> str:
    """A naive shop-local time as the service's date parameters want it."""
    return moment.strftime(DATE_FORMAT)


class WebshopClient:
    """One shop's API user. Not thread-safe (one Lambda invocation at a time)."""

    def __init__(
        self,
        *,
        endpoint: str,
        username: str,
        password: str,
        http: httpx.Client,
        language: str = "DK",
        timeout_seconds: float = 30.0,
    ) -> None:
        self._username = username
        self._password = password
        self._language = language
        self._session = _Session()
        client = zeep.Client(
            _document(),
            transport=_Transport(http, timeout_seconds, self._session),
            settings=_settings(),
            plugins=[_NormaliseArrays()],
        )
        self._service = client.create_service(BINDING, endpoint)

    def __repr__(self) -> str:  # never print the password
        return f"WebshopClient(username={self._username!r})"

    # ------------------------------------------------------------------ orders

    def order_document(self, order_id: int) -> dict[str, Any]:
        """One order as a plain document (the JSON form `autobook map` reads)."""
        for _ in (1, 2):
            result = self._call(
                "Order_GetById", projected=True, order_id=order_id, OrderId=order_id
            )
            document = _plain(result)
            if not isinstance(document, dict) or not document.get("Id"):
                raise KnownError(ErrorCode.ORDER_NOT_FOUND, order_id=str(order_id))
            if _is_projected(document):
                return document
            self._session.projected = False  # the service forgot it: choose it again
        raise WebshopProtocolError("Webshop order projection not applied after Order_SetFields")

    def order(self, order_id: int) -> wire.Order:
        return wire.Order.model_validate(self.order_document(order_id))

    def orders_updated(
        self, start: datetime, end: datetime, statuses: Sequence[int]
    ) -> list[wire.Order]:
        """Every order whose DateUpdated is in [start, end] (naive shop-local times) and whose
        status is one of `statuses` (empty: any), all pages."""
        status = ",".join(str(s) for s in sorted(set(statuses))) or None
        seen: dict[int, wire.Order] = {}
        for page in range(1, MAX_PAGES + 1):
            batch = self._page(start, end, status, page)
            fresh = [o for o in batch if o.id not in seen]
            seen.update((o.id, o) for o in fresh)
            if len(batch) < PAGE_SIZE:
                return list(seen.values())
            if not fresh:
                raise WebshopProtocolError(f"Webshop pagination does not advance at page {page}")
        raise WebshopProtocolError(f"Webshop pagination exceeds {MAX_PAGES} pages")

    def _page(
        self, start: datetime, end: datetime, status: str | None, page: int
    ) -> list[wire.Order]:
        for _ in (1, 2):
            result = self._call(
                "Order_GetByDateUpdatedWithPagination",
                projected=True,
                Start=webshop_time(start),
                End=webshop_time(end),
                Status=status,  # always sent (nil = any): leaving it out is a fault
                Page=page,
                PageSize=PAGE_SIZE,
            )
            documents = [d for d in wire.as_list(_plain(result)) if isinstance(d, dict)]
            if all(_is_projected(d) for d in documents):
                return [wire.Order.model_validate(d) for d in documents]
            self._session.projected = False  # the service forgot it: choose it again
        raise WebshopProtocolError("Webshop order projection not applied after Order_SetFields")

    # ------------------------------------------------------------------ reference data

    def delivery_countries(self) -> list[wire.DeliveryCountry]:
        return self._list("Product_GetDeliveryCountryAll", wire.DeliveryCountry)

    def payment_methods(self) -> list[wire.PaymentMethod]:
        return self._list("Payment_GetAll", wire.PaymentMethod)

    def delivery_methods(self) -> list[wire.DeliveryMethod]:
        return self._list("Delivery_GetAll", wire.DeliveryMethod)

    def order_status_codes(self) -> list[wire.OrderStatusCode]:
        return self._list("OrderStatusCode_GetAll", wire.OrderStatusCode)

    def currencies(self) -> list[wire.Currency]:
        return self._list("Currency_GetAll", wire.Currency)

    def sites(self) -> list[wire.Site]:
        return self._list("Sites_GetAll", wire.Site)

    def _list[T: BaseModel](self, operation: str, kind: type[T]) -> list[T]:
        items = wire.as_list(_plain(self._call(operation)))
        return [kind.model_validate(item) for item in items if isinstance(item, dict)]

    # ------------------------------------------------------------------ session

    def _call(
        self, operation: str, *, projected: bool = False, order_id: int | None = None, **params: Any
    ) -> Any:
        """One operation in the session. A fault on a session that was already open is taken
        as an expired session: log in again (a new projection) and try once more. A fault
        about `order_id` not existing is ORDER_NOT_FOUND."""
        for attempt in (1, 2):
            fresh = self._open(projected)
            try:
                return self._send(operation, params)
            except Fault as fault:
                text = _fault_text(fault)
                if order_id is not None and any(m in text.casefold() for m in _NOT_FOUND):
                    raise KnownError(ErrorCode.ORDER_NOT_FOUND, order_id=str(order_id)) from None
                if attempt == 1 and not fresh:
                    self._session.connected = self._session.projected = False
                    self._session.cookies.clear()
                    continue
                raise WebshopProtocolError(f"Webshop SOAP {operation} fault: {text}") from None
        raise AssertionError("unreachable")

    def _open(self, projected: bool) -> bool:
        """Log in and choose the projection where needed; True when anything was done."""
        session = self._session
        fresh = False
        if not session.connected:
            self._connect()
            fresh = True
        if projected and not session.projected:
            for operation, fields in (
                ("Order_SetFields", ORDER_FIELDS),
                ("Order_SetOrderLineFields", ORDER_LINE_FIELDS),
            ):
                try:
                    accepted = self._send(operation, {"Fields": fields})
                except Fault as fault:
                    # One unknown field name fails the whole call and silently keeps the old set.
                    raise WebshopProtocolError(
                        f"Webshop SOAP {operation} refused the field list: {_fault_text(fault)}"
                    ) from None
                if accepted is False:
                    raise WebshopProtocolError(f"Webshop SOAP {operation} returned false")
            session.projected = True
            fresh = True
        return fresh

    def _connect(self) -> None:
        session = self._session
        session.cookies.clear()
        session.projected = False
        try:
            accepted = self._send(
                "Solution_Connect", {"Username": self._username, "Password": self._password}
            )
        except Fault:
            accepted = False
        if accepted is not True:
            raise KnownError(
                ErrorCode.DANDOMAIN_ACCESS, detail="Webshop API user refused (Solution_Connect)"
            )
        session.connected = True
        try:
            language_set = self._send("Solution_SetLanguage", {"LanguageISO": self._language})
        except Fault as fault:
            language_set = False
            text = _fault_text(fault)
        else:
            text = "returned false"
        if language_set is False:
            raise WebshopProtocolError(
                f"Webshop SOAP Solution_SetLanguage({self._language}) {text}"
            )

    def _send(self, operation: str, params: dict[str, Any]) -> Any:
        try:
            return getattr(self._service, operation)(**params)
        except Fault:
            raise
        except TransportError as exc:
            status = exc.status_code or 0
            if status == 429 or status >= 500 or status == 0:
                raise TransientError(f"Webshop SOAP {operation}: HTTP {status}") from None
            raise WebshopProtocolError(f"Webshop SOAP {operation}: HTTP {status}") from None
        except ZeepError as exc:
            raise WebshopProtocolError(
                f"Webshop SOAP {operation}: unreadable answer ({type(exc).__name__})"
            ) from None


def _plain(value: Any) -> Any:
    """zeep's objects -> dicts and lists, without the raw elements zeep keeps aside."""
    plain = serialize_object(value, dict)
    return _strip(plain)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "_raw_elements"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _is_projected(document: dict[str, Any]) -> bool:
    return any(document.get(field) is not None for field in _PROJECTED)
