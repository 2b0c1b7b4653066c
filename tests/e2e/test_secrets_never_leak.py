"""No secret ever leaves Secrets Manager: not in logs, items, queue messages, error texts, nor
in what the outside APIs saw in their URLs. The pipeline runs with failures provoked, so the
error paths (with their messages) are exercised too."""

import io
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from sandbox.dandomain import WebhookSender, classic_order_change, webshop_order_body
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop

pytestmark = pytest.mark.e2e

SCHEDULE_EVENT = Path(__file__).resolve().parents[2] / "events" / "reconcile-schedule.json"


@dataclass
class Capture:
    """Everything the functions logged, whichever stream their handlers hold."""

    records: list[str] = field(default_factory=list)


class _Tee(io.TextIOBase):
    """A stream that copies what a log handler writes, and passes it on."""

    def __init__(self, capture: Capture, passthrough: Any) -> None:
        self._capture = capture
        self._passthrough = passthrough

    def write(self, text: str) -> int:
        self._capture.records.append(text)
        self._passthrough.write(text)
        return len(text)

    def flush(self) -> None:
        if not self._passthrough.closed:  # pytest closes its capture streams first
            self._passthrough.flush()


FUNCTIONS = ("WebhookFunction", "BookingFunction", "MailerFunction", "ReconcileFunction")


@contextmanager
def function_logs(env: Any) -> Iterator[Capture]:
    """Every autobook (Powertools) logger at DEBUG; what their handlers write, and whatever is
    printed to stdout/stderr (metrics), is copied."""
    for function in FUNCTIONS:  # import the handlers as Lambda would: in their environment
        with env.aws.apply_env(function):
            env.lambdas.module(function)
    capture = Capture()
    loggers = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name == "autobook" or name.startswith("autobook.")
    ]
    if not loggers:
        loggers = [logging.getLogger("autobook")]
    levels = {lg.name: lg.level for lg in loggers}
    swapped: list[tuple[logging.StreamHandler[Any], Any]] = []
    for lg in loggers:
        for handler in lg.handlers:
            if isinstance(handler, logging.StreamHandler):
                old = handler.stream
                handler.setStream(_Tee(capture, old))
                swapped.append((handler, old))
        lg.setLevel(logging.DEBUG)
    assert swapped, "the functions' Powertools handler was not found"
    saved_out, saved_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Tee(capture, saved_out), _Tee(capture, saved_err)
    try:
        yield capture
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
        for handler, old in swapped:
            handler.setStream(old)
        for lg in loggers:
            lg.setLevel(levels[lg.name])


@dataclass
class Leak:
    where: str
    secret: str
    excerpt: str


def _find(secrets: dict[str, str], where: str, text: str) -> list[Leak]:
    found = []
    for name, secret in secrets.items():
        index = text.find(secret)
        if index >= 0:
            found.append(Leak(where, name, text[max(0, index - 80) : index + 20]))
    return found


def _peek(env: Any, logical_id: str) -> list[str]:
    """Every message on a queue (as JSON text), put back at once (visibility reset to 0)."""
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues[logical_id]
    messages: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60, AttributeNames=["All"]
        )
        if not answer.get("Messages"):
            break
        messages += answer["Messages"]
    for message in messages:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return [json.dumps(message) for message in messages]


def _drain_until_idle(env: Any, function: str) -> None:
    for _ in range(30):
        if env.lambdas.drain(function).invocations == 0:
            return
    raise AssertionError(f"{function} never went idle")


