"""In-memory state of the Webshop sandbox: shops keyed by API user, server sessions, fault
knobs and a request log (never the password)."""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sandbox.webshop import catalog
from sandbox.webshop.orders import (
    Amounts,
    Basis,
    Order,
    OrderSpec,
    build_order,
    credit_note,
    negated,
    parse_wire_date,
    round2,
    wire_date,
)

type Clock = Callable[[], datetime]

REDACTED = "***"
DEFAULT_FIELDS = frozenset({"Id"})  # what the service returns before Order_SetFields


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One SOAP call as the sandbox saw it; the password is never recorded."""

    operation: str
    http_status: int
    in_session: bool
    params: Mapping[str, str | None]
    fault: str = ""


@dataclass
class WebshopShop:
    """One shop (one SOAP API user). `orders` maps id to the SOAP `Order` dict."""

    username: str
    password: str = field(repr=False)
    domain: str
    clock: Clock
    basis: Basis = "net"
    zero_vat_rates: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    orders: dict[int, Order] = field(default_factory=dict)
    amounts: dict[int, Amounts] = field(default_factory=dict)
    scenarios: dict[int, str] = field(default_factory=dict)
    countries: list[dict[str, Any]] = field(
        default_factory=lambda: [c.wire() for c in catalog.COUNTRIES]
    )
    currencies: list[dict[str, Any]] = field(
        default_factory=lambda: [c.wire() for c in catalog.CURRENCIES]
    )
    sites: list[dict[str, Any]] = field(default_factory=lambda: [dict(s) for s in catalog.SITES])
    payment_methods: list[dict[str, Any]] = field(
        default_factory=lambda: [catalog.payment_method_wire(m) for m in catalog.PAYMENT_METHODS]
    )
    delivery_methods: list[dict[str, Any]] = field(
        default_factory=lambda: [catalog.delivery_method_wire(m) for m in catalog.DELIVERY_METHODS]
    )
    status_codes: list[dict[str, Any]] = field(
        default_factory=lambda: [dict(s) for s in catalog.STATUS_CODES]
    )

    def __repr__(self) -> str:
        return f"WebshopShop(username={self.username!r}, orders={len(self.orders)})"

    # ------------------------------------------------------------------ reads

    def get_order(self, order_id: int) -> Order:
        with self.lock:
            return copy.deepcopy(self.orders[order_id])

    def orders_updated_between(
        self, start: datetime, end: datetime, statuses: Collection[int] | None
    ) -> list[Order]:
        """Orders with start <= DateUpdated <= end (aware), optionally in `statuses`,
        oldest first."""
        with self.lock:
            hits = []
            for order in self.orders.values():
                moment = parse_wire_date(order["DateUpdated"])
                if moment is None or not start <= moment <= end:
                    continue
                if statuses is not None and int(order["Status"]) not in statuses:
                    continue
                hits.append((moment, order["Id"], order))
            hits.sort(key=lambda hit: (hit[0], hit[1]))
            return [copy.deepcopy(order) for _, _, order in hits]

    # ------------------------------------------------------------------ mutations

    def add(self, spec: OrderSpec, *, scenario: str = "") -> int:
        order, amounts = build_order(spec, basis=self.basis, zero_vat_rates=self.zero_vat_rates)
        return self.add_order(order, amounts=amounts, scenario=scenario)

    def add_order(
        self, order: Mapping[str, Any], *, amounts: Amounts | None = None, scenario: str = ""
    ) -> int:
        stored = copy.deepcopy(dict(order))
        order_id = int(stored["Id"])
        with self.lock:
            if order_id in self.orders:
                raise ValueError(f"order {order_id} already exists")
            self.orders[order_id] = stored
            if amounts is not None:
                self.amounts[order_id] = amounts
            if scenario:
                self.scenarios[order_id] = scenario
        return order_id

    def next_id(self) -> int:
        with self.lock:
            return max(self.orders, default=1000) + 1

    def set_status(self, order_id: int, status: int) -> Order:
        """Move the order to another status (as the admin would); DateUpdated -> now."""
        with self.lock:
            order = self.orders[order_id]
            if not any(code["Id"] == status for code in self.status_codes):
                raise KeyError(f"unknown status {status}")
            order["Status"] = str(status)
            order["DateUpdated"] = wire_date(self.clock())
            return copy.deepcopy(order)

    def remove_lines(self, order_id: int, line_ids: Collection[int]) -> Order:
        """The admin removes lines (sold out): `Total` drops by what they cost; the money
        already captured stays as it was, as in the shop. DateUpdated -> now."""
        with self.lock:
            order = self.orders[order_id]
            kept = [line for line in order["OrderLines"] if line["Id"] not in set(line_ids)]
            removed = [line for line in order["OrderLines"] if line["Id"] in set(line_ids)]
            cost = sum(
                ((ln["Price"] - ln["Discount"]) * ln["Amount"] for ln in removed), Decimal(0)
            )
            order["OrderLines"] = kept
            order["Total"] = round2(order["Total"] - cost)
            order["DateUpdated"] = wire_date(self.clock())
            return copy.deepcopy(order)

    def set_payment_method(self, order_id: int, method_id: int) -> Order:
        """The order's payment method id as the shop now reports it (title unchanged)."""
        with self.lock:
            order = self.orders[order_id]
            order["Payment"]["PaymentMethodId"] = method_id
            order["DateUpdated"] = wire_date(self.clock())
            return copy.deepcopy(order)

    def add_credit_note(self, parent_id: int, *, status: int = catalog.STATUS_CREDIT_NOTE) -> int:
        """The Webshop's credit note of `parent_id`: a new order (the next id) with Origin."""
        with self.lock:
            parent = self.orders[parent_id]
            credit_id = self.next_id()
            note = credit_note(parent, credit_id, self.clock(), status=status)
            self.orders[credit_id] = note
            if parent_id in self.amounts:
                self.amounts[credit_id] = negated(self.amounts[parent_id])
            self.scenarios[credit_id] = f"credit_note_of:{parent_id}"
            return credit_id


