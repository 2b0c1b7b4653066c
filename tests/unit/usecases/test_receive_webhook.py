"""The webhook use case on fakes: every verdict, the order of the checks, the trigger
identity, and that nothing is enqueued unless the whole delivery is."""

import base64
import hashlib
import hmac
import json

import pytest

from autobook.domain.errors import TransientError
from autobook.domain.events import EventSource, OrderEvent
from autobook.usecases.receive_webhook import (
    DEDUPLICATION_WINDOW_SECONDS,
    Verdict,
    WebhookOutcome,
    WebhookRequest,
    receive_webhook,
)
from tests.fakes import FakeOrderQueue
from tests.unit.usecases.world import SHOP_ID, World

SECRET = "w"  # the world's webhook secret


def _signature(raw: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def _request(raw: bytes, **changes: object) -> WebhookRequest:
    fields: dict[str, object] = {
        "shop_id": SHOP_ID,
        "raw_body": raw,
        "content_type": "application/json",
        "signature": _signature(raw),
    }
    fields.update(changes)
    return WebhookRequest.model_validate(fields)


def _receive(world: World, request: WebhookRequest, queue: object = None) -> WebhookOutcome:
    return receive_webhook(
        request,
        shops=world.shops,
        secrets=world.secrets,
        queue=queue or world.order_queue,  # type: ignore[arg-type]
        clock=world.clock,
    )


def _classic(*order_ids: object) -> bytes:
    return json.dumps(
        [{"ObjectType": "Order", "NewValues": {"ObjectIdentifier": o}} for o in order_ids]
    ).encode()


class _DownQueue(FakeOrderQueue):
    def send(self, events: object) -> None:
        raise TransientError("SQS EndpointConnectionError", service="SQS")


class _CountingShops:
    """A shop directory that counts lookups (the door must not look up what is no shop id)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lookups = 0

    def get(self, shop_id: str) -> object:
        self.lookups += 1
        return self.world.shops.get(shop_id)


def test_given_a_signed_classic_change_when_received_then_accepted_and_one_event(
    world: World,
) -> None:
    outcome = _receive(world, _request(_classic(1001)))
    assert outcome == WebhookOutcome(verdict=Verdict.ACCEPTED, accepted=("1001",))
    (event,) = world.order_queue.take()
    assert (event.shop_id, event.order_id, event.source) == (SHOP_ID, "1001", EventSource.WEBHOOK)


def test_given_the_right_token_and_no_signature_when_received_then_accepted(world: World) -> None:
    request = _request(b'{"id": "7"}', signature=None, token=SECRET)
    assert _receive(world, request).verdict is Verdict.ACCEPTED


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"shop_id": "no-such-shop"}, id="unknown-shop"),
        pytest.param({"signature": _signature(b"other")}, id="wrong-signature"),
        pytest.param({"signature": None}, id="no-signature"),
        pytest.param({"signature": None, "token": "guess"}, id="wrong-token"),
        pytest.param({"signature": None, "token": ""}, id="empty-token"),
    ],
)
def test_given_a_caller_that_is_not_the_shop_then_one_answer_and_nothing_enqueued(
    world: World, changes: dict[str, object]
) -> None:
    outcome = _receive(world, _request(_classic(1001), **changes))
    assert outcome == WebhookOutcome(
        verdict=Verdict.NOT_AUTHORISED, reason="unknown shop, or signature does not match"
    )
    assert world.order_queue.sent == []


@pytest.mark.parametrize("shop_id", ["a" * 2_000, "UPPER", "with space", "ø", "-x", ""])
def test_given_a_shop_id_of_the_wrong_form_then_refused_without_a_lookup(
    world: World, shop_id: str
) -> None:
    shops = _CountingShops(world)
    outcome = receive_webhook(
        _request(_classic(1001), shop_id=shop_id),
        shops=shops,  # type: ignore[arg-type]
        secrets=world.secrets,
        queue=world.order_queue,
        clock=world.clock,
    )
    assert outcome.verdict is Verdict.NOT_AUTHORISED
    assert shops.lookups == 0


def test_given_a_body_over_the_limit_then_too_large_before_anything_else(world: World) -> None:
    request = _request(b" " * (256 * 1024 + 1), shop_id="no-such-shop", signature=None)
    assert _receive(world, request).verdict is Verdict.TOO_LARGE


@pytest.mark.parametrize("content_type", ["text/plain", "application/json; charset=iso-8859-1"])
def test_given_a_content_type_that_is_not_utf8_json_then_not_json(
    world: World, content_type: str
) -> None:
    outcome = _receive(world, _request(_classic(1001), content_type=content_type))
    assert outcome.verdict is Verdict.NOT_JSON


@pytest.mark.parametrize(
    "content_type", [None, "application/json", "Application/JSON; charset=utf-8", "text/json"]
)
def test_given_json_or_no_content_type_then_accepted(
    world: World, content_type: str | None
) -> None:
    outcome = _receive(world, _request(_classic(1001), content_type=content_type))
    assert outcome.verdict is Verdict.ACCEPTED


def test_given_a_batch_with_one_bad_element_then_bad_payload_and_nothing_enqueued(
    world: World,
) -> None:
    outcome = _receive(world, _request(_classic(1001, 1002, "../9001")))
    assert outcome.verdict is Verdict.BAD_PAYLOAD
    assert "../9001" not in outcome.reason  # never the caller's input in the answer
    assert world.order_queue.sent == []


def test_given_a_product_topic_then_accepted_and_nothing_enqueued(world: World) -> None:
    outcome = _receive(world, _request(b'{"id": "5"}', topic="products/updated"))
    assert outcome == WebhookOutcome(verdict=Verdict.ACCEPTED)
    assert world.order_queue.sent == []


def test_given_the_queue_down_then_unavailable(world: World) -> None:
    outcome = _receive(world, _request(_classic(1001)), queue=_DownQueue())
    assert outcome.verdict is Verdict.UNAVAILABLE


def test_given_the_shop_directory_down_then_unavailable(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(shop_id: str) -> None:
        raise TransientError("DynamoDB ProvisionedThroughputExceededException", service="DynamoDB")

    monkeypatch.setattr(world.shops, "get", down)
    assert _receive(world, _request(_classic(1001))).verdict is Verdict.UNAVAILABLE


# -- the trigger's identity --------------------------------------------------------------
def _event_ids(world: World, *requests: WebhookRequest) -> list[str]:
    for request in requests:
        assert _receive(world, request).verdict is Verdict.ACCEPTED
    return [event.event_id for event in world.order_queue.take()]


def test_given_one_delivery_repeated_within_the_window_then_one_event_id(world: World) -> None:
    request = _request(b'{"id": "7"}', topic="orders/updated")
    first, repeat = _event_ids(world, request, request)
    assert first == repeat


def test_given_two_topics_with_the_same_bytes_then_two_triggers(world: World) -> None:
    created, updated = _event_ids(
        world,
        _request(b'{"id": "7"}', topic="orders/created"),
        _request(b'{"id": "7"}', topic="orders/updated"),
    )
    assert created != updated


def test_given_the_same_bytes_after_the_window_then_a_new_trigger(world: World) -> None:
    request = _request(b'{"id": "7"}', topic="orders/updated")
    (paid,) = _event_ids(world, request)
    world.clock.advance(seconds=DEDUPLICATION_WINDOW_SECONDS)
    (sent,) = _event_ids(world, request)
    assert paid != sent


def test_given_events_then_they_name_ids_only(world: World) -> None:
    _receive(world, _request(_classic(1001, 1002)))
    events: list[OrderEvent] = world.order_queue.take()
    assert [e.order_id for e in events] == ["1001", "1002"]
    assert all(e.event_id.startswith(f"webhook:{SHOP_ID}:{e.order_id}:") for e in events)
