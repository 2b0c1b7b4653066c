"""Local imitation of the Dandomain Webshop (HostedShop) SOAP API, seeded with demo orders."""

from sandbox.webshop.orders import Buyer, DiscountCode, Line, OrderSpec, build_order, credit_note
from sandbox.webshop.seed import (
    BOOKING_STATUS,
    CANCEL_STATUS,
    MISSING_SKU,
    demo_catalogue,
    demo_methods,
    seed_demo_orders,
)
from sandbox.webshop.server import RunningWebshopSandbox, start_webshop_sandbox
from sandbox.webshop.state import WebshopShop, WebshopState
from sandbox.webshop.webhooks import ORDER_TOPICS, send_order_webhook

__all__ = [
    "BOOKING_STATUS",
    "CANCEL_STATUS",
    "MISSING_SKU",
    "ORDER_TOPICS",
    "Buyer",
    "DiscountCode",
    "Line",
    "OrderSpec",
    "RunningWebshopSandbox",
    "WebshopShop",
    "WebshopState",
    "build_order",
    "credit_note",
    "demo_catalogue",
    "demo_methods",
    "seed_demo_orders",
    "send_order_webhook",
    "start_webshop_sandbox",
]
