"""SQS: the orders FIFO queue and the invoices queue. Clients are created on first use."""

import hashlib
from functools import cache
from typing import Any

import boto3

from autobook.domain.events import MailJob, OrderEvent


@cache
def _sqs() -> Any:
    return boto3.client("sqs")


def reset_clients() -> None:
    _sqs.cache_clear()


class OrderQueue:
    def __init__(self, queue_url: str) -> None:
        self._url = queue_url

    def send(self, event: OrderEvent) -> None:
        _sqs().send_message(
            QueueUrl=self._url,
            MessageBody=event.model_dump_json(),
            MessageGroupId=event.message_group,
            # Same event id within SQS's 5-minute window = one message.
            MessageDeduplicationId=hashlib.sha256(event.event_id.encode()).hexdigest(),
        )


class MailQueue:
    def __init__(self, queue_url: str) -> None:
        self._url = queue_url

    def send(self, job: MailJob) -> None:
        _sqs().send_message(QueueUrl=self._url, MessageBody=job.model_dump_json())


def change_visibility(queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Hold a message back (e.g. for e-conomic's Retry-After) before SQS redelivers it."""
    _sqs().change_message_visibility(
        QueueUrl=queue_url,
        ReceiptHandle=receipt_handle,
        VisibilityTimeout=max(0, min(seconds, 43200)),
    )