@dataclass
class Session:
    id: str
    username: str
    language: str = "DK"
    order_fields: frozenset[str] = DEFAULT_FIELDS
    line_fields: frozenset[str] = DEFAULT_FIELDS
    double_encode: bool = False  # Solution_SetEncoding was called: texts come out mangled


class WebshopState:
    """All shops of one sandbox, the sessions, the fault knobs and the request log."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or _utc_now
        self.lock = threading.RLock()
        self._shops: dict[str, WebshopShop] = {}
        self.sessions: dict[str, Session] = {}
        self.requests: list[RequestRecord] = []
        self._failures: list[int] = []
        self._faults: list[str] = []
        # An array with one element comes back as the bare object (the service's habit).
        self.single_as_object = True

    def add_shop(
        self,
        username: str,
        password: str,
        *,
        basis: Basis = "net",
        zero_vat_rates: bool = False,
    ) -> WebshopShop:
        with self.lock:
            if username in self._shops:
                raise ValueError("a shop with that API user already exists")
            shop = WebshopShop(
                username=username,
                password=password,
                domain=f"https://shop{len(self._shops) + 100001}.mywebshop.io",
                clock=lambda: self.clock(),
                basis=basis,
                zero_vat_rates=zero_vat_rates,
            )
            self._shops[username] = shop
            return shop

    def shop(self, username: str) -> WebshopShop | None:
        with self.lock:
            return self._shops.get(username)

    @property
    def shops(self) -> list[WebshopShop]:
        with self.lock:
            return list(self._shops.values())

    # ------------------------------------------------------------------ sessions

    def login(self, username: str, password: str) -> Session | None:
        with self.lock:
            shop = self._shops.get(username)
            if shop is None or not secrets.compare_digest(
                shop.password.encode(), password.encode()
            ):
                return None
            session = Session(id=secrets.token_hex(16), username=username)
            self.sessions[session.id] = session
            return session

    def session(self, session_id: str | None) -> Session | None:
        with self.lock:
            return self.sessions.get(session_id or "")

    def expire_sessions(self) -> None:
        """Every session ends (as after a server restart): callers must log in again."""
        with self.lock:
            self.sessions.clear()

    def forget_projections(self) -> None:
        """Sessions stay, but their field sets fall back to `Id` only, without a word."""
        with self.lock:
            for session in self.sessions.values():
                session.order_fields = session.line_fields = DEFAULT_FIELDS

    # ------------------------------------------------------------------ faults

    def fail_next(self, n: int, status: int = 503) -> None:
        """Answer the next `n` calls with a bare HTTP `status` (no SOAP envelope)."""
        with self.lock:
            self._failures.extend([status] * n)

    def fault_next(self, n: int, message: str = "Internal error") -> None:
        """Answer the next `n` calls (after the login check) with a SOAP fault."""
        with self.lock:
            self._faults.extend([message] * n)

    def take_failure(self) -> int | None:
        with self.lock:
            return self._failures.pop(0) if self._failures else None

    def take_fault(self) -> str | None:
        with self.lock:
            return self._faults.pop(0) if self._faults else None

    # ------------------------------------------------------------------ log

    def log(self, record: RequestRecord) -> None:
        with self.lock:
            self.requests.append(record)

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def operations(self) -> list[str]:
        with self.lock:
            return [r.operation for r in self.requests]
