"""The operator's doctor: before any order fails, check everything the catalogue says can go
wrong for a shop, and say the fix for each problem.

Each check reads the live systems (Dandomain, e-conomic, SES) through the ports; a check whose
system cannot be reached says so and the checks that depend on it are not run (never a
guessed ✓). `blocking` checks keep orders from booking; the others are advice.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from pydantic import BaseModel, ConfigDict

from autobook.dandomain.catalogue import SiteInfo
from autobook.domain.errors import SHOP_WIDE, KnownError, TransientError
from autobook.domain.shop import (
    EconomicMapping,
    InvoiceSource,
    PaymentMapping,
    Platform,
    ShopConfig,
)
from autobook.usecases.clock import shop_date
from autobook.usecases.operations import registered_shop
from autobook.usecases.ports import (
    Books,
    BooksFactory,
    Clock,
    OrderSource,
    OrderSources,
    SenderCheck,
    ShopDirectory,
)


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    found: str  # what the check saw
    fix: str = ""  # what to do when it is not ok
    blocking: bool = True


class Checkup(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    checks: tuple[Check, ...]

    @property
    def blocked(self) -> bool:
        return any(c.blocking and not c.ok for c in self.checks)


def _failure(error: Exception) -> str:
    if isinstance(error, KnownError) and error.code in SHOP_WIDE:
        return f"refused ({error.parameters.get('detail', error.code)})"
    if isinstance(error, KnownError):
        return error.text.en
    return f"did not answer ({error})"


@dataclass(frozen=True)
class ShopDoctor:
    shops: ShopDirectory
    sources: OrderSources
    books: BooksFactory
    sender: SenderCheck
    sender_address: str
    clock: Clock

    def examine(self, shop_id: str, *, days: int = 30) -> Checkup:
        shop = registered_shop(self.shops, shop_id)
        checks: list[Check] = []
        source = self.sources.for_shop(shop)
        books = self.books.for_shop(shop.shop_id)
        sites: list[SiteInfo] = []
        dandomain = self._access(
            checks, "Dandomain access", lambda: _sites(source, sites), _DANDOMAIN
        )
        economic = self._access(checks, "e-conomic access", books.base_currency, _ECONOMIC)
        if economic:
            checks += _references(shop.economic, books)
            checks.append(self._year(books))
        if dandomain:
            checks += _methods(shop, source, sites)
        if economic:
            checks += _products(shop.economic, books)
        if economic and dandomain:
            checks.append(self._sold(shop, source, books, days))
        checks.append(self._mail_sender(shop))
        return Checkup(shop_id=shop.shop_id, checks=tuple(checks))

    @staticmethod
    def _access(checks: list[Check], name: str, probe: Callable[[], object], fix: str) -> bool:
        try:
            seen = probe()
        except (KnownError, TransientError) as error:
            checks.append(Check(name=name, ok=False, found=_failure(error), fix=fix))
            return False
        checks.append(Check(name=name, ok=True, found=str(seen)))
        return True

    def _year(self, books: Books) -> Check:
        today = shop_date(self.clock())
        covered = books.accounting_year_covers(today)
        return Check(
            name="accounting year",
            ok=covered,
            found=f"{'an' if covered else 'no'} accounting year covers {today}",
            fix="Create the accounting year in e-conomic (Settings → Accounting years).",
        )

    def _sold(self, shop: ShopConfig, source: OrderSource, books: Books, days: int) -> Check:
        end = self.clock()
        orders = source.changed_between(end - timedelta(days=days), end, shop.booking_state_ids)
        numbers = sorted(
            {
                shop.economic.product_overrides.get(line.sku) or line.sku
                for order in orders
                for line in order.lines
                if line.sku and line.quantity * line.unit_net_price > 0
            }
        )
        missing, barred = _product_problems(books, numbers)
        ok = not missing and not barred
        found = f"{len(numbers)} product numbers on {len(orders)} orders of the last {days} days"
        if not ok:
            found += "; " + _problems(missing, barred)
        return Check(
            name="products sold",
            ok=ok,
            found=found,
            fix="Create (or unbar) these products in e-conomic, or map the SKU to a product "
            "(economic.product_overrides).",
        )

    def _mail_sender(self, shop: ShopConfig) -> Check:
        if shop.invoice_source == InvoiceSource.SHOP:
            return Check(
                name="mail sender",
                ok=True,
                found="the shop sends its own invoices: autobook mails none",
                blocking=False,
            )
        try:
            verified = bool(self.sender_address) and self.sender.sender_verified(
                self.sender_address
            )
        except TransientError as error:
            return Check(name="mail sender", ok=False, found=_failure(error), fix=_SES)
        return Check(
            name="mail sender",
            ok=verified,
            found=f"{self.sender_address or 'no sender address'} "
            f"{'is' if verified else 'is not'} verified in SES",
            fix=_SES,
        )


_DANDOMAIN = "Renew the shop's Dandomain API access and store it again (autobook register)."
_ECONOMIC = "Grant autobook access to the agreement again and store the new grant token."
_SES = "Verify the deployment's sender address (or its domain) in SES (SenderAddress)."


def _sites(source: OrderSource, into: list[SiteInfo]) -> str:
    """Reads the shop's sites (kept in `into` for the method checks): proves the access."""
    into[:] = source.sites()
    return f"{len(into)} sites: " + ", ".join(f"{s.id} {s.name}" for s in into)


