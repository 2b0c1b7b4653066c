"""Deterministic demo orders for the Webshop sandbox: the ground the Classic demo seed covers
(sandbox/dandomain/seed.py), in the Webshop's shapes, with the same products.

The first cases are special (parcel shop, B2B with CVR/EAN on invoice, EU business with a VAT
number, EU private in SEK, Norway, EUR, not completed, received but not sent, a guest paying
by bank transfer, long texts, a product e-conomic does not have, free shipping, a discount
code, a line discount, a gift card redeemed and one sold, Greenland, Britain, pick-up, ViaBill,
a double-encoded name, a credit note); the rest are ordinary domestic orders.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sandbox.dandomain import seed as classic
from sandbox.dandomain.seed import ProductSpec
from sandbox.webshop import catalog
from sandbox.webshop.catalog import Currency, Method
from sandbox.webshop.orders import (
    SHOP_TZ,
    Buyer,
    DiscountCode,
    Line,
    OrderSpec,
    credit_note,
    negated,
    round2,
)
from sandbox.webshop.state import WebshopShop

BOOKING_STATUS = catalog.STATUS_SENT
CANCEL_STATUS = catalog.STATUS_CANCELLED
SEED_START = datetime(2026, 3, 24, 8, 30, tzinfo=SHOP_TZ)  # crosses the 29 March DST switch
MISSING_SKU = "UDGAAET-4711"
FIRST_ID = 2001

_BUYERS: tuple[Buyer, ...] = (
    Buyer("Karen", "Lund", "Nørrebrogade 12, 3. th.", "2200", "København N",
          email="karen.lund@example.dk", phone="26457812", customer_id=300101),
    Buyer("Jens", "Mikkelsen", "Vestergade 7", "8000", "Aarhus C",
          email="jens.m@example.dk", mobile="40112233", customer_id=300102),
    Buyer("Sofie", "Kristensen", "Algade 33, 1.", "9000", "Aalborg",
          email="sofie.k@example.net", phone="+45 22 33 44 55", customer_id=300103),
    Buyer("Mads", "Østergaard", "Søndergade 2B", "5000", "Odense C",
          email="mads.ostergaard@example.dk", phone="51515151", customer_id=300104),
    Buyer("Ida", "Frederiksen", "Strandvejen 190", "2900", "Hellerup",
          email="ida@example.org", phone="31203120", customer_id=300105),
    Buyer("Peter", "Bæk Hansen", "Å-stien 4", "6000", "Kolding",
          email="pbh@example.dk", phone="20 30 40 50", customer_id=300106),
    Buyer("Anne-Marie", "Sørensen", "Torvet 1", "4000", "Roskilde",
          email="annemarie.sorensen@example.dk", phone="61616161", customer_id=300107),
    Buyer("Lars", "Thøgersen", "Industrivej 14", "7100", "Vejle",
          email="lars.t@example.com", phone="42424242", customer_id=300108),
    Buyer("Emma", "Dahl", "Kongensgade 55, st.", "6700", "Esbjerg",
          email="emma.dahl@example.dk", phone="29292929", customer_id=300109),
    Buyer("Rasmus", "Holm", "Bredgade 21", "7400", "Herning",
          email="rasmus.holm@example.dk", phone="60708090", customer_id=300110),
)  # fmt: skip

#: (pick-up point, street, zip, city, droppoint number)
_PARCEL_SHOPS = (
    ("Netto Ryesgade", "Ryesgade 21", "8000", "Aarhus C", "95864"),
    ("Circle K Vesterbro", "Vesterbrogade 120", "1620", "København V", "12093"),
    ("SuperBrugsen Hillerød", "Slotsgade 4", "3400", "Hillerød", "40417"),
)

_EVERYDAY = (
    classic.T_SHIRT,
    classic.HOODIE,
    classic.ESPRESSO,
    classic.ETIOPIEN,
    classic.EARL_GREY,
    classic.BOOK_HB,
    classic.BOOK_PB,
    classic.MUG,
    classic.SOCKS,
)
_KNOWN = {product.sku: product for product in classic.PRODUCTS}


@dataclass(frozen=True, slots=True)
class DemoMethods:
    payment: tuple[Method, ...]
    delivery: tuple[Method, ...]


def demo_methods() -> DemoMethods:
    return DemoMethods(payment=catalog.PAYMENT_METHODS, delivery=catalog.DELIVERY_METHODS)


def demo_catalogue(shop: WebshopShop, *, missing_sku: str = MISSING_SKU) -> list[ProductSpec]:
    """Every SKU on the shop's orders but `missing_sku` (and empty ones), first seen first."""
    seen: dict[str, ProductSpec] = {}
    with shop.lock:
        for order_id in sorted(shop.orders):
            for line in shop.orders[order_id]["OrderLines"]:
                sku = line["ItemNumber"]
                if not sku or sku == missing_sku or sku in seen:
                    continue
                known = _KNOWN.get(sku)
                seen[sku] = known.spec() if known else ProductSpec(sku, line["ProductTitle"])
    return list(seen.values())


