"""Open a ready-to-run shop on a LocalEnvironment: Dandomain orders (Classic or Webshop), the
e-conomic products they need, and the shop registered in autobook. Used by the demo, the tests
and the benchmarks."""

import secrets
from dataclasses import dataclass, field

from autobook.dandomain.webshop_adapter import clean
from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    OwnerContact,
    PaymentMapping,
    Platform,
    ShippingMapping,
    ShopConfig,
    ShopMode,
    ShopSecrets,
    WebshopSettings,
)
from sandbox import webshop
from sandbox.dandomain import ShopData, demo_catalogue, demo_methods, seed_demo_orders
from sandbox.dandomain.seed import ProductSpec
from sandbox.economic.state import Agreement
from sandbox.environment import LocalEnvironment
from sandbox.webshop import WebshopShop

BOOKING_STATE = 3
OWNER_ADDRESS = "ejer@demo-webshop.dk"
CANCEL_STATES = frozenset({4, 5})
WEBSHOP_BOOKING_STATUS = webshop.BOOKING_STATUS
WEBSHOP_CANCEL_STATUSES = frozenset({webshop.CANCEL_STATUS})
FEE_PRODUCT = "GEBYR"
SHIPPING_PRODUCT = "FRAGT"
EXTRA_PRODUCTS = {
    FEE_PRODUCT: ("Betalingsgebyr", 1),
    SHIPPING_PRODUCT: ("Fragt", 1),
    "RABAT": ("Rabat", 1),
    "GAVEKORT": ("Gavekort", 2),
    "AFRUNDING": ("Øreafrunding", 1),
}
# Mirrors the payment methods of the Dandomain sandboxes: bank transfer and B2B invoice are
# invoiced with net 8 days (terms 1); everything paid at checkout is "Kreditkort" (terms 4).
_INVOICED_METHODS = {62: 1, 63: 1}
_WEBSHOP_INVOICED_METHODS = {webshop.catalog.PAY_BANK.id: 1, webshop.catalog.PAY_INVOICE_B2B.id: 1}


def economic_number(sku: str) -> str:
    """The operator's mapping for SKUs longer than e-conomic's 25 characters."""
    return sku if len(sku) <= 25 else sku.replace("-", "")[:25]


def _mapping(
    payment: dict[int, str], shipping: dict[int, str], invoiced: dict[int, int], skus: list[str]
) -> EconomicMapping:
    return EconomicMapping(
        payment_methods={
            method_id: PaymentMapping(
                name=name,
                payment_terms_number=invoiced.get(method_id, 4),
                fee_product=FEE_PRODUCT,
            )
            for method_id, name in payment.items()
        },
        shipping_methods={
            method_id: ShippingMapping(name=name, product=SHIPPING_PRODUCT)
            for method_id, name in shipping.items()
        },
        product_overrides={sku: economic_number(sku) for sku in skus if len(sku) > 25},
        discount_product="RABAT",
        gift_card_product="GAVEKORT",
        rounding_product="AFRUNDING",
    )


def shop_config(shop_id: str, base_url: str, skus: list[str], *, mode: ShopMode) -> ShopConfig:
    """A Classic shop on the Dandomain Classic sandbox."""
    methods = demo_methods()
    return ShopConfig(
        shop_id=shop_id,
        name="Demo Webshop ApS",
        mode=mode,
        dandomain=DandomainSettings(base_url=base_url),
        booking_state_ids=frozenset({BOOKING_STATE}),
        cancel_state_ids=CANCEL_STATES,
        reference_prefix=f"{shop_id.upper()}-",
        owner=OwnerContact(addresses=(OWNER_ADDRESS,)),
        economic=_mapping(
            {m.id: m.name for m in methods.payment},
            {m.id: m.name for m in methods.shipping},
            _INVOICED_METHODS,
            skus,
        ),
    )


def webshop_config(
    shop_id: str,
    endpoint: str,
    skus: list[str],
    *,
    mode: ShopMode,
    settings: WebshopSettings,
) -> ShopConfig:
    """A Webshop (HostedShop) shop on the Webshop SOAP sandbox."""
    methods = webshop.demo_methods()
    return ShopConfig(
        shop_id=shop_id,
        name="Demo Webshop ApS",
        mode=mode,
        dandomain=DandomainSettings(base_url=endpoint, platform=Platform.WEBSHOP, webshop=settings),
        booking_state_ids=frozenset({WEBSHOP_BOOKING_STATUS}),
        cancel_state_ids=WEBSHOP_CANCEL_STATUSES,
        reference_prefix=f"{shop_id.upper()}-",
        owner=OwnerContact(addresses=(OWNER_ADDRESS,)),
        economic=_mapping(
            {m.id: clean(m.title) for m in methods.payment},  # as the source reads them
            {m.id: clean(m.title) for m in methods.delivery},
            _WEBSHOP_INVOICED_METHODS,
            skus,
        ),
    )


