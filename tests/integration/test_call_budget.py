"""The e-conomic call budget against DynamoDB Local: containers share an agreement's calls per
second, a full second waits for the next, a long wait hands the call back as not done."""

from typing import Any
from uuid import uuid4

import pytest

from autobook.domain.errors import RateLimitedError
from autobook.economic.rate_limit import RateLimit
from autobook.store.call_budget import DynamoCallBudget

pytestmark = pytest.mark.integration


class _Time:
    """A wall clock the sleeps advance: waiting is observable, never slept."""

    def __init__(self, start: float = 1_800_000_000.25) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _budget(env: Any, root: Any, time: _Time, **kwargs: Any) -> DynamoCallBudget:
    table = env.aws.stack.tables["CallBudgetTable"]
    return DynamoCallBudget(root.dynamo, table, wall_clock=time, sleep=time.sleep, **kwargs)


def _agreement() -> str:
    return f"agr-{uuid4().hex[:8]}"


def test_given_a_limit_when_more_calls_than_a_second_allows_then_the_rest_wait_for_the_next(
    fresh_env: Any,
) -> None:
    time, agreement = _Time(), _agreement()
    with fresh_env.operator() as root:
        budget = _budget(fresh_env, root, time)
        budget.learn(agreement, RateLimit(capacity=15, per_seconds=5))  # 3 per second
        seconds = []
        for _ in range(7):
            budget.take(agreement)
            seconds.append(int(time.now))
    start = int(1_800_000_000.25)
    assert seconds == [start] * 3 + [start + 1] * 3 + [start + 2]
    assert time.slept == pytest.approx([0.75, 1.0])


def test_given_two_containers_when_they_call_for_one_agreement_then_they_share_its_second(
    fresh_env: Any,
) -> None:
    time, agreement = _Time(), _agreement()
    with fresh_env.operator() as root:
        first = _budget(fresh_env, root, time)
        first.learn(agreement, RateLimit(capacity=2, per_seconds=1))
        second = _budget(fresh_env, root, time)  # a new container reads the learned limit
        first.take(agreement)
        second.take(agreement)
        assert time.slept == []
        second.take(agreement)
    assert time.slept == pytest.approx([0.75])


def test_given_two_agreements_when_one_is_busy_then_the_other_is_not_held_back(
    fresh_env: Any,
) -> None:
    time, busy, quiet = _Time(), _agreement(), _agreement()
    with fresh_env.operator() as root:
        budget = _budget(fresh_env, root, time)
        budget.learn(busy, RateLimit(capacity=1, per_seconds=1))
        budget.learn(quiet, RateLimit(capacity=1, per_seconds=1))
        budget.take(busy)
        budget.take(quiet)
    assert time.slept == []


def test_given_a_spent_budget_when_waiting_would_take_too_long_then_not_done_with_retry_after(
    fresh_env: Any,
) -> None:
    time, agreement = _Time(), _agreement()
    with fresh_env.operator() as root:
        budget = _budget(fresh_env, root, time, max_wait_seconds=0.5)
        budget.learn(agreement, RateLimit(capacity=1, per_seconds=1))
        budget.take(agreement)
        with pytest.raises(RateLimitedError) as caught:
            budget.take(agreement)
    assert caught.value.retry_after_seconds == 1.0
    assert time.slept == []


def test_given_an_agreement_never_heard_of_when_called_then_the_documented_default_applies(
    fresh_env: Any,
) -> None:
    time, agreement = _Time(), _agreement()
    with fresh_env.operator() as root:
        budget = _budget(fresh_env, root, time)
        for _ in range(166):  # 10,000 per 60 s
            budget.take(agreement)
        assert time.slept == []
        budget.take(agreement)
    assert len(time.slept) == 1
