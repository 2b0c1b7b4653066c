"""What the owner page and the operator CLI show: read-only views of one shop."""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import ErrorRecord, ErrorStatus
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.shop import ShopConfig
from autobook.usecases.operations import registered_shop
from autobook.usecases.ports import ErrorLog, Ledger, ShopDirectory

INVOICED_STATES = (LedgerState.BOOKED, LedgerState.MAILED, LedgerState.CREDITED)


class OrderView(BaseModel):
    model_config = ConfigDict(frozen=True)

    entry: LedgerEntry | None
    errors: tuple[ErrorRecord, ...]


@dataclass(frozen=True)
class ShopQueries:
    shops: ShopDirectory
    ledger: Ledger
    errors: ErrorLog

    def all_shops(self) -> list[ShopConfig]:
        """Every registered shop, by id."""
        found = (self.shops.get(shop_id) for shop_id in sorted(self.shops.ids()))
        return [shop for shop in found if shop is not None]

    def shop(self, shop_id: str) -> ShopConfig:
        return registered_shop(self.shops, shop_id)

    def open_errors(self, shop_id: str) -> list[ErrorRecord]:
        self.shop(shop_id)
        records = self.errors.with_status(shop_id, ErrorStatus.OPEN)
        return sorted(records, key=lambda r: (not r.shop_wide, r.first_seen))

    def errors_with(self, shop_id: str, status: ErrorStatus) -> list[ErrorRecord]:
        self.shop(shop_id)
        return self.errors.with_status(shop_id, status)

    def recent_invoices(self, shop_id: str, limit: int = 20) -> list[LedgerEntry]:
        self.shop(shop_id)
        return self.ledger.in_states(shop_id, INVOICED_STATES, limit=limit)

    def orders_in(self, shop_id: str, state: LedgerState, limit: int = 100) -> list[LedgerEntry]:
        self.shop(shop_id)
        return self.ledger.in_states(shop_id, [state], limit=limit)

    def order(self, shop_id: str, order_id: str) -> OrderView:
        self.shop(shop_id)
        return OrderView(
            entry=self.ledger.get(shop_id, order_id),
            errors=tuple(self.errors.for_order(shop_id, order_id)),
        )
