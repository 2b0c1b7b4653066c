"""Error log: one item per shop + order + code, so a repeated failure counts up instead of piling
up. The owner sees open errors; a later success resolves them."""

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import ConditionBase, Key
from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import INFORMATIONAL, ErrorText
from autobook.store.dynamo import table

SHOP_WIDE_ORDER = "_shop"


class ErrorRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    order_id: str
    code: str
    da: str
    en: str
    parameters: dict[str, str]
    status: str
    occurrences: int
    first_seen: str
    last_seen: str


class ErrorLogRepository:
    def __init__(self, table_name: str) -> None:
        self._name = table_name

    @property
    def _table(self) -> Any:
        return table(self._name)

    def record(self, shop_id: str, order_id: str, text: ErrorText, now: datetime) -> None:
        values = {
            "order_id": order_id,
            "code": str(text.code),
            "da": text.da,
            "en": text.en,
            "parameters": text.parameters,
            # Information (e.g. "credited after cancellation") is shown, not counted as open.
            "status": "info" if text.code in INFORMATIONAL else "open",
            "last_seen": now.isoformat(),
        }
        assignments = ", ".join(f"#{k} = :{k}" for k in values)
        self._table.update_item(
            Key={"shop_id": shop_id, "error_id": f"{order_id}#{text.code}"},
            # Every name goes through a placeholder: several are DynamoDB reserved words.
            UpdateExpression=(
                f"SET {assignments}, #first_seen = if_not_exists(#first_seen, :last_seen) "
                "ADD #occurrences :one"
            ),
            ExpressionAttributeNames={
                **{f"#{k}": k for k in values},
                "#first_seen": "first_seen",
                "#occurrences": "occurrences",
            },
            ExpressionAttributeValues={**{f":{k}": v for k, v in values.items()}, ":one": 1},
        )

    def resolve_order(self, shop_id: str, order_id: str, now: datetime) -> int:
        resolved = 0
        for record in self._query(shop_id, prefix=f"{order_id}#"):
            if record.status == "open":
                self._table.update_item(
                    Key={"shop_id": shop_id, "error_id": f"{order_id}#{record.code}"},
                    UpdateExpression="SET #status = :resolved, resolved_at = :now",
                    ExpressionAttributeNames={"#status": "status"},
                    ExpressionAttributeValues={":resolved": "resolved", ":now": now.isoformat()},
                )
                resolved += 1
        return resolved

    def for_shop(self, shop_id: str, *, only_open: bool = True) -> list[ErrorRecord]:
        records = self._query(shop_id, prefix="")
        return [r for r in records if r.status == "open" or not only_open]

    def _query(self, shop_id: str, *, prefix: str) -> list[ErrorRecord]:
        condition: ConditionBase = Key("shop_id").eq(shop_id)
        if prefix:
            condition &= Key("error_id").begins_with(prefix)
        records: list[ErrorRecord] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": condition}
        while True:
            page = self._table.query(**kwargs)
            records.extend(
                ErrorRecord.model_validate({**i, "occurrences": int(i.get("occurrences", 1))})
                for i in page["Items"]
            )
            if "LastEvaluatedKey" not in page:
                return records
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
