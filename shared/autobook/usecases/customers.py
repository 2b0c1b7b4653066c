"""Which e-conomic debtor an order is invoiced to: remembered per buyer, so a returning buyer
costs no e-conomic call; otherwise looked up by CVR/EAN/e-mail, and created when new."""

from autobook.domain import customers as customer_rules
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig
from autobook.economic.client import EconomicClient
from autobook.economic.idempotency import idempotency_key
from autobook.store.shops import ShopRepository


def resolve_customer_number(
    order: Order,
    shop: ShopConfig,
    zone: int,
    *,
    shops: ShopRepository,
    economic: EconomicClient,
) -> int:
    lookup = customer_rules.customer_lookup(order, shop, zone)
    if lookup.customer_number is not None:
        return lookup.customer_number
    cache_key = f"{lookup.kind}:{lookup.value.lower()}"
    cached = shops.get_customer_number(shop.shop_id, cache_key)
    if cached is not None:
        return cached
    field = lookup.economic_field
    found = economic.find_customer(field, lookup.value) if field else None
    if found is None:
        body = customer_rules.new_customer(order, shop, zone)
        key = idempotency_key(shop.shop_id, cache_key, "customer")
        found = economic.create_customer(body, idempotency_key=key)
    shops.put_customer_number(shop.shop_id, cache_key, found.customer_number)
    return found.customer_number
