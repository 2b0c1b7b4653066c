"""A Webshop shop's configuration for unit tests (the demo shop's mapping, no services)."""

from typing import Any

from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    PaymentMapping,
    Platform,
    ShippingMapping,
    ShopConfig,
    WebshopSettings,
)
from sandbox.webshop import catalog


def webshop_shop(settings: WebshopSettings | None = None, **economic: Any) -> ShopConfig:
    mapping: dict[str, Any] = {
        "payment_methods": {
            m.id: PaymentMapping(name=m.title, payment_terms_number=4, fee_product="GEBYR")
            for m in catalog.PAYMENT_METHODS
        },
        "shipping_methods": {
            m.id: ShippingMapping(name=m.title, product="FRAGT") for m in catalog.DELIVERY_METHODS
        },
        "discount_product": "RABAT",
        "gift_card_product": "GAVEKORT",
        "rounding_product": "AFRUNDING",
    }
    mapping.update(economic)
    return ShopConfig(
        shop_id="webshop-unit",
        name="Webshop ApS",
        dandomain=DandomainSettings(
            base_url="https://api.hostedshop.io/service.php",
            platform=Platform.WEBSHOP,
            webshop=settings,
        ),
        booking_state_ids=frozenset({catalog.STATUS_SENT}),
        economic=EconomicMapping(**mapping),
    )
