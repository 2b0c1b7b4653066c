"""Queues as lists."""

from collections.abc import Sequence

from autobook.domain.events import MailJob, OrderEvent


class FakeOrderQueue:
    def __init__(self) -> None:
        self.sent: list[OrderEvent] = []

    def send(self, events: Sequence[OrderEvent]) -> None:
        self.sent.extend(events)

    def take(self) -> list[OrderEvent]:
        taken, self.sent = self.sent, []
        return taken


class FakeMailQueue:
    def __init__(self) -> None:
        self.sent: list[MailJob] = []

    def send(self, job: MailJob) -> None:
        self.sent.append(job)

    def take(self) -> list[MailJob]:
        taken, self.sent = self.sent, []
        return taken
