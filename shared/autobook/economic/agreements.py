"""Each shop's e-conomic agreement as `Books`, with the tokens from Secrets Manager, its calls
paced by the agreement's shared call budget (economic/rate_limit.py)."""

import httpx

from autobook.economic.client import EconomicBooks
from autobook.economic.rate_limit import CallBudget, Headers, agreement_key, limit_from_headers
from autobook.economic.retry import RetryPolicy
from autobook.usecases.ports import Books, Secrets


class EconomicAgreements:
    def __init__(
        self,
        *,
        secrets: Secrets,
        http: httpx.Client,
        base_url: str,
        retry: RetryPolicy,
        budget: CallBudget | None = None,
    ) -> None:
        self._secrets = secrets
        self._http = http
        self._base_url = base_url
        self._retry = retry
        self._budget = budget

    def for_shop(self, shop_id: str) -> Books:
        grant_token = self._secrets.shop(shop_id).economic_grant_token
        budget, agreement = self._budget, agreement_key(grant_token)

        def learn(headers: Headers) -> None:
            limit = limit_from_headers(headers)
            if budget is not None and limit is not None:
                budget.learn(agreement, limit)

        return EconomicBooks(
            base_url=self._base_url,
            app_secret_token=self._secrets.economic_app_token(),
            grant_token=grant_token,
            http=self._http,
            retry=self._retry,
            before_call=(lambda: budget.take(agreement)) if budget is not None else None,
            observe=learn,
        )
