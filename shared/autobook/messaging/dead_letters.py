"""SQS dead-letter queues: look at what ended there, and move it back once the cause is fixed.

A message is deleted from the DLQ only after its copy was accepted by the target queue, so a
crash mid-way can duplicate a message (harmless: booking and mailing are idempotent) but never
lose one. For a FIFO target the message keeps its group (an order's events stay in order) and
gets a fresh deduplication id derived from its DLQ message id and the redrive time: the original
id may still be inside SQS's five-minute deduplication window and the copy would be dropped.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger

from autobook.domain.events import DeadLetter
from autobook.messaging.queues import Sqs

logger = Logger(child=True)

_BATCH = 10  # SQS's maximum per receive
# Received messages stay hidden this long while we work on them (released early when done).
_IN_FLIGHT_SECONDS = 60


class SqsDeadLetters:
    """One dead-letter queue and the queue its messages came from."""

    def __init__(self, sqs: Sqs, *, dlq_url: str, target_url: str, fifo: bool) -> None:
        self._sqs = sqs
        self.dlq_url = dlq_url
        self.target_url = target_url
        self.fifo = fifo

    def peek(self, *, max_messages: int = 100, wait_seconds: int = 0) -> list[DeadLetter]:
        return list_dead_letters(
            self._sqs, self.dlq_url, max_messages=max_messages, wait_seconds=wait_seconds
        )

    def redrive(self, *, max_messages: int, now: datetime, wait_seconds: int = 0) -> int:
        return redrive(
            self._sqs,
            self.dlq_url,
            self.target_url,
            fifo=self.fifo,
            max_messages=max_messages,
            now=now,
            wait_seconds=wait_seconds,
        )


def list_dead_letters(
    sqs: Sqs, queue_url: str, *, max_messages: int = 100, wait_seconds: int = 0
) -> list[DeadLetter]:
    """Up to `max_messages` messages of the queue, left in place.

    SQS has no peek: messages are received (hidden for a moment, so one listing does not see
    the same message twice) and made visible again before returning. Their receive count grows.
    """
    seen: list[DeadLetter] = []
    with _received(sqs, queue_url) as receipts:
        while len(seen) < max_messages:
            batch = _receive(sqs, queue_url, min(_BATCH, max_messages - len(seen)), wait_seconds)
            if not batch:
                break
            for message in batch:
                receipts.append(message["ReceiptHandle"])
                seen.append(_dead_letter(message))
    return seen


def redrive(
    sqs: Sqs,
    dlq_url: str,
    target_url: str,
    *,
    fifo: bool,
    max_messages: int,
    now: datetime,
    wait_seconds: int = 0,
) -> int:
    """Move up to `max_messages` messages from `dlq_url` back to `target_url`; the count moved.

    Messages of one FIFO group arrive in their order and are sent in that order. A failed send
    stops the redrive with the error; what was not moved stays in the DLQ.
    """
    redrive_time = now.isoformat()
    moved = 0
    while moved < max_messages:
        with _received(sqs, dlq_url) as pending:
            batch = _receive(sqs, dlq_url, min(_BATCH, max_messages - moved), wait_seconds)
            if not batch:
                return moved
            pending.extend(m["ReceiptHandle"] for m in batch)
            for message in batch:
                _send_copy(sqs, message, target_url, fifo=fifo, redrive_time=redrive_time)
                sqs.client.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
                pending.remove(message["ReceiptHandle"])
                moved += 1
                logger.info(
                    "redriven",
                    extra={"message_id": message["MessageId"], "group_id": _group(message)},
                )
    return moved


def _send_copy(
    sqs: Sqs, message: dict[str, Any], target_url: str, *, fifo: bool, redrive_time: str
) -> None:
    params: dict[str, Any] = {"QueueUrl": target_url, "MessageBody": message["Body"]}
    if message.get("MessageAttributes"):
        params["MessageAttributes"] = message["MessageAttributes"]
    if fifo:
        group = _group(message)
        if not group:
            raise ValueError(f"message {message['MessageId']} has no MessageGroupId")
        params["MessageGroupId"] = group
        seed = f"redrive:{message['MessageId']}:{redrive_time}"
        params["MessageDeduplicationId"] = hashlib.sha256(seed.encode()).hexdigest()
    sqs.client.send_message(**params)


def _receive(sqs: Sqs, queue_url: str, count: int, wait_seconds: int) -> list[dict[str, Any]]:
    answer = sqs.client.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=count,
        VisibilityTimeout=_IN_FLIGHT_SECONDS,
        WaitTimeSeconds=wait_seconds,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    messages: list[dict[str, Any]] = answer.get("Messages", [])
    return messages


@contextmanager
def _received(sqs: Sqs, queue_url: str) -> Iterator[list[str]]:
    """Receipt handles still held when the block ends are made visible again at once."""
    receipts: list[str] = []
    try:
        yield receipts
    finally:
        for receipt in receipts:
            try:
                sqs.client.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=receipt, VisibilityTimeout=0
                )
            except Exception:  # the message reappears after the timeout anyway
                logger.warning("could not release a dead letter", exc_info=True)


def _group(message: dict[str, Any]) -> str | None:
    group: str | None = message.get("Attributes", {}).get("MessageGroupId")
    return group


def _dead_letter(message: dict[str, Any]) -> DeadLetter:
    attributes = message.get("Attributes", {})
    sent = attributes.get("SentTimestamp")
    return DeadLetter(
        message_id=message["MessageId"],
        body=message["Body"],
        group_id=attributes.get("MessageGroupId"),
        receive_count=int(attributes.get("ApproximateReceiveCount", 0)),
        sent_at=datetime.fromtimestamp(int(sent) / 1000, tz=UTC) if sent else None,
    )