@dataclass
class LocalShop:
    config: ShopConfig
    secrets: ShopSecrets = field(repr=False)
    dandomain: ShopData | None  # the Classic sandbox shop (None for a Webshop shop)
    agreement: Agreement
    order_ids: list[int]
    webshop: WebshopShop | None = None  # the Webshop sandbox shop (None for a Classic shop)

    @property
    def shop_id(self) -> str:
        return self.config.shop_id

    @property
    def platform(self) -> Platform:
        return self.config.dandomain.platform


def _add_products(agreement: Agreement, catalogue: list[ProductSpec]) -> None:
    for product in catalogue:
        group = 1 if product.vat_pct != "0" else 2
        agreement.add_product(economic_number(product.sku), product.name, group=group)
    for number, (name, group) in EXTRA_PRODUCTS.items():
        agreement.add_product(number, name, group=group)


def open_shop(
    env: LocalEnvironment,
    shop_id: str,
    *,
    orders: int = 36,
    mode: ShopMode = ShopMode.ACTIVE,
    webhook_secret: str | None = None,
    seed: int = 1,
    platform: Platform = Platform.CLASSIC,
    webshop_settings: WebshopSettings | None = None,
) -> LocalShop:
    """A seeded shop on the platform's sandbox, its e-conomic agreement, registered."""
    shop = seed_shop(
        env,
        shop_id,
        orders=orders,
        mode=mode,
        webhook_secret=webhook_secret,
        seed=seed,
        platform=platform,
        webshop_settings=webshop_settings,
    )
    shop.config = env.register_shop(shop.config, shop.secrets)
    return shop


def seed_shop(
    env: LocalEnvironment,
    shop_id: str,
    *,
    orders: int = 36,
    mode: ShopMode = ShopMode.ACTIVE,
    webhook_secret: str | None = None,
    seed: int = 1,
    platform: Platform = Platform.CLASSIC,
    webshop_settings: WebshopSettings | None = None,
) -> LocalShop:
    """The shop's data in the sandboxes and its configuration, not yet registered in autobook
    (the operator does that, as with a real shop).

    A Webshop shop gets a SOAP API user on the Webshop sandbox and, unless told otherwise,
    the settings of an onboarded shop whose price basis is known (the sandbox's, net)."""
    grant = secrets.token_hex(16)
    agreement = env.economic_state.add_agreement(grant)
    hook_secret = webhook_secret or secrets.token_urlsafe(24)
    if platform == Platform.WEBSHOP:
        username, password = f"api-{shop_id}", secrets.token_urlsafe(18)
        store = env.webshop_state.add_shop(username, password)
        ids = webshop.seed_demo_orders(store, count=orders, seed=seed) if orders else []
        catalogue = webshop.demo_catalogue(store)
        _add_products(agreement, catalogue)
        settings = webshop_settings or WebshopSettings(price_basis=store.basis)
        config = webshop_config(
            shop_id,
            env.webshop.endpoint,
            [p.sku for p in catalogue],
            mode=mode,
            settings=settings,
        )
        shop_secrets = ShopSecrets(
            webshop_username=username,
            webshop_password=password,
            economic_grant_token=grant,
            webhook_secret=hook_secret,
        )
        return LocalShop(config, shop_secrets, None, agreement, ids, webshop=store)
    api_key = secrets.token_hex(18)
    dandomain = env.dandomain_state.add_shop(api_key)
    order_ids = seed_demo_orders(dandomain, count=orders, seed=seed) if orders else []
    catalogue = demo_catalogue(dandomain)
    _add_products(agreement, catalogue)
    config = shop_config(shop_id, env.dandomain.url, [p.sku for p in catalogue], mode=mode)
    shop_secrets = ShopSecrets(
        dandomain_api_key=api_key,
        economic_grant_token=grant,
        webhook_secret=hook_secret,
    )
    return LocalShop(config, shop_secrets, dandomain, agreement, order_ids)
