"""Storing a learned limit is best effort: the e-conomic call it came with is done either way,
and the container paces by the limit it learned."""

from collections import Counter
from typing import Any

from botocore.exceptions import ClientError

from autobook.economic.rate_limit import RateLimit
from autobook.store.call_budget import DynamoCallBudget


class _TableThatCannotStoreLimits:
    def __init__(self) -> None:
        self.used: Counter[str] = Counter()

    def put_item(self, **_: Any) -> None:
        raise ClientError({"Error": {"Code": "InternalServerError"}}, "PutItem")

    def get_item(self, **_: Any) -> dict[str, Any]:
        raise AssertionError("the learned limit is kept in the container: no read")

    def update_item(self, *, Key: dict[str, str], ExpressionAttributeValues: Any, **_: Any) -> None:
        slot = Key["slot"]
        if self.used[slot] >= ExpressionAttributeValues[":limit"]:
            raise ClientError({"Error": {"Code": "ConditionalCheckFailedException"}}, "UpdateItem")
        self.used[slot] += 1


class _Dynamo:
    def __init__(self) -> None:
        self.budget_table = _TableThatCannotStoreLimits()

    def table(self, name: str) -> _TableThatCannotStoreLimits:
        return self.budget_table


def test_given_the_limit_cannot_be_stored_when_learned_then_no_error_and_calls_are_paced_by_it() -> (
    None
):
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    budget = DynamoCallBudget(_Dynamo(), "budget", wall_clock=lambda: now[0], sleep=sleep)  # type: ignore[arg-type]

    budget.learn("agr", RateLimit(capacity=50, per_seconds=5))  # 10 calls per second
    for _ in range(11):
        budget.take("agr")

    assert slept == [1.0]  # the eleventh call waited for the next second