def _foreign(gross_dkk: Decimal, currency: Currency) -> Decimal:
    """A foreign price rounded to x.95, as a shop would show it."""
    return Decimal(int(gross_dkk / currency.rate)) + Decimal("0.95")


def _line(
    product: classic._Product,
    qty: int,
    rng: random.Random,
    *,
    export: bool = False,
    currency: Currency = catalog.DKK,
    discount: Decimal = Decimal(0),
) -> Line:
    """`export`: sold without VAT (EU business, outside the EU): the net price, 0 %."""
    rate = Decimal(product.vat_pct)
    gross = product.gross_dkk if currency is catalog.DKK else _foreign(product.gross_dkk, currency)
    if export:
        gross, rate = round2(gross / (1 + rate / 100)), Decimal(0)
    variant = rng.choice(product.variants).replace(":", ": ")
    return Line(product.sku, product.name, qty, gross, rate, variant=variant, discount=discount)


def _parcel(buyer: Buyer, rng: random.Random) -> tuple[Buyer, str]:
    name, street, zip_code, city, number = rng.choice(_PARCEL_SHOPS)
    to = Buyer(buyer.firstname, buyer.lastname, street, zip_code, city, company=name)
    return to, number


def _timing(rng: random.Random, created: datetime, *, sent: bool = True) -> dict[str, object]:
    later = created + timedelta(hours=rng.randint(18, 50), minutes=rng.randint(0, 59))
    if not sent:
        return {"created": created, "updated": created + timedelta(minutes=2)}
    return {
        "created": created,
        "updated": later,
        "sent": later,
        "tracking_code": f"00057{rng.randint(10**9, 10**10 - 1)}",
    }


type _Scenario = Callable[[int, random.Random, datetime], OrderSpec]

_COMMENT = (
    "Hej! Pakken må gerne stilles ved bagdøren ud mod gården, hvis vi ikke er hjemme — der er "
    "en overdækket bænk, hvor den kan stå tørt. Kaffen er en gave til min far, så læg venligst "
    "ikke faktura eller prisseddel i pakken. På forhånd tak! "
)


