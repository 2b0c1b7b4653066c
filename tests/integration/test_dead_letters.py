"""Dead-letter queues against moto's SQS (the queues of template.yaml): list, redrive, and the
whole story of a poison order that is fixed and redriven. The `autobook dlq` commands are
tested in tests/integration/cli."""

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from autobook.composition import Root
from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerState
from autobook.messaging.dead_letters import SqsDeadLetters
from sandbox import shopkit
from sandbox.dandomain import LineSpec, build_order
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE

pytestmark = pytest.mark.integration

REDRIVE_AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def urls(env: LocalEnvironment) -> dict[str, str]:
    assert env.aws is not None
    return env.aws.stack.queues


def sqs(env: LocalEnvironment) -> Any:
    assert env.aws is not None
    return env.aws.client("sqs")


def event(shop_id: str, order_id: str) -> OrderEvent:
    return OrderEvent(
        shop_id=shop_id,
        order_id=order_id,
        source=EventSource.WEBHOOK,
        received_at=REDRIVE_AT,
        event_id=f"webhook:{shop_id}:{order_id}:test",
    )


def orders_dlq(root: Root, env: LocalEnvironment, target: str | None = None) -> SqsDeadLetters:
    return root.dead_letters(
        dlq_url=urls(env)["OrdersDeadLetterQueue"],
        target_url=target or urls(env)["OrdersQueue"],
        fifo=True,
    )


def put_dead_letter(env: LocalEnvironment, body: str, group: str, dedup: str) -> None:
    sqs(env).send_message(
        QueueUrl=urls(env)["OrdersDeadLetterQueue"],
        MessageBody=body,
        MessageGroupId=group,
        MessageDeduplicationId=dedup,
    )


