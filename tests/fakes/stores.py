"""The DynamoDB stores and Secrets Manager as dicts, with the same conditional-write rules."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus, ErrorText, next_record
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.usecases.ports import ConcurrentUpdateError


class FakeShops:
    def __init__(self, *shops: ShopConfig) -> None:
        self.configs = {s.shop_id: s for s in shops}
        self.customers: dict[tuple[str, str], int] = {}
        self.caches: dict[tuple[str, str], dict[str, Any]] = {}
        self.watermarks: dict[str, datetime] = {}
        self.pauses: dict[str, tuple[ErrorCode, datetime]] = {}
        self.claims: dict[tuple[str, str], datetime] = {}

    def get(self, shop_id: str) -> ShopConfig | None:
        return self.configs.get(shop_id)

    def put(self, config: ShopConfig) -> None:
        self.configs[config.shop_id] = config

    def ids(self) -> list[str]:
        return sorted(self.configs)

    def customer_number(self, shop_id: str, key: str) -> int | None:
        return self.customers.get((shop_id, key))

    def remember_customer(self, shop_id: str, key: str, number: int) -> None:
        self.customers[(shop_id, key)] = number

    def cached(self, shop_id: str, name: str) -> dict[str, Any] | None:
        return self.caches.get((shop_id, name))

    def cache(self, shop_id: str, name: str, value: dict[str, Any]) -> None:
        self.caches[(shop_id, name)] = value

    def watermark(self, shop_id: str) -> datetime | None:
        return self.watermarks.get(shop_id)

    def set_watermark(self, shop_id: str, at: datetime) -> None:
        self.watermarks[shop_id] = at

    def paused(self, shop_id: str) -> tuple[ErrorCode, datetime] | None:
        return self.pauses.get(shop_id)

    def pause(self, shop_id: str, code: ErrorCode, since: datetime) -> bool:
        if shop_id in self.pauses:
            return False
        self.pauses[shop_id] = (code, since)
        return True

    def resume(self, shop_id: str) -> bool:
        return self.pauses.pop(shop_id, None) is not None

    def claim(self, shop_id: str, name: str, now: datetime, until: datetime) -> bool:
        held = self.claims.get((shop_id, name))
        if held is not None and held > now:
            return False
        self.claims[(shop_id, name)] = until
        return True


class FakeLedger:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], LedgerEntry] = {}
        self.saves = 0

    def get(self, shop_id: str, order_id: str) -> LedgerEntry | None:
        return self.entries.get((shop_id, order_id))

    def create_if_absent(self, entry: LedgerEntry) -> LedgerEntry:
        key = (entry.shop_id, entry.order_id)
        if key not in self.entries:
            self.entries[key] = entry.model_copy(update={"revision": 1})
        return self.entries[key]

    def save(self, entry: LedgerEntry) -> LedgerEntry:
        key = (entry.shop_id, entry.order_id)
        stored = self.entries.get(key)
        if stored is None or stored.revision != entry.revision:
            raise ConcurrentUpdateError(f"ledger {entry.order_id} changed meanwhile")
        saved = entry.model_copy(update={"revision": entry.revision + 1})
        self.entries[key] = saved
        self.saves += 1
        return saved

    def in_states(
        self, shop_id: str, states: Collection[LedgerState], *, limit: int = 100
    ) -> list[LedgerEntry]:
        found = [e for (s, _), e in self.entries.items() if s == shop_id and e.state in states]
        return sorted(found, key=lambda e: e.updated_at, reverse=True)[:limit]


class FakeErrorLog:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str, str], ErrorRecord] = {}

    def record(
        self,
        shop_id: str,
        order_id: str,
        text: ErrorText,
        now: datetime,
        *,
        reference: str | None = None,
    ) -> ErrorRecord:
        key = (shop_id, order_id, str(text.code))
        record = next_record(
            self.records.get(key), shop_id, order_id, text, now, reference=reference
        )
        self.records[key] = record
        return record

    def get(self, shop_id: str, order_id: str, code: ErrorCode) -> ErrorRecord | None:
        return self.records.get((shop_id, order_id, str(code)))

    def for_order(self, shop_id: str, order_id: str) -> list[ErrorRecord]:
        return [r for (s, o, _), r in self.records.items() if s == shop_id and o == order_id]

    def with_status(
        self, shop_id: str, status: ErrorStatus, *, code: ErrorCode | None = None
    ) -> list[ErrorRecord]:
        return [
            r
            for (s, _, c), r in self.records.items()
            if s == shop_id and r.status == status and (code is None or c == code)
        ]

    def close(
        self, record: ErrorRecord, status: ErrorStatus, now: datetime, *, by: str, reason: str = ""
    ) -> ErrorRecord:
        closed = record.model_copy(
            update={"status": status, "closed_at": now, "closed_by": by, "reason": reason}
        )
        self.records[(record.shop_id, record.order_id, str(record.code))] = closed
        return closed

    def mark_notified(self, records: Sequence[ErrorRecord], now: datetime) -> None:
        for record in records:
            key = (record.shop_id, record.order_id, str(record.code))
            self.records[key] = self.records[key].model_copy(update={"notified_at": now})

    def open_codes(self, shop_id: str) -> dict[str, str]:
        """order id -> code of the shop's open errors (test helper)."""
        return {r.order_id: str(r.code) for r in self.with_status(shop_id, ErrorStatus.OPEN)}


class FakeSecrets:
    def __init__(self) -> None:
        self.shops: dict[str, ShopSecrets] = {}

    def shop(self, shop_id: str) -> ShopSecrets:
        return self.shops[shop_id]

    def economic_app_token(self) -> str:
        return "app-token"

    def put_shop(self, shop_id: str, secrets: ShopSecrets) -> None:
        self.shops[shop_id] = secrets
