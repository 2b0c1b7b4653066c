"""The webhook door over HTTP on loopback (local API -> the real WebhookFunction -> moto SQS,
DynamoDB Local, Secrets Manager on moto): hostile input gets a 4xx and enqueues nothing,
callers that are not the shop cannot tell why they were refused, a batch goes whole or not
at all, an outage answers 503 fast, and every trigger is looked at (issue 8, §2 and §5)."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import timedelta
from typing import Any

import boto3
import httpx
import pytest

from autobook.domain.events import OrderEvent
from autobook.domain.ledger import LedgerState
from autobook.domain.shop import Platform
from autobook.store.cached_shops import CachedShopConfigs
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop
from sandbox.webshop import catalog

pytestmark = pytest.mark.integration

SHOP = "door-shop"
SECRET = "door-webhook-secret"
CLOSED_PORT_URL = "http://127.0.0.1:9"  # discard port: nothing listens, connects are refused


def _sign(raw: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def _post(
    env: LocalEnvironment,
    raw: bytes,
    *,
    shop_id: str = SHOP,
    headers: dict[str, str] | None = None,
    signed: bool = True,
) -> httpx.Response:
    sent = {"Content-Type": "application/json"}
    if signed:
        sent["X-Hmac-Sha256"] = _sign(raw)
    sent.update(headers or {})
    return httpx.post(env.webhook_url(shop_id), content=raw, headers=sent, timeout=30)


def _change(order_id: object) -> dict[str, Any]:
    return {
        "ObjectType": "Order",
        "PropertiesChanged": ["OrderStateId"],
        "OldValues": {"ObjectIdentifier": order_id, "OrderStateId": 1},
        "NewValues": {"ObjectIdentifier": order_id, "OrderStateId": 3},
    }


def _raw(payload: object) -> bytes:
    return json.dumps(payload).encode()


def _queued(env: LocalEnvironment) -> list[OrderEvent]:
    """Every message on the orders queue, left there (visible again at once)."""
    assert env.aws is not None
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues["OrdersQueue"]
    messages: list[dict[str, Any]] = []
    while answer := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60
    ).get("Messages"):
        messages += answer
    for message in messages:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return [OrderEvent.model_validate_json(m["Body"]) for m in messages]


@pytest.fixture
def shop(fresh_env: LocalEnvironment) -> LocalShop:
    return open_shop(fresh_env, SHOP, orders=0, webhook_secret=SECRET)


@pytest.fixture
def webhook_root(fresh_env: LocalEnvironment, shop: LocalShop) -> Any:
    """The webhook function's composition root (its container), after one warm-up call."""
    assert _post(fresh_env, _raw([])).status_code == 202
    root = fresh_env.lambdas.module("WebhookFunction").root
    assert fresh_env.aws is not None
    with fresh_env.aws.apply_env("WebhookFunction"):
        assert root.sqs.client is not None  # made now, with the function's endpoints
    return root


