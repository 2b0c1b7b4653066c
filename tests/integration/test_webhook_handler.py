"""Webhook handler in-process (WebhookFunction) against moto's queues and DynamoDB Local, fed
with the sample events in events/."""

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.events import EventSource, OrderEvent
from sandbox.shopkit import LocalShop, open_shop

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "events"
SHOP = "demo-shop"
SECRET = "sample-webhook-secret"


def _event(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return data


def _sign(body: str, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _classic_event(body: str, *, secret: str | None = SECRET) -> dict[str, Any]:
    event = copy.deepcopy(_event("webhook-classic-order.json"))
    event["body"] = body
    if secret is None:
        del event["headers"]["X-Hmac-Sha256"]
    else:
        event["headers"]["X-Hmac-Sha256"] = _sign(body, secret)
    return event


def _invoke(env: Any, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answer = env.lambdas.invoke("WebhookFunction", event)
    return int(answer["statusCode"]), json.loads(answer.get("body") or "{}")


def _queued(env: Any, logical_id: str = "OrdersQueue") -> list[dict[str, Any]]:
    """Every message on the queue, put back at once (visibility reset to 0)."""
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues[logical_id]
    messages: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=60,
            AttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        )
        if not answer.get("Messages"):
            break
        messages += answer["Messages"]
    for message in messages:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return messages


def _approximate_count(env: Any, logical_id: str = "OrdersQueue") -> int:
    attributes = env.aws.client("sqs").get_queue_attributes(
        QueueUrl=env.aws.stack.queues[logical_id],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def _assert_nothing_enqueued(env: Any) -> None:
    assert _approximate_count(env) == 0
    assert _queued(env) == []


@pytest.fixture
def demo_shop(fresh_env: Any) -> LocalShop:
    return open_shop(fresh_env, SHOP, webhook_secret=SECRET)


def test_given_signed_classic_change_when_webhook_invoked_then_202_and_one_order_event(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    status, body = _invoke(fresh_env, _event("webhook-classic-order.json"))

    assert status == 202
    assert body == {"accepted": ["1001"]}
    (message,) = _queued(fresh_env)
    assert message["Attributes"]["MessageGroupId"] == "demo-shop#1001"
    event = OrderEvent.model_validate_json(message["Body"])
    assert (event.shop_id, event.order_id, event.source) == (SHOP, "1001", EventSource.WEBHOOK)
    for secret in (
        SECRET,
        demo_shop.secrets.dandomain_api_key,
        demo_shop.secrets.economic_grant_token,
        fresh_env.economic_state.app_secret_token,
    ):
        assert secret not in message["Body"]
    # only ids and hints travel: no order data
    assert set(json.loads(message["Body"])) == {
        "shop_id",
        "order_id",
        "source",
        "received_at",
        "event_id",
    }


def test_given_same_delivery_twice_when_webhook_invoked_then_one_order_event(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    for _ in range(2):
        status, _ = _invoke(fresh_env, _event("webhook-classic-order.json"))
        assert status == 202
    assert len(_queued(fresh_env)) == 1


def test_given_webshop_id_with_token_when_webhook_invoked_then_202_and_event(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    status, body = _invoke(fresh_env, _event("webhook-webshop-token.json"))

    assert status == 202
    assert body == {"accepted": ["1002"]}
    (message,) = _queued(fresh_env)
    assert message["Attributes"]["MessageGroupId"] == "demo-shop#1002"
    assert SECRET not in message["Body"]


def test_given_batched_classic_payload_when_webhook_invoked_then_two_events_products_ignored(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    changes = [
        {"ObjectType": "Order", "NewValues": {"ObjectIdentifier": 1003, "OrderStateId": 3}},
        {"ObjectType": "Product", "NewValues": {"ObjectIdentifier": "TS-ORG-001"}},
        {"objectType": "order", "newValues": {"objectIdentifier": 1004, "orderStateId": 3}},
    ]
    status, body = _invoke(fresh_env, _classic_event(json.dumps(changes)))

    assert status == 202
    assert body == {"accepted": ["1003", "1004"]}
    messages = _queued(fresh_env)
    groups = sorted(m["Attributes"]["MessageGroupId"] for m in messages)
    assert groups == ["demo-shop#1003", "demo-shop#1004"]
    assert all("TS-ORG-001" not in m["Body"] for m in messages)


def test_given_body_not_json_when_webhook_invoked_then_400_and_nothing_enqueued(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    status, body = _invoke(fresh_env, _classic_event("not json"))
    assert status == 400
    assert "error" in body
    _assert_nothing_enqueued(fresh_env)


def _unknown_shop() -> dict[str, Any]:
    event = _event("webhook-classic-order.json")
    event["path"] = "/webhook/no-such-shop"
    event["requestContext"]["path"] = "/dev/webhook/no-such-shop"
    event["pathParameters"] = {"shop_id": "no-such-shop"}
    return event


def _wrong_token() -> dict[str, Any]:
    event = _event("webhook-webshop-token.json")
    event["queryStringParameters"] = {"token": "guess"}
    event["multiValueQueryStringParameters"] = {"token": ["guess"]}
    return event


def _tampered() -> dict[str, Any]:
    event = _event("webhook-classic-order.json")
    event["body"] = event["body"].replace("1001", "1002")  # the sample signature is for 1001
    return event


def _non_ascii_signature() -> dict[str, Any]:
    event = _event("webhook-classic-order.json")
    event["headers"]["X-Hmac-Sha256"] = "Ã¸Ã¦Ã¥"
    return event


def _no_signature() -> dict[str, Any]:
    return _classic_event(_event("webhook-classic-order.json")["body"], secret=None)


def _wrong_secret() -> dict[str, Any]:
    return _classic_event(_event("webhook-classic-order.json")["body"], secret="not-the-secret")


@pytest.mark.parametrize(
    "request_of",
    [_unknown_shop, _wrong_secret, _wrong_token, _tampered, _non_ascii_signature, _no_signature],
)
def test_given_a_caller_that_is_not_the_shop_when_posted_then_one_401_and_nothing_enqueued(
    fresh_env: Any, demo_shop: LocalShop, request_of: Any
) -> None:
    """Unknown shop, wrong secret or token, no signature: one answer, so a caller cannot tell
    whether a shop id exists."""
    status, answer = _invoke(fresh_env, request_of())
    assert (status, answer) == (401, {"error": "unknown shop, or signature does not match"})
    assert SECRET not in json.dumps(answer)
    _assert_nothing_enqueued(fresh_env)


def test_given_lowercase_signature_header_when_webhook_invoked_then_202(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    event = _event("webhook-classic-order.json")
    event["headers"] = {
        "content-type": "application/json",
        "x-hmac-sha256": event["headers"]["X-Hmac-Sha256"],
    }
    status, _ = _invoke(fresh_env, event)
    assert status == 202
    assert len(_queued(fresh_env)) == 1


def test_given_webshop_body_with_empty_id_when_webhook_invoked_then_400_and_nothing_enqueued(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    event = _event("webhook-webshop-token.json")
    event["body"] = '{"id": ""}'
    status, _ = _invoke(fresh_env, event)
    assert status == 400
    _assert_nothing_enqueued(fresh_env)
