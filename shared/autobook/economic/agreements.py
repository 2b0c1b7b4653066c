"""Each shop's e-conomic agreement as `Books`, with the tokens from Secrets Manager."""

import httpx

from autobook.economic.client import EconomicBooks
from autobook.economic.retry import RetryPolicy
from autobook.usecases.ports import Books, Secrets


class EconomicAgreements:
    def __init__(
        self, *, secrets: Secrets, http: httpx.Client, base_url: str, retry: RetryPolicy
    ) -> None:
        self._secrets = secrets
        self._http = http
        self._base_url = base_url
        self._retry = retry

    def for_shop(self, shop_id: str) -> Books:
        return EconomicBooks(
            base_url=self._base_url,
            app_secret_token=self._secrets.economic_app_token(),
            grant_token=self._secrets.shop(shop_id).economic_grant_token,
            http=self._http,
            retry=self._retry,
        )
