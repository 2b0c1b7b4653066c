"""What `mappings sync` proposes (pure): each Dandomain payment method, shipping method and
order state against the shop's mapping and e-conomic's lists, matched by name.

A proposal is never a guess the operator does not see: every row says what is kept, what is
proposed and why, and what cannot be resolved. A mapping remembers the name it was made for,
so a method whose id changed (same name, new id) is reported, never moved by itself.
"""

import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import partial

from pydantic import BaseModel, ConfigDict, Field

from autobook.dandomain.catalogue import (
    OrderStateInfo,
    PaymentMethodInfo,
    ShippingMethodInfo,
    SiteInfo,
)
from autobook.domain.books import EconomicEntry
from autobook.domain.countries import EU_COUNTRIES
from autobook.domain.shop import (
    EconomicMapping,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
    SiteMapping,
    VatZones,
)


class RowStatus(StrEnum):
    KEPT = "kept"  # mapped already, under the same name
    PROPOSED = "proposed"  # not mapped; a proposal by name (applied with --accept)
    UNRESOLVED = "unresolved"  # not mapped and nothing matches: `mappings set`
    ID_CHANGED = "id_changed"  # the name is mapped under an id Dandomain no longer has
    RENAMED = "renamed"  # mapped, but Dandomain now names it otherwise: check the id


class ProposalRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str  # payment | shipping | booking state | cancel state | layout
    key: str  # the Dandomain id (with its site), or the setting
    name: str  # Dandomain's name
    status: RowStatus
    mapped_to: str = ""  # what it is (or would be) mapped to in e-conomic
    note: str = ""


class DandomainLists(BaseModel):
    """The shop's own lists, read live."""

    model_config = ConfigDict(frozen=True)

    sites: tuple[SiteInfo, ...]
    payment_methods: tuple[PaymentMethodInfo, ...]  # per site on Classic
    shipping_methods: tuple[ShippingMethodInfo, ...]
    order_states: tuple[OrderStateInfo, ...]
    per_site: bool  # Classic: method ids are per site
    countries: dict[int, str] = Field(default_factory=dict)  # country id -> ISO code


class EconomicLists(BaseModel):
    model_config = ConfigDict(frozen=True)

    payment_terms: tuple[EconomicEntry, ...]
    layouts: tuple[EconomicEntry, ...]
    products: tuple[EconomicEntry, ...]
    vat_zones: tuple[EconomicEntry, ...] = ()


class MappingProposal(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: tuple[ProposalRow, ...]
    proposed: ShopConfig  # the config with every PROPOSED row applied

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if r.status == RowStatus.PROPOSED)


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-zæøå]+", "", name.casefold())


# Names that say how a method is paid, for terms of the matching type (Danish and English).
_CARD_WORDS = (
    "kort",
    "karte",
    "card",
    "visa",
    "mastercard",
    "mobilepay",
    "paypal",
    "swish",
    "viabill",
    "klarna",
)
_INVOICE_WORDS = ("faktura", "invoice", "bank", "overførsel", "transfer", "konto", "ean")
_SHIPPED_WORDS = ("afsendt", "sendt", "sent", "shipped", "gennemført", "completed", "leveret")
_CANCEL_WORDS = ("annuller", "cancel", "svindel", "fraud", "slettet", "deleted", "afvist")
_FREIGHT = re.compile(r"fragt|forsendelse|shipping|levering|porto")
_FEE = re.compile(r"gebyr|gebühr|avgift|\bfees?\b")  # Danish compounds; not the fee in coffee


def _terms_for(method: str, terms: Sequence[EconomicEntry]) -> tuple[EconomicEntry | None, str]:
    by_name = [t for t in terms if _key(t.name) and _key(t.name) == _key(method)]
    if by_name:
        return by_name[0], "same name"
    low = method.casefold()
    for words, wanted, why in (
        (_CARD_WORDS, ("creditcard", "paidInCash"), "paid at checkout"),
        (_INVOICE_WORDS, ("net", "invoiceMonth", "invoiceWeekStartingMonday"), "paid later"),
    ):
        if any(w in low for w in words):
            match = [t for kind in wanted for t in terms if t.terms_type == kind]
            if match:
                return match[0], f"'{method}' reads as {why}: {match[0].terms_type} terms"
    return None, ""