def _domestic(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
    buyer = rng.choice(_BUYERS)
    products = rng.sample(_EVERYDAY, rng.randint(1, 4))
    lines = [_line(p, rng.choice((1, 1, 1, 2, 3)), rng) for p in products]
    gross = sum((line.gross * line.qty for line in lines), Decimal(0))
    parcel = rng.random() < 0.4
    ship_to, droppoint = _parcel(buyer, rng) if parcel else (None, "")
    if gross >= 499:
        delivery = catalog.SHIP_FREE
    else:
        delivery = catalog.SHIP_GLS_SHOP if parcel else catalog.SHIP_POSTNORD_HOME
    return OrderSpec(
        oid,
        lines,
        buyer,
        delivery=delivery,
        payment=rng.choice((catalog.PAY_CARD, catalog.PAY_CARD, catalog.PAY_MOBILEPAY)),
        ship_to=ship_to,
        droppoint=droppoint,
        **_timing(rng, at),  # type: ignore[arg-type]
    )


def _scenarios(missing_sku: str) -> list[tuple[str, _Scenario]]:
    b = _BUYERS

    def spec(oid: int, rng: random.Random, at: datetime, **kw: object) -> OrderSpec:
        timing = _timing(rng, at, sent=kw.pop("sent", True) is not False)
        return OrderSpec(oid, **kw, **timing)  # type: ignore[arg-type]

    def fixture_like(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        to, number = _parcel(b[0], rng)
        return spec(
            oid,
            rng,
            at,
            lines=[_line(classic.T_SHIRT, 1, rng)],
            buyer=b[0],
            delivery=catalog.SHIP_GLS_SHOP,
            ship_to=to,
            droppoint=number,
        )

    def mobilepay_home(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.ESPRESSO, 2, rng), _line(classic.EARL_GREY, 1, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[1], payment=catalog.PAY_MOBILEPAY)

    def b2b_invoice(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        company = Buyer("Mette", "Holm", "Istedgade 88", "1650", "København V",
                        company="Kaffebaren Vesterbro ApS", cvr="29403473", ean="5790001234567",
                        email="bogholderi@kaffebaren-example.dk", phone="33 21 45 67",
                        customer_id=400301)  # fmt: skip
        lines = [_line(classic.ESPRESSO, 12, rng), _line(classic.MUG, 6, rng),
                 _line(classic.GRINDER, 1, rng)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=company, payment=catalog.PAY_INVOICE_B2B,
                    paid=False, reference_number="PO-2026-0142")  # fmt: skip

    def eu_business(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        buyer = Buyer("Pieter", "Janssens", "Kouter 112", "9000", "Gent",
                      country=catalog.BELGIEN, company="Koffiebranderij De Molen BV",
                      cvr="BE0456789123", email="inkoop@demolen-example.be",
                      phone="+32 9 123 45 67", customer_id=400302)  # fmt: skip
        lines = [_line(classic.GRINDER, 4, rng, export=True),
                 _line(classic.BOOK_HB, 3, rng, export=True)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=buyer, delivery=catalog.SHIP_ABROAD)

    def eu_private_sek(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        buyer = Buyer("Linnea", "Andersson", "Storgatan 14", "211 42", "Malmö",
                      country=catalog.SVERIGE, email="linnea.a@example.se",
                      phone="+46 70 123 45 67", customer_id=300201)  # fmt: skip
        sek = catalog.SEK
        lines = [_line(classic.ETIOPIEN, 2, rng, currency=sek),
                 _line(classic.SOCKS, 1, rng, currency=sek)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=buyer, currency=sek, site=catalog.SITE_SE,
                    delivery=catalog.SHIP_SE_POSTNORD, payment=catalog.PAY_SWISH,
                    language="SE", card_type="Swish")  # fmt: skip

    def norway(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        buyer = Buyer("Ole", "Nordmann", "Karl Johans gate 22", "0159", "Oslo",
                      country=catalog.NORGE, email="ole.nordmann@example.no",
                      phone="+47 912 34 567", customer_id=300202)  # fmt: skip
        lines = [_line(classic.HOODIE, 1, rng, export=True),
                 _line(classic.T_SHIRT, 2, rng, export=True)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=buyer, delivery=catalog.SHIP_ABROAD)

    def eur_site(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        buyer = Buyer("Julia", "Schneider", "Friedrichstraße 45", "10117", "Berlin",
                      country=catalog.TYSKLAND, email="julia.schneider@example.de",
                      phone="+49 30 1234567", customer_id=300203)  # fmt: skip
        eur = catalog.EUR
        lines = [_line(classic.BOOK_PB, 1, rng, currency=eur),
                 _line(classic.MUG, 2, rng, currency=eur)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=buyer, currency=eur, site=catalog.SITE_DE,
                    delivery=catalog.SHIP_DE_DHL, payment=catalog.PAY_PAYPAL, language="DE",
                    card_type="PayPal")  # fmt: skip

    def not_completed(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.BOOK_HB, 1, rng), _line(classic.EARL_GREY, 2, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[2], delivery=catalog.SHIP_GLS_SHOP,
                    status=catalog.STATUS_NOT_RECEIVED, paid=False, sent=False)  # fmt: skip

    def received_not_sent(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.MUG, 1, rng), _line(classic.ESPRESSO, 1, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[3], status=catalog.STATUS_RECEIVED,
                    sent=False)  # fmt: skip

    def guest_bank(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        guest = Buyer("Henrik", "Vestergaard", "Skolevej 9", "8600", "Silkeborg",
                      email="henrik.v@example.dk", phone="24682468")  # fmt: skip
        return spec(oid, rng, at, lines=[_line(classic.ETIOPIEN, 3, rng)], buyer=guest,
                    payment=catalog.PAY_BANK, paid=False)  # fmt: skip

    def long_texts(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.TOTE, 2, rng), _line(classic.HOODIE, 1, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[3], delivery=catalog.SHIP_FREE,
                    customer_comment=(_COMMENT * 4).strip(),
                    order_comment="Kunden har ringet: husk gaveindpakning.")  # fmt: skip

    def missing_product(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        to, number = _parcel(b[4], rng)
        lines = [
            _line(classic.ESPRESSO, 1, rng),
            Line(missing_sku, "Kaffefilter nr. 4, 100 stk. (udgået)", 3, Decimal("24.95")),
        ]
        return spec(oid, rng, at, lines=lines, buyer=b[4], delivery=catalog.SHIP_GLS_SHOP,
                    ship_to=to, droppoint=number)  # fmt: skip

    def free_shipping(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.GRINDER, 1, rng), _line(classic.ESPRESSO, 2, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[5], delivery=catalog.SHIP_FREE,
                    payment=catalog.PAY_MOBILEPAY)  # fmt: skip

    def discount_code(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.HOODIE, 1, rng), _line(classic.SOCKS, 2, rng)]
        goods = sum((line.gross * line.qty for line in lines), Decimal(0))
        code = DiscountCode("SOMMER10", round2(goods / 10), type="percent", value=Decimal(10))
        return spec(oid, rng, at, lines=lines, buyer=b[6], delivery=catalog.SHIP_FREE,
                    discount_codes=[code])  # fmt: skip

    def line_discount(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.MUG, 2, rng, discount=Decimal("20.00")),
                 _line(classic.BOOK_PB, 1, rng)]  # fmt: skip
        return spec(oid, rng, at, lines=lines, buyer=b[7])

    def gift_card_redeemed(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        lines = [_line(classic.HOODIE, 1, rng), _line(classic.MUG, 2, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[8], delivery=catalog.SHIP_FREE,
                    gift_card=Decimal(250))  # fmt: skip

    def gift_card_sold(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        to, number = _parcel(b[9], rng)
        lines = [_line(classic.GIFT_CARD, 1, rng), _line(classic.EARL_GREY, 1, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[9], delivery=catalog.SHIP_GLS_SHOP,
                    ship_to=to, droppoint=number)  # fmt: skip

    def abroad(buyer: Buyer, products: tuple[classic._Product, ...]) -> _Scenario:
        def build(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
            lines = [_line(p, rng.randint(1, 3), rng, export=True) for p in products]
            return spec(oid, rng, at, lines=lines, buyer=buyer, delivery=catalog.SHIP_ABROAD)

        return build

    greenland = Buyer("Aviaja", "Kleist", "Aqqusinersuaq 6", "3900", "Nuuk",
                      country=catalog.GRONLAND, email="aviaja@example.gl",
                      phone="+299 32 12 34", customer_id=300204)  # fmt: skip
    britain = Buyer("Oliver", "Bennett", "14 Camden High Street", "NW1 0JH", "London",
                    country=catalog.STORBRITANNIEN, email="oliver.bennett@example.co.uk",
                    phone="+44 20 7946 0123", customer_id=300205)  # fmt: skip

    def pickup_bank(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        return spec(
            oid,
            rng,
            at,
            lines=[_line(classic.MUG, 4, rng)],
            buyer=b[1],
            delivery=catalog.SHIP_PICKUP,
            payment=catalog.PAY_BANK,
            paid=False,
        )

    def viabill(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        to, number = _parcel(b[5], rng)
        lines = [_line(classic.T_SHIRT, 2, rng), _line(classic.SOCKS, 1, rng)]
        return spec(oid, rng, at, lines=lines, buyer=b[5], delivery=catalog.SHIP_GLS_SHOP,
                    payment=catalog.PAY_VIABILL, ship_to=to, droppoint=number)  # fmt: skip

    def double_encoded(oid: int, rng: random.Random, at: datetime) -> OrderSpec:
        # Stored after an integration called Solution_SetEncoding("UTF-8") and wrote it back.
        def mangle(text: str) -> str:
            return text.encode("utf-8").decode("cp1252")

        buyer = Buyer("Søren", mangle("Møller"), mangle("Åboulevarden 3"), "8000", "Aarhus C",
                      email="soren.moller@example.dk", phone="70707070",
                      customer_id=300111)  # fmt: skip
        return spec(oid, rng, at, lines=[_line(classic.EARL_GREY, 2, rng)], buyer=buyer)

    return [
        ("fixture_like", fixture_like),
        ("mobilepay_home", mobilepay_home),
        ("b2b_invoice", b2b_invoice),
        ("eu_business", eu_business),
        ("eu_private_sek", eu_private_sek),
        ("norway", norway),
        ("eur_site", eur_site),
        ("not_completed", not_completed),
        ("received_not_sent", received_not_sent),
        ("guest_bank", guest_bank),
        ("long_texts", long_texts),
        ("missing_product", missing_product),
        ("free_shipping", free_shipping),
        ("discount_code", discount_code),
        ("line_discount", line_discount),
        ("gift_card_redeemed", gift_card_redeemed),
        ("gift_card_sold", gift_card_sold),
        ("greenland", abroad(greenland, (classic.BOOK_PB, classic.ETIOPIEN))),
        ("britain", abroad(britain, (classic.T_SHIRT, classic.EARL_GREY, classic.SOCKS))),
        ("pickup_bank", pickup_bank),
        ("viabill", viabill),
        ("double_encoded", double_encoded),
    ]


SPECIAL_CASES = len(_scenarios(MISSING_SKU)) + 1  # + the credit note


def seed_demo_orders(
    shop: WebshopShop,
    *,
    count: int = 36,
    seed: int = 1,
    start_id: int = FIRST_ID,
    missing_sku: str = MISSING_SKU,
) -> list[int]:
    """Add `count` deterministic orders (ids `start_id`...) to `shop`; returns their ids.
    `shop.scenarios` names each special case; `shop.amounts` holds what each buyer owes."""
    scenarios = _scenarios(missing_sku)
    if count < SPECIAL_CASES:
        raise ValueError(f"count must be >= {SPECIAL_CASES}")
    rng = random.Random(seed)
    ids: list[int] = []
    moment = SEED_START
    for index in range(count):
        oid = start_id + index
        moment += timedelta(hours=4, minutes=rng.randint(0, 240))
        if index == len(scenarios):  # the credit note of the first (parcel-shop) order
            parent = shop.get_order(start_id)
            note = credit_note(parent, oid, moment)
            shop.add_order(note, amounts=negated(shop.amounts[start_id]), scenario="credit_note")
        elif index < len(scenarios):
            name, build = scenarios[index]
            shop.add(build(oid, rng, moment), scenario=name)
        else:
            shop.add(_domestic(oid, rng, moment), scenario="domestic")
        ids.append(oid)
    return ids
