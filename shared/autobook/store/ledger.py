"""Order ledger in DynamoDB: one item per shop + order.

The entry is kept as one JSON document (`entry`) beside the attributes DynamoDB needs: the
key, the revision every write is conditional on, and `shop_id` + `state_key` for the
`by_shop_state` index that lists a shop's orders by state without a scan."""

from collections.abc import Collection
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.store.dynamo import Dynamo, is_conditional_failure
from autobook.usecases.ports import ConcurrentUpdateError

BY_SHOP_STATE = "by_shop_state"


def _pk(shop_id: str, order_id: str) -> str:
    return f"{shop_id}#{order_id}"


def _item(entry: LedgerEntry, revision: int) -> dict[str, Any]:
    return {
        "pk": _pk(entry.shop_id, entry.order_id),
        "shop_id": entry.shop_id,
        "order_id": entry.order_id,
        "state": str(entry.state),
        "state_key": f"{entry.state}#{entry.updated_at.isoformat()}",
        "revision": revision,
        "entry": entry.model_dump_json(exclude={"revision"}),
    }


def _entry(item: dict[str, Any]) -> LedgerEntry:
    entry = LedgerEntry.model_validate_json(str(item["entry"]))
    return entry.model_copy(update={"revision": int(item["revision"])})


class DynamoLedger:
    def __init__(self, dynamo: Dynamo, table_name: str) -> None:
        self._dynamo = dynamo
        self._name = table_name

    @property
    def _table(self) -> Any:
        return self._dynamo.table(self._name)

    def get(self, shop_id: str, order_id: str) -> LedgerEntry | None:
        answer = self._table.get_item(Key={"pk": _pk(shop_id, order_id)}, ConsistentRead=True)
        item = answer.get("Item")
        return _entry(item) if item else None

    def create_if_absent(self, entry: LedgerEntry) -> LedgerEntry:
        try:
            self._table.put_item(
                Item=_item(entry, 1), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                existing = self.get(entry.shop_id, entry.order_id)
                if existing is not None:
                    return existing
            raise
        return entry.model_copy(update={"revision": 1})

    def save(self, entry: LedgerEntry) -> LedgerEntry:
        try:
            self._table.put_item(
                Item=_item(entry, entry.revision + 1),
                ConditionExpression="revision = :rev",
                ExpressionAttributeValues={":rev": entry.revision},
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                raise ConcurrentUpdateError(f"ledger {entry.order_id} changed meanwhile") from exc
            raise
        return entry.model_copy(update={"revision": entry.revision + 1})

    def in_states(
        self, shop_id: str, states: Collection[LedgerState], *, limit: int = 100
    ) -> list[LedgerEntry]:
        found: list[LedgerEntry] = []
        for state in states:
            kwargs: dict[str, Any] = {
                "IndexName": BY_SHOP_STATE,
                "KeyConditionExpression": Key("shop_id").eq(shop_id)
                & Key("state_key").begins_with(f"{state}#"),
                "ScanIndexForward": False,
            }
            while len(found) < limit * len(states):
                page = self._table.query(**kwargs)
                found.extend(_entry(i) for i in page.get("Items", []))
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found.sort(key=lambda e: e.updated_at, reverse=True)
        return found[:limit]
