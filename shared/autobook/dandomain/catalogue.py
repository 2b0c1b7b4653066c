"""A shop's reference lists as the operator's `mappings sync` needs them, whatever the platform:
the ids to map and the names that go with them (names are kept to detect changed ids)."""

from pydantic import BaseModel, ConfigDict


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str


class PaymentMethodInfo(_Entry):
    """A payment method of a site (Classic ids are per site; Webshop ids are shop-wide)."""

    site_id: int | None = None


class ShippingMethodInfo(_Entry):
    """A shipping (delivery) method of a site (per site on Classic, shop-wide on Webshop)."""

    site_id: int | None = None


class OrderStateInfo(_Entry):
    """An order state (Classic) or status code (Webshop): the booking and cancel triggers."""

    is_default: bool = False
    # Classic `exclStatistics`: states kept out of the statistics, usually cancellations.
    excluded_from_statistics: bool = False


class SiteInfo(_Entry):
    """A Dandomain site: a language and currency front of the shop."""

    currency: str = ""  # Classic only; a Webshop site has no currency of its own
    language: str = ""  # Webshop LanguageISO
