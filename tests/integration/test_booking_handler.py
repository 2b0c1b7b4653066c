"""Booking handler in-process (BookingFunction) with events/booking-order-event.json against
DynamoDB Local, moto and the e-conomic and Dandomain sandboxes."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from autobook.domain.errors import ErrorCode
from autobook.domain.events import MailJob
from autobook.domain.ledger import LedgerState, MailStatus
from autobook.domain.shop import ShopMode
from sandbox.shopkit import LocalShop, economic_number, open_shop

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "events"
SHOP = "demo-shop"
MISSING_SKU = "UDGAAET-4711"


def _booking_event(order_id: str = "1001", *, delivery: str = "sample") -> dict[str, Any]:
    """The sample event, for another order and/or as another delivery (a new event id)."""
    event: dict[str, Any] = json.loads(
        (EVENTS / "booking-order-event.json").read_text(encoding="utf-8")
    )
    if order_id != "1001" or delivery != "sample":
        event = copy.deepcopy(event)
        record = event["Records"][0]
        body = json.loads(record["body"])
        body.update(order_id=order_id, event_id=f"webhook:{SHOP}:{order_id}:{delivery}")
        record["body"] = json.dumps(body)
        record["messageId"] = f"{record['messageId'][:-4]}{delivery[-4:]:0>4}"
        record["attributes"]["MessageGroupId"] = f"{SHOP}#{order_id}"
    return event


def _invoke(env: Any, event: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = env.lambdas.invoke("BookingFunction", event)
    return answer


def _queued(env: Any, logical_id: str) -> list[dict[str, Any]]:
    """Every message on the queue, put back at once (visibility reset to 0)."""
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues[logical_id]
    messages: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        if not answer.get("Messages"):
            break
        messages += answer["Messages"]
    for message in messages:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return messages


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _draft_posts(shop: LocalShop) -> int:
    return sum(
        1
        for call in shop.agreement.calls
        if call.method == "POST" and call.path == "/invoices/drafts" and not call.from_cache
    )


@pytest.fixture
def demo_shop(fresh_env: Any) -> LocalShop:
    return open_shop(fresh_env, SHOP, webhook_secret="sample-webhook-secret")


def test_given_bookable_order_when_booking_invoked_then_booked_ledger_mail_job_and_invoice(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    answer = _invoke(fresh_env, _booking_event())

    assert answer == {"batchItemFailures": []}
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.BOOKED
    assert entry.invoice.booked_number is not None
    assert entry.mail.status == MailStatus.NONE

    (booked,) = demo_shop.agreement.booked.values()
    assert booked["bookedInvoiceNumber"] == entry.invoice.booked_number
    assert booked["references"]["other"] == demo_shop.config.order_reference("1001")
    assert demo_shop.agreement.drafts == {}

    (message,) = _queued(fresh_env, "InvoicesQueue")
    job = MailJob.model_validate_json(message["Body"])
    assert job == MailJob(
        shop_id=SHOP, order_id="1001", booked_invoice_number=entry.invoice.booked_number
    )


def test_given_booked_invoice_when_compared_then_lines_and_amounts_match_the_order(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    _invoke(fresh_env, _booking_event())

    order = demo_shop.dandomain.orders[1001]
    (booked,) = demo_shop.agreement.booked.values()
    assert _dec(booked["grossAmount"]) == _dec(order["totalPrice"])
    assert booked["currency"] == order["currencyCode"]
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert _dec(entry.invoice.gross) == _dec(order["totalPrice"])

    overrides = demo_shop.config.economic.product_overrides
    lines = [(ln["product"]["productNumber"], _dec(ln["quantity"])) for ln in booked["lines"]]
    for line in order["orderLines"]:
        if not line["productId"]:
            continue
        number = overrides.get(line["productId"], economic_number(line["productId"]))
        assert (number, _dec(line["quantity"])) in lines
    # the shipping fee line is there as well, and the lines add up to the net amount
    assert sum(_dec(ln["totalNetAmount"]) for ln in booked["lines"]) == _dec(booked["netAmount"])


def test_given_booked_order_when_same_event_invoked_again_then_no_second_invoice(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    _invoke(fresh_env, _booking_event())
    posts_before = _draft_posts(demo_shop)
    calls_before = len(demo_shop.agreement.calls)

    answer = _invoke(fresh_env, _booking_event())

    assert answer == {"batchItemFailures": []}
    assert len(demo_shop.agreement.booked) == 1
    assert demo_shop.agreement.drafts == {}
    assert _draft_posts(demo_shop) == posts_before == 1
    # the same delivery again: decided on the fresh order, the ledger says done, so
    # e-conomic is not called at all
    assert len(demo_shop.agreement.calls) == calls_before
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.BOOKED


def test_given_booked_order_when_a_new_delivery_arrives_then_ledger_says_done_no_new_invoice(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    _invoke(fresh_env, _booking_event())
    calls_before = len(demo_shop.agreement.calls)

    answer = _invoke(fresh_env, _booking_event(delivery="late1"))

    assert answer == {"batchItemFailures": []}
    assert len(demo_shop.agreement.booked) == 1
    assert demo_shop.agreement.drafts == {}
    assert _draft_posts(demo_shop) == 1
    assert [c for c in demo_shop.agreement.calls[calls_before:] if c.method == "POST"] == []
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.BOOKED
    # a repeated mail job is harmless: every one names the same invoice (the mailer dedups)
    jobs = {m["Body"] for m in _queued(fresh_env, "InvoicesQueue")}
    assert len(jobs) == 1


def test_given_trial_shop_when_booking_invoked_then_draft_only_and_no_mail_job(
    fresh_env: Any,
) -> None:
    shop = open_shop(fresh_env, SHOP, mode=ShopMode.TRIAL, webhook_secret="sample-webhook-secret")

    answer = _invoke(fresh_env, _booking_event())

    assert answer == {"batchItemFailures": []}
    assert shop.agreement.booked == {}
    (draft,) = shop.agreement.drafts.values()
    assert draft["references"]["other"] == shop.config.order_reference("1001")
    assert _dec(draft["grossAmount"]) == _dec(shop.dandomain.orders[1001]["totalPrice"])
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.DRAFTED
    assert entry.invoice.draft_number == draft["draftInvoiceNumber"]
    assert entry.invoice.booked_number is None
    assert _queued(fresh_env, "InvoicesQueue") == []
    assert not any(
        c.path == "/invoices/booked" and c.method == "POST" for c in shop.agreement.calls
    )


def test_given_trial_draft_when_invoked_again_then_still_one_draft(
    fresh_env: Any,
) -> None:
    shop = open_shop(fresh_env, SHOP, mode=ShopMode.TRIAL, webhook_secret="sample-webhook-secret")
    _invoke(fresh_env, _booking_event())
    _invoke(fresh_env, _booking_event(delivery="late1"))
    assert len(shop.agreement.drafts) == 1
    assert shop.agreement.booked == {}


def test_given_order_with_missing_product_when_booking_invoked_then_failed_and_error_logged(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    (order_id,) = [
        oid
        for oid, order in demo_shop.dandomain.orders.items()
        if any(line["productId"] == MISSING_SKU for line in order["orderLines"])
    ]

    answer = _invoke(fresh_env, _booking_event(str(order_id)))

    assert answer == {"batchItemFailures": []}  # a known error is not retried
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, str(order_id))
        errors = root.queries().open_errors(SHOP)
    assert entry is not None
    assert entry.state == LedgerState.FAILED
    assert entry.error_code == ErrorCode.PRODUCT_MISSING
    (record,) = errors
    assert record.order_id == str(order_id)
    assert record.code == ErrorCode.PRODUCT_MISSING
    assert record.status == "open"
    assert MISSING_SKU in record.en
    assert MISSING_SKU in record.da
    assert demo_shop.agreement.booked == {}
    assert demo_shop.agreement.drafts == {}
    assert _queued(fresh_env, "InvoicesQueue") == []


def test_given_missing_product_when_invoked_twice_then_one_error_record_counting_up(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    (order_id,) = [
        oid
        for oid, order in demo_shop.dandomain.orders.items()
        if any(line["productId"] == MISSING_SKU for line in order["orderLines"])
    ]
    for delivery in ("first", "again"):  # two deliveries (two event ids)
        event = _booking_event(str(order_id), delivery=delivery)
        assert _invoke(fresh_env, event) == {"batchItemFailures": []}
    with fresh_env.operator() as root:
        (record,) = root.queries().open_errors(SHOP)
    assert record.occurrences == 2


def test_given_incomplete_order_when_booking_invoked_then_skipped_without_ledger_entry(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    (order_id,) = [oid for oid, o in demo_shop.dandomain.orders.items() if o["incomplete"]]

    answer = _invoke(fresh_env, _booking_event(str(order_id)))

    assert answer == {"batchItemFailures": []}
    with fresh_env.operator() as root:
        assert root.ledger.get(SHOP, str(order_id)) is None
    assert demo_shop.agreement.drafts == {}
    assert demo_shop.agreement.booked == {}


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
def test_given_dandomain_unavailable_when_booking_invoked_then_record_retried(
    fresh_env: Any, demo_shop: LocalShop
) -> None:
    fresh_env.dandomain_state.fail_next(1, status=503)

    # Powertools fails the whole invocation when every record of the batch failed: SQS retries
    with pytest.raises(BatchProcessingError):
        _invoke(fresh_env, _booking_event())

    assert demo_shop.agreement.booked == {}
    with fresh_env.operator() as root:
        assert root.queries().open_errors(SHOP) == []  # transient: not an owner's error
    # the retry books it
    assert _invoke(fresh_env, _booking_event()) == {"batchItemFailures": []}
    assert len(demo_shop.agreement.booked) == 1
