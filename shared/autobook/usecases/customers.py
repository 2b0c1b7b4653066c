"""Which e-conomic debtor an order is invoiced to: remembered per buyer, so a returning buyer
costs no e-conomic call; otherwise looked up by CVR/EAN/e-mail, and created when new.

The remembered key is a hash of the buyer's identifier: no e-mail address or CVR number is
ever stored in the shops table."""

import hashlib

from autobook.domain import customers as customer_rules
from autobook.domain.books import Rejection
from autobook.domain.idempotency import idempotency_key
from autobook.domain.order import Order
from autobook.domain.rejections import translate
from autobook.domain.shop import ShopConfig
from autobook.usecases.ports import Books, ShopDirectory


def buyer_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}\x1f{value.strip().lower()}".encode()).hexdigest()
    return f"{kind}:{digest[:32]}"


def resolve_customer_number(
    order: Order, shop: ShopConfig, zone: int, *, shops: ShopDirectory, books: Books
) -> int:
    lookup = customer_rules.customer_lookup(order, shop, zone)
    if lookup.customer_number is not None:
        return lookup.customer_number
    key = buyer_key(lookup.kind, lookup.value)
    cached = shops.customer_number(shop.shop_id, key)
    if cached is not None:
        return cached
    field = lookup.economic_field
    number = books.find_customer(field, lookup.value) if field else None
    if number is None:
        body = customer_rules.new_customer(order, shop, zone)
        try:
            number = books.create_customer(
                body, idempotency_key=idempotency_key(shop.shop_id, key, "customer")
            )
        except Rejection as rejection:  # e-conomic refused the debtor: the owner's to fix
            raise translate(
                rejection, order_id=order.order_id, product_numbers=[], invoice_date=""
            ) from rejection
    shops.remember_customer(shop.shop_id, key, number)
    return number