def _references(mapping: EconomicMapping, books: Books) -> list[Check]:
    zones = mapping.vat_zones
    wanted: dict[str, set[int]] = {
        "layouts": {
            mapping.layout_number,
            *(m.layout_number for m in mapping.payment_methods.values() if m.layout_number),
            *(s.layout_number for s in mapping.sites.values() if s.layout_number),
        },
        "vat-zones": {
            zones.domestic,
            zones.eu,
            zones.abroad,
            *([zones.eu_private] if isinstance(zones.eu_private, int) else []),
        },
        "payment-terms": {
            *(m.payment_terms_number for m in _all_payment_mappings(mapping)),
            *(
                [mapping.default_payment_terms_number]
                if mapping.default_payment_terms_number
                else []
            ),
            *mapping.customer_payment_terms.values(),
        },
    }
    if mapping.customer_mode == "per_buyer":
        wanted["customer-groups"] = set(mapping.customer_groups.values())
    checks = []
    for kind, numbers in wanted.items():
        missing = sorted(n for n in numbers if not books.exists(kind, n))
        label = kind.replace("-", " ")
        checks.append(
            Check(
                name=label,
                ok=not missing,
                found=f"{len(numbers)} used"
                + (f"; missing in e-conomic: {', '.join(map(str, missing))}" if missing else ""),
                fix=f"Create the {label} in e-conomic, or change the mapping to one that exists.",
            )
        )
    return checks


def _all_payment_mappings(mapping: EconomicMapping) -> Iterator[PaymentMapping]:
    yield from mapping.payment_methods.values()
    for site in mapping.sites.values():
        yield from (site.payment_methods or {}).values()


def _methods(shop: ShopConfig, source: OrderSource, sites: list[SiteInfo]) -> list[Check]:
    """Every Dandomain payment and shipping method mapped, by id, under its current name."""
    mapping = shop.economic
    unmapped: list[str] = []
    renamed: list[str] = []
    # Classic method ids are per site; Webshop's are shop-wide (one list, the shop's mapping).
    per_site = shop.dandomain.platform == Platform.CLASSIC
    site_ids = [s.id for s in sites] if per_site else []
    site_ids = site_ids or [0]
    for kind, listed, mapped_for in (
        ("payment", source.payment_methods, mapping.payment_methods_for),
        ("shipping", source.shipping_methods, mapping.shipping_methods_for),
    ):
        for site_id in site_ids:
            mapped = mapped_for(site_id or None)
            for method in listed(site_id):
                entry = mapped.get(method.id)
                where = f" (site {site_id})" if len(site_ids) > 1 else ""
                if entry is None:
                    unmapped.append(f"{kind} method {method.id} '{method.name}'{where}")
                elif entry.name.casefold() != method.name.casefold():
                    renamed.append(
                        f"{kind} method {method.id}{where} is '{method.name}' in Dandomain, "
                        f"mapped as '{entry.name}'"
                    )
    checks = [
        Check(
            name="methods mapped",
            ok=not unmapped,
            found="every payment and shipping method is mapped"
            if not unmapped
            else "not mapped: " + "; ".join(unmapped),
            fix="Map each method (economic.payment_methods / shipping_methods): payment terms "
            "for a payment method, a product for a shipping method.",
        )
    ]
    if renamed:
        checks.append(
            Check(
                name="method names",
                ok=False,
                found="; ".join(renamed),
                fix="Check that each id still means the method it was mapped for, then save the "
                "mapping with the current name.",
                blocking=False,  # booking goes by id; a new name may mean a reused id
            )
        )
    return checks


def _products(mapping: EconomicMapping, books: Books) -> list[Check]:
    """The fee, discount, gift-card and rounding products the mapping names."""
    numbers = {
        *(m.product for m in mapping.shipping_methods.values()),
        *(m.fee_product for m in _all_payment_mappings(mapping) if m.fee_product),
        *(m.card_fee_product for m in _all_payment_mappings(mapping) if m.card_fee_product),
        *(p for p in (mapping.discount_product, mapping.gift_card_product) if p),
        *([mapping.rounding_product] if mapping.rounding_product else []),
    }
    for site in mapping.sites.values():
        numbers |= {m.product for m in (site.shipping_methods or {}).values()}
    missing, barred = _product_problems(books, sorted(numbers))
    ok = not missing and not barred
    return [
        Check(
            name="fee and discount products",
            ok=ok,
            found=f"{len(numbers)} named in the mapping"
            + ("" if ok else "; " + _problems(missing, barred)),
            fix="Create (or unbar) these products in e-conomic, or name others in the mapping.",
        )
    ]


def _product_problems(books: Books, numbers: Iterable[str]) -> tuple[list[str], list[str]]:
    missing: list[str] = []
    barred: list[str] = []
    for number in numbers:
        product = books.product(number)
        if product is None:
            missing.append(number)
        elif product.barred:
            barred.append(number)
    return missing, barred


def _problems(missing: list[str], barred: list[str]) -> str:
    parts = []
    if missing:
        parts.append("missing in e-conomic: " + ", ".join(missing))
    if barred:
        parts.append("barred: " + ", ".join(barred))
    return "; ".join(parts)
