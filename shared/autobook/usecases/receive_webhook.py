"""Accept a Dandomain webhook: check the request, verify the caller, turn the payload into
order events, enqueue them. No business work here and no call to Dandomain or e-conomic: the
answer must be fast. The verdict says what happened; the handler turns it into HTTP.

The order of the checks is the door's contract:
1. what costs nothing and needs no shop: size, content type, the shop id's form;
2. who is calling — an unknown shop, a missing or a wrong signature all get one answer,
   after the same HMAC work, so a caller cannot tell whether a shop id exists;
3. the payload, validated whole before anything is enqueued;
4. the queue: all of a delivery's events, or an "unavailable" the sender retries.
"""

import hashlib
from datetime import datetime
from enum import StrEnum

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, Field

from autobook.dandomain.webhook import (
    MAX_BODY_BYTES,
    WebhookPayloadError,
    content_type_is_json,
    order_ids_from_payload,
    order_topic,
    signature_valid,
    token_valid,
)
from autobook.domain.errors import TransientError
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.shop import SHOP_ID_PATTERN
from autobook.usecases.ports import Clock, OrderQueue, Secrets, ShopConfigs

logger = Logger(child=True)

# Identical deliveries (same shop, topic and bytes) within this many seconds are one trigger:
# a sender's retry. Later ones are new triggers — Webshop sends the same `{"id": ...}` bytes
# when an order is created, paid and sent, and every trigger must be looked at.
DEDUPLICATION_WINDOW_SECONDS = 10
# An HMAC key for callers that are not a shop: the same work as for a real one.
_NO_SHOP_SECRET = "autobook-no-such-shop-" + "0" * 24


NOT_AUTHORISED = "unknown shop, or signature does not match"


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    NOT_AUTHORISED = "not_authorised"
    TOO_LARGE = "too_large"
    NOT_JSON = "not_json"
    BAD_PAYLOAD = "bad_payload"
    UNAVAILABLE = "unavailable"


class WebhookRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    raw_body: bytes = Field(repr=False)
    content_type: str | None = None
    topic: str | None = None
    signature: str | None = Field(default=None, repr=False)
    token: str | None = Field(default=None, repr=False)


class WebhookOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    accepted: tuple[str, ...] = ()
    # Why a request was refused, in words that never repeat the caller's input.
    reason: str = ""


def receive_webhook(
    request: WebhookRequest,
    *,
    shops: ShopConfigs,
    secrets: Secrets,
    queue: OrderQueue,
    clock: Clock,
) -> WebhookOutcome:
    if len(request.raw_body) > MAX_BODY_BYTES:
        return WebhookOutcome(
            verdict=Verdict.TOO_LARGE, reason=f"the body is larger than {MAX_BODY_BYTES} bytes"
        )
    if not content_type_is_json(request.content_type):
        return WebhookOutcome(verdict=Verdict.NOT_JSON, reason="the body must be JSON in UTF-8")
    try:
        secret = _shop_secret(request.shop_id, shops, secrets)
    except TransientError as error:
        return _unavailable(error)
    if not _caller_verified(secret or _NO_SHOP_SECRET, request) or secret is None:
        return WebhookOutcome(verdict=Verdict.NOT_AUTHORISED, reason=NOT_AUTHORISED)
    try:
        about_orders = order_topic(request.topic)
        order_ids = order_ids_from_payload(request.raw_body) if about_orders else []
    except WebhookPayloadError as error:
        return WebhookOutcome(verdict=Verdict.BAD_PAYLOAD, reason=str(error))
    events = _events(request, order_ids, clock())
    try:
        queue.send(events)
    except TransientError as error:
        return _unavailable(error)
    return WebhookOutcome(verdict=Verdict.ACCEPTED, accepted=tuple(order_ids))


def _shop_secret(shop_id: str, shops: ShopConfigs, secrets: Secrets) -> str | None:
    """The shop's webhook secret; None for an id that is not a shop (by form or by lookup)."""
    if not SHOP_ID_PATTERN.fullmatch(shop_id):
        return None
    shop = shops.get(shop_id)
    return secrets.shop(shop.shop_id).webhook_secret if shop else None


def _caller_verified(secret: str, request: WebhookRequest) -> bool:
    if request.signature:
        return signature_valid(secret, request.raw_body, request.signature)
    # No signature: check the token (or an empty one) anyway, so every refusal costs the same.
    return token_valid(secret, request.token or "") and bool(request.token)


def _events(request: WebhookRequest, order_ids: list[str], now: datetime) -> list[OrderEvent]:
    window = int(now.timestamp()) // DEDUPLICATION_WINDOW_SECONDS
    delivery = hashlib.sha256(
        f"{request.topic or ''}\n{window}\n".encode() + request.raw_body
    ).hexdigest()[:20]
    return [
        OrderEvent(
            shop_id=request.shop_id,
            order_id=order_id,
            source=EventSource.WEBHOOK,
            received_at=now,
            event_id=f"webhook:{request.shop_id}:{order_id}:{delivery}",
        )
        for order_id in order_ids
    ]


def _unavailable(error: TransientError) -> WebhookOutcome:
    logger.warning("a service did not answer; the sender retries", extra={"service": error.service})
    return WebhookOutcome(
        verdict=Verdict.UNAVAILABLE, reason="temporarily unavailable, please retry"
    )