def _one_product(
    used: set[str], products: Sequence[EconomicEntry], named_for: re.Pattern[str], what: str
) -> tuple[str, str]:
    """The product the shop already uses for this, or the one product named for it."""
    if len(used) == 1:
        return next(iter(used)), f"the {what} product the shop's other methods use"
    named = [p for p in products if not p.barred and named_for.search(p.name.casefold())]
    if len(named) == 1:
        return named[0].number, f"the one {what} product ('{named[0].name}')"
    return "", ""


def _freight(mapping: EconomicMapping, products: Sequence[EconomicEntry]) -> tuple[str, str]:
    used = {m.product for m in mapping.shipping_methods.values()}
    return _one_product(used, products, _FREIGHT, "freight")


def propose(
    shop: ShopConfig, dandomain: DandomainLists, economic: EconomicLists
) -> MappingProposal:
    mapping = shop.economic
    payment: dict[int, dict[int, PaymentMapping]] = {}
    shipping: dict[int, dict[int, ShippingMapping]] = {}
    terms_names = {t.number: t.name for t in economic.payment_terms}
    rows: list[ProposalRow] = []
    for method in dandomain.payment_methods:
        site = _site(method.site_id, dandomain)
        mapped = payment.setdefault(site, dict(mapping.payment_methods_for(site or None)))
        rows.append(
            _method_row(
                "payment",
                method,
                site,
                mapped,
                dandomain.payment_methods,
                dandomain,
                describe=lambda m: _terms(m, terms_names),
                propose=lambda m, ms: _payment_proposal(m, ms, economic),
            )
        )
    for ship in dandomain.shipping_methods:
        site = _site(ship.site_id, dandomain)
        mapped_ship = shipping.setdefault(site, dict(mapping.shipping_methods_for(site or None)))
        rows.append(
            _method_row(
                "shipping",
                ship,
                site,
                mapped_ship,
                dandomain.shipping_methods,
                dandomain,
                describe=lambda m: f"product {m.product}",
                propose=lambda m, _: _shipping_proposal(m, mapping, economic),
            )
        )
    booking, cancel, state_rows = _states(shop, dandomain.order_states)
    rows += state_rows
    layout, layout_row = _layout(mapping, economic.layouts)
    rows.append(layout_row)
    zones, zone_rows = _vat_zones(mapping.vat_zones, economic.vat_zones)
    rows += zone_rows
    rows.append(_countries(dandomain.countries))
    proposed = _applied(shop, payment, shipping, booking, cancel, layout)
    economic_mapping = proposed.economic.model_copy(update={"vat_zones": zones})
    return MappingProposal(
        rows=tuple(rows), proposed=proposed.model_copy(update={"economic": economic_mapping})
    )


def _site(site_id: int | None, dandomain: DandomainLists) -> int:
    """The key a method's mapping lives under: its site on Classic, 0 (shop-wide) on Webshop."""
    return (site_id or 0) if dandomain.per_site else 0


def _where(method_id: int, site: int, dandomain: DandomainLists) -> str:
    return (
        f"site {site} / {method_id}"
        if dandomain.per_site and len(dandomain.sites) > 1
        else str(method_id)
    )


def _method_row[M: PaymentMapping | ShippingMapping](
    kind: str,
    method: PaymentMethodInfo | ShippingMethodInfo,
    site: int,
    mapped: dict[int, M],
    listed: Sequence[PaymentMethodInfo | ShippingMethodInfo],
    dandomain: DandomainLists,
    *,
    describe: Callable[[M], str],
    propose: Callable[[str, dict[int, M]], tuple[M | None, str, str]],
) -> ProposalRow:
    """One Dandomain method against the mapping: kept, renamed, moved to a new id (reported,
    never moved), or proposed (added to `mapped`) or unresolved."""
    row = partial(ProposalRow, kind=kind, key=_where(method.id, site, dandomain), name=method.name)
    current = mapped.get(method.id)
    if current is not None:
        if _key(current.name) != _key(method.name):
            note = f"mapped as '{current.name}': check that id {method.id} is still that method"
            return row(status=RowStatus.RENAMED, mapped_to=describe(current), note=note)
        return row(status=RowStatus.KEPT, mapped_to=describe(current))
    ids = {m.id for m in listed if _site(m.site_id, dandomain) == site}
    old = [i for i, m in mapped.items() if _key(m.name) == _key(method.name) and i not in ids]
    if old:
        note = (
            f"mapped under id {old[0]}, which Dandomain no longer has: move it with `mappings set`"
        )
        return row(status=RowStatus.ID_CHANGED, note=note)
    proposal, mapped_to, note = propose(method.name, mapped)
    if proposal is None:
        return row(status=RowStatus.UNRESOLVED, note=note)
    mapped[method.id] = proposal
    return row(status=RowStatus.PROPOSED, mapped_to=mapped_to, note=note)


