"""Which e-conomic debtor an order is booked on, and the body to create one (pure parts).

Per shop either one debtor per buyer (looked up by EAN, CVR, EU VAT number or e-mail) or one
collective debtor per VAT zone with the buyer on the invoice's recipient. The HTTP calls are
done by the e-conomic client; this module only decides and validates.
"""

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.order import Order, Party
from autobook.domain.payment import resolve_payment
from autobook.domain.shop import ShopConfig
from autobook.domain.texts import join_nonempty, truncate

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_CVR = re.compile(r"^(?:DK)?(\d{8})$")
_VAT_NUMBER = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{2,18}$")

# e-conomic's field limits (customers.post and invoices.drafts.post recipient)
CUSTOMER_LIMITS = {
    "name": 255,
    "address": 510,
    "zip": 30,
    "city": 50,
    "country": 50,
    "email": 255,
    "telephoneAndFaxNumber": 255,
    "corporateIdentificationNumber": 40,
    "vatNumber": 20,
}

LookupKind = Literal["collective", "ean", "cvr", "vat_number", "email"]

_ECONOMIC_FIELD: dict[str, str] = {
    "ean": "ean",
    "cvr": "corporateIdentificationNumber",
    "vat_number": "vatNumber",
    "email": "email",
}


class CustomerLookup(BaseModel):
    """How to find the debtor: a collective debtor number, or a key to search for."""

    model_config = ConfigDict(frozen=True)

    kind: LookupKind
    value: str
    customer_number: int | None = None  # set for the collective debtor

    @property
    def economic_field(self) -> str | None:
        """The filterable e-conomic customer field to search (`GET /customers?filter=`)."""
        return _ECONOMIC_FIELD.get(self.kind)


class BuyerIds(BaseModel):
    model_config = ConfigDict(frozen=True)

    cvr: str = ""
    vat_number: str = ""
    ean: str = ""
    email: str = ""


# The buyer's fields as the owner knows them; the value itself is never put in the error
# (buyer data stays out of the error log: the owner sees it in Dandomain).
_FIELD_NAMES = {
    "name": ("navn", "name"),
    "ean": ("EAN-nummer", "EAN"),
    "email": ("e-mailadresse", "e-mail address"),
    "cvr": ("CVR-nummer", "CVR number"),
    "vatNumber": ("EU-momsnummer", "EU VAT number"),
}


def _invalid(order: Order, field: str, da: str, en: str) -> KnownError:
    field_da, field_en = _FIELD_NAMES[field]
    return KnownError(
        ErrorCode.CUSTOMER_INVALID,
        order_id=order.order_id,
        field=field,
        field_da=field_da,
        field_en=field_en,
        reason_da=da,
        reason_en=en,
    )


def buyer_name(order: Order) -> str:
    """The buyer's name (Classic `name` may be a company; `attention` the person)."""
    party = order.customer
    name = party.name.strip() or party.attention.strip()
    if not name:
        raise _invalid(order, "name", "Kunden har intet navn. ", "The buyer has no name. ")
    return name


def buyer_ean(order: Order) -> str:
    """The buyer's EAN (13 digits) or ""; CUSTOMER_INVALID when it cannot be one."""
    ean = re.sub(r"[\s-]", "", order.customer.ean)
    if ean and not (len(ean) == 13 and ean.isdigit()):
        raise _invalid(
            order,
            "ean",
            "Et EAN-nummer har 13 cifre. ",
            "An EAN has 13 digits. ",
        )
    return ean


