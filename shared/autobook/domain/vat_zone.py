"""Which e-conomic VAT zone an order belongs to, and whether e-conomic will add VAT in it."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.countries import EU_COUNTRIES, has_country, resolve_country
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.order import Order
from autobook.domain.shop import ShopConfig


class ZoneKind(StrEnum):
    DOMESTIC = "domestic"  # Danish buyer: Danish VAT
    EU = "eu"  # EU business with a VAT number: reverse charge, no VAT on the invoice
    EU_PRIVATE = "eu_private"  # EU buyer without a VAT number: Danish VAT or an OSS zone
    ABROAD = "abroad"  # outside the EU (incl. Greenland, the Faroe Islands): no VAT


class ZoneDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ZoneKind
    number: int
    country: str  # ISO-2 of the country that decided it

    @property
    def charges_vat(self) -> bool:
        """Whether e-conomic adds VAT to lines in this zone (reverse charge and export: no)."""
        return self.kind in (ZoneKind.DOMESTIC, ZoneKind.EU_PRIVATE)


def decide_vat_zone(order: Order, shop: ShopConfig, country_codes: dict[int, str]) -> ZoneDecision:
    """Delivery country where there is one (place of supply), else the buyer's country."""
    party = order.delivery if has_country(order.delivery) and order.delivery else order.customer
    iso = resolve_country(party, country_codes)
    if iso is None:
        raise KnownError(
            ErrorCode.VAT_ZONE_UNKNOWN,
            order_id=order.order_id,
            country=party.country or f"id {party.country_id}",
        )
    zones = shop.economic.vat_zones
    if iso == "DK":
        return ZoneDecision(kind=ZoneKind.DOMESTIC, number=zones.domestic, country=iso)
    if iso in EU_COUNTRIES:
        if order.vat_reg_number.strip():
            return ZoneDecision(kind=ZoneKind.EU, number=zones.eu, country=iso)
        number = zones.domestic if zones.eu_private == "domestic" else zones.eu_private
        return ZoneDecision(kind=ZoneKind.EU_PRIVATE, number=number, country=iso)
    return ZoneDecision(kind=ZoneKind.ABROAD, number=zones.abroad, country=iso)