def _terms(mapped: PaymentMapping, names: dict[str, str]) -> str:
    number = mapped.payment_terms_number
    return f"terms {number} {names.get(str(number), '?')}"


def _payment_proposal(
    name: str, mapped: dict[int, PaymentMapping], economic: EconomicLists
) -> tuple[PaymentMapping | None, str, str]:
    terms, why = _terms_for(name, economic.payment_terms)
    if terms is None:
        return None, "", "no payment terms match its name"
    fees = {m.fee_product for m in mapped.values() if m.fee_product}
    fee, fee_why = _one_product(fees, economic.products, _FEE, "fee")
    proposal = PaymentMapping(
        name=name, payment_terms_number=int(terms.number), fee_product=fee or None
    )
    mapped_to = f"terms {terms.number} {terms.name}" + (f", fee product {fee}" if fee else "")
    return proposal, mapped_to, why + (f"; fee: {fee_why}" if fee else "")


def _shipping_proposal(
    name: str, mapping: EconomicMapping, economic: EconomicLists
) -> tuple[ShippingMapping | None, str, str]:
    product, why = _freight(mapping, economic.products)
    if not product:
        return None, "", "no freight product to propose"
    return ShippingMapping(name=name, product=product), f"product {product}", why


def _states(
    shop: ShopConfig, states: Sequence[OrderStateInfo]
) -> tuple[frozenset[int], frozenset[int], list[ProposalRow]]:
    rows: list[ProposalRow] = []
    booking, cancel = shop.booking_state_ids, shop.cancel_state_ids
    if not booking:
        found = [s for s in states if any(w in s.name.casefold() for w in _SHIPPED_WORDS)]
        booking = frozenset(s.id for s in found[:1])
        for s in found[:1]:
            rows.append(
                ProposalRow(
                    kind="booking state",
                    key=str(s.id),
                    name=s.name,
                    status=RowStatus.PROPOSED,
                    note="orders in it are invoiced",
                )
            )
        if not found:
            rows.append(
                ProposalRow(
                    kind="booking state",
                    key="",
                    name="",
                    status=RowStatus.UNRESOLVED,
                    note="no state reads as sent or completed: choose one",
                )
            )
    if not cancel:
        found = [
            s
            for s in states
            if s.id not in booking
            and (s.excluded_from_statistics or any(w in s.name.casefold() for w in _CANCEL_WORDS))
        ]
        cancel = frozenset(s.id for s in found)
        for s in found:
            why = (
                "kept out of the statistics"
                if s.excluded_from_statistics
                else "reads as a cancellation"
            )
            rows.append(
                ProposalRow(
                    kind="cancel state",
                    key=str(s.id),
                    name=s.name,
                    status=RowStatus.PROPOSED,
                    note=f"{why}: booked invoices get a credit note",
                )
            )
    names = {s.id: s.name for s in states}
    for kind, ids in (
        ("booking state", shop.booking_state_ids),
        ("cancel state", shop.cancel_state_ids),
    ):
        for state_id in sorted(ids):
            status = RowStatus.KEPT if state_id in names else RowStatus.UNRESOLVED
            note = "" if state_id in names else "Dandomain has no such state"
            rows.append(
                ProposalRow(
                    kind=kind,
                    key=str(state_id),
                    name=names.get(state_id, ""),
                    status=status,
                    note=note,
                )
            )
    return booking, cancel, rows


def _layout(mapping: EconomicMapping, layouts: Sequence[EconomicEntry]) -> tuple[int, ProposalRow]:
    names = {entry.number: entry.name for entry in layouts}
    current = str(mapping.layout_number)
    if current in names:
        return mapping.layout_number, ProposalRow(
            kind="layout",
            key=current,
            name="",
            status=RowStatus.KEPT,
            mapped_to=f"layout {current} {names[current]}",
        )
    if layouts:
        first = layouts[0]
        return int(first.number), ProposalRow(
            kind="layout",
            key=current,
            name="",
            status=RowStatus.PROPOSED,
            mapped_to=f"layout {first.number} {first.name}",
            note=f"layout {current} does not exist",
        )
    return mapping.layout_number, ProposalRow(
        kind="layout",
        key=current,
        name="",
        status=RowStatus.UNRESOLVED,
        note="the agreement has no layouts",
    )