def buyer_ids(order: Order, domestic: bool) -> BuyerIds:
    """Validated identifiers of the buyer; raises CUSTOMER_INVALID for what e-conomic rejects."""
    ean = buyer_ean(order)
    email = order.customer.email.strip()
    if email and (not _EMAIL.match(email) or len(email) > CUSTOMER_LIMITS["email"]):
        raise _invalid(
            order, "email", "E-mailadressen er ugyldig. ", "The e-mail address is invalid. "
        )
    raw = order.vat_reg_number
    number = re.sub(r"[\s.\-]", "", raw).upper()
    cvr = vat_number = ""
    if number:
        cvr_match = _CVR.match(number)
        if cvr_match and (domestic or number.startswith("DK")):
            cvr = cvr_match.group(1)
        elif _VAT_NUMBER.match(number) and not number.startswith("DK"):
            vat_number = number
        elif domestic or number.startswith("DK"):
            raise _invalid(
                order, "cvr", "Et CVR-nummer har 8 cifre. ", "A CVR number has 8 digits. "
            )
        else:
            raise _invalid(
                order,
                "vatNumber",
                "Et EU-momsnummer er landekode + højst 18 tegn. ",
                "An EU VAT number is a country code + at most 18 characters. ",
            )
    return BuyerIds(cvr=cvr, vat_number=vat_number, ean=ean, email=email)


def _is_domestic(shop: ShopConfig, zone: int) -> bool:
    return zone == shop.economic.vat_zones.domestic


def customer_lookup(order: Order, shop: ShopConfig, zone: int) -> CustomerLookup:
    """The debtor for `order` in VAT zone number `zone`.

    collective mode: the zone's collective debtor. per_buyer: B2B by EAN (most specific: one
    CVR can have many EANs), then CVR (DK buyer's vatRegNumber), then EU VAT number; B2C by
    e-mail.
    """
    mapping = shop.economic
    if mapping.customer_mode == "collective":
        number = mapping.collective_customers.get(zone)
        if number is None:
            raise KnownError(
                ErrorCode.CUSTOMER_UNMAPPED,
                order_id=order.order_id,
                vat_zone=zone,
                what_da="samledebitor",
                what_en="collective debtor",
            )
        return CustomerLookup(kind="collective", value=str(number), customer_number=number)
    ids = buyer_ids(order, _is_domestic(shop, zone))
    for kind, value in (
        ("ean", ids.ean),
        ("cvr", ids.cvr),
        ("vat_number", ids.vat_number),
        ("email", ids.email.casefold()),
    ):
        if value:
            return CustomerLookup(kind=kind, value=value)
    raise _invalid(
        order,
        "email",
        "Kunden har hverken e-mail, CVR eller EAN at genkende debitoren på. ",
        "The buyer has no e-mail, CVR or EAN to identify the debtor by. ",
    )


def _address(party: Party) -> str:
    return join_nonempty([party.address, party.address2], "\n")


def new_customer(order: Order, shop: ShopConfig, zone: int) -> dict[str, Any]:
    """The POST /customers body for the buyer, in the zone's customer group and payment terms."""
    mapping = shop.economic
    group = mapping.customer_groups.get(zone)
    if group is None:
        raise KnownError(
            ErrorCode.CUSTOMER_UNMAPPED,
            order_id=order.order_id,
            vat_zone=zone,
            what_da="kundegruppe",
            what_en="customer group",
        )
    terms = mapping.customer_payment_terms.get(zone) or mapping.default_payment_terms_number
    if terms is None:
        terms = resolve_payment(order, mapping).payment_terms_number
    party = order.customer
    ids = buyer_ids(order, _is_domestic(shop, zone))
    body: dict[str, Any] = {
        "name": truncate(buyer_name(order), CUSTOMER_LIMITS["name"]),
        "currency": order.currency,
        "customerGroup": {"customerGroupNumber": group},
        "paymentTerms": {"paymentTermsNumber": terms},
        "vatZone": {"vatZoneNumber": zone},
        "address": truncate(_address(party), CUSTOMER_LIMITS["address"]),
        "zip": truncate(party.zip_code, CUSTOMER_LIMITS["zip"]),
        "city": truncate(party.city, CUSTOMER_LIMITS["city"]),
        "country": truncate(party.country, CUSTOMER_LIMITS["country"]),
        "email": ids.email,
        "telephoneAndFaxNumber": truncate(party.phone, CUSTOMER_LIMITS["telephoneAndFaxNumber"]),
        "ean": ids.ean,
        "corporateIdentificationNumber": ids.cvr,
        "vatNumber": ids.vat_number,
    }
    # e-conomic rejects nulls and we do not send empty texts: omit them.
    return {key: value for key, value in body.items() if value != ""}
