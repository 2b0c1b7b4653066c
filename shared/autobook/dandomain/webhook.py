"""Webhook payloads from Dandomain -> the order ids they are about, and caller verification.

Classic sends a change-feed array (`ObjectType`, `NewValues.ObjectIdentifier`, case varies);
Webshop (HostedShop) sends `{"id": "..."}`. Both are triggers only: the order is fetched later.
"""

import base64
import hashlib
import hmac
import json
from typing import Any


class WebhookPayloadError(ValueError):
    """The body is not a payload autobook understands (answered with 400)."""


def _get(mapping: dict[str, Any], name: str) -> Any:
    for key, value in mapping.items():
        if key.lower() == name.lower():
            return value
    return None


def order_ids_from_payload(raw_body: bytes) -> list[str]:
    try:
        payload = json.loads(raw_body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError("body is not JSON") from exc
    if isinstance(payload, dict) and _get(payload, "id") is not None:
        order_id = str(_get(payload, "id")).strip()
        if not order_id:
            raise WebhookPayloadError("the id is empty")
        return [order_id]
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise WebhookPayloadError("expected a change list or an object with an id")
    ids: list[str] = []
    for change in payload:
        if not isinstance(change, dict):
            raise WebhookPayloadError("a change is not an object")
        if str(_get(change, "ObjectType") or "").lower() != "order":
            continue  # products, customers: not ours
        values = _get(change, "NewValues") or _get(change, "OldValues") or {}
        identifier = _get(values, "ObjectIdentifier") if isinstance(values, dict) else None
        if identifier is None or str(identifier).strip() == "":
            raise WebhookPayloadError("an order change has no ObjectIdentifier")
        ids.append(str(identifier).strip())
    return list(dict.fromkeys(ids))


def signature_valid(secret: str, raw_body: bytes, signature: str) -> bool:
    """HMAC-SHA256 of the raw body, base64 (Webshop's `X-Hmac-Sha256`) or hex."""
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    candidates = (base64.b64encode(digest), digest.hex().encode())
    # Compare bytes: compare_digest refuses non-ASCII str, and a caller controls this header.
    given = signature.strip().encode("utf-8", "replace")
    return any(hmac.compare_digest(given, c) for c in candidates)


def token_valid(secret: str, token: str) -> bool:
    return hmac.compare_digest(secret.encode(), token.encode())
