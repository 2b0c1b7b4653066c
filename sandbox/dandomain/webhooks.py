"""Webhook bodies and a sender.

* Classic change feed (reference 1.2): a JSON array of changes with ``ObjectType``,
  ``PropertiesChanged``, ``OldValues`` and ``NewValues`` (PascalCase as in DanDomain's 2016 sample
  receivers). The property names inside the value dicts for *Order* events are an assumption.
* Webshop (HostedShop) order webhooks carry only ``{"id": "..."}``; the ``X-Hmac-Sha256`` header
  (base64 HMAC-SHA256 of the raw body with the shop's secret) is an assumption, see reference §5.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

HMAC_HEADER = "X-Hmac-Sha256"


def classic_order_change(
    order_id: int, old_state_id: int, new_state_id: int
) -> list[dict[str, Any]]:
    """One Classic Order update event for an order-state change."""
    return [
        {
            "ObjectType": "Order",
            "PropertiesChanged": ["OrderStateId"],
            "OldValues": {"ObjectIdentifier": order_id, "OrderStateId": old_state_id},
            "NewValues": {"ObjectIdentifier": order_id, "OrderStateId": new_state_id},
        }
    ]


def webshop_order_body(order_id: int | str) -> dict[str, str]:
    """The HostedShop order webhook body: the id only, as a string."""
    return {"id": str(order_id)}


def encode_body(body: bytes | list[Any] | dict[str, Any]) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(secret: str, raw_body: bytes) -> str:
    """``base64(HMAC-SHA256(secret, raw_body))``."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class WebhookSender:
    """POSTs webhook bodies; owns (and closes) its client unless one is given."""

    def __init__(self, client: httpx.Client | None = None, timeout: float = 10.0) -> None:
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout)

    def send(
        self,
        url: str,
        body: bytes | list[Any] | dict[str, Any],
        *,
        hmac_secret: str | None = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        raw = encode_body(body)
        out_headers = {"Content-Type": "application/json; charset=utf-8"}
        out_headers.update(headers or {})
        if hmac_secret is not None:
            out_headers[HMAC_HEADER] = sign(hmac_secret, raw)
        target = httpx.URL(url)
        if token is not None:
            target = target.copy_merge_params({"token": token})
        return self._client.post(target, content=raw, headers=out_headers)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
