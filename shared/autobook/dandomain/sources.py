"""Order sources: one wire model + adapter per Dandomain platform, all producing `Order`.

Only Classic WEBAPI v1 exists today. The Dandomain Webshop (HostedShop) order gets its own
`webshop_model.py` / `webshop_adapter.py` and one more entry here; nothing after the adapter
(mapping, booking) knows which platform an order came from.
"""

from collections.abc import Callable
from typing import Any

from autobook.dandomain.classic_adapter import parse_classic_order
from autobook.domain.order import Order

OrderParser = Callable[[dict[str, Any]], Order]

ORDER_PARSERS: dict[str, OrderParser] = {"classic": parse_classic_order}


def parse_order(platform: str, document: dict[str, Any]) -> Order:
    """The platform's order JSON document -> `Order`."""
    try:
        parser = ORDER_PARSERS[platform]
    except KeyError:
        raise ValueError(f"no order adapter for Dandomain platform {platform!r}") from None
    return parser(document)