def _scan_all(env: Any) -> list[str]:
    ddb = env.aws.client("dynamodb")
    items: list[str] = []
    for logical_id, table in env.aws.stack.tables.items():
        kwargs: dict[str, Any] = {"TableName": table}
        while True:
            page = ddb.scan(**kwargs)
            items += [f"{logical_id}: {json.dumps(item, default=str)}" for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return items


@dataclass
class Run:
    shop: LocalShop
    secrets: dict[str, str]
    order_messages: list[str]
    mail_messages: list[str]
    dead_letters: list[str]
    items: list[str]
    error_texts: list[str]
    mails: list[bytes]
    output: str


@pytest.fixture(scope="module")
def run(local_env: Any) -> Iterator[Run]:
    local_env.reset()
    with function_logs(local_env) as capture:
        yield _run_pipeline(local_env, capture)


def _run_pipeline(env: Any, capture: Capture) -> Run:
    shop_id = f"t-{uuid4().hex[:8]}"
    shop = open_shop(env, shop_id, orders=21)
    secrets = {
        "dandomain_api_key": shop.secrets.dandomain_api_key,
        "economic_grant_token": shop.secrets.economic_grant_token,
        "webhook_secret": shop.secrets.webhook_secret,
        "economic_app_secret_token": env.economic_state.app_secret_token,
    }
    url = env.webhook_url(shop_id)
    webhook_secret = shop.secrets.webhook_secret
    with WebhookSender() as sender:
        for order_id in shop.order_ids:
            change = classic_order_change(order_id, 1, BOOKING_STATE)
            assert sender.send(url, change, hmac_secret=webhook_secret).status_code == 202
        assert sender.send(url, webshop_order_body(1001), token=webhook_secret).status_code == 202
        # rejected callers: their answers and logs must not echo the secret either
        assert sender.send(url, b"not json", hmac_secret=webhook_secret).status_code == 400
        assert (
            sender.send(url, classic_order_change(1001, 1, 3), hmac_secret="x").status_code == 401
        )
        assert sender.send(url, webshop_order_body(1001), token="guess").status_code == 401
    order_messages = _peek(env, "OrdersQueue")

    # Failures, so error paths run and write their messages:
    env.dandomain_state.fail_next(5, status=503)  # transient: retried
    env.economic_state.fail_next(
        1, 503, method="POST", path_prefix="/invoices/drafts", after_commit=True
    )  # unknown outcome: the retry looks the draft up first
    env.economic_state.fail_next(1, 401, method="POST", path_prefix="/invoices/booked")
    try:
        _drain_until_idle(env, "BookingFunction")  # e-conomic's 401 pauses the shop
        env.dandomain_state.fail_next(1, status=401)  # Dandomain rejects the key: known error
        # The schedule: the poll meets Dandomain's 401; the recheck probes the paused shop,
        # the probe goes through and lifts the pause, the waiting orders follow.
        env.lambdas.invoke("ReconcileFunction", json.loads(SCHEDULE_EVENT.read_text()))
        _drain_until_idle(env, "BookingFunction")
        for round_ in (1, 2):  # the owner fixed it: replay every order
            with WebhookSender() as sender:
                for order_id in shop.order_ids:
                    change = classic_order_change(order_id, round_, BOOKING_STATE)
                    sent = sender.send(url, change, hmac_secret=webhook_secret)
                    assert sent.status_code == 202
            order_messages += _peek(env, "OrdersQueue")
            _drain_until_idle(env, "BookingFunction")
        mail_messages = _peek(env, "InvoicesQueue")
        env.economic_state.fail_next(1, 503, method="GET", path_prefix="/invoices/booked")
        env.run_until_idle()
    finally:  # the sandboxes live for the session: leave no fault behind
        env.economic_state.faults.clear()
        while env.dandomain_state.take_failure() is not None:
            pass

    dead_letters = _peek(env, "OrdersDeadLetterQueue") + _peek(env, "InvoicesDeadLetterQueue")
    with env.operator() as root:
        records = [r for s in ErrorStatus for r in root.queries().errors_with(shop_id, s)]
    error_texts = [f"{r.code}: {r.da} | {r.en} | {r.parameters}" for r in records]
    output = "".join(capture.records)
    return Run(
        shop=shop,
        secrets=secrets,
        order_messages=order_messages,
        mail_messages=mail_messages,
        dead_letters=dead_letters,
        items=_scan_all(env),
        error_texts=error_texts,
        mails=env.sent_mails(),
        output=output,
    )


def test_given_pipeline_with_failures_when_it_ran_then_it_did_real_work(run: Run) -> None:
    """Guards the other assertions against passing on empty evidence."""
    assert run.shop.agreement.booked
    assert run.mails
    assert len(run.order_messages) >= len(run.shop.order_ids)
    assert run.mail_messages
    assert run.items
    codes = {text.split(":")[0] for text in run.error_texts}
    assert ErrorCode.PRODUCT_MISSING in codes
    assert ErrorCode.DANDOMAIN_ACCESS in codes
    assert ErrorCode.ECONOMIC_ACCESS in codes
    assert run.shop.shop_id in run.output
    assert '"level":"INFO"' in run.output  # INFO and DEBUG records were let through
    assert "order handled" in run.output
    assert "mail job handled" in run.output
    assert "transient failure" in run.output
    assert "503" in run.output


def test_given_function_logs_when_searched_then_no_secret(run: Run) -> None:
    assert _find(run.secrets, "logs", run.output) == []


def test_given_dynamodb_items_when_scanned_then_no_secret(run: Run) -> None:
    leaks = [leak for item in run.items for leak in _find(run.secrets, "dynamodb", item)]
    assert leaks == []


def test_given_queue_messages_when_peeked_then_no_secret(run: Run) -> None:
    messages = run.order_messages + run.mail_messages + run.dead_letters
    leaks = [leak for body in messages for leak in _find(run.secrets, "queue", body)]
    assert leaks == []


def test_given_error_log_texts_when_read_then_no_secret(run: Run) -> None:
    leaks = [leak for text in run.error_texts for leak in _find(run.secrets, "errors", text)]
    assert leaks == []


def test_given_sent_mails_when_read_then_no_secret(run: Run) -> None:
    leaks = [
        leak
        for raw in run.mails
        for leak in _find(run.secrets, "mail", raw.decode("utf-8", "replace"))
    ]
    assert leaks == []


def test_given_economic_call_log_when_read_then_no_secret_in_paths(run: Run) -> None:
    calls = run.shop.agreement.calls
    assert calls
    leaks = [
        leak
        for call in calls
        for leak in _find(run.secrets, "economic", f"{call.method} {call.path}")
    ]
    assert leaks == []


def test_given_dandomain_request_log_when_read_then_api_key_redacted(
    run: Run, local_env: Any
) -> None:
    requests = local_env.dandomain_state.requests
    order_paths = [r.path for r in requests if "/OrderService/" in r.path]
    assert order_paths
    assert all("/OrderService/***/" in path for path in order_paths)
    leaks = [
        leak for r in requests for leak in _find(run.secrets, "dandomain", f"{r.path}?{r.query}")
    ]
    assert leaks == []


# -- buyer data: names, e-mail addresses, street addresses and phone numbers stay in
# Dandomain, e-conomic and the buyer's own mail; autobook keeps ids only.

BUYER_FIELDS = ("name", "email", "phone", "address", "address2", "attention")


def _buyer_data(shop: LocalShop) -> dict[str, str]:
    assert shop.dandomain is not None
    found: dict[str, str] = {}
    for order_id, order in shop.dandomain.orders.items():
        for block in ("customerInfo", "deliveryInfo"):
            party = order.get(block) or {}
            for key in BUYER_FIELDS:
                value = str(party.get(key) or "").strip()
                if len(value) >= 5:  # shorter values (a house number) prove nothing
                    found[f"order {order_id} {block}.{key}"] = value
    return found


def test_given_the_seeded_orders_then_they_carry_buyer_data_to_look_for(run: Run) -> None:
    kinds = {name.rsplit(".", 1)[1] for name in _buyer_data(run.shop)}
    assert {"name", "email", "phone", "address"} <= kinds


def _kept_by_autobook(run: Run) -> dict[str, list[str]]:
    """Everything autobook itself writes, by where it lands."""
    return {
        "logs": [run.output],
        "dynamodb": run.items,
        "queue": run.order_messages + run.mail_messages + run.dead_letters,
        "errors": run.error_texts,
    }


@pytest.mark.parametrize("where", ["logs", "dynamodb", "queue", "errors"])
def test_given_what_autobook_keeps_when_searched_then_no_buyer_data(run: Run, where: str) -> None:
    buyers = _buyer_data(run.shop)
    texts = _kept_by_autobook(run)[where]
    assert texts
    assert [leak for text in texts for leak in _find(buyers, where, text)] == []


def test_given_the_buyer_mails_then_the_search_finds_the_buyers_there(run: Run) -> None:
    """Guards the searches above: where buyer data belongs (the buyer's own mail), it is found."""
    buyers = _buyer_data(run.shop)
    found = [
        leak for raw in run.mails for leak in _find(buyers, "mail", raw.decode("utf-8", "replace"))
    ]
    assert found
