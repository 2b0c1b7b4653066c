"""What runs on the schedule, shop by shop: the reconcile poll (orders whose webhook never
came), the recheck (orders blocked by something fixed inside e-conomic, paused shops), and the
owner's follow-up mails and daily digest."""

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from autobook.usecases.owner_notices import OwnerNoticeService
from autobook.usecases.ports import ShopDirectory
from autobook.usecases.recheck import Recheck
from autobook.usecases.reconcile import ReconcileService

logger = Logger(child=True)


@dataclass(frozen=True)
class ScheduledChecks:
    shops: ShopDirectory
    reconcile: ReconcileService
    recheck: Recheck
    notices: OwnerNoticeService

    def run(self, now: datetime) -> dict[str, object]:
        summary = self.reconcile.run(now)
        rechecked = self.recheck.run(now)
        mails = 0
        for shop_id in self.shops.ids():
            shop = self.shops.get(shop_id)
            if shop is None:
                continue
            try:
                mails += self.notices.flush(shop, now)
            except Exception:
                logger.exception("owner notices: shop failed", extra={"shop_id": shop_id})
        return {**summary.as_dict(), "rechecked": rechecked.total, "owner_mails": mails}
