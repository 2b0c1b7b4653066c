"""Shops table: one partition per shop holding its config and the small state beside it.

Sort keys: `config` (with `kind = "shop"` for the sparse `by_kind` index that lists shops
without a scan), `watermark`, `pause`, `customer#<hashed buyer key>`, `cache#<name>`,
`claim#<name>`."""

import json
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from autobook.domain.errors import ErrorCode
from autobook.domain.shop import ShopConfig
from autobook.store.aws_config import unavailable_as_transient
from autobook.store.dynamo import Dynamo, is_conditional_failure

CONFIG = "config"
WATERMARK = "watermark"
PAUSE = "pause"
BY_KIND = "by_kind"
SHOP_KIND = "shop"


def _utc(moment: datetime) -> str:
    """ISO text in UTC: compared as strings by DynamoDB, so one zone and one format."""
    return moment.astimezone(UTC).isoformat()


class DynamoShopDirectory:
    def __init__(self, dynamo: Dynamo, table_name: str) -> None:
        self._dynamo = dynamo
        self._name = table_name

    @property
    def _table(self) -> Any:
        return self._dynamo.table(self._name)

    # -- config --------------------------------------------------------------------------
    def get(self, shop_id: str) -> ShopConfig | None:
        with unavailable_as_transient("DynamoDB"):
            item = self._item(shop_id, CONFIG)
        return ShopConfig.model_validate_json(item["config"]) if item else None

    def put(self, config: ShopConfig) -> None:
        self._table.put_item(
            Item={
                "shop_id": config.shop_id,
                "sk": CONFIG,
                "kind": SHOP_KIND,
                "config": config.model_dump_json(),
            }
        )

    def ids(self) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "IndexName": BY_KIND,
            "KeyConditionExpression": Key("kind").eq(SHOP_KIND),
            "ProjectionExpression": "shop_id",
        }
        while True:
            page = self._table.query(**kwargs)
            ids.extend(str(i["shop_id"]) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return sorted(ids)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # -- caches --------------------------------------------------------------------------
    def customer_number(self, shop_id: str, key: str) -> int | None:
        item = self._item(shop_id, f"customer#{key}")
        return int(item["customer_number"]) if item else None

    def remember_customer(self, shop_id: str, key: str, number: int) -> None:
        self._table.put_item(
            Item={"shop_id": shop_id, "sk": f"customer#{key}", "customer_number": number}
        )

    def cached(self, shop_id: str, name: str) -> dict[str, Any] | None:
        item = self._item(shop_id, f"cache#{name}")
        value: dict[str, Any] | None = json.loads(item["value"]) if item else None
        return value

    def cache(self, shop_id: str, name: str, value: dict[str, Any]) -> None:
        self._table.put_item(
            Item={"shop_id": shop_id, "sk": f"cache#{name}", "value": json.dumps(value)}
        )

    # -- reconcile -----------------------------------------------------------------------
    def watermark(self, shop_id: str) -> datetime | None:
        item = self._item(shop_id, WATERMARK)
        return datetime.fromisoformat(item["at"]) if item else None

    def set_watermark(self, shop_id: str, at: datetime) -> None:
        self._table.put_item(Item={"shop_id": shop_id, "sk": WATERMARK, "at": at.isoformat()})

    # -- pause ---------------------------------------------------------------------------
    def paused(self, shop_id: str) -> tuple[ErrorCode, datetime] | None:
        item = self._item(shop_id, PAUSE)
        if not item:
            return None
        return ErrorCode(item["code"]), datetime.fromisoformat(item["since"])

    def pause(self, shop_id: str, code: ErrorCode, since: datetime) -> bool:
        try:
            self._table.put_item(
                Item={
                    "shop_id": shop_id,
                    "sk": PAUSE,
                    "code": str(code),
                    "since": since.isoformat(),
                },
                ConditionExpression="attribute_not_exists(sk)",
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def resume(self, shop_id: str) -> bool:
        answer = self._table.delete_item(
            Key={"shop_id": shop_id, "sk": PAUSE}, ReturnValues="ALL_OLD"
        )
        return bool(answer.get("Attributes"))

    def claim(self, shop_id: str, name: str, now: datetime, until: datetime) -> bool:
        try:
            self._table.put_item(
                Item={"shop_id": shop_id, "sk": f"claim#{name}", "until": _utc(until)},
                ConditionExpression="attribute_not_exists(sk) OR #until <= :now",
                ExpressionAttributeNames={"#until": "until"},
                ExpressionAttributeValues={":now": _utc(now)},
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def _item(self, shop_id: str, sk: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._table.get_item(Key={"shop_id": shop_id, "sk": sk}).get(
            "Item"
        )
        return item
