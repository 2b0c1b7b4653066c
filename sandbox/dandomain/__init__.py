"""Local imitation of the Dandomain Classic WEBAPI v1, seeded with demo orders."""

from sandbox.dandomain.orders import LineSpec, Party, build_order
from sandbox.dandomain.seed import ProductSpec, demo_catalogue, demo_methods, seed_demo_orders
from sandbox.dandomain.server import RunningSandbox, start_dandomain_sandbox
from sandbox.dandomain.state import DandomainState, ShopData
from sandbox.dandomain.webhooks import WebhookSender, classic_order_change, sign, webshop_order_body

__all__ = [
    "DandomainState",
    "LineSpec",
    "Party",
    "ProductSpec",
    "RunningSandbox",
    "ShopData",
    "WebhookSender",
    "build_order",
    "classic_order_change",
    "demo_catalogue",
    "demo_methods",
    "seed_demo_orders",
    "sign",
    "start_dandomain_sandbox",
    "webshop_order_body",
]
