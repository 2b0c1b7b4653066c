"""A shop's configuration: how its orders trigger, map and mail. Stored in the shops table."""

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autobook.domain.templates import INVOICE_PLACEHOLDERS, MAIL_PLACEHOLDERS, check


class ShopMode(StrEnum):
    TRIAL = "trial"  # drafts only; the owner books by hand and checks
    ACTIVE = "active"  # drafts are booked automatically


class InvoiceSource(StrEnum):
    ECONOMIC = "economic"  # autobook mails e-conomic's PDF to the buyer
    SHOP = "shop"  # the shop sends its own invoices; autobook only books


class ChangePolicy(StrEnum):
    """What autobook does when a booked order changes in Dandomain (lines, amounts)."""

    ASK = "ask"  # tell the owner, who chooses: credit and rebook, or keep the invoice
    CREDIT_AND_REBOOK = "credit_and_rebook"  # credit the invoice and invoice the new version


class Platform(StrEnum):
    """Which Dandomain product the shop runs (dandomain.md §0): they share nothing on the wire."""

    CLASSIC = "classic"  # Dandomain Classic: WEBAPI v1, change-feed webhooks, API key in the URL
    WEBSHOP = "webshop"  # Dandomain Webshop (HostedShop/SmartWeb): SOAP API user, {"id"} webhooks


class Language(StrEnum):
    DA = "da"
    EN = "en"


class NoticePreference(StrEnum):
    IMMEDIATE = "immediate"  # a mail when something needs the owner (grouped), plus the digest
    DIGEST = "digest"  # only the daily digest of what is still open


def _checked(text: str, allowed: frozenset[str]) -> str:
    problem = check(text, allowed)
    if problem is not None:
        raise ValueError(str(problem))
    return text


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaymentMapping(_Config):
    """A Dandomain payment method (by id, with its name kept to detect changed ids)."""

    name: str
    payment_terms_number: int
    layout_number: int | None = None
    fee_product: str | None = None
    # Card fee (surcharge for the card type); falls back to `fee_product` when not set.
    card_fee_product: str | None = None


class ShippingMapping(_Config):
    name: str
    product: str


class SiteMapping(_Config):
    """What differs on one Dandomain site (payment and shipping method ids are per site).

    A field left out falls back to the shop-wide value; a dict that is given replaces the
    shop-wide one for that site (an id means another method on another site)."""

    payment_methods: dict[int, PaymentMapping] | None = None
    shipping_methods: dict[int, ShippingMapping] | None = None
    layout_number: int | None = None


class VatZones(_Config):
    domestic: int = 1
    eu: int = 2
    abroad: int = 3
    # EU buyer without a VAT number: "domestic" (Danish VAT) or the number of an OSS zone.
    eu_private: Literal["domestic"] | int = "domestic"


