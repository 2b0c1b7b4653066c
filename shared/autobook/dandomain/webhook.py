"""Webhook payloads from Dandomain -> the order ids they are about, and caller verification.

Classic sends a change-feed array (`ObjectType`, `NewValues.ObjectIdentifier`, case varies);
Webshop (HostedShop) sends `{"id": "..."}` with an `X-Webhook-Topic` header. Both are triggers
only: the order is fetched later.

Everything here runs on input anyone on the internet can send, before any AWS call: it is
bounded (size, nesting, batch length) and strict (an order id is what Dandomain gives — a
positive integer — normalised once to its decimal text), and a batch is valid as a whole or
not at all. Error texts never repeat the caller's input.
"""

import base64
import hashlib
import hmac
import json
import re
from typing import Any

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 8  # a change is 3 levels deep; anything deeper is not Dandomain
MAX_ORDERS = 1000  # order changes in one delivery
# Both products' order ids are integers (Classic `id`, Webshop `Order.Id`); 18 digits fit
# every id either platform issues and stay far inside DynamoDB's key and SQS's id limits.
ORDER_ID = re.compile(r"[1-9][0-9]{0,17}")
TOPIC = re.compile(r"[a-z]+/[a-z-]+")
MAX_TOPIC_LENGTH = 64
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_JSON_TYPES = ("application/json", "text/json")


class WebhookPayloadError(ValueError):
    """The body is not a payload autobook understands."""


class WebhookTopicError(WebhookPayloadError):
    """The `X-Webhook-Topic` header is not a topic."""


def content_type_is_json(content_type: str | None) -> bool:
    """JSON in UTF-8, or no content type at all: Classic's sender is not documented, and its
    example receivers read the raw body whatever the header says (dandomain.md §1.2)."""
    if content_type is None or not content_type.strip():
        return True
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media not in _JSON_TYPES and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


def order_topic(topic: str | None) -> bool:
    """Whether a delivery with this `X-Webhook-Topic` is about orders (no header: Classic, whose
    change feed names the object type per change)."""
    if topic is None:
        return True
    if len(topic) > MAX_TOPIC_LENGTH or not TOPIC.fullmatch(topic):
        raise WebhookTopicError("the X-Webhook-Topic header is not a topic")
    return topic.startswith("orders/")


def order_ids_from_payload(raw_body: bytes) -> list[str]:
    """The distinct order ids of a delivery, in their order; raises on anything else."""
    payload = _parse(raw_body)
    if isinstance(payload, dict) and any(key.lower() == "id" for key in payload):
        return [_order_id(_get(payload, "id"))]
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise WebhookPayloadError("expected a change list or an object with an id")
    ids: list[str] = []
    for change in payload:
        if not isinstance(change, dict):
            raise WebhookPayloadError("a change is not an object")
        object_type = _get(change, "ObjectType")
        if not isinstance(object_type, str) or object_type.lower() != "order":
            continue  # products, customers: not ours
        values = _get(change, "NewValues") or _get(change, "OldValues")
        identifier = _get(values, "ObjectIdentifier") if isinstance(values, dict) else None
        if identifier is None:
            raise WebhookPayloadError("an order change has no ObjectIdentifier")
        ids.append(_order_id(identifier))
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_ORDERS:
        raise WebhookPayloadError(f"more than {MAX_ORDERS} orders in one delivery")
    return ids


def _parse(raw_body: bytes) -> Any:
    if len(raw_body) > MAX_BODY_BYTES:
        raise WebhookPayloadError(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        text = raw_body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError("the body is not UTF-8") from exc
    if _depth(raw_body) > MAX_DEPTH:
        raise WebhookPayloadError(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise WebhookPayloadError("the body is not JSON") from exc


def _depth(raw_body: bytes) -> int:
    """The deepest bracket nesting outside strings, counted without parsing (json.loads would
    recurse once per level)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b'""', raw_body)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _order_id(value: object) -> str:
    """A Dandomain order id as text: a positive integer given as a number or digits."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise WebhookPayloadError("an order id is not a Dandomain order id")
    text = str(value).strip() if isinstance(value, str) else str(value)
    if not ORDER_ID.fullmatch(text):
        raise WebhookPayloadError("an order id is not a Dandomain order id")
    return text


def _get(mapping: dict[str, Any], name: str) -> Any:
    for key, value in mapping.items():
        if key.lower() == name.lower():
            return value
    return None


def signature_valid(secret: str, raw_body: bytes, signature: str) -> bool:
    """HMAC-SHA256 of the raw body, base64 (Webshop's `X-Hmac-Sha256`) or hex."""
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    candidates = (base64.b64encode(digest), digest.hex().encode())
    # Compare bytes: compare_digest refuses non-ASCII str, and a caller controls this header.
    given = signature.strip().encode("utf-8", "replace")
    return any(hmac.compare_digest(given, c) for c in candidates)


def token_valid(secret: str, token: str) -> bool:
    return hmac.compare_digest(secret.encode(), token.encode("utf-8", "replace"))