def receive_all(env: LocalEnvironment, logical_id: str) -> list[dict[str, Any]]:
    """Everything on the queue, deleted as it is read (FIFO groups unlock on delete)."""
    client = sqs(env)
    messages: list[dict[str, Any]] = []
    while True:
        batch = client.receive_message(
            QueueUrl=urls(env)[logical_id],
            MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            client.delete_message(
                QueueUrl=urls(env)[logical_id], ReceiptHandle=message["ReceiptHandle"]
            )
        messages.extend(batch)


def visible(env: LocalEnvironment, logical_id: str) -> int:
    attributes = sqs(env).get_queue_attributes(
        QueueUrl=urls(env)[logical_id],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def test_given_dead_letters_when_redriving_the_orders_dlq_then_they_return_with_their_groups(
    fresh_env: LocalEnvironment,
) -> None:
    for n in (1, 2, 3):
        put_dead_letter(fresh_env, f'{{"n": {n}}}', group="shop-a#1001", dedup=f"d{n}")
    put_dead_letter(fresh_env, '{"n": 4}', group="shop-a#1002", dedup="d4")

    with fresh_env.operator() as root:
        moved = orders_dlq(root, fresh_env).redrive(max_messages=100, now=REDRIVE_AT)

    assert moved == 4
    assert visible(fresh_env, "OrdersDeadLetterQueue") == 0
    arrived = receive_all(fresh_env, "OrdersQueue")
    by_group: dict[str, list[int]] = {}
    for message in arrived:
        group = message["Attributes"]["MessageGroupId"]
        by_group.setdefault(group, []).append(json.loads(message["Body"])["n"])
    assert by_group == {"shop-a#1001": [1, 2, 3], "shop-a#1002": [4]}


def test_given_a_message_just_seen_by_the_queue_when_redriven_then_deduplication_does_not_drop_it(
    fresh_env: LocalEnvironment,
) -> None:
    order_event = event("shop-a", "1001")
    with fresh_env.operator() as root:
        root.order_queue.send([order_event])
    original = receive_all(fresh_env, "OrdersQueue")[0]
    # It failed five times and SQS moved it, deduplication id and all, to the DLQ.
    put_dead_letter(
        fresh_env,
        original["Body"],
        group=original["Attributes"]["MessageGroupId"],
        dedup=original["Attributes"]["MessageDeduplicationId"],
    )

    with fresh_env.operator() as root:
        moved = orders_dlq(root, fresh_env).redrive(max_messages=10, now=REDRIVE_AT)

    assert moved == 1
    (back,) = receive_all(fresh_env, "OrdersQueue")
    assert OrderEvent.model_validate_json(back["Body"]) == order_event
    assert back["Attributes"]["MessageGroupId"] == "shop-a#1001"
    assert (
        back["Attributes"]["MessageDeduplicationId"]
        != original["Attributes"]["MessageDeduplicationId"]
    )


def test_given_more_dead_letters_than_the_maximum_when_redriving_then_the_rest_stays(
    fresh_env: LocalEnvironment,
) -> None:
    for n in range(5):
        put_dead_letter(fresh_env, f'{{"n": {n}}}', group=f"g{n}", dedup=f"d{n}")

    with fresh_env.operator() as root:
        moved = orders_dlq(root, fresh_env).redrive(max_messages=3, now=REDRIVE_AT)

    assert moved == 3
    assert visible(fresh_env, "OrdersQueue") == 3
    assert visible(fresh_env, "OrdersDeadLetterQueue") == 2


def test_given_a_failing_target_when_redriving_then_nothing_leaves_the_dlq(
    fresh_env: LocalEnvironment,
) -> None:
    put_dead_letter(fresh_env, '{"n": 1}', group="g1", dedup="d1")
    missing = urls(fresh_env)["OrdersQueue"].replace("OrdersQueue", "NoSuchQueue")

    with fresh_env.operator() as root, pytest.raises(Exception, match=r"(?i)queue"):
        orders_dlq(root, fresh_env, missing).redrive(max_messages=10, now=REDRIVE_AT)

    with fresh_env.operator() as root:
        listed = orders_dlq(root, fresh_env).peek()
    assert [letter.body for letter in listed] == ['{"n": 1}']  # and visible again at once


def test_given_dead_letters_when_listing_then_they_are_shown_and_left_in_place(
    fresh_env: LocalEnvironment,
) -> None:
    put_dead_letter(fresh_env, '{"n": 1}', group="shop-a#1", dedup="d1")
    put_dead_letter(fresh_env, '{"n": 2}', group="shop-a#1", dedup="d2")
    put_dead_letter(fresh_env, '{"n": 3}', group="shop-b#7", dedup="d3")
    with fresh_env.operator() as root:
        first = orders_dlq(root, fresh_env).peek()
        second = orders_dlq(root, fresh_env).peek(max_messages=2)

    assert sorted(letter.body for letter in first) == ['{"n": 1}', '{"n": 2}', '{"n": 3}']
    assert {letter.group_id for letter in first} == {"shop-a#1", "shop-b#7"}
    assert all(letter.sent_at is not None for letter in first)
    assert len(second) == 2
    assert visible(fresh_env, "OrdersDeadLetterQueue") == 3


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
def test_given_a_poison_order_when_fixed_and_redriven_then_it_is_booked_once(
    fresh_env: LocalEnvironment,
) -> None:
    shop = shopkit.open_shop(fresh_env, "late-shop", orders=0)
    shop.agreement.add_product("DLQ-1", "Vare")
    shop.dandomain.add_order(
        build_order(1, lines=[LineSpec("DLQ-1", "Vare", 1, "80.00")], state_id=BOOKING_STATE)
    )
    order_id = "1"
    # Dandomain answers 503 to every one of the queue's five attempts (maxReceiveCount): the
    # last attempt tells the owner, then SQS moves the message to the DLQ.
    fresh_env.dandomain_state.fail_next(5, status=503)
    with fresh_env.operator() as root:
        root.order_queue.send([event("late-shop", order_id)])
    report = fresh_env.lambdas.drain("BookingFunction")
    assert report.invocations == 5
    assert visible(fresh_env, "OrdersQueue") == 0
    assert visible(fresh_env, "OrdersDeadLetterQueue") == 1
    with fresh_env.operator() as root:
        (error,) = root.queries().open_errors("late-shop")
        entry = root.ledger.get("late-shop", order_id)
    assert (error.order_id, error.code) == (order_id, ErrorCode.SERVICE_UNAVAILABLE)
    assert "Dandomain" in error.en
    assert entry is not None
    assert (entry.state, entry.error_code) == (LedgerState.FAILED, ErrorCode.SERVICE_UNAVAILABLE)

    with fresh_env.operator() as root:  # Dandomain answers again: the operator redrives
        (letter,) = orders_dlq(root, fresh_env).peek()
        assert OrderEvent.model_validate_json(letter.body).order_id == order_id
        moved = root.operations().redrive(
            orders_dlq(root, fresh_env), max_messages=10, actor="operator:test"
        )
    fresh_env.run_until_idle()

    assert moved == 1
    booked = Counter(doc["references"]["other"] for doc in shop.agreement.booked.values())
    assert booked == Counter({shop.config.order_reference(order_id): 1})
    with fresh_env.operator() as root:
        assert root.queries().open_errors("late-shop") == []
        (resolved,) = root.queries().errors_with("late-shop", ErrorStatus.RESOLVED)
    assert resolved.code == ErrorCode.SERVICE_UNAVAILABLE