class EconomicMapping(_Config):
    layout_number: int = 19
    customer_mode: Literal["per_buyer", "collective"] = "per_buyer"
    # vat zone number -> customer group (per_buyer) / collective debtor number (collective)
    customer_groups: dict[int, int] = Field(default_factory=lambda: {1: 1, 2: 2, 3: 3})
    collective_customers: dict[int, int] = Field(default_factory=dict)
    vat_zones: VatZones = Field(default_factory=VatZones)
    payment_methods: dict[int, PaymentMapping] = Field(default_factory=dict)
    default_payment_terms_number: int | None = None
    shipping_methods: dict[int, ShippingMapping] = Field(default_factory=dict)
    # Dandomain site id -> what differs on that site; orders of other sites use the above.
    sites: dict[int, SiteMapping] = Field(default_factory=dict)
    discount_product: str | None = None
    gift_card_product: str | None = None
    rounding_product: str | None = None
    rounding_tolerance: Decimal = Decimal("0.10")
    product_overrides: dict[str, str] = Field(default_factory=dict)
    # Force one reading of the ambiguous fee VAT flags; None = pick the one that reconciles.
    # gross: fees include VAT whatever the flag says; net: fees exclude VAT whatever the flag;
    # flag: feeInclVat true = incl. VAT, false = excl.; inverted: the flag means "add VAT".
    fee_semantics: Literal["gross", "flag", "net", "inverted"] | None = None
    # How `salesDiscount` is meant; None = pick the one that reconciles.
    # gross: incl. VAT at the order rate; net: excl. VAT; in_lines: already a negative order line.
    discount_semantics: Literal["gross", "net", "in_lines"] | None = None
    # economic: omit exchangeRate (e-conomic's daily rate); shop_factor: Dandomain's factor.
    exchange_rate_rule: Literal["economic", "shop_factor"] = "economic"
    # vat zone number -> payment terms number for new debtors (else default / the order's terms)
    customer_payment_terms: dict[int, int] = Field(default_factory=dict)
    # Invoice texts; placeholders: {order_id} {reference} {customer_comment} {reference_number}
    # {shop_name} {customer_name} {order_date} {transaction_number} {payment_method}
    # {shipping_method} (checked when the shop is saved; see domain/templates.py).
    heading_template: str = "Ordre {order_id}"
    text_line1_template: str = "{customer_comment}"
    text_line2_template: str = ""

    def payment_methods_for(self, site_id: int | None) -> dict[int, PaymentMapping]:
        site = self.sites.get(site_id) if site_id is not None else None
        if site is not None and site.payment_methods is not None:
            return site.payment_methods
        return self.payment_methods

    def shipping_methods_for(self, site_id: int | None) -> dict[int, ShippingMapping]:
        site = self.sites.get(site_id) if site_id is not None else None
        if site is not None and site.shipping_methods is not None:
            return site.shipping_methods
        return self.shipping_methods

    def layout_number_for(self, site_id: int | None) -> int:
        site = self.sites.get(site_id) if site_id is not None else None
        if site is not None and site.layout_number is not None:
            return site.layout_number
        return self.layout_number

    @field_validator("heading_template", "text_line1_template", "text_line2_template")
    @classmethod
    def _invoice_text(cls, value: str) -> str:
        return _checked(value, INVOICE_PLACEHOLDERS)


class MailSettings(_Config):
    subject: str = "Faktura {invoice_number} fra {shop_name}"
    body: str = (
        "Tak for din ordre {order_id}. Fakturaen er vedhæftet.\n\nVenlig hilsen\n{shop_name}"
    )
    credit_subject: str = "Kreditnota {invoice_number} fra {shop_name}"
    credit_body: str = (
        "Din ordre {order_id} er annulleret. Kreditnotaen er vedhæftet.\n\n"
        "Venlig hilsen\n{shop_name}"
    )
    reply_to: str | None = None
    # The display name on buyer mails (the address is always the deployment's verified sender).
    sender_name: str | None = None

    @field_validator("subject", "body", "credit_subject", "credit_body")
    @classmethod
    def _mail_text(cls, value: str) -> str:
        return _checked(value, MAIL_PLACEHOLDERS)

    @field_validator("reply_to")
    @classmethod
    def _valid_reply_to(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else _address(value)


class WebshopSettings(_Config):
    """How autobook reads the Dandomain Webshop (HostedShop) facts the reference could not
    confirm (docs/webshop.md). The defaults are the safe readings: they check the order
    against what the buyer paid and refuse rather than guess."""

    # Solution_SetLanguage: the language of method and status titles.
    language: str = Field(default="DK", pattern=r"^[A-Z]{2}$")
    # OrderLine.Price, line Discount, fee prices, discount codes and Order.Total.
    # auto: per order, the basis that adds up to the captured payments; without a capture
    # nothing can tell, so the order is read net and is only booked when it is VAT-free.
    # net / gross: the shop's prices are known to exclude / include VAT.
    price_basis: Literal["auto", "net", "gross"] = "auto"
    # The VAT rate of a line whose VatRate reads 0 (observed on API-made orders). None: 0 is
    # taken as 0 % and e-conomic's product groups decide whether that holds.
    zero_vat_rate: Decimal | None = None
    # OrderLine.Discount: per_unit (Price - Discount per piece), per_line (off the line
    # total) or included (Price is already after it).
    line_discount: Literal["per_unit", "per_line", "included"] = "per_unit"
    # The order date: DateDelivered held the creation time on the probed shop.
    created_at_field: Literal["DateDelivered", "DateSent", "DateUpdated"] = "DateDelivered"
    # Transactions whose Cardtype is one of these are gift-card redemptions, not payments.
    gift_card_types: frozenset[str] = frozenset({"giftcard", "gift card", "gavekort"})
    # Status ids of orders never completed ("0 Ikke modtaget"): never booked.
    incomplete_status_ids: frozenset[int] = frozenset({0})
    # Status ids of a credit note still being written ("99 Kladde"): it waits for its final
    # version (observed: a new credit note sits in 99 until it is booked in the admin).
    credit_note_draft_status_ids: frozenset[int] = frozenset({99})
    # Currency_GetAll `Currency` (the rate): per_unit (base per 1 unit, EUR 7.46),
    # per_hundred (746.1) or inverse (units per 1 base, 0.134). None: no shop rates are
    # offered, and exchange_rate_rule "shop_factor" refuses (CURRENCY_UNKNOWN).
    currency_rate: Literal["per_unit", "per_hundred", "inverse"] | None = None

    @field_validator("gift_card_types")
    @classmethod
    def _folded(cls, value: frozenset[str]) -> frozenset[str]:
        return frozenset(v.strip().casefold() for v in value)


class DandomainSettings(_Config):
    # Classic: the shop's own URL (the WEBAPI lives under /admin/WEBAPI). Webshop: the SOAP
    # endpoint (https://api.hostedshop.io/service.php).
    base_url: str
    platform: Platform = Platform.CLASSIC
    # Webshop only: how its unconfirmed fields are read (None: the safe defaults).
    webshop: WebshopSettings | None = None

    @property
    def webshop_settings(self) -> WebshopSettings:
        return self.webshop or WebshopSettings()


# A shop id is part of URLs, DynamoDB keys, SQS group ids and secret names: keep it plain.
SHOP_ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _address(value: str) -> str:
    value = value.strip()
    if not _ADDRESS.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


class OwnerContact(_Config):
    """Who hears about problems, in which language, and how often."""

    addresses: tuple[str, ...] = Field(min_length=1)
    language: Language = Language.DA
    notify: NoticePreference = NoticePreference.IMMEDIATE

    @field_validator("addresses")
    @classmethod
    def _valid_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_address(a) for a in value))


