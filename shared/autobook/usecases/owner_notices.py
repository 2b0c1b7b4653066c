"""Everything the owner is told goes through here: the error log first, then a mail when
there is something to do — once per order and error, grouped per error code.

- A new error for an order is mailed at once, unless a mail about the same code went out in
  the last hour: then it waits, and `flush` sends one follow-up listing every order that came
  in meanwhile (100 failures of one kind in an hour give one mail, not 100). Retries of an
  order count up in the log and are never mailed again.
- Owners who chose the digest only hear from the daily digest (and about a paused shop).
- A shop-wide error (access refused, no accounting year) pauses the shop: one alert, and one
  "resumed" mail when it clears.
- Information (a credit note made after a cancellation) is shown on the page, not mailed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from autobook.domain.errors import (
    BLOCKS_BOOKING,
    SHOP_WIDE,
    SHOP_WIDE_ORDER,
    ErrorCode,
    ErrorRecord,
    ErrorStatus,
    ErrorText,
)
from autobook.domain.shop import NoticePreference, ShopConfig
from autobook.usecases.clock import SHOP_ZONE, shop_date
from autobook.usecases.ports import ErrorLog, OwnerMail, ShopDirectory

logger = Logger(child=True)

GROUP_WINDOW = timedelta(hours=1)
DIGEST_HOUR = 7  # Danish time: the digest goes out with the first flush after 07:00


@dataclass(frozen=True)
class OwnerNoticeService:
    errors: ErrorLog
    shops: ShopDirectory
    mail: OwnerMail

    # -- per order -----------------------------------------------------------------------
    def problem(
        self,
        shop: ShopConfig,
        order_id: str,
        text: ErrorText,
        now: datetime,
        *,
        reference: str | None = None,
    ) -> ErrorRecord:
        record = self.errors.record(shop.shop_id, order_id, text, now, reference=reference)
        if text.code in BLOCKS_BOOKING and not text.informational:
            self._supersede(shop, order_id, text.code, now)
        logger.info(
            "owner notice recorded",
            extra={"code": text.code, "occurrences": record.occurrences, "status": record.status},
        )
        if self._mail_now(shop, record):
            self._send_group(shop, text.code, now, follow_up=False)
        return record

    def _supersede(self, shop: ShopConfig, order_id: str, code: ErrorCode, now: datetime) -> None:
        """The order now stops at `code`: its earlier blocking cause is no longer what stops it."""
        for record in self.errors.for_order(shop.shop_id, order_id):
            if (
                record.status == ErrorStatus.OPEN
                and record.code != code
                and record.code in BLOCKS_BOOKING
            ):
                self.errors.close(record, ErrorStatus.RESOLVED, now, by="autobook")

    def order_through(self, shop: ShopConfig, order_id: str, now: datetime) -> None:
        for record in self.errors.for_order(shop.shop_id, order_id):
            if record.status == ErrorStatus.OPEN:
                self.errors.close(record, ErrorStatus.RESOLVED, now, by="autobook")

    # -- the whole shop ------------------------------------------------------------------
    def shop_paused(self, shop: ShopConfig, text: ErrorText, now: datetime) -> None:
        record = self.errors.record(shop.shop_id, SHOP_WIDE_ORDER, text, now)
        if self.shops.pause(shop.shop_id, text.code, now) and shop.owner is not None:
            self.mail.paused(shop, record)
            self.errors.mark_notified([record], now)

    def shop_resumed(self, shop: ShopConfig, now: datetime) -> None:
        paused = self.shops.paused(shop.shop_id)
        if paused is None or not self.shops.resume(shop.shop_id):
            return
        for record in self.errors.for_order(shop.shop_id, SHOP_WIDE_ORDER):
            if record.status == ErrorStatus.OPEN:
                self.errors.close(record, ErrorStatus.RESOLVED, now, by="autobook")
        if shop.owner is not None:
            self.mail.resumed(shop, paused[0], paused[1], now)

    # -- scheduled -----------------------------------------------------------------------
    def flush(self, shop: ShopConfig, now: datetime) -> int:
        """Send the follow-ups whose hour has passed, and the daily digest when it is due.
        The number of mails sent."""
        if shop.owner is None:
            return 0
        sent = 0
        if shop.owner.notify == NoticePreference.IMMEDIATE:
            waiting = {r.code for r in self._unnotified(shop)}
            for code in sorted(waiting):
                sent += self._send_group(shop, code, now, follow_up=True)
        return sent + self._digest(shop, now)

    # -- helpers -------------------------------------------------------------------------
    def _mail_now(self, shop: ShopConfig, record: ErrorRecord) -> bool:
        return (
            shop.owner is not None
            and shop.owner.notify == NoticePreference.IMMEDIATE
            and record.status == ErrorStatus.OPEN
            and record.occurrences == 1
            and record.notified_at is None
            and record.code not in SHOP_WIDE  # told once for the shop, by shop_paused
            and not record.shop_wide
        )

    def _unnotified(self, shop: ShopConfig, code: ErrorCode | None = None) -> list[ErrorRecord]:
        return [
            r
            for r in self.errors.with_status(shop.shop_id, ErrorStatus.OPEN, code=code)
            if r.notified_at is None and not r.shop_wide and r.code not in SHOP_WIDE
        ]

    def _send_group(
        self, shop: ShopConfig, code: ErrorCode, now: datetime, *, follow_up: bool
    ) -> int:
        if not self.shops.claim(shop.shop_id, f"notice#{code}", now, now + GROUP_WINDOW):
            return 0  # a mail about this code went out within the hour: it waits
        records = self._unnotified(shop, code)
        if not records:
            return 0
        self.mail.about_orders(shop, records, follow_up=follow_up)
        self.errors.mark_notified(records, now)
        return 1

    def _digest(self, shop: ShopConfig, now: datetime) -> int:
        today = shop_date(now)
        if now.astimezone(SHOP_ZONE).hour < DIGEST_HOUR:
            return 0
        tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), SHOP_ZONE)
        if not self.shops.claim(shop.shop_id, "digest", now, tomorrow):
            return 0
        records = self.errors.with_status(shop.shop_id, ErrorStatus.OPEN)
        if not records:
            return 0  # nothing open: no digest
        self.mail.digest(shop, records)
        return 1
