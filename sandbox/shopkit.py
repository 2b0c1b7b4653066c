"""Open a ready-to-run shop on a LocalEnvironment: Dandomain orders, the e-conomic products they
need, and the shop registered in autobook. Used by the demo, the tests and the benchmarks."""

import secrets
from dataclasses import dataclass, field

from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
    ShopMode,
    ShopSecrets,
)
from sandbox.dandomain import ShopData, demo_catalogue, demo_methods, seed_demo_orders
from sandbox.economic.state import Agreement
from sandbox.environment import LocalEnvironment

BOOKING_STATE = 3
CANCEL_STATES = frozenset({4, 5})
FEE_PRODUCT = "GEBYR"
SHIPPING_PRODUCT = "FRAGT"
EXTRA_PRODUCTS = {
    FEE_PRODUCT: ("Betalingsgebyr", 1),
    SHIPPING_PRODUCT: ("Fragt", 1),
    "RABAT": ("Rabat", 1),
    "GAVEKORT": ("Gavekort", 2),
    "AFRUNDING": ("Øreafrunding", 1),
}
# Mirrors the payment methods of the Dandomain sandbox: bank transfer and B2B invoice are
# invoiced with net 8 days (terms 1); everything paid at checkout is "Kreditkort" (terms 4).
_INVOICED_METHODS = {62: 1, 63: 1}


def economic_number(sku: str) -> str:
    """The operator's mapping for SKUs longer than e-conomic's 25 characters."""
    return sku if len(sku) <= 25 else sku.replace("-", "")[:25]


def shop_config(shop_id: str, base_url: str, skus: list[str], *, mode: ShopMode) -> ShopConfig:
    methods = demo_methods()
    return ShopConfig(
        shop_id=shop_id,
        name="Demo Webshop ApS",
        mode=mode,
        dandomain=DandomainSettings(base_url=base_url),
        booking_state_ids=frozenset({BOOKING_STATE}),
        cancel_state_ids=CANCEL_STATES,
        reference_prefix=f"{shop_id.upper()}-",
        economic=EconomicMapping(
            payment_methods={
                m.id: PaymentMapping(
                    name=m.name,
                    payment_terms_number=_INVOICED_METHODS.get(m.id, 4),
                    fee_product=FEE_PRODUCT,
                )
                for m in methods.payment
            },
            shipping_methods={
                m.id: ShippingMapping(name=m.name, product=SHIPPING_PRODUCT)
                for m in methods.shipping
            },
            product_overrides={sku: economic_number(sku) for sku in skus if len(sku) > 25},
            discount_product="RABAT",
            gift_card_product="GAVEKORT",
            rounding_product="AFRUNDING",
        ),
    )


@dataclass
class LocalShop:
    config: ShopConfig
    secrets: ShopSecrets = field(repr=False)
    dandomain: ShopData
    agreement: Agreement
    order_ids: list[int]

    @property
    def shop_id(self) -> str:
        return self.config.shop_id


def open_shop(
    env: LocalEnvironment,
    shop_id: str,
    *,
    orders: int = 36,
    mode: ShopMode = ShopMode.ACTIVE,
    webhook_secret: str | None = None,
    seed: int = 1,
) -> LocalShop:
    shop = seed_shop(
        env, shop_id, orders=orders, mode=mode, webhook_secret=webhook_secret, seed=seed
    )
    env.register_shop(shop.config, shop.secrets)
    return shop


def seed_shop(
    env: LocalEnvironment,
    shop_id: str,
    *,
    orders: int = 36,
    mode: ShopMode = ShopMode.ACTIVE,
    webhook_secret: str | None = None,
    seed: int = 1,
) -> LocalShop:
    """The shop's data in both sandboxes and its configuration, not yet registered in
    autobook (the operator does that, as with a real shop)."""
    api_key = secrets.token_hex(18)
    grant = secrets.token_hex(16)
    dandomain = env.dandomain_state.add_shop(api_key)
    order_ids = seed_demo_orders(dandomain, count=orders, seed=seed) if orders else []
    agreement = env.economic_state.add_agreement(grant)
    catalogue = demo_catalogue(dandomain)
    for product in catalogue:
        group = 1 if product.vat_pct != "0" else 2
        agreement.add_product(economic_number(product.sku), product.name, group=group)
    for number, (name, group) in EXTRA_PRODUCTS.items():
        agreement.add_product(number, name, group=group)
    config = shop_config(shop_id, env.dandomain.url, [p.sku for p in catalogue], mode=mode)
    shop_secrets = ShopSecrets(
        dandomain_api_key=api_key,
        economic_grant_token=grant,
        webhook_secret=webhook_secret or secrets.token_urlsafe(24),
    )
    return LocalShop(config, shop_secrets, dandomain, agreement, order_ids)
