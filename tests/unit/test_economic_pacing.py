"""Every e-conomic call of a shop spends its agreement's budget first, retries included, and
every answer's announced limit reaches the budget. No socket: httpx.MockTransport."""

import httpx
import pytest

from autobook.domain.errors import RateLimitedError
from autobook.domain.shop import ShopSecrets
from autobook.economic.agreements import EconomicAgreements
from autobook.economic.rate_limit import RateLimit, agreement_key
from autobook.economic.retry import RetryPolicy
from tests.fakes import FakeSecrets

pytestmark = pytest.mark.disable_socket

GRANT = "grant-token-of-shop-a"
LIMIT_HEADER = {"X-RateLimiting": "token-limit-50-per-5-seconds: 7/50"}


class _Budget:
    def __init__(self, *, spent_after: int | None = None) -> None:
        self.taken: list[str] = []
        self.learned: list[tuple[str, RateLimit]] = []
        self._spent_after = spent_after

    def take(self, agreement: str) -> None:
        if self._spent_after is not None and len(self.taken) >= self._spent_after:
            raise RateLimitedError("spent", retry_after_seconds=1.0)
        self.taken.append(agreement)

    def learn(self, agreement: str, limit: RateLimit) -> None:
        self.learned.append((agreement, limit))


def _agreements(handler: object, budget: _Budget, attempts: int = 1) -> EconomicAgreements:
    secrets = FakeSecrets()
    secrets.put_shop(
        "shop-a",
        ShopSecrets(dandomain_api_key="k", economic_grant_token=GRANT, webhook_secret="w"),
    )
    return EconomicAgreements(
        secrets=secrets,
        http=httpx.Client(transport=httpx.MockTransport(handler)),  # type: ignore[arg-type]
        base_url="https://restapi.e-conomic.test",
        retry=RetryPolicy(max_attempts=attempts, sleep=lambda _: None),
        budget=budget,
    )


def test_given_a_paced_agreement_when_calls_are_made_then_each_spends_the_budget_and_teaches_it() -> (
    None
):
    budget = _Budget()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"settings": {"baseCurrency": "DKK"}}, headers=LIMIT_HEADER)

    books = _agreements(answer, budget).for_shop("shop-a")
    books.base_currency()
    books.base_currency()

    assert budget.taken == [agreement_key(GRANT)] * 2
    assert budget.learned == [(agreement_key(GRANT), RateLimit(50, 5.0))] * 2


def test_given_a_passing_failure_when_retried_in_process_then_the_retry_spends_the_budget_too() -> (
    None
):
    budget, seen = _Budget(), []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = 503 if len(seen) == 1 else 200
        return httpx.Response(status, json={"settings": {}}, headers=LIMIT_HEADER)

    _agreements(answer, budget, attempts=3).for_shop("shop-a").base_currency()

    assert len(seen) == 2
    assert len(budget.taken) == 2


def test_given_a_spent_budget_when_a_call_is_due_then_nothing_is_sent_and_it_is_not_done() -> None:
    budget, seen = _Budget(spent_after=0), []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    with pytest.raises(RateLimitedError):
        _agreements(answer, budget, attempts=3).for_shop("shop-a").base_currency()
    assert seen == []
