"""SQS: the orders FIFO queue and the invoices queue. Clients are created on first use."""

import hashlib
from collections.abc import Sequence
from typing import Any

import boto3

from autobook.domain.errors import TransientError
from autobook.domain.events import MailJob, OrderEvent
from autobook.store.aws_config import unavailable_as_transient

_BATCH = 10  # SQS's maximum per SendMessageBatch


class Sqs:
    """One lazily created SQS client per composition root."""

    def __init__(self, *, config: Any = None) -> None:
        self._config = config
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = boto3.client("sqs", config=self._config)
        return self._client


class SqsOrderQueue:
    def __init__(self, sqs: Sqs, queue_url: str) -> None:
        self._sqs = sqs
        self._url = queue_url

    def send(self, events: Sequence[OrderEvent]) -> None:
        """All of the events, ten per SendMessageBatch (SQS's maximum), or TransientError.
        A batch half sent before an error is harmless: the sender retries the delivery, and
        the events already queued are de-duplicated by their ids or booked idempotently."""
        for start in range(0, len(events), _BATCH):
            chunk = events[start : start + _BATCH]
            with unavailable_as_transient("SQS"):
                answer = self._sqs.client.send_message_batch(
                    QueueUrl=self._url,
                    Entries=[
                        {
                            "Id": str(index),
                            "MessageBody": event.model_dump_json(),
                            "MessageGroupId": event.message_group,
                            # Same event id within SQS's 5-minute window = one message.
                            "MessageDeduplicationId": hashlib.sha256(
                                event.event_id.encode()
                            ).hexdigest(),
                        }
                        for index, event in enumerate(chunk)
                    ],
                )
            failed = answer.get("Failed") or []
            if failed:
                codes = sorted({str(entry.get("Code", "unknown")) for entry in failed})
                raise TransientError(f"SQS refused {len(failed)} messages: {codes}", service="SQS")


class SqsMailQueue:
    def __init__(self, sqs: Sqs, queue_url: str) -> None:
        self._sqs = sqs
        self._url = queue_url

    def send(self, job: MailJob) -> None:
        self._sqs.client.send_message(QueueUrl=self._url, MessageBody=job.model_dump_json())


def hold_back(sqs: Sqs, queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Hold a message back (e.g. for e-conomic's Retry-After) before SQS redelivers it."""
    sqs.client.change_message_visibility(
        QueueUrl=queue_url,
        ReceiptHandle=receipt_handle,
        VisibilityTimeout=max(0, min(seconds, 43200)),
    )