_ZONE_NAMES = {
    "domestic": re.compile(r"domestic|indland|indenlandsk|danmark"),
    "eu": re.compile(r"\beu\b"),
    "abroad": re.compile(r"abroad|udland|export|eksport"),
}


def _vat_zones(
    zones: VatZones, listed: Sequence[EconomicEntry]
) -> tuple[VatZones, list[ProposalRow]]:
    """The zones the buyer's country books in (DK, EU, elsewhere): kept when they exist, else
    proposed by name from e-conomic's VAT zones."""
    names = {entry.number: entry.name for entry in listed}
    rows: list[ProposalRow] = []
    chosen: dict[str, int] = {}
    for kind, pattern in _ZONE_NAMES.items():
        current = getattr(zones, kind)
        if str(current) in names:
            chosen[kind] = current
            rows.append(
                ProposalRow(
                    kind="VAT zone",
                    key=kind,
                    name="",
                    status=RowStatus.KEPT,
                    mapped_to=f"zone {current} {names[str(current)]}",
                )
            )
            continue
        match = [e for e in listed if pattern.search(e.name.casefold())]
        if len(match) == 1:
            chosen[kind] = int(match[0].number)
            rows.append(
                ProposalRow(
                    kind="VAT zone",
                    key=kind,
                    name="",
                    status=RowStatus.PROPOSED,
                    mapped_to=f"zone {match[0].number} {match[0].name}",
                    note=f"zone {current} does not exist",
                )
            )
        else:
            chosen[kind] = current
            rows.append(
                ProposalRow(
                    kind="VAT zone",
                    key=kind,
                    name="",
                    status=RowStatus.UNRESOLVED,
                    note=f"zone {current} does not exist and no zone is named for {kind} buyers",
                )
            )
    return zones.model_copy(update=chosen), rows


def _countries(countries: dict[int, str]) -> ProposalRow:
    """Every country is booked in the zone its ISO code gives; a list without codes cannot be."""
    if not countries:
        return ProposalRow(
            kind="countries",
            key="",
            name="",
            status=RowStatus.UNRESOLVED,
            note="Dandomain gave no countries with ISO codes: orders cannot be given a VAT zone",
        )
    eu = sum(1 for iso in countries.values() if iso in EU_COUNTRIES and iso != "DK")
    domestic = sum(1 for iso in countries.values() if iso == "DK")
    abroad = len(countries) - eu - domestic
    return ProposalRow(
        kind="countries",
        key=str(len(countries)),
        name="",
        status=RowStatus.KEPT,
        mapped_to=f"{domestic} domestic, {eu} EU, {abroad} abroad",
        note="each country books in the VAT zone its ISO code gives",
    )


def _applied(
    shop: ShopConfig,
    payment: dict[int, dict[int, PaymentMapping]],
    shipping: dict[int, dict[int, ShippingMapping]],
    booking: frozenset[int],
    cancel: frozenset[int],
    layout: int,
) -> ShopConfig:
    mapping = shop.economic
    sites = dict(mapping.sites)
    shop_wide_payment, shop_wide_shipping = (
        dict(mapping.payment_methods),
        dict(mapping.shipping_methods),
    )
    for site in sorted(set(payment) | set(shipping)):
        if site and site in mapping.sites and mapping.sites[site].payment_methods is not None:
            sites[site] = sites[site].model_copy(update={"payment_methods": payment.get(site, {})})
        else:
            shop_wide_payment.update(payment.get(site, {}))
        if site and site in mapping.sites and mapping.sites[site].shipping_methods is not None:
            sites[site] = sites[site].model_copy(
                update={"shipping_methods": shipping.get(site, {})}
            )
        else:
            shop_wide_shipping.update(shipping.get(site, {}))
    economic = mapping.model_copy(
        update={
            "payment_methods": shop_wide_payment,
            "shipping_methods": shop_wide_shipping,
            "sites": {k: SiteMapping.model_validate(v.model_dump()) for k, v in sites.items()},
            "layout_number": layout,
        }
    )
    return shop.model_copy(
        update={"economic": economic, "booking_state_ids": booking, "cancel_state_ids": cancel}
    )
