"""In-memory state of the Dandomain Classic sandbox: shops keyed by API key, plus a request log."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.dandomain import catalog
from sandbox.dandomain.orders import (
    DEFAULT_ORDER_STATES,
    FeeSemantics,
    Order,
    infer_fee_semantics,
    order_state,
    parse_wire_date,
    recompute,
    to_wire_date,
)

type Clock = Callable[[], datetime]

REDACTED = "***"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the sandbox saw it; ``path`` has the API key replaced by ``***``."""

    method: str
    path: str
    query: str
    status: int
    accept: str


@dataclass
class ShopData:
    """One shop (one API key). ``orders`` maps id to the order dict in v1 wire shape."""

    api_key: str
    clock: Clock
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    orders: dict[int, Order] = field(default_factory=dict)
    fee_semantics: dict[int, FeeSemantics] = field(default_factory=dict)
    order_states: list[dict[str, Any]] = field(
        default_factory=lambda: [dict(s) for s in DEFAULT_ORDER_STATES]
    )
    sites: list[dict[str, Any]] = field(default_factory=lambda: [dict(s) for s in catalog.SITES])
    countries: list[dict[str, Any]] = field(
        default_factory=lambda: [c.wire() for c in catalog.COUNTRIES]
    )
    currencies: list[dict[str, Any]] = field(
        default_factory=lambda: [dict(c) for c in catalog.CURRENCIES]
    )
    payment_methods: dict[int, list[dict[str, Any]]] = field(
        default_factory=lambda: _by_site(catalog.PAYMENT_METHODS)
    )
    shipping_methods: dict[int, list[dict[str, Any]]] = field(
        default_factory=lambda: _by_site(catalog.SHIPPING_METHODS)
    )

    def __repr__(self) -> str:  # never print the key
        return f"ShopData(api_key='{REDACTED}', orders={len(self.orders)})"

    # ------------------------------------------------------------------ reads

    def get_order(self, order_id: int) -> Order:
        """A deep copy of the order (KeyError when unknown)."""
        with self.lock:
            return copy.deepcopy(self.orders[order_id])

    def orders_modified_between(
        self, start: datetime, end: datetime, state_id: int | None = None
    ) -> list[Order]:
        """Orders with ``start <= modifiedDate <= end`` (aware datetimes), oldest first."""
        with self.lock:
            hits = []
            for order in self.orders.values():
                moment = parse_wire_date(order["modifiedDate"])
                if not start <= moment <= end:
                    continue
                if state_id is not None and order["orderState"]["id"] != state_id:
                    continue
                hits.append((moment, order["id"], order))
            hits.sort(key=lambda hit: (hit[0], hit[1]))
            return [copy.deepcopy(order) for _, _, order in hits]

    def orders_created_between(self, start: datetime, end: datetime) -> list[Order]:
        with self.lock:
            hits = [
                (parse_wire_date(o["createdDate"]), o["id"], o)
                for o in self.orders.values()
                if start <= parse_wire_date(o["createdDate"]) <= end
            ]
            hits.sort(key=lambda hit: (hit[0], hit[1]))
            return [copy.deepcopy(order) for _, _, order in hits]

    # ------------------------------------------------------------------ mutations

    def add_order(
        self, order: Mapping[str, Any], *, fee_semantics: FeeSemantics | None = None
    ) -> int:
        """Store a copy of ``order`` as is (its dates are kept). Returns its id.

        ``fee_semantics`` records how later ``update_order`` calls recompute the total; by
        default it is inferred from the order (the reading that reconciles, else ``gross``).
        """
        stored = copy.deepcopy(dict(order))
        order_id = int(stored["id"])
        with self.lock:
            if order_id in self.orders:
                raise ValueError(f"order {order_id} already exists")
            self.orders[order_id] = stored
            self.fee_semantics[order_id] = fee_semantics or infer_fee_semantics(stored) or "gross"
        return order_id

    def set_order_state(self, order_id: int, state_id: int) -> Order:
        """Move the order to another state; bumps ``modifiedDate`` to the clock."""
        with self.lock:
            order = self.orders[order_id]
            order["orderState"] = order_state(state_id, self.order_states)
            order["modifiedDate"] = to_wire_date(self.clock())
            return copy.deepcopy(order)

    def update_order(self, order_id: int, **changes: Any) -> Order:
        """Edit an order: wire-named keys; dict values are merged into the nested block.

        ``orderLines`` replaces the lines (line totals are recomputed from unitPrice × quantity)
        and ``remove_line_ids=[...]`` drops lines by id. The order total is recomputed under the
        order's fee semantics, ``modified`` becomes true and ``modifiedDate`` moves to the clock.
        """
        remove = set(changes.pop("remove_line_ids", ()) or ())
        with self.lock:
            order = copy.deepcopy(self.orders[order_id])
            for key, value in changes.items():
                if key not in order:
                    raise KeyError(f"unknown order field {key!r}")
                if isinstance(value, Mapping) and isinstance(order[key], dict):
                    order[key].update(copy.deepcopy(dict(value)))
                else:
                    order[key] = copy.deepcopy(value)
            if "orderState" in changes and isinstance(changes["orderState"], int):
                order["orderState"] = order_state(changes["orderState"], self.order_states)
            if remove:
                known = {line["id"] for line in order["orderLines"]}
                if not remove <= known:
                    raise KeyError(f"unknown line ids {sorted(remove - known)}")
                order["orderLines"] = [ln for ln in order["orderLines"] if ln["id"] not in remove]
            order = recompute(order, self.fee_semantics.get(order_id, "gross"))
            order["modified"] = True
            order["modifiedDate"] = to_wire_date(self.clock())
            self.orders[order_id] = order
            return copy.deepcopy(order)

    def remove_order_line(self, order_id: int, line_id: int) -> Order:
        return self.update_order(order_id, remove_line_ids=[line_id])


def _by_site(methods: tuple[catalog.Method, ...]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for method in methods:
        out.setdefault(method.site_id, []).append(method.wire())
    return out


class DandomainState:
    """All shops of one sandbox, the request log and the fault knobs."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or _utc_now
        self.lock = threading.RLock()
        self._shops: dict[str, ShopData] = {}
        self.requests: list[RequestRecord] = []
        self._failures: list[int] = []

    def add_shop(self, api_key: str) -> ShopData:
        with self.lock:
            if api_key in self._shops:
                raise ValueError("a shop with that API key already exists")
            # the shop reads the clock through the state so a swapped clock applies everywhere
            shop = ShopData(api_key=api_key, clock=lambda: self.clock())
            self._shops[api_key] = shop
            return shop

    def shop(self, api_key: str) -> ShopData | None:
        with self.lock:
            return self._shops.get(api_key)

    @property
    def shops(self) -> list[ShopData]:
        with self.lock:
            return list(self._shops.values())

    # ------------------------------------------------------------------ faults

    def fail_next(self, n: int, status: int = 503) -> None:
        """Answer the next ``n`` API requests with ``status`` (before auth or routing)."""
        with self.lock:
            self._failures.extend([status] * n)

    def take_failure(self) -> int | None:
        with self.lock:
            return self._failures.pop(0) if self._failures else None

    # ------------------------------------------------------------------ log

    def log(self, record: RequestRecord) -> None:
        with self.lock:
            self.requests.append(record)

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()
