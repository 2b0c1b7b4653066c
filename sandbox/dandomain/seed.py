"""Deterministic, varied demo orders for the Dandomain sandbox (made-up Danish data)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypedDict

from sandbox.dandomain import catalog
from sandbox.dandomain.catalog import Method
from sandbox.dandomain.orders import (
    SHOP_TZ,
    FeeSemantics,
    LineSpec,
    Order,
    Party,
    build_order,
    dec,
    round2,
)
from sandbox.dandomain.state import ShopData

BOOKING_STATE_ID = 3  # "Afsendt"
SEED_START = datetime(2026, 3, 24, 8, 30, tzinfo=SHOP_TZ)  # crosses the 29 March DST switch


@dataclass(frozen=True, slots=True)
class ProductSpec:
    sku: str
    name: str
    vat_pct: str = "25"


@dataclass(frozen=True, slots=True)
class _Product:
    sku: str
    name: str
    gross_dkk: Decimal
    vat_pct: str = "25"
    variants: tuple[str, ...] = ("",)

    def spec(self) -> ProductSpec:
        return ProductSpec(self.sku, self.name, self.vat_pct)


@dataclass(frozen=True, slots=True)
class DemoMethods:
    """The payment and shipping methods of the sandbox shop (per site ids)."""

    payment: tuple[Method, ...]
    shipping: tuple[Method, ...]


_SIZES = tuple(f"Størrelse:{s}" for s in ("S", "M", "L", "XL"))
_LONG_NAME = (
    "Mulepose i kraftig økologisk bomuld (380 g/m²) med lang hank, indvendig lomme og tryk af "
    "Københavns tage i vandbaseret farve — produceret i samarbejde med et lille værksted i Aarhus, "
    "vaskbar ved 40 grader, Fairtrade-certificeret, 42 × 38 × 12 cm, ekstra stor model"
)

T_SHIRT = _Product("TS-ORG-001", "Økologisk T-shirt, hvid", Decimal("199.00"), variants=_SIZES)
HOODIE = _Product("TS/HOODIE/GRÅ", "Hættetrøje, grå melange", Decimal("449.00"), variants=_SIZES)
ESPRESSO = _Product("KAF.ESP.500", "Espressobønner mørk ristning 500 g", Decimal("119.95"))
ETIOPIEN = _Product(
    "KAFFE ETIOPIEN 250G",
    "Kaffe Etiopien Yirgacheffe 250 g",
    Decimal("89.95"),
    variants=("Formaling:Hele bønner", "Formaling:Filter", "Formaling:Stempelkande"),
)
EARL_GREY = _Product("te_earl_grey_100g", "Earl Grey te, løs 100 g", Decimal("59.00"))
BOOK_HB = _Product(
    "BOG-978-87-02-12345-6-INDBUNDET", "Kaffens historie (indbundet)", Decimal("299.95")
)
BOOK_PB = _Product("BOG.PB.9788763812345", "Dansk madkultur – paperback", Decimal("179.00"))
MUG = _Product(
    "KRUS-KERAMIK-350ML",
    "Keramikkrus 350 ml",
    Decimal("129.00"),
    variants=("Farve:Blågrøn", "Farve:Sand", "Farve:Koksgrå"),
)
GRINDER = _Product(
    "KAFFEKVÆRN_MANUEL_HARIO_SKERTON_PRO", "Hario Skerton Pro manuel kaffekværn", Decimal("449.00")
)
SOCKS = _Product(
    "STRØMPE-3PK",
    "Strømper 3-pak, økologisk bomuld",
    Decimal("99.00"),
    variants=("Størrelse:36-40", "Størrelse:41-45"),
)
TOTE = _Product("TASKE-MULEPOSE-XL", _LONG_NAME, Decimal("149.00"))
GIFT_CARD = _Product("GAVEKORT-500", "Gavekort 500 kr.", Decimal("500.00"), vat_pct="0")
DISCOUNT = _Product("RABAT", "Rabat", Decimal("0"))

PRODUCTS: tuple[_Product, ...] = (
    T_SHIRT,
    HOODIE,
    ESPRESSO,
    ETIOPIEN,
    EARL_GREY,
    BOOK_HB,
    BOOK_PB,
    MUG,
    GRINDER,
    SOCKS,
    TOTE,
    GIFT_CARD,
    DISCOUNT,
)
_EVERYDAY = (T_SHIRT, HOODIE, ESPRESSO, ETIOPIEN, EARL_GREY, BOOK_HB, BOOK_PB, MUG, SOCKS)

_CUSTOMERS: tuple[Party, ...] = (
    Party(
        "Karen Lund",
        "Nørrebrogade 12, 3. th.",
        "2200",
        "København N",
        phone="26457812",
        email="karen.lund@example.dk",
        id="100101",
    ),
    Party(
        "Jens Mikkelsen",
        "Vestergade 7",
        "8000",
        "Aarhus C",
        phone="40112233",
        email="jens.m@example.dk",
        id="100102",
    ),
    Party(
        "Sofie Kristensen",
        "Algade 33, 1.",
        "9000",
        "Aalborg",
        phone="+45 22 33 44 55",
        email="sofie.k@example.net",
        id="100103",
    ),
    Party(
        "Mads Østergaard",
        "Søndergade 2B",
        "5000",
        "Odense C",
        phone="51515151",
        email="mads.ostergaard@example.dk",
        id="100104",
    ),
    Party(
        "Ida Frederiksen",
        "Strandvejen 190",
        "2900",
        "Hellerup",
        phone="31203120",
        email="ida@example.org",
        id="100105",
    ),
    Party(
        "Peter Bæk Hansen",
        "Å-stien 4",
        "6000",
        "Kolding",
        phone="20 30 40 50",
        email="pbh@example.dk",
        id="100106",
    ),
    Party(
        "Anne-Marie Sørensen",
        "Torvet 1",
        "4000",
        "Roskilde",
        phone="61616161",
        email="annemarie.sorensen@example.dk",
        id="100107",
    ),
    Party(
        "Lars Thøgersen",
        "Industrivej 14",
        "7100",
        "Vejle",
        phone="42424242",
        email="lars.t@example.com",
        id="100108",
    ),
    Party(
        "Emma Dahl",
        "Kongensgade 55, st.",
        "6700",
        "Esbjerg",
        phone="29292929",
        email="emma.dahl@example.dk",
        id="100109",
    ),
    Party(
        "Rasmus Holm",
        "Bredgade 21",
        "7400",
        "Herning",
        phone="60708090",
        email="rasmus.holm@example.dk",
        id="100110",
    ),
)

#: (pickup point name, street, zip, city, parcel shop number)
_PARCEL_SHOPS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Netto Ryesgade", "Ryesgade 21", "8000", "Aarhus C", "95864"),
    ("Circle K Vesterbro", "Vesterbrogade 120", "1620", "København V", "12093"),
    ("SuperBrugsen Hillerød", "Slotsgade 4", "3400", "Hillerød", "40417"),
    ("Kiosken ved Banegården", "Banegårdspladsen 3", "5000", "Odense C", "77120"),
)

_COMMENT_PARAGRAPH = (
    "Hej! Pakken må gerne stilles ved bagdøren ud mod gården, hvis vi ikke er hjemme — der er en "
    "overdækket bænk, hvor den kan stå tørt. Kaffen er en gave til min far, så læg venligst ikke "
    "faktura eller prisseddel i pakken. Hvis hættetrøjen ikke er på lager i L, vil jeg hellere "
    "have M end vente. På forhånd tak, og god weekend til jer alle i butikken! "
)


def demo_methods() -> DemoMethods:
    """Payment and shipping method ids/names the seeded orders use (they are the shop's list)."""
    return DemoMethods(payment=catalog.PAYMENT_METHODS, shipping=catalog.SHIPPING_METHODS)


def demo_catalogue(shop: ShopData, *, missing_sku: str = "UDGAAET-4711") -> list[ProductSpec]:
    """Every SKU on the shop's orders except ``missing_sku`` and empty product ids, first-seen."""
    known = {product.sku: product.spec() for product in PRODUCTS}
    seen: dict[str, ProductSpec] = {}
    with shop.lock:
        orders = [shop.orders[order_id] for order_id in sorted(shop.orders)]
        for order in orders:
            for line in order["orderLines"]:
                sku = line["productId"]
                if not sku or sku == missing_sku or sku in seen:
                    continue
                seen[sku] = known.get(sku) or ProductSpec(sku, line["productName"], line["vatPct"])
    return list(seen.values())


def _net(gross: Decimal, vat_pct: str = "25") -> Decimal:
    return round2(gross / (1 + dec(vat_pct) / 100))


def _foreign_gross(product: _Product, factor: Decimal) -> Decimal:
    """Round foreign prices to ``x.95`` like a shop would."""
    return Decimal(int(product.gross_dkk * 100 / factor)) + Decimal("0.95")


def _line(
    product: _Product,
    qty: int,
    rng: random.Random,
    *,
    zero_vat: bool = False,
    factor: Decimal | None = None,
) -> LineSpec:
    gross = product.gross_dkk if factor is None else _foreign_gross(product, factor)
    vat = "0" if zero_vat else product.vat_pct
    return LineSpec(
        product.sku,
        product.name,
        qty,
        _net(gross, product.vat_pct),
        vat_pct=vat,
        variant=rng.choice(product.variants),
    )


def _parcel_delivery(customer: Party, rng: random.Random) -> Party:
    name, street, zip_code, city, number = rng.choice(_PARCEL_SHOPS)
    return Party(
        name,
        street,
        zip_code,
        city,
        attention=customer.name,
        address2=f"Pakkeshop: {number}",
        phone=customer.phone,
        email=customer.email,
    )


def seed_demo_orders(
    shop: ShopData,
    *,
    count: int = 36,
    seed: int = 1,
    start_id: int = 1001,
    missing_sku: str = "UDGAAET-4711",
) -> list[int]:
    """Add ``count`` deterministic orders (ids ``start_id``…) to ``shop``; returns their ids.

    The first 21 are special cases (parcel shop, B2B, EU with/without VAT number, Norway, EUR,
    incomplete, empty customer id, long texts, the missing SKU, discounts, gift cards …); the
    rest are ordinary domestic B2C orders. ``count`` must be at least 21 so every case exists.
    """
    rng = random.Random(seed)
    scenarios = _scenarios(missing_sku)
    if count < len(scenarios):
        raise ValueError(f"count must be >= {len(scenarios)}")
    ids: list[int] = []
    moment = SEED_START
    for index in range(count):
        order_id = start_id + index
        moment += timedelta(hours=4, minutes=rng.randint(0, 240))
        build = scenarios[index] if index < len(scenarios) else _domestic
        order, semantics = build(order_id, rng, moment)
        shop.add_order(order, fee_semantics=semantics)
        ids.append(order_id)
    return ids


type _Scenario = Callable[[int, random.Random, datetime], tuple[Order, FeeSemantics]]


class _Common(TypedDict):
    created: datetime
    modified: datetime
    state_id: int
    ip: str
    tracking_number: str
    transaction_number: str | None


def _common(rng: random.Random, created: datetime, *, shipped: bool = True) -> _Common:
    later = timedelta(hours=rng.randint(18, 50), minutes=rng.randint(0, 59))
    return {
        "created": created,
        "modified": created + later if shipped else created + timedelta(minutes=2),
        "state_id": BOOKING_STATE_ID if shipped else 1,
        "ip": f"198.51.100.{rng.randint(2, 250)}",
        "tracking_number": f"00057{rng.randint(10**9, 10**10 - 1)}" if shipped else "",
        "transaction_number": str(rng.randint(10**15, 10**16 - 1)),
    }


def _domestic(order_id: int, rng: random.Random, created: datetime) -> tuple[Order, FeeSemantics]:
    customer = rng.choice(_CUSTOMERS)
    products = rng.sample(_EVERYDAY, rng.randint(1, 4))
    lines = [_line(p, rng.choice((1, 1, 1, 2, 3)), rng) for p in products]
    gross = sum(
        (p.gross_dkk * spec.qty for p, spec in zip(products, lines, strict=True)), Decimal(0)
    )
    parcel = rng.random() < 0.4
    if gross >= 499:
        shipping = catalog.SHIP_FREE
    elif parcel:
        shipping = catalog.SHIP_GLS_SHOP
    else:
        shipping = catalog.SHIP_POSTNORD_HOME
    payment = rng.choice((catalog.PAY_CARD, catalog.PAY_CARD, catalog.PAY_MOBILEPAY))
    semantics: FeeSemantics = "flag" if order_id % 5 == 0 else "gross"
    order = build_order(
        order_id,
        lines=lines,
        shipping=shipping.as_tuple(),
        payment=payment.as_tuple(),
        customer=customer,
        delivery=_parcel_delivery(customer, rng) if parcel else None,
        fee_semantics=semantics,
        **_common(rng, created),
    )
    return order, semantics


def _scenarios(missing_sku: str) -> list[_Scenario]:
    def fixture_like(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        customer = _CUSTOMERS[0]
        lines = [_line(T_SHIRT, 1, rng)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_GLS_SHOP.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=customer,
            delivery=_parcel_delivery(customer, rng),
            **_common(rng, at),
        )
        return order, "gross"

    def mobilepay_home(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        lines = [_line(ESPRESSO, 2, rng), _line(EARL_GREY, 1, rng)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_POSTNORD_HOME.as_tuple(),
            payment=catalog.PAY_MOBILEPAY.as_tuple(),
            customer=_CUSTOMERS[1],
            **_common(rng, at),
        )
        return order, "gross"

    def b2b(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        company = Party(
            "Kaffebaren Vesterbro ApS",
            "Istedgade 88",
            "1650",
            "København V",
            attention="Mette Holm",
            phone="33 21 45 67",
            email="bogholderi@kaffebaren-example.dk",
            id="200301",
            ean="5790001234567",
        )
        lines = [_line(ESPRESSO, 12, rng), _line(MUG, 6, rng), _line(GRINDER, 1, rng)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_POSTNORD_HOME.as_tuple(),
            payment=catalog.PAY_INVOICE_B2B.as_tuple(),
            customer=company,
            vat_reg_number="DK29403473",
            reference_number="PO-2026-0142",
            fee_semantics="flag",
            **_common(rng, at),
        )
        return order, "flag"

    def eu_with_vat(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        buyer = Party(
            "Koffiebranderij De Molen BV",
            "Kouter 112",
            "9000",
            "Gent",
            country=catalog.BELGIUM.name,
            country_id=catalog.BELGIUM.id,
            attention="Pieter Janssens",
            phone="+32 9 123 45 67",
            email="inkoop@demolen-example.be",
            id="200302",
        )
        lines = [_line(GRINDER, 4, rng, zero_vat=True), _line(BOOK_HB, 3, rng, zero_vat=True)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_ABROAD.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=buyer,
            vat_pct="0",
            vat_reg_number="BE0456789123",
            **_common(rng, at),
        )
        return order, "gross"

    def eu_private_sek(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        buyer = Party(
            "Linnea Andersson",
            "Storgatan 14",
            "211 42",
            "Malmö",
            country=catalog.SVERIGE.name,
            country_id=catalog.SVERIGE.id,
            phone="+46 70 123 45 67",
            email="linnea.a@example.se",
            id="100201",
        )
        factor = Decimal("68.35")
        lines = [_line(ETIOPIEN, 2, rng, factor=factor), _line(SOCKS, 1, rng, factor=factor)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_SE_POSTNORD.as_tuple(),
            payment=catalog.PAY_SE_SWISH.as_tuple(),
            customer=buyer,
            site_id=catalog.SITE_SE,
            currency="SEK",
            **_common(rng, at),
        )
        return order, "gross"

    def norway(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        buyer = Party(
            "Ole Nordmann",
            "Karl Johans gate 22",
            "0159",
            "Oslo",
            country=catalog.NORGE.name,
            country_id=catalog.NORGE.id,
            phone="+47 912 34 567",
            email="ole.nordmann@example.no",
            id="100202",
        )
        lines = [_line(HOODIE, 1, rng, zero_vat=True), _line(T_SHIRT, 2, rng, zero_vat=True)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_ABROAD.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=buyer,
            vat_pct="0",
            **_common(rng, at),
        )
        return order, "gross"

    def eur_site(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        buyer = Party(
            "Julia Schneider",
            "Friedrichstraße 45",
            "10117",
            "Berlin",
            country=catalog.TYSKLAND.name,
            country_id=catalog.TYSKLAND.id,
            phone="+49 30 1234567",
            email="julia.schneider@example.de",
            id="100203",
        )
        factor = Decimal("746.1")
        lines = [_line(BOOK_PB, 1, rng, factor=factor), _line(MUG, 2, rng, factor=factor)]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_DE_DHL.as_tuple(),
            payment=catalog.PAY_DE_PAYPAL.as_tuple(),
            customer=buyer,
            site_id=catalog.SITE_DE,
            currency="EUR",
            fee_semantics="flag",
            **_common(rng, at),
        )
        return order, "flag"

    def incomplete(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        common = _common(rng, at, shipped=False)
        common["transaction_number"] = None
        order = build_order(
            oid,
            lines=[_line(BOOK_HB, 1, rng), _line(EARL_GREY, 2, rng)],
            shipping=catalog.SHIP_GLS_SHOP.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[2],
            incomplete=True,
            **common,
        )
        return order, "gross"

    def guest(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        buyer = Party(
            "Henrik Vestergaard",
            "Skolevej 9",
            "8600",
            "Silkeborg",
            phone="24682468",
            email="henrik.v@example.dk",
            id="",
        )
        order = build_order(
            oid,
            lines=[_line(ETIOPIEN, 3, rng)],
            shipping=catalog.SHIP_POSTNORD_HOME.as_tuple(),
            payment=catalog.PAY_BANK.as_tuple(),
            customer=buyer,
            **_common(rng, at),
        )
        order["transactionNumber"] = None
        return order, "gross"

    def long_texts(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        comment = (_COMMENT_PARAGRAPH * 4).strip()
        order = build_order(
            oid,
            lines=[_line(TOTE, 2, rng), _line(HOODIE, 1, rng)],
            shipping=catalog.SHIP_FREE.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[3],
            customer_comment=comment,
            comment="Kunden har ringet: husk gaveindpakning.",
            **_common(rng, at),
        )
        return order, "gross"

    def missing(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        lines = [
            _line(ESPRESSO, 1, rng),
            LineSpec(
                missing_sku, "Kaffefilter nr. 4, 100 stk. (udgået)", 3, _net(Decimal("24.95"))
            ),
        ]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_GLS_SHOP.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[4],
            delivery=_parcel_delivery(_CUSTOMERS[4], rng),
            **_common(rng, at),
        )
        return order, "gross"

    def free_shipping(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        order = build_order(
            oid,
            lines=[_line(GRINDER, 1, rng), _line(ESPRESSO, 2, rng)],
            shipping=catalog.SHIP_FREE.as_tuple(),
            payment=catalog.PAY_MOBILEPAY.as_tuple(),
            customer=_CUSTOMERS[5],
            **_common(rng, at),
        )
        return order, "gross"

    def discount_line(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        lines = [
            _line(HOODIE, 1, rng),
            _line(SOCKS, 2, rng),
            LineSpec("", "Rabatkode: SOMMER10", 1, Decimal("-51.76")),
        ]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_FREE.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[6],
            **_common(rng, at),
        )
        return order, "gross"

    def sales_discount(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        lines = [
            _line(BOOK_HB, 1, rng),
            _line(BOOK_PB, 1, rng),
            LineSpec(DISCOUNT.sku, "Rabat: 2 bøger", 1, Decimal("-40.00")),
        ]
        order = build_order(
            oid,
            lines=lines,
            shipping=catalog.SHIP_POSTNORD_HOME.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[7],
            sales_discount=50,
            fee_semantics="flag",
            **_common(rng, at),
        )
        return order, "flag"

    def gift_redeemed(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        order = build_order(
            oid,
            lines=[_line(HOODIE, 1, rng), _line(MUG, 2, rng)],
            shipping=catalog.SHIP_FREE.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[8],
            gift_certificate=250,
            gift_certificate_number="GK-7F3A-22B9",
            **_common(rng, at),
        )
        return order, "gross"

    def gift_sold(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        order = build_order(
            oid,
            lines=[_line(GIFT_CARD, 1, rng), _line(EARL_GREY, 1, rng)],
            shipping=catalog.SHIP_GLS_SHOP.as_tuple(),
            payment=catalog.PAY_CARD.as_tuple(),
            customer=_CUSTOMERS[9],
            delivery=_parcel_delivery(_CUSTOMERS[9], rng),
            **_common(rng, at),
        )
        return order, "gross"

    def abroad(buyer: Party, products: tuple[_Product, ...]) -> _Scenario:
        def build(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
            order = build_order(
                oid,
                lines=[_line(p, rng.randint(1, 3), rng, zero_vat=True) for p in products],
                shipping=catalog.SHIP_ABROAD.as_tuple(),
                payment=catalog.PAY_CARD.as_tuple(),
                customer=buyer,
                vat_pct="0",
                **_common(rng, at),
            )
            return order, "gross"

        return build

    greenland = Party(
        "Aviaja Kleist",
        "Aqqusinersuaq 6",
        "3900",
        "Nuuk",
        country=catalog.GRONLAND.name,
        country_id=catalog.GRONLAND.id,
        phone="+299 32 12 34",
        email="aviaja@example.gl",
        id="100204",
    )
    britain = Party(
        "Oliver Bennett",
        "14 Camden High Street",
        "NW1 0JH",
        "London",
        country=catalog.STORBRITANNIEN.name,
        country_id=catalog.STORBRITANNIEN.id,
        phone="+44 20 7946 0123",
        email="oliver.bennett@example.co.uk",
        id="100205",
    )

    def pickup_bank(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        order = build_order(
            oid,
            lines=[_line(MUG, 4, rng)],
            shipping=catalog.SHIP_PICKUP.as_tuple(),
            payment=catalog.PAY_BANK.as_tuple(),
            customer=_CUSTOMERS[1],
            **_common(rng, at),
        )
        order["transactionNumber"] = None
        return order, "gross"

    def viabill(oid: int, rng: random.Random, at: datetime) -> tuple[Order, FeeSemantics]:
        customer = _CUSTOMERS[5]
        order = build_order(
            oid,
            lines=[_line(T_SHIRT, 2, rng), _line(SOCKS, 1, rng)],
            shipping=catalog.SHIP_GLS_SHOP.as_tuple(),
            payment=catalog.PAY_VIABILL.as_tuple(),
            customer=customer,
            delivery=_parcel_delivery(customer, rng),
            fee_semantics="flag",
            **_common(rng, at),
        )
        return order, "flag"

    return [
        fixture_like,
        mobilepay_home,
        b2b,
        eu_with_vat,
        eu_private_sek,
        norway,
        eur_site,
        incomplete,
        guest,
        long_texts,
        missing,
        free_shipping,
        discount_line,
        sales_discount,
        gift_redeemed,
        gift_sold,
        abroad(greenland, (BOOK_PB, ETIOPIEN)),
        abroad(britain, (T_SHIRT, EARL_GREY, SOCKS)),
        pickup_bank,
        viabill,
        _domestic,
    ]
