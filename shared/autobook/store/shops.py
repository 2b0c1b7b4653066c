"""Shops table: one partition per shop holding its config, caches and reconcile watermark.

Sort keys: `config`, `watermark`, `customer#<kind>:<value>`, `cache#<name>`.
"""

import json
from datetime import datetime
from typing import Any

from autobook.domain.shop import ShopConfig
from autobook.store.dynamo import table

CONFIG = "config"
WATERMARK = "watermark"


class ShopRepository:
    def __init__(self, table_name: str) -> None:
        self._name = table_name

    @property
    def _table(self) -> Any:
        return table(self._name)

    def get_config(self, shop_id: str) -> ShopConfig | None:
        item = self._table.get_item(Key={"shop_id": shop_id, "sk": CONFIG}).get("Item")
        return ShopConfig.model_validate_json(item["config"]) if item else None

    def put_config(self, config: ShopConfig) -> None:
        self._table.put_item(
            Item={"shop_id": config.shop_id, "sk": CONFIG, "config": config.model_dump_json()}
        )

    def shop_ids(self) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {"ProjectionExpression": "shop_id, sk"}
        while True:
            page = self._table.scan(**kwargs)
            ids.extend(i["shop_id"] for i in page.get("Items", []) if i["sk"] == CONFIG)
            if "LastEvaluatedKey" not in page:
                return sorted(ids)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get_customer_number(self, shop_id: str, lookup: str) -> int | None:
        item = self._table.get_item(Key={"shop_id": shop_id, "sk": f"customer#{lookup}"}).get(
            "Item"
        )
        return int(item["customer_number"]) if item else None

    def put_customer_number(self, shop_id: str, lookup: str, number: int) -> None:
        self._table.put_item(
            Item={"shop_id": shop_id, "sk": f"customer#{lookup}", "customer_number": number}
        )

    def get_cached(self, shop_id: str, name: str) -> dict[str, Any] | None:
        item = self._table.get_item(Key={"shop_id": shop_id, "sk": f"cache#{name}"}).get("Item")
        return json.loads(item["value"]) if item else None

    def put_cached(self, shop_id: str, name: str, value: dict[str, Any]) -> None:
        self._table.put_item(
            Item={"shop_id": shop_id, "sk": f"cache#{name}", "value": json.dumps(value)}
        )

    def get_watermark(self, shop_id: str) -> datetime | None:
        item = self._table.get_item(Key={"shop_id": shop_id, "sk": WATERMARK}).get("Item")
        return datetime.fromisoformat(item["at"]) if item else None

    def set_watermark(self, shop_id: str, at: datetime) -> None:
        self._table.put_item(Item={"shop_id": shop_id, "sk": WATERMARK, "at": at.isoformat()})
