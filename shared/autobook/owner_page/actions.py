"""The page's `OwnerActions` on top of the core's use cases: the buttons call `Operations`
(which records who and when in the order's history), the reads come from `ShopQueries` and,
for the buyer's name and the amount, from Dandomain at the moment the page is shown."""

from collections.abc import Sequence
from dataclasses import dataclass

from autobook.domain.errors import ErrorCode, ErrorRecord, KnownError, TransientError
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from autobook.domain.shop import ShopConfig
from autobook.notify.owner_views import ErrorView, OrderRef, PauseView
from autobook.owner_page.ports import InvoiceSummary, ShopSummary
from autobook.usecases.operations import ActionError, Operations
from autobook.usecases.ports import OrderSources
from autobook.usecases.queries import ShopQueries

# Orders whose buyer is looked up in Dandomain for one page view (the rest show the number).
LOOKUPS_PER_PAGE = 50


@dataclass(frozen=True)
class CoreOwnerActions:
    operations: Operations
    queries: ShopQueries
    sources: OrderSources

    # -- reads -----------------------------------------------------------------------------
    def shop(self, shop_id: str) -> ShopSummary | None:
        try:
            shop = self.queries.shop(shop_id)
        except ActionError:
            return None
        pauses = tuple(
            PauseView(
                code=r.code,
                parameters=r.parameters,
                since=r.first_seen,
                waiting_orders=self._waiting(shop_id, r.code),
            )
            for r in self.queries.open_errors(shop_id)
            if r.shop_wide
        )
        return ShopSummary(shop_id=shop.shop_id, name=shop.name, pauses=pauses)

    def open_errors(self, shop_id: str) -> Sequence[ErrorView]:
        shop = self.queries.shop(shop_id)
        records = [r for r in self.queries.open_errors(shop_id) if not r.shop_wide]
        return [self._view(shop, r, look_up=i < LOOKUPS_PER_PAGE) for i, r in enumerate(records)]

    def recent_invoices(self, shop_id: str, limit: int) -> Sequence[InvoiceSummary]:
        entries = self.queries.recent_invoices(shop_id, limit)
        drafts = self.queries.orders_in(shop_id, LedgerState.DRAFTED, limit)
        newest = sorted([*entries, *drafts], key=lambda e: e.updated_at, reverse=True)[:limit]
        return [_summary(e) for e in newest]

    # -- buttons ---------------------------------------------------------------------------
    def replay(self, shop_id: str, order_id: str, actor: str) -> int:
        self.operations.replay_order(shop_id, order_id, actor=actor)
        return 1

    def replay_code(self, shop_id: str, code: ErrorCode, actor: str) -> int:
        return len(self.operations.replay_code(shop_id, code, actor=actor))

    def resend_mail(self, shop_id: str, order_id: str, actor: str) -> int:
        try:
            self.operations.resend_mail(shop_id, order_id, actor=actor)
        except ActionError:
            return 0
        return 1

    def ignore(self, shop_id: str, order_id: str, code: ErrorCode, reason: str, actor: str) -> int:
        try:
            self.operations.ignore_error(shop_id, order_id, code, reason, actor=actor)
        except ActionError:
            return 0
        return 1

    def credit_and_rebook(self, shop_id: str, order_id: str, actor: str) -> int:
        try:
            self.operations.credit_and_rebook(shop_id, order_id, actor=actor)
        except ActionError:
            return 0
        return 1

    # -- helpers ---------------------------------------------------------------------------
    def _view(self, shop: ShopConfig, record: ErrorRecord, *, look_up: bool) -> ErrorView:
        order = OrderRef(order_id=record.order_id)
        if look_up:
            try:
                found = self.sources.for_shop(shop).fetch(record.order_id)
                order = OrderRef(
                    order_id=record.order_id,
                    buyer_name=found.customer.name or found.customer.attention,
                    amount=found.total_gross,
                    currency=found.currency,
                )
            except (KnownError, TransientError):
                pass  # the page still names the order by its number
        return ErrorView(
            code=record.code,
            parameters=record.parameters,
            order=order,
            first_seen=record.first_seen,
            occurrences=record.occurrences,
        )

    def _waiting(self, shop_id: str, code: ErrorCode) -> int:
        failed = self.queries.orders_in(shop_id, LedgerState.FAILED, 1000)
        return sum(1 for e in failed if e.error_code == code)


def _summary(entry: LedgerEntry) -> InvoiceSummary:
    return InvoiceSummary(
        order=OrderRef(
            order_id=entry.order_id,
            amount=entry.invoice.gross,
            currency=entry.invoice.currency or "",
        ),
        state=entry.state,
        draft_number=entry.invoice.draft_number,
        booked_number=entry.invoice.booked_number,
        credit_note_number=entry.credit.booked_number,
        mail_failed=MailStatus.FAILED in (entry.mail.status, entry.credit_mail.status),
        updated_at=entry.updated_at,
    )
