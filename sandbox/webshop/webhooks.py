"""Webhooks as the Dandomain Webshop sends them (dandomain.md §1.1): POST, body `{"id": "..."}`,
`X-Webhook-Topic` (six order topics), `X-Shop-Domain` (the shop's URI) and `X-Hmac-Sha256`:
base64 HMAC-SHA256 of the raw body with the shop's key (the signing details are unconfirmed,
§5: this is the reading the reference recommends)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from sandbox.dandomain.webhooks import WebhookSender, encode_body, sign, webshop_order_body

ORDER_TOPICS = (
    "orders/created",
    "orders/updated",
    "orders/fulfilled",
    "orders/invoice",
    "orders/partially-fulfilled",
    "orders/cancelled",
)
TOPIC_HEADER = "X-Webhook-Topic"
DOMAIN_HEADER = "X-Shop-Domain"


def webshop_headers(topic: str, shop_domain: str) -> dict[str, str]:
    if topic not in ORDER_TOPICS:
        raise ValueError(f"not a Webshop order topic: {topic!r}")
    return {TOPIC_HEADER: topic, DOMAIN_HEADER: shop_domain}


def send_order_webhook(
    sender: WebhookSender,
    url: str,
    order_id: int | str,
    *,
    topic: str,
    shop_domain: str,
    secret: str,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """One signed Webshop order webhook (the signature covers the exact bytes sent)."""
    raw = encode_body(webshop_order_body(order_id))
    return sender.send(
        url,
        raw,
        hmac_secret=secret,
        headers={**webshop_headers(topic, shop_domain), **(headers or {})},
    )


__all__ = [
    "DOMAIN_HEADER",
    "ORDER_TOPICS",
    "TOPIC_HEADER",
    "WebhookSender",
    "send_order_webhook",
    "sign",
    "webshop_headers",
]
