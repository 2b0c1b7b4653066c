"""The e-conomic call budget in DynamoDB: one counter per agreement per second, shared by every
booking and mailer container, so together they never spend an agreement's bucket faster than
it refills (e-conomic answers 429 when it runs dry; economic/rate_limit.py).

A call takes a slot with one conditional UpdateItem (`ADD used 1` unless the second is full);
a full second means waiting for the next one. Items expire by TTL a minute later. The limit
each agreement announced is kept in an item of its own, read once per container."""

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from autobook.domain.errors import RateLimitedError, TransientError
from autobook.economic.rate_limit import DEFAULT_LIMIT, RateLimit
from autobook.store.aws_config import unavailable_as_transient
from autobook.store.dynamo import Dynamo, is_conditional_failure

logger = Logger(child=True)

# How long a call may wait for a slot before it is handed back to the queue (the function
# waits, billed, so only briefly; the queue's Retry-After costs nothing).
MAX_WAIT_SECONDS = 5.0
LIMIT_MAX_AGE_SECONDS = 300.0
SLOT_TTL_SECONDS = 60


class DynamoCallBudget:
    def __init__(
        self,
        dynamo: Dynamo,
        table_name: str,
        *,
        max_wait_seconds: float = MAX_WAIT_SECONDS,
        wall_clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._dynamo = dynamo
        self._name = table_name
        self._max_wait = max_wait_seconds
        self._now = wall_clock
        self._sleep = sleep
        self._limits: dict[str, tuple[float, RateLimit]] = {}

    @property
    def _table(self) -> Any:
        return self._dynamo.table(self._name)

    def take(self, agreement: str) -> None:
        per_second = self._limit(agreement).calls_per_second()
        deadline = self._now() + self._max_wait
        while True:
            now = self._now()
            second = int(now)
            if self._took_slot(agreement, second, per_second):
                return
            wait = second + 1 - now
            if now + wait > deadline:
                raise RateLimitedError(
                    "e-conomic: the agreement's calls per second are spent for now",
                    retry_after_seconds=1.0,
                )
            self._sleep(wait)

    def learn(self, agreement: str, limit: RateLimit) -> None:
        kept = self._limits.get(agreement)
        if kept is not None and kept[1] == limit:
            return
        self._limits[agreement] = (self._now(), limit)
        try:
            with unavailable_as_transient("DynamoDB"):
                self._table.put_item(
                    Item={
                        "slot": f"{agreement}#limit",
                        "capacity": limit.capacity,
                        "per_seconds": Decimal(str(limit.per_seconds)),
                    }
                )
        except TransientError as error:
            # Learned after e-conomic answered: failing here would turn a done call into a
            # failed one. This container paces by the new limit anyway; others learn it from
            # their own next answer.
            logger.warning("call budget limit not stored", extra={"error": str(error)})

    def _limit(self, agreement: str) -> RateLimit:
        kept = self._limits.get(agreement)
        now = self._now()
        if kept is not None and now - kept[0] < LIMIT_MAX_AGE_SECONDS:
            return kept[1]
        with unavailable_as_transient("DynamoDB"):
            item = self._table.get_item(Key={"slot": f"{agreement}#limit"}).get("Item")
        limit = (
            RateLimit(capacity=int(item["capacity"]), per_seconds=float(item["per_seconds"]))
            if item
            else DEFAULT_LIMIT
        )
        self._limits[agreement] = (now, limit)
        return limit

    def _took_slot(self, agreement: str, second: int, per_second: int) -> bool:
        with unavailable_as_transient("DynamoDB"):
            try:
                self._table.update_item(
                    Key={"slot": f"{agreement}#{second}"},
                    UpdateExpression="ADD used :one SET expires_at = :expires",
                    ConditionExpression="attribute_not_exists(used) OR used < :limit",
                    ExpressionAttributeValues={
                        ":one": 1,
                        ":limit": per_second,
                        ":expires": second + SLOT_TTL_SECONDS,
                    },
                )
            except ClientError as error:
                if is_conditional_failure(error):
                    return False  # this second is full
                raise
        return True
