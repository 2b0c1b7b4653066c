"""Error log in DynamoDB: one item per shop + order + code, so a repeated failure counts up
instead of piling up. `status_key` feeds the `by_shop_status` index: a shop's open (or
ignored, resolved) errors, optionally of one code, without a scan.

Recording is read-then-conditional-write (on the occurrence count), so two workers never lose
a count; what a recurring error becomes is the domain's rule (`next_record`)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus, ErrorText, next_record
from autobook.store.dynamo import Dynamo, is_conditional_failure
from autobook.usecases.ports import ConcurrentUpdateError

BY_SHOP_STATUS = "by_shop_status"
_ATTEMPTS = 5


def _error_id(order_id: str, code: str) -> str:
    return f"{order_id}#{code}"


def _item(record: ErrorRecord) -> dict[str, Any]:
    return {
        "shop_id": record.shop_id,
        "error_id": _error_id(record.order_id, record.code),
        "status_key": f"{record.status}#{record.code}#{record.first_seen.isoformat()}",
        "occurrences": record.occurrences,
        "record": record.model_dump_json(),
    }


def _record(item: dict[str, Any]) -> ErrorRecord:
    return ErrorRecord.model_validate_json(str(item["record"]))


class DynamoErrorLog:
    def __init__(self, dynamo: Dynamo, table_name: str) -> None:
        self._dynamo = dynamo
        self._name = table_name

    @property
    def _table(self) -> Any:
        return self._dynamo.table(self._name)

    def record(
        self,
        shop_id: str,
        order_id: str,
        text: ErrorText,
        now: datetime,
        *,
        reference: str | None = None,
    ) -> ErrorRecord:
        for _ in range(_ATTEMPTS):
            old_item = self._get_item(shop_id, order_id, text.code)
            old = _record(old_item) if old_item else None
            new = next_record(old, shop_id, order_id, text, now, reference=reference)
            try:
                self._put(
                    new, expected_occurrences=int(old_item["occurrences"]) if old_item else None
                )
                return new
            except ConcurrentUpdateError:
                continue
        raise ConcurrentUpdateError(f"error log {order_id} {text.code} kept changing")

    def get(self, shop_id: str, order_id: str, code: ErrorCode) -> ErrorRecord | None:
        item = self._get_item(shop_id, order_id, code)
        return _record(item) if item else None

    def for_order(self, shop_id: str, order_id: str) -> list[ErrorRecord]:
        return self._query(
            KeyConditionExpression=Key("shop_id").eq(shop_id)
            & Key("error_id").begins_with(f"{order_id}#")
        )

    def with_status(
        self, shop_id: str, status: ErrorStatus, *, code: ErrorCode | None = None
    ) -> list[ErrorRecord]:
        prefix = f"{status}#{code}#" if code else f"{status}#"
        return self._query(
            IndexName=BY_SHOP_STATUS,
            KeyConditionExpression=Key("shop_id").eq(shop_id)
            & Key("status_key").begins_with(prefix),
        )

    def close(
        self, record: ErrorRecord, status: ErrorStatus, now: datetime, *, by: str, reason: str = ""
    ) -> ErrorRecord:
        closed = record.model_copy(
            update={"status": status, "closed_at": now, "closed_by": by, "reason": reason}
        )
        self._put(closed, expected_occurrences=record.occurrences)
        return closed

    def mark_notified(self, records: Sequence[ErrorRecord], now: datetime) -> None:
        for record in records:
            current = self.get(record.shop_id, record.order_id, record.code) or record
            if current.notified_at is None:
                notified = current.model_copy(update={"notified_at": now})
                try:
                    self._put(notified, expected_occurrences=current.occurrences)
                except ConcurrentUpdateError:
                    continue  # counted up meanwhile; the next mark sees it

    # -- plumbing -------------------------------------------------------------------------
    def _get_item(self, shop_id: str, order_id: str, code: str) -> dict[str, Any] | None:
        answer = self._table.get_item(
            Key={"shop_id": shop_id, "error_id": _error_id(order_id, code)}, ConsistentRead=True
        )
        item: dict[str, Any] | None = answer.get("Item")
        return item

    def _put(self, record: ErrorRecord, *, expected_occurrences: int | None) -> None:
        condition: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(error_id)"}
            if expected_occurrences is None
            else {
                "ConditionExpression": "occurrences = :seen",
                "ExpressionAttributeValues": {":seen": expected_occurrences},
            }
        )
        try:
            self._table.put_item(Item=_item(record), **condition)
        except ClientError as exc:
            if is_conditional_failure(exc):
                raise ConcurrentUpdateError(
                    f"error {record.order_id} {record.code} changed"
                ) from exc
            raise

    def _query(self, **kwargs: Any) -> list[ErrorRecord]:
        records: list[ErrorRecord] = []
        while True:
            page = self._table.query(**kwargs)
            records.extend(_record(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return records
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
