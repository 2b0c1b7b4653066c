"""Operator use case: register (or update) a shop — its config in the shops table, its
secrets in Secrets Manager."""

from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.store.secrets import SecretWriter
from autobook.store.shops import ShopRepository


def register_shop(
    config: ShopConfig, secrets: ShopSecrets, *, shops: ShopRepository, writer: SecretWriter
) -> None:
    writer.put_shop(config.shop_id, secrets)
    shops.put_config(config)
