"""The shop's order source, chosen by its platform, with its credentials from Secrets Manager.

One source per shop and credentials per container: a Webshop source holds a SOAP session
(login, language, projection cost four calls), which later orders of the shop reuse."""

import hashlib

import httpx

from autobook.dandomain.sources import build_order_source
from autobook.domain.shop import ShopConfig
from autobook.usecases.ports import OrderSource, Secrets


class DandomainSources:
    def __init__(self, secrets: Secrets, http: httpx.Client) -> None:
        self._secrets = secrets
        self._http = http
        self._sources: dict[tuple[str, str], OrderSource] = {}

    def for_shop(self, shop: ShopConfig) -> OrderSource:
        secrets = self._secrets.shop(shop.shop_id)
        credentials = "\x1f".join(
            (
                shop.dandomain.model_dump_json(),
                secrets.dandomain_api_key,
                secrets.webshop_username,
                secrets.webshop_password,
            )
        )
        key = (shop.shop_id, hashlib.sha256(credentials.encode()).hexdigest())
        source = self._sources.get(key)
        if source is None:
            source = build_order_source(shop, secrets, self._http)
            self._sources = {k: v for k, v in self._sources.items() if k[0] != shop.shop_id}
            self._sources[key] = source
        return source
