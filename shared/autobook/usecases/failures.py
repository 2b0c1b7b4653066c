"""Every failure that stops an order leaves a trace the owner and the operator can act on:
an error through `OwnerNotices` (a catalogue code, SERVICE_UNAVAILABLE when the retries ran
out, UNEXPECTED with a reference that finds the log line) and the ledger in `failed` with that
code. A later replay, recheck or redrive moves it on again."""

from dataclasses import dataclass

from aws_lambda_powertools import Logger

from autobook.domain.errors import SHOP_WIDE, ErrorCode, KnownError, TransientError
from autobook.domain.ledger import LedgerEntry, LedgerState, can_move
from autobook.domain.shop import ShopConfig
from autobook.usecases.ports import Clock, ConcurrentUpdateError, Ledger, OwnerNotices

logger = Logger(child=True)


@dataclass(frozen=True)
class Failures:
    ledger: Ledger
    notices: OwnerNotices
    clock: Clock

    def known(self, shop: ShopConfig, order_id: str, error: KnownError) -> None:
        text = error.text
        now = self.clock()
        logger.warning("known error", extra={"code": text.code, "parameters": text.parameters})
        if error.code in SHOP_WIDE:
            self.notices.shop_paused(shop, text, now)
        self.notices.problem(shop, order_id, text, now)
        if not text.informational:
            self._fail(shop, order_id, str(error.code))

    def gave_up(
        self, shop: ShopConfig, order_id: str, error: TransientError, attempts: int
    ) -> None:
        """The queue's last attempt failed on something passing: tell, then let it go."""
        logger.error("retries exhausted", extra={"error": str(error), "attempts": attempts})
        failure = KnownError(
            ErrorCode.SERVICE_UNAVAILABLE,
            order_id=order_id,
            service=error.service,
            attempts=attempts,
        )
        self.notices.problem(shop, order_id, failure.text, self.clock())
        self._fail(shop, order_id, str(ErrorCode.SERVICE_UNAVAILABLE))

    def unexpected(self, shop: ShopConfig, order_id: str, reference: str) -> None:
        failure = KnownError(ErrorCode.UNEXPECTED, order_id=order_id, reference=reference)
        self.notices.problem(shop, order_id, failure.text, self.clock(), reference=reference)
        self._fail(shop, order_id, str(ErrorCode.UNEXPECTED))

    def _fail(self, shop: ShopConfig, order_id: str, code: str) -> None:
        for _ in range(3):  # a concurrent writer moved it: read again
            entry = self.ledger.get(shop.shop_id, order_id) or self.ledger.create_if_absent(
                LedgerEntry.new(shop.shop_id, order_id, self.clock())
            )
            if entry.state == LedgerState.FAILED and entry.error_code == code:
                return
            if not can_move(entry.state, LedgerState.FAILED):
                return  # booked already: the error is told, the invoice stands
            try:
                self.ledger.save(entry.failed(code, self.clock()))
                return
            except ConcurrentUpdateError:
                continue
