"""Accept a Dandomain webhook: verify the caller, turn the payload into order events, enqueue.
No business work here and no call to Dandomain or e-conomic: the answer must be fast."""

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from autobook.dandomain.webhook import (
    WebhookPayloadError,
    order_ids_from_payload,
    signature_valid,
    token_valid,
)
from autobook.domain.events import EventSource, OrderEvent
from autobook.usecases.ports import Clock, OrderQueue, Secrets, ShopDirectory


class WebhookRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    raw_body: bytes
    signature: str | None = Field(default=None, repr=False)
    token: str | None = Field(default=None, repr=False)


class WebhookAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    status_code: int
    body: dict[str, object]


def receive_webhook(
    request: WebhookRequest,
    *,
    shops: ShopDirectory,
    secrets: Secrets,
    queue: OrderQueue,
    clock: Clock,
) -> WebhookAnswer:
    shop = shops.get(request.shop_id)
    if shop is None:
        return WebhookAnswer(status_code=404, body={"error": "unknown shop"})
    if not (request.signature or request.token):
        return WebhookAnswer(status_code=401, body={"error": "missing signature or token"})
    secret = secrets.shop(shop.shop_id).webhook_secret
    verified = (
        signature_valid(secret, request.raw_body, request.signature)
        if request.signature
        else token_valid(secret, request.token or "")
    )
    if not verified:
        return WebhookAnswer(status_code=403, body={"error": "signature or token does not match"})
    try:
        order_ids = order_ids_from_payload(request.raw_body)
    except WebhookPayloadError as error:
        return WebhookAnswer(status_code=400, body={"error": str(error)})
    now = clock()
    # The same delivery repeated gives the same event id, which SQS FIFO de-duplicates.
    delivery = hashlib.sha256(request.raw_body).hexdigest()[:16]
    queue.send(
        [
            OrderEvent(
                shop_id=shop.shop_id,
                order_id=order_id,
                source=EventSource.WEBHOOK,
                received_at=now,
                event_id=f"webhook:{shop.shop_id}:{order_id}:{delivery}",
            )
            for order_id in order_ids
        ]
    )
    return WebhookAnswer(status_code=202, body={"accepted": order_ids})
