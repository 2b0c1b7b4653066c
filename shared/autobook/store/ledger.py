"""Order ledger: one item per shop+order. Every write is conditional on the revision it read,
so two workers can never both move an order, and an illegal move is refused before it is sent."""

from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from autobook.domain.ledger import (
    HistoryEntry,
    LedgerEntry,
    LedgerState,
    MailStatus,
    can_move,
    mail_fields,
)
from autobook.store.dynamo import table

logger = Logger(child=True)

_MAX_HISTORY = 50


class IllegalTransitionError(Exception):
    """A bug: the code asked for a move the state machine forbids. Logged loudly, never applied."""


class ConcurrentUpdateError(Exception):
    """Someone else moved the entry since it was read. The caller re-reads (via a retry)."""


def _pk(shop_id: str, order_id: str) -> str:
    return f"{shop_id}#{order_id}"


class LedgerRepository:
    def __init__(self, table_name: str) -> None:
        self._name = table_name

    @property
    def _table(self) -> Any:
        return table(self._name)

    def get(self, shop_id: str, order_id: str) -> LedgerEntry | None:
        item = self._table.get_item(Key={"pk": _pk(shop_id, order_id)}, ConsistentRead=True).get(
            "Item"
        )
        return _entry(item) if item else None

    def create_if_absent(self, shop_id: str, order_id: str, now: datetime) -> LedgerEntry:
        entry = LedgerEntry(
            shop_id=shop_id,
            order_id=order_id,
            state=LedgerState.RECEIVED,
            created_at=now,
            updated_at=now,
            history=(HistoryEntry(at=now, state=LedgerState.RECEIVED),),
        )
        try:
            self._table.put_item(
                Item=_item(entry, revision=1), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if _conditional(exc):
                existing = self.get(shop_id, order_id)
                if existing is not None:
                    return existing
            raise
        return entry.model_copy(update={"revision": 1})

    def move(
        self,
        entry: LedgerEntry,
        target: LedgerState,
        now: datetime,
        *,
        note: str = "",
        **fields: Any,
    ) -> LedgerEntry:
        if not can_move(entry.state, target):
            logger.error(
                "illegal ledger transition refused",
                extra={
                    "shop_id": entry.shop_id,
                    "order_id": entry.order_id,
                    "from": entry.state,
                    "to": target,
                },
            )
            raise IllegalTransitionError(f"{entry.state} -> {target} for order {entry.order_id}")
        history = (*entry.history, HistoryEntry(at=now, state=target, note=note))[-_MAX_HISTORY:]
        updated = entry.model_copy(
            update={**fields, "state": target, "updated_at": now, "history": history}
        )
        return self._replace(entry, updated)

    def update(self, entry: LedgerEntry, now: datetime, **fields: Any) -> LedgerEntry:
        """Change fields without a state move (attempt counters, mail status)."""
        return self._replace(entry, entry.model_copy(update={**fields, "updated_at": now}))

    def claim_mail(
        self, entry: LedgerEntry, now: datetime, *, credit_note: bool = False
    ) -> LedgerEntry | None:
        """NONE -> SENDING, once. None when someone already claimed (or sent) it."""
        status_field, _ = mail_fields(credit_note)
        if getattr(entry, status_field) != MailStatus.NONE:
            return None
        try:
            return self.update(entry, now, **{status_field: MailStatus.SENDING})
        except ConcurrentUpdateError:
            return None

    def _replace(self, current: LedgerEntry, updated: LedgerEntry) -> LedgerEntry:
        revision = current.revision
        try:
            self._table.put_item(
                Item=_item(updated, revision=revision + 1),
                ConditionExpression="revision = :rev",
                ExpressionAttributeValues={":rev": revision},
            )
        except ClientError as exc:
            if _conditional(exc):
                raise ConcurrentUpdateError(f"ledger {updated.order_id} changed meanwhile") from exc
            raise
        return updated.model_copy(update={"revision": revision + 1})


def _item(entry: LedgerEntry, *, revision: int) -> dict[str, Any]:
    data = entry.model_dump(mode="json", exclude_none=True, exclude={"revision"})
    return {"pk": _pk(entry.shop_id, entry.order_id), "revision": revision, **data}


def _entry(item: dict[str, Any]) -> LedgerEntry:
    data = {k: v for k, v in item.items() if k != "pk"}
    for key in (*_INT_FIELDS, "revision"):
        if key in data:
            data[key] = int(data[key])
    return LedgerEntry.model_validate(data)


_INT_FIELDS = (
    "credit_draft_number",
    "credit_attempts",
    "draft_number",
    "booked_number",
    "credit_note_number",
    "draft_attempts",
    "book_attempts",
)


def _conditional(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")
