"""What the pipeline benchmarks feed the local stack: a seeded shop's orders, which of them must
end booked, and their webhooks (signed, one per order). Not a benchmark itself."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sandbox.environment import LocalEnvironment
    from sandbox.shopkit import LocalShop

# The seeded order built to fail with PRODUCT_MISSING (sandbox/shopkit.py).
MISSING_SKU = "UDGAAET-4711"


def bookable(shop: LocalShop, orders: list[int]) -> list[int]:
    """The orders that must end booked: complete, and without the missing product."""
    assert shop.dandomain is not None
    wire = shop.dandomain.orders
    return [
        o for o in orders if not wire[o]["incomplete"] and MISSING_SKU not in json.dumps(wire[o])
    ]


def post_webhook(env: LocalEnvironment, shop: LocalShop, order_id: int) -> None:
    """Dandomain's signed webhook that the order reached the booking state; any answer but
    202 ends the benchmark."""
    from sandbox.dandomain import classic_order_change, sign
    from sandbox.shopkit import BOOKING_STATE

    body = json.dumps(classic_order_change(order_id, 1, BOOKING_STATE)).encode()
    headers = {"X-Hmac-Sha256": sign(shop.secrets.webhook_secret, body)}
    status, _ = env.lambdas.post_webhook(shop.shop_id, body, headers=headers)
    if status != 202:
        sys.exit(f"webhook for {shop.shop_id} order {order_id} answered {status}")


class _Call(Protocol):
    method: str
    path: str


def call_kind(call: _Call) -> str:
    """An e-conomic call as method and path with its numbers elided: `GET /invoices/booked/{n}`."""
    return f"{call.method} {re.sub(r'/\d+', '/{n}', call.path)}"
