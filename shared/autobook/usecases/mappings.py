"""The operator's mapping work: propose a shop's mapping from its live Dandomain and e-conomic
lists (`domain.mapping_proposal`), accept the proposal, or set one method by hand. Every save
goes through `Operations.update_shop`, so the orders a mapping blocked are replayed at once."""

from dataclasses import dataclass

from autobook.domain.mapping_proposal import (
    DandomainLists,
    EconomicLists,
    MappingProposal,
    propose,
)
from autobook.domain.shop import (
    EconomicMapping,
    PaymentMapping,
    Platform,
    ShippingMapping,
    ShopConfig,
    SiteMapping,
)
from autobook.usecases.operations import ActionError, Operations, registered_shop
from autobook.usecases.ports import Books, BooksFactory, OrderSource, OrderSources, ShopDirectory


@dataclass(frozen=True)
class MappingWork:
    shops: ShopDirectory
    sources: OrderSources
    books: BooksFactory
    operations: Operations

    def propose(self, shop_id: str) -> MappingProposal:
        shop = self._shop(shop_id)
        source = self.sources.for_shop(shop)
        books = self.books.for_shop(shop_id)
        return propose(shop, _dandomain_lists(shop, source), _economic_lists(books))

    def accept(self, shop_id: str, *, actor: str) -> tuple[MappingProposal, list[str]]:
        """Save every proposed row; the orders the old mapping blocked are replayed."""
        proposal = self.propose(shop_id)
        replayed = self.operations.update_shop(proposal.proposed, actor=actor)
        return proposal, replayed

    def set_payment(
        self,
        shop_id: str,
        method_id: int,
        *,
        terms: int,
        fee_product: str | None,
        site_id: int | None,
        actor: str,
    ) -> list[str]:
        shop = self._shop(shop_id)
        books = self.books.for_shop(shop_id)
        name = _method_name(self.sources.for_shop(shop), shop, "payment", method_id, site_id)
        if not books.exists("payment-terms", terms):
            raise ActionError(
                f"Betalingsbetingelse {terms} findes ikke i e-conomic.",
                f"e-conomic has no payment terms {terms}.",
            )
        if fee_product:
            _usable_product(books, fee_product)
        mapped = PaymentMapping(name=name, payment_terms_number=terms, fee_product=fee_product)
        economic = _with_method(shop.economic, "payment_methods", method_id, mapped, site_id)
        return self._save(shop, economic, actor)

    def set_shipping(
        self, shop_id: str, method_id: int, *, product: str, site_id: int | None, actor: str
    ) -> list[str]:
        shop = self._shop(shop_id)
        books = self.books.for_shop(shop_id)
        name = _method_name(self.sources.for_shop(shop), shop, "shipping", method_id, site_id)
        _usable_product(books, product)
        mapped = ShippingMapping(name=name, product=product)
        economic = _with_method(shop.economic, "shipping_methods", method_id, mapped, site_id)
        return self._save(shop, economic, actor)

    def _save(self, shop: ShopConfig, economic: EconomicMapping, actor: str) -> list[str]:
        return self.operations.update_shop(
            shop.model_copy(update={"economic": economic}), actor=actor
        )

    def _shop(self, shop_id: str) -> ShopConfig:
        return registered_shop(self.shops, shop_id)


def _per_site(shop: ShopConfig) -> bool:
    return shop.dandomain.platform == Platform.CLASSIC


def _dandomain_lists(shop: ShopConfig, source: OrderSource) -> DandomainLists:
    sites = source.sites()
    site_ids = [s.id for s in sites] if _per_site(shop) and sites else [0]
    return DandomainLists(
        sites=tuple(sites),
        payment_methods=tuple(m for site in site_ids for m in source.payment_methods(site)),
        shipping_methods=tuple(m for site in site_ids for m in source.shipping_methods(site)),
        order_states=tuple(source.order_states()),
        per_site=_per_site(shop),
        countries=source.country_codes(),
    )


def _economic_lists(books: Books) -> EconomicLists:
    return EconomicLists(
        payment_terms=tuple(books.entries("payment-terms")),
        layouts=tuple(books.entries("layouts")),
        products=tuple(books.entries("products")),
        vat_zones=tuple(books.entries("vat-zones")),
    )


def _method_name(
    source: OrderSource, shop: ShopConfig, kind: str, method_id: int, site_id: int | None
) -> str:
    """The method's current Dandomain name (the mapping keeps it, to notice a changed id)."""
    if _per_site(shop) and site_id is None:
        sites = source.sites()
        site_id = sites[0].id if sites else 0
    listing = source.payment_methods if kind == "payment" else source.shipping_methods
    for method in listing(site_id or 0):
        if method.id == method_id:
            return method.name
    where = f" på site {site_id}" if _per_site(shop) else ""
    where_en = f" on site {site_id}" if _per_site(shop) else ""
    raise ActionError(
        f"Dandomain har ingen {kind}-metode {method_id}{where}.",
        f"Dandomain has no {kind} method {method_id}{where_en}.",
    )


def _usable_product(books: Books, number: str) -> None:
    product = books.product(number)
    if product is None or product.barred:
        state_da, state_en = (
            ("findes ikke", "does not exist")
            if product is None
            else (
                "er spærret",
                "is barred",
            )
        )
        raise ActionError(
            f"Varen {number} {state_da} i e-conomic.", f"Product {number} {state_en} in e-conomic."
        )


def _with_method(
    mapping: EconomicMapping,
    field: str,
    method_id: int,
    mapped: PaymentMapping | ShippingMapping,
    site_id: int | None,
) -> EconomicMapping:
    """The mapping with one method set: on its site where the site has its own list, else
    shop-wide."""
    site = mapping.sites.get(site_id) if site_id is not None else None
    if site_id is not None and site is not None and getattr(site, field) is not None:
        methods = {**getattr(site, field), method_id: mapped}
        sites: dict[int, SiteMapping] = {
            **mapping.sites,
            site_id: site.model_copy(update={field: methods}),
        }
        return mapping.model_copy(update={"sites": sites})
    return mapping.model_copy(update={field: {**getattr(mapping, field), method_id: mapped}})