class Activation(_Config):
    """When and by whom a shop left the trial; `forced` when the evidence rule was overridden."""

    at: datetime
    by: str
    forced: bool = False
    reason: str = ""


class ShopConfig(_Config):
    shop_id: str = Field(pattern=SHOP_ID_PATTERN.pattern)
    name: str
    mode: ShopMode = ShopMode.TRIAL
    trial_started_at: datetime | None = None
    activation: Activation | None = None
    # Orders placed before this moment are not autobook's (the reconcile poll's first look-back
    # starts here; older orders come in only through a backfill).
    go_live_at: datetime | None = None
    owner: OwnerContact | None = None
    invoice_source: InvoiceSource = InvoiceSource.ECONOMIC
    on_change_after_booking: ChangePolicy = ChangePolicy.ASK
    dandomain: DandomainSettings
    booking_state_ids: frozenset[int] = frozenset()
    cancel_state_ids: frozenset[int] = frozenset()
    reference_prefix: str = ""
    economic: EconomicMapping = Field(default_factory=EconomicMapping)
    mail: MailSettings = Field(default_factory=MailSettings)

    def order_reference(self, order_id: str) -> str:
        """The per-shop unique reference in `references.other`: how autobook finds an invoice."""
        return (
            f"{self.reference_prefix}{order_id}"
            if self.reference_prefix
            else f"{self.shop_id}-{order_id}"
        )


class ShopSecrets(BaseModel):
    """Per-shop secrets from Secrets Manager. Never logged, never stored in items or messages.

    Classic shops authenticate with `dandomain_api_key`; Webshop shops with a SOAP API user
    (`webshop_username` / `webshop_password`). `missing_for` says what a platform lacks."""

    model_config = ConfigDict(frozen=True)

    dandomain_api_key: str = Field(default="", repr=False)
    webshop_username: str = Field(default="", repr=False)
    webshop_password: str = Field(default="", repr=False)
    economic_grant_token: str = Field(repr=False)
    webhook_secret: str = Field(repr=False)

    def missing_for(self, platform: Platform) -> list[str]:
        needed = (
            ("dandomain_api_key",)
            if platform == Platform.CLASSIC
            else ("webshop_username", "webshop_password")
        )
        return [
            name
            for name in (*needed, "economic_grant_token", "webhook_secret")
            if not getattr(self, name).strip()
        ]
