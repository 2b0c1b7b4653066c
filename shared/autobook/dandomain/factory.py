"""The shop's order source, chosen by its platform, with its credentials from Secrets Manager."""

import httpx

from autobook.dandomain.classic_client import ClassicClient
from autobook.dandomain.classic_source import ClassicOrderSource
from autobook.domain.shop import Platform, ShopConfig
from autobook.usecases.ports import OrderSource, Secrets


class DandomainSources:
    def __init__(self, secrets: Secrets, http: httpx.Client) -> None:
        self._secrets = secrets
        self._http = http

    def for_shop(self, shop: ShopConfig) -> OrderSource:
        secrets = self._secrets.shop(shop.shop_id)
        if shop.dandomain.platform == Platform.CLASSIC:
            client = ClassicClient(
                base_url=shop.dandomain.base_url, api_key=secrets.dandomain_api_key, http=self._http
            )
            return ClassicOrderSource(client)
        raise NotImplementedError(f"no order source for platform {shop.dandomain.platform}")
