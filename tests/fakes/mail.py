"""Mail that is kept, not sent."""

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage

from autobook.domain.errors import ErrorCode, ErrorRecord, MailRejectedError, TransientError
from autobook.domain.shop import ShopConfig


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.reject_next = False
        self.unavailable_next = False

    def send(self, message: EmailMessage) -> str:
        if self.reject_next:
            self.reject_next = False
            raise MailRejectedError("MessageRejected")
        if self.unavailable_next:
            self.unavailable_next = False
            raise TransientError("SES Throttling", service="SES")
        self.sent.append(message)
        return f"ses-{len(self.sent)}"


class FakeOwnerMail:
    """What the owner was told, as (kind, order ids or code)."""

    def __init__(self) -> None:
        self.told: list[tuple[str, tuple[str, ...]]] = []

    def about_orders(
        self, shop: ShopConfig, records: Sequence[ErrorRecord], *, follow_up: bool
    ) -> None:
        kind = "follow_up" if follow_up else "orders"
        self.told.append((kind, tuple(r.order_id for r in records)))

    def paused(self, shop: ShopConfig, record: ErrorRecord) -> None:
        self.told.append(("paused", (record.code,)))

    def resumed(self, shop: ShopConfig, code: ErrorCode, since: datetime, now: datetime) -> None:
        self.told.append(("resumed", (code,)))

    def digest(self, shop: ShopConfig, records: Sequence[ErrorRecord]) -> None:
        self.told.append(("digest", tuple(r.order_id for r in records)))
