"""The owner's mails: `OwnerNoticeService` decides when; this fills the mail views and sends.

The buyer's name and the order's amount are read from Dandomain when the mail is made (never
stored); an order Dandomain cannot give right now is named by its number only. Every mail
carries a freshly signed link to the owner page.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from autobook.domain.errors import ErrorCode, ErrorRecord, KnownError, TransientError
from autobook.domain.ledger import LedgerState
from autobook.domain.owner_link import LINK_LIFETIME, page_url, sign_link
from autobook.domain.shop import ShopConfig
from autobook.notify.owner_mail import render_owner_mail
from autobook.notify.owner_views import (
    DigestMail,
    ErrorAppearedMail,
    ErrorsGroupedMail,
    ErrorView,
    OrderRef,
    PageLink,
    PauseView,
    ShopPausedMail,
    ShopResumedMail,
    ShopView,
)
from autobook.usecases.clock import shop_date
from autobook.usecases.ports import Clock, Ledger, Mailer, OrderSources

logger = Logger(child=True)


@dataclass(frozen=True)
class OwnerMailPresenter:
    mailer: Mailer
    sources: OrderSources
    ledger: Ledger
    sender: str
    page_base_url: str
    link_key: Callable[[], bytes]
    clock: Clock

    # -- OwnerMail -------------------------------------------------------------------------
    def about_orders(
        self, shop: ShopConfig, records: Sequence[ErrorRecord], *, follow_up: bool
    ) -> None:
        view = self._shop(shop)
        if view is None:
            return
        errors = tuple(self._error(shop, r) for r in records)
        if len(errors) == 1:
            self._send(ErrorAppearedMail(shop=view, error=errors[0]))
        else:
            self._send(ErrorsGroupedMail(shop=view, code=records[0].code, errors=errors))

    def paused(self, shop: ShopConfig, record: ErrorRecord) -> None:
        view = self._shop(shop)
        if view is not None:
            self._send(ShopPausedMail(shop=view, pause=self._pause(shop, record)))

    def resumed(self, shop: ShopConfig, code: ErrorCode, since: datetime, now: datetime) -> None:
        view = self._shop(shop)
        if view is None:
            return
        waiting = len(self._waiting(shop, code))
        self._send(
            ShopResumedMail(
                shop=view, code=code, paused_since=since, resumed_at=now, resumed_orders=waiting
            )
        )

    def digest(self, shop: ShopConfig, records: Sequence[ErrorRecord]) -> None:
        view = self._shop(shop)
        if view is None:
            return
        pauses = tuple(self._pause(shop, r) for r in records if r.shop_wide)
        errors = tuple(self._error(shop, r) for r in records if not r.shop_wide)
        if pauses or errors:
            self._send(
                DigestMail(shop=view, day=shop_date(self.clock()), pauses=pauses, errors=errors)
            )

    # -- views -----------------------------------------------------------------------------
    def _shop(self, shop: ShopConfig) -> ShopView | None:
        if shop.owner is None or not self.page_base_url:
            logger.warning("owner not told: no owner address or no page address")
            return None
        expires = self.clock() + LINK_LIFETIME
        token = sign_link(self.link_key(), shop.shop_id, expires)
        url = page_url(self.page_base_url, shop.shop_id, token, shop.owner.language)
        return ShopView(
            shop_id=shop.shop_id,
            name=shop.name,
            owner=shop.owner,
            page=PageLink(url=url, expires_at=expires),
        )

    def _error(self, shop: ShopConfig, record: ErrorRecord) -> ErrorView:
        return ErrorView(
            code=record.code,
            parameters=record.parameters,
            order=self._order(shop, record.order_id),
            first_seen=record.first_seen,
            occurrences=record.occurrences,
        )

    def _order(self, shop: ShopConfig, order_id: str) -> OrderRef:
        try:
            order = self.sources.for_shop(shop).fetch(order_id)
        except (KnownError, TransientError):
            return OrderRef(order_id=order_id)  # the mail still names the order
        buyer = order.customer.name or order.customer.attention
        return OrderRef(
            order_id=order_id, buyer_name=buyer, amount=order.total_gross, currency=order.currency
        )

    def _pause(self, shop: ShopConfig, record: ErrorRecord) -> PauseView:
        return PauseView(
            code=record.code,
            parameters=record.parameters,
            since=record.first_seen,
            waiting_orders=len(self._waiting(shop, record.code)),
        )

    def _waiting(self, shop: ShopConfig, code: ErrorCode) -> list[object]:
        failed = self.ledger.in_states(shop.shop_id, [LedgerState.FAILED], limit=1000)
        return [e for e in failed if e.error_code == code]

    def _send(self, mail: object) -> None:
        message = render_owner_mail(mail, sender=self.sender)  # type: ignore[arg-type]
        self.mailer.send(message)
