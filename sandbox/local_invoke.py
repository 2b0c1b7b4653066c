"""`autobook local-invoke FUNCTION EVENT.json`: what `sam local invoke -e` does, without Docker.

Starts the local environment, registers the sample shop `demo-shop` (webhook secret
`sample-webhook-secret`, orders 1001.. in the Dandomain sandbox), brings the ledger to where
the event expects it (the mailer's sample job needs order 1001 booked), invokes the handler
with the event file and prints its answer and what it caused.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from sandbox.environment import LocalEnvironment
from sandbox.local.events import sqs_event
from sandbox.shopkit import open_shop

SAMPLE_SHOP = "demo-shop"
SAMPLE_SECRET = "sample-webhook-secret"
SAMPLE_ORDER = "1001"


def run_local_invoke(function: str, event_path: Path, *, out: TextIO = sys.stdout) -> int:
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    event: dict[str, Any] = json.loads(event_path.read_text())
    with LocalEnvironment(log_level="WARNING") as env:
        open_shop(env, SAMPLE_SHOP, webhook_secret=SAMPLE_SECRET)
        if function == "MailerFunction":
            _book_sample_order(env)
        if function in ("BookingFunction", "MailerFunction"):
            event = _with_live_receipts(env, function, event)
        answer = env.lambdas.invoke(function, event)
        print(
            json.dumps({"function": function, "response": answer}, indent=2, default=str), file=out
        )
        _print_effects(env, out)
    return 0


def _book_sample_order(env: LocalEnvironment) -> None:
    booking = json.loads(
        (Path(__file__).parents[1] / "events/booking-order-event.json").read_text()
    )
    env.lambdas.invoke("BookingFunction", _with_live_receipts(env, "BookingFunction", booking))
    _purge(env, "InvoicesQueue")


def _with_live_receipts(
    env: LocalEnvironment, function: str, event: dict[str, Any]
) -> dict[str, Any]:
    """Put the sample bodies on the real local queue so receipt handles are valid (the handler
    may change a message's visibility), then hand them over as the event-source mapping would."""
    assert env.aws is not None
    (queue_id,) = env.aws.stack.event_sources[function]
    url = env.aws.stack.queues[queue_id]
    sqs = env.aws.client("sqs")
    for record in event["Records"]:
        extra: dict[str, str] = {}
        group = record["attributes"].get("MessageGroupId")
        if group:
            extra = {"MessageGroupId": group, "MessageDeduplicationId": record["messageId"]}
        sqs.send_message(QueueUrl=url, MessageBody=record["body"], **extra)
    messages = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=10,
        AttributeNames=["All"],
        MessageSystemAttributeNames=["All"],
    ).get("Messages", [])
    for message in messages:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return sqs_event(messages, env.aws.stack.queue_arns[queue_id], env.aws.region)


def _purge(env: LocalEnvironment, queue_id: str) -> None:
    assert env.aws is not None
    env.aws.client("sqs").purge_queue(QueueUrl=env.aws.stack.queues[queue_id])


def _print_effects(env: LocalEnvironment, out: TextIO) -> None:
    assert env.aws is not None
    sqs = env.aws.client("sqs")
    for queue_id in ("OrdersQueue", "InvoicesQueue"):
        attributes = sqs.get_queue_attributes(
            QueueUrl=env.aws.stack.queues[queue_id], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        print(
            f"{queue_id}: {attributes['ApproximateNumberOfMessages']} message(s) waiting", file=out
        )
    with env.operator() as root:
        entry = root.ledger.get(SAMPLE_SHOP, SAMPLE_ORDER)
    if entry is not None:
        print(
            f"ledger {SAMPLE_SHOP}/{SAMPLE_ORDER}: {entry.state}, invoice "
            f"{entry.invoice.booked_number}, mail {entry.mail.status}",
            file=out,
        )
    print(
        f"mails sent: {len(env.buyer_mails())} to buyers, {len(env.owner_mails())} to the owner",
        file=out,
    )