# -- hostile bodies: 400, nothing enqueued -----------------------------------------------
HOSTILE = {
    "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
    "nested-objects": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "lone-surrogate-id": b'{"id": "\\ud800"}',
    "id-inf": b'{"id": "inf"}',
    "id-braces": b'{"id": "{}"}',
    "id-path": b'{"id": "../9001"}',
    "id-negative": b'{"id": -1}',
    "id-zero": b'{"id": 0}',
    "id-float": b'{"id": 1.5}',
    "id-true": b'{"id": true}',
    "id-null": b'{"id": null}',
    "id-nan": b'{"id": NaN}',
    "id-exponent": b'{"id": "1e3"}',
    "id-too-long": b'{"id": "1234567890123456789012"}',
    "id-non-ascii-digits": '{"id": "١٢٣"}'.encode(),
    "classic-bad-last-element": _raw([_change(1001), _change(1002), _change("{}")]),
    "classic-not-an-object": _raw([_change(1001), 7]),
    "not-json": b"not json",
    "not-utf8": b'{"id": "1\xff"}',
    "utf16": '{"id": "1001"}'.encode("utf-16"),
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_given_a_signed_hostile_body_when_posted_then_400_and_nothing_enqueued(
    fresh_env: LocalEnvironment, shop: LocalShop, raw: bytes
) -> None:
    answer = _post(fresh_env, raw)
    assert answer.status_code == 400
    assert set(answer.json()) == {"error"}
    assert _queued(fresh_env) == []


def test_given_a_body_over_the_limit_when_posted_then_413_and_nothing_enqueued(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    raw = _raw([_change(1001)] * 3_000)
    assert len(raw) > 256 * 1024
    assert _post(fresh_env, raw).status_code == 413
    assert _queued(fresh_env) == []


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_given_a_body_that_is_not_utf8_json_by_its_type_when_posted_then_415(
    fresh_env: LocalEnvironment, shop: LocalShop, content_type: str
) -> None:
    answer = _post(fresh_env, _raw([_change(1001)]), headers={"Content-Type": content_type})
    assert answer.status_code == 415
    assert _queued(fresh_env) == []


def test_given_json_with_a_charset_when_posted_then_accepted(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    assert _post(fresh_env, _raw([_change(1001)]), headers=headers).status_code == 202
    assert [e.order_id for e in _queued(fresh_env)] == ["1001"]


# -- callers that are not the shop: one answer -------------------------------------------
@pytest.mark.parametrize(
    "shop_id",
    ["a" * 2_000, "no-such-shop", "Door-Shop", "døør", "door_shop", "-door", "x" * 49],
)
def test_given_a_shop_id_that_is_no_shop_when_posted_then_the_same_401_as_a_wrong_secret(
    fresh_env: LocalEnvironment, shop: LocalShop, shop_id: str
) -> None:
    wrong_secret = _post(fresh_env, _raw([_change(1001)]), headers={"X-Hmac-Sha256": "x"})
    not_a_shop = _post(fresh_env, _raw([_change(1001)]), shop_id=shop_id)
    assert (not_a_shop.status_code, not_a_shop.json()) == (
        wrong_secret.status_code,
        wrong_secret.json(),
    )
    assert not_a_shop.status_code == 401
    assert _queued(fresh_env) == []


# -- a batch: whole, in batches of ten ---------------------------------------------------
def test_given_a_classic_batch_of_300_orders_when_posted_then_all_enqueued_with_30_batch_calls(
    fresh_env: LocalEnvironment, shop: LocalShop, webhook_root: Any
) -> None:
    operations: list[str] = []
    webhook_root.sqs.client.meta.events.register(
        "before-call.sqs.*", lambda model, **_: operations.append(model.name)
    )
    answer = _post(fresh_env, _raw([_change(n) for n in range(5001, 5301)]))
    assert answer.status_code == 202
    assert len(answer.json()["accepted"]) == 300
    assert sorted(int(e.order_id) for e in _queued(fresh_env)) == list(range(5001, 5301))
    assert operations == ["SendMessageBatch"] * 30


# -- an outage: 503 at once, the sender retries ------------------------------------------
def test_given_sqs_down_when_posted_then_503_with_retry_after_and_after_it_is_back_202(
    fresh_env: LocalEnvironment, shop: LocalShop, webhook_root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = webhook_root.sqs.client
    down = boto3.client(
        "sqs", "eu-west-1", endpoint_url=CLOSED_PORT_URL, config=webhook_root.aws_config
    )
    monkeypatch.setattr(webhook_root.sqs, "_client", down)
    attempts: list[str] = []
    down.meta.events.register("before-send.sqs.*", lambda **_: attempts.append("sent"))

    answer = _post(fresh_env, _raw([_change(1001)]))

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert len(attempts) == 2  # the template's AWS_CALL_ATTEMPTS for the webhook
    monkeypatch.setattr(webhook_root.sqs, "_client", working)
    assert _post(fresh_env, _raw([_change(1001)])).status_code == 202
    assert [e.order_id for e in _queued(fresh_env)] == ["1001"]


def test_given_dynamodb_down_when_posted_then_503_and_nothing_enqueued(
    fresh_env: LocalEnvironment, shop: LocalShop, webhook_root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = boto3.resource(
        "dynamodb", "eu-west-1", endpoint_url=CLOSED_PORT_URL, config=webhook_root.aws_config
    )
    monkeypatch.setattr(webhook_root.dynamo, "_resource", down)
    # A container that has not kept this shop's config yet (the warm-up kept it).
    monkeypatch.setitem(
        webhook_root.__dict__, "webhook_shop_configs", CachedShopConfigs(webhook_root.shops)
    )
    answer = _post(fresh_env, _raw([_change(1001)]))
    assert answer.status_code == 503
    assert set(answer.json()) == {"error"}
    assert _queued(fresh_env) == []


def test_given_dynamodb_down_when_the_container_keeps_the_shop_config_then_accepted(
    fresh_env: LocalEnvironment, shop: LocalShop, webhook_root: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = boto3.resource(
        "dynamodb", "eu-west-1", endpoint_url=CLOSED_PORT_URL, config=webhook_root.aws_config
    )
    monkeypatch.setattr(webhook_root.dynamo, "_resource", down)
    answer = _post(fresh_env, _raw([_change(1001)]))
    assert answer.status_code == 202
    assert [e.order_id for e in _queued(fresh_env)] == ["1001"]


# -- every trigger is looked at ----------------------------------------------------------
@pytest.fixture
def webshop_shop(fresh_env: LocalEnvironment) -> LocalShop:
    return open_shop(
        fresh_env,
        f"door-ws-{uuid.uuid4().hex[:8]}",
        orders=23,
        webhook_secret=SECRET,
        platform=Platform.WEBSHOP,
    )


def _webshop_post(
    env: LocalEnvironment, shop: LocalShop, order_id: int, topic: str
) -> httpx.Response:
    raw = json.dumps({"id": str(order_id)}).encode()
    return _post(env, raw, shop_id=shop.shop_id, headers={"X-Webhook-Topic": topic})


def test_given_created_then_updated_for_one_id_when_posted_then_two_triggers_one_per_delivery(
    fresh_env: LocalEnvironment, webshop_shop: LocalShop
) -> None:
    order = webshop_shop.order_ids[0]
    for topic in ("orders/created", "orders/updated", "orders/updated"):  # the last: a retry
        assert _webshop_post(fresh_env, webshop_shop, order, topic).status_code == 202
    assert [e.order_id for e in _queued(fresh_env)] == [str(order)] * 2


def test_given_a_product_topic_when_posted_then_accepted_and_nothing_enqueued(
    fresh_env: LocalEnvironment, webshop_shop: LocalShop
) -> None:
    answer = _webshop_post(fresh_env, webshop_shop, 77, "products/updated")
    assert (answer.status_code, answer.json()) == (202, {"accepted": []})
    assert _queued(fresh_env) == []


@pytest.mark.parametrize(
    "topic", ["orders", "ORDERS/CREATED", "orders/created updated", "o/" + "x" * 80]
)
def test_given_a_topic_that_is_no_topic_when_posted_then_400(
    fresh_env: LocalEnvironment, webshop_shop: LocalShop, topic: str
) -> None:
    assert (
        _webshop_post(fresh_env, webshop_shop, webshop_shop.order_ids[0], topic).status_code == 400
    )
    assert _queued(fresh_env) == []


def test_given_the_same_bytes_for_created_and_later_sent_then_the_later_trigger_books_the_order(
    fresh_env: LocalEnvironment, webshop_shop: LocalShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Webshop sends `{"id": ...}` when the order is created and again when it is sent. The
    first trigger finds it not yet in the booking status; the second — same topic, same
    bytes, a minute later — is looked at and books it."""
    assert webshop_shop.webshop is not None
    order = webshop_shop.order_ids[0]
    webshop_shop.webshop.set_status(order, catalog.STATUS_RECEIVED)
    assert _webshop_post(fresh_env, webshop_shop, order, "orders/updated").status_code == 202
    fresh_env.run_until_idle()
    with fresh_env.operator() as root:
        assert root.ledger.get(webshop_shop.shop_id, str(order)) is None  # looked at, not bookable

    webshop_shop.webshop.set_status(order, catalog.STATUS_SENT)
    webhook_root = fresh_env.lambdas.module("WebhookFunction").root
    later = webhook_root.clock() + timedelta(minutes=1)
    monkeypatch.setattr(webhook_root, "clock", lambda: later)
    assert _webshop_post(fresh_env, webshop_shop, order, "orders/updated").status_code == 202
    fresh_env.run_until_idle()

    with fresh_env.operator() as root:
        entry = root.ledger.get(webshop_shop.shop_id, str(order))
    assert entry is not None
    assert entry.state == LedgerState.MAILED
