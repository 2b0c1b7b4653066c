"""The Webshop SOAP order -> Order adapter: every pitfall of dandomain.md §2.3/P4-P15, and the
money readings (docs/webshop.md)."""

from datetime import datetime
from decimal import Decimal

import pytest

from autobook.dandomain.sources import parse_order
from autobook.dandomain.webshop_adapter import (
    clean,
    parse_webshop_date,
    parse_webshop_order,
    repair_mojibake,
)
from autobook.domain.shop import WebshopSettings
from autobook.domain.vat_zone import ZoneKind, decide_vat_zone
from sandbox.webshop import catalog
from sandbox.webshop.orders import NULL_DATE, SHOP_TZ, Buyer, DiscountCode, Line, credit_note
from tests.unit.webshop.builders import BUYER, T_SHIRT, built, document, edited
from tests.unit.webshop.shops import webshop_shop

D = Decimal
NET = WebshopSettings(price_basis="net")
GROSS = WebshopSettings(price_basis="gross")


# ------------------------------------------------------------------ identity, dates, state


def test_given_a_soap_order_when_parsed_then_id_site_and_currency_iso_are_taken() -> None:
    order = parse_webshop_order(document(currency=catalog.EUR, site=catalog.SITE_DE))

    assert order.order_id == "2001"
    assert order.site_id == catalog.SITE_DE
    assert order.currency == "EUR"


def test_given_a_currency_id_snapshot_when_parsed_then_currency_iso_decides_never_the_id() -> None:
    doc = edited(document(), CurrencyId=1, Currency={"Id": 3, "Iso": "sek"})

    assert parse_webshop_order(doc).currency == "SEK"


def test_given_no_currency_block_when_parsed_then_the_projection_is_blamed() -> None:
    doc = document()
    del doc["Currency"]

    with pytest.raises(ValueError, match=r"Currency\.Iso"):
        parse_webshop_order(doc)


def test_given_an_id_only_projection_when_parsed_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="projection"):
        parse_webshop_order({"Id": 2001})


def test_given_null_dates_when_parsed_then_0000_dates_are_none() -> None:
    assert parse_webshop_date(NULL_DATE) is None
    assert parse_webshop_date("") is None
    moment = parse_webshop_date("2026-03-29 02:30:00")
    assert moment is not None
    assert moment.tzinfo is not None


def test_given_date_delivered_when_parsed_then_it_is_the_creation_time() -> None:
    order = parse_webshop_order(document())

    assert order.created_at.isoformat() == "2026-03-02T09:15:00+01:00"
    assert order.modified_at.isoformat() == "2026-03-03T12:00:00+01:00"


def test_given_created_at_field_date_sent_unset_when_parsed_then_date_updated_stands_in() -> None:
    settings = WebshopSettings(created_at_field="DateSent")

    order = parse_webshop_order(document(), settings)

    assert order.created_at == order.modified_at


def test_given_status_0_when_parsed_then_the_order_is_incomplete() -> None:
    order = parse_webshop_order(document(status=catalog.STATUS_NOT_RECEIVED, paid=False))

    assert order.incomplete
    assert order.state.id == 0


def test_given_a_status_string_when_parsed_then_it_is_the_state_id() -> None:
    order = parse_webshop_order(document(status=catalog.STATUS_SENT))

    assert order.state.id == 3
    assert not order.incomplete


def test_given_no_status_when_parsed_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="Status"):
        parse_webshop_order(edited(document(), Status=None))


# ------------------------------------------------------------------ customer, delivery, texts


def test_given_a_company_buyer_when_parsed_then_company_cvr_and_ean_are_kept() -> None:
    buyer = Buyer(
        "Mette", "Holm", "Istedgade 88", "1650", "København V",
        company="Kaffebaren ApS", cvr="29403473", ean="5790001234567", email="b@example.dk",
    )  # fmt: skip

    order = parse_webshop_order(document(buyer=buyer))

    assert order.customer.name == "Kaffebaren ApS"
    assert order.customer.attention == "Mette Holm"
    assert order.vat_reg_number == "29403473"
    assert order.customer.ean == "5790001234567"


def test_given_a_numeric_country_code_when_zoned_then_the_delivery_country_list_resolves_it() -> (
    None
):
    buyer = Buyer("Pieter", "J", "Kouter 1", "9000", "Gent", country=catalog.BELGIEN,
                  company="De Molen BV", cvr="BE0456789123", email="p@example.be")  # fmt: skip
    order = parse_webshop_order(document(buyer=buyer))

    zone = decide_vat_zone(order, webshop_shop(), {catalog.BELGIEN.id: "BE"})

    assert order.customer.country_id == catalog.BELGIEN.id
    assert zone.kind == ZoneKind.EU
    assert zone.country == "BE"


def test_given_an_iso_country_code_when_parsed_then_it_stands_in_for_a_missing_name() -> None:
    doc = edited(document(), Customer={"CountryCode": "dk", "Country": ""})

    party = parse_webshop_order(doc).customer

    assert party.country_id is None
    assert party.country == "DK"


def test_given_a_droppoint_when_parsed_then_the_parcel_shop_is_the_delivery_not_the_debtor() -> (
    None
):
    to = Buyer("Karen", "Lund", "Ryesgade 21", "8000", "Aarhus C", company="Netto Ryesgade")

    order = parse_webshop_order(document(ship_to=to, droppoint="95864",
                                         delivery=catalog.SHIP_GLS_SHOP))  # fmt: skip

    assert order.delivery is not None
    assert order.delivery.name == "Netto Ryesgade"
    assert order.delivery.attention == "Karen Lund"
    assert order.delivery.address2 == "Pakkeshop: 95864"
    assert order.customer.address == BUYER.address


def test_given_a_droppoint_without_a_shipping_address_when_parsed_then_its_number_is_kept() -> None:
    order = parse_webshop_order(document(droppoint="40417"))

    assert order.delivery is not None
    assert order.delivery.address2 == "Pakkeshop: 40417"


def test_given_no_shipping_address_when_parsed_then_there_is_no_delivery_block() -> None:
    assert parse_webshop_order(document()).delivery is None


def test_given_an_html_entity_in_a_payment_title_when_parsed_then_it_is_decoded() -> None:
    order = parse_webshop_order(document(payment=catalog.PAY_BANK, paid=False))

    assert order.payment.name == "Kontooverførsel"


def test_given_double_encoded_utf8_when_parsed_then_the_text_is_repaired() -> None:
    mangled = "Søren Møller".encode().decode("cp1252")
    buyer = Buyer("Søren", "Møller".encode().decode("cp1252"), "Åvej 1".encode().decode("cp1252"),
                  "8000", "Aarhus C", email="s@example.dk")  # fmt: skip

    order = parse_webshop_order(document(buyer=buyer))

    assert "Ã" in mangled
    assert order.customer.name == "Søren Møller"
    assert order.customer.address == "Åvej 1"


def test_given_clean_danish_text_when_repaired_then_it_is_unchanged() -> None:
    for text in ("Ærø Æblegården", "Øster Søgade", "São Paulo", "Â la carte"):
        assert repair_mojibake(text) == text
    assert clean("  Kontooverf&oslash;rsel ") == "Kontooverførsel"


# ------------------------------------------------------------------ money


def test_given_a_captured_transaction_when_parsed_then_the_total_is_the_amount_in_ore() -> None:
    doc, owed = built()

    order = parse_webshop_order(doc, NET)

    assert doc["Transactions"][0]["Amount"] == int(owed.paid * 100)
    assert order.total_gross == owed.paid
    assert order.transaction_number == doc["Transactions"][0]["TransactionNumberLong"]


def test_given_amount_full_disagrees_when_parsed_then_the_ore_amount_wins() -> None:
    doc, owed = built()
    doc["Transactions"][0]["AmountFull"] = 1.0

    assert parse_webshop_order(doc, NET).total_gross == owed.paid


def test_given_only_amount_full_when_parsed_then_it_is_used() -> None:
    doc, owed = built()
    doc["Transactions"][0]["Amount"] = 0

    assert parse_webshop_order(doc, NET).total_gross == owed.paid


def test_given_a_failed_transaction_when_parsed_then_it_paid_nothing() -> None:
    doc, owed = built()
    failed = dict(doc["Transactions"][0], Errorcode=51, Amount=99999)
    doc["Transactions"].append(failed)

    assert parse_webshop_order(doc, NET).total_gross == owed.paid


def test_given_net_prices_read_net_when_parsed_then_lines_are_net_with_their_rate() -> None:
    order = parse_webshop_order(document(), NET)

    assert [line.unit_net_price for line in order.lines] == [D("159.20"), D("103.20")]
    assert [line.vat_percent for line in order.lines] == [D(25), D(25)]


def test_given_gross_prices_read_gross_when_parsed_then_lines_are_netted() -> None:
    order = parse_webshop_order(document(basis="gross"), GROSS)

    assert [line.unit_net_price for line in order.lines] == [D("159.20"), D("103.20")]


@pytest.mark.parametrize("basis", ["net", "gross"])
def test_given_a_capture_when_read_auto_then_the_basis_that_adds_up_is_taken(basis: str) -> None:
    order = parse_webshop_order(document(basis=basis), WebshopSettings())

    assert order.lines[0].unit_net_price == D("159.20")


def test_given_no_capture_when_read_auto_then_prices_are_read_net_against_total() -> None:
    doc, owed = built(basis="gross", paid=False)

    order = parse_webshop_order(doc, WebshopSettings())

    assert order.lines[0].unit_net_price == D("199.00")  # the gross price, read as net
    assert order.total_gross == owed.total  # so the mapping cannot make it add up


def test_given_no_capture_when_read_net_then_the_total_is_what_the_buyer_owes() -> None:
    doc, owed = built(paid=False, payment=catalog.PAY_INVOICE_B2B)

    assert parse_webshop_order(doc, NET).total_gross == owed.gross


def test_given_no_capture_when_read_gross_then_the_total_is_total() -> None:
    doc, owed = built(basis="gross", paid=False)

    assert parse_webshop_order(doc, GROSS).total_gross == owed.total == owed.gross


def test_given_zero_vat_rates_when_a_rate_is_set_then_zero_lines_get_it() -> None:
    doc = document(zero_vat_rates=True)

    read_as_is = parse_webshop_order(doc, NET)
    read_25 = parse_webshop_order(doc, WebshopSettings(price_basis="net", zero_vat_rate=D(25)))

    assert {line.vat_percent for line in read_as_is.lines} == {D(0)}
    assert {line.vat_percent for line in read_25.lines} == {D(25)}
    assert read_25.vat_percent == D(25)


def test_given_a_fractional_vat_rate_when_parsed_then_it_is_a_percentage() -> None:
    doc = document()
    for line in doc["OrderLines"]:
        line["VatRate"] = 0.25

    assert {line.vat_percent for line in parse_webshop_order(doc, NET).lines} == {D(25)}


def test_given_fees_when_parsed_then_method_ids_prices_and_vat_flags_are_kept() -> None:
    order = parse_webshop_order(document(payment=catalog.PAY_MOBILEPAY), GROSS)

    assert order.payment.method_id == catalog.PAY_MOBILEPAY.id
    assert order.payment.amount == D("3.00")  # net: the sandbox shop's prices are net
    assert order.payment.flag_incl_vat is True
    assert order.shipping.method_id == catalog.SHIP_POSTNORD_HOME.id


@pytest.mark.parametrize(
    ("reading", "unit"),
    [("per_unit", D("87.20")), ("per_line", D("95.20")), ("included", D("103.20"))],
)
def test_given_a_line_discount_when_parsed_then_it_is_read_as_configured(
    reading: str, unit: Decimal
) -> None:
    doc = document(lines=[Line("KRUS-350", "Krus", 2, D("129.00"), discount=D("20.00"))])

    order = parse_webshop_order(doc, WebshopSettings(price_basis="net", line_discount=reading))

    assert order.lines[0].unit_net_price == unit


def test_given_discount_codes_when_parsed_then_they_are_the_sales_discount() -> None:
    codes = [DiscountCode("SOMMER10", D("50.00")), DiscountCode("VELKOMMEN", D("25.00"))]

    order = parse_webshop_order(document(basis="gross", discount_codes=codes), GROSS)

    assert order.sales_discount == D("75.00")


def test_given_a_gift_card_transaction_when_parsed_then_it_is_a_gift_certificate() -> None:
    doc, owed = built(gift_card=D(250))

    order = parse_webshop_order(doc, NET)

    assert order.gift_certificate_amount == D(250)
    assert order.total_gross == owed.paid == owed.payable
    assert order.gift_certificate_number


def test_given_a_credit_note_when_parsed_then_it_names_the_credited_order() -> None:
    parent, owed = built()
    note = credit_note(parent, 2002, datetime(2026, 3, 5, 10, 0, tzinfo=SHOP_TZ))

    order = parse_webshop_order(note, NET)

    assert order.credits_order_id == "2001"
    assert order.total_gross == -owed.paid
    assert all(line.quantity < 0 for line in order.lines)


@pytest.mark.parametrize(
    ("status", "waiting"), [(catalog.STATUS_DRAFT, True), (catalog.STATUS_CREDIT_NOTE, False)]
)
def test_given_a_credit_note_when_parsed_then_a_draft_one_is_incomplete(
    status: int, waiting: bool
) -> None:
    parent, _ = built()
    note = credit_note(parent, 2002, datetime(2026, 3, 5, 10, 0, tzinfo=SHOP_TZ), status=status)

    assert parse_webshop_order(note, NET).incomplete is waiting


def test_given_an_ordinary_order_in_the_draft_status_when_parsed_then_it_is_not_incomplete() -> (
    None
):
    doc = edited(document(), Status=str(catalog.STATUS_DRAFT))

    assert parse_webshop_order(doc, NET).incomplete is False


def test_given_an_origin_that_is_not_an_order_id_when_parsed_then_it_is_no_credit_note() -> None:
    for origin in ("", "0", "webshop"):
        assert parse_webshop_order(edited(document(), Origin=origin)).credits_order_id == ""


# ------------------------------------------------------------------ document forms


def test_given_zeep_item_wrappers_when_parsed_then_arrays_are_read() -> None:
    doc = document()
    doc["OrderLines"] = {"item": doc["OrderLines"], "_raw_elements": []}
    doc["Transactions"] = {"item": doc["Transactions"][0]}

    order = parse_webshop_order(doc, NET)

    assert len(order.lines) == 2
    assert order.transaction_number


def test_given_a_single_line_as_a_bare_object_when_parsed_then_it_is_one_line() -> None:
    doc = document(lines=[T_SHIRT])
    doc["OrderLines"] = doc["OrderLines"][0]

    assert len(parse_webshop_order(doc, NET).lines) == 1


def test_given_missing_keys_when_parsed_then_they_read_as_empty() -> None:
    doc = document()
    for key in ("OrderComment", "ReferenceNumber", "DiscountCodes", "Transactions"):
        del doc[key]
    del doc["Customer"]["Mobile"]

    order = parse_webshop_order(doc, NET)

    assert order.reference_number == ""
    assert order.sales_discount == 0


def test_given_the_platform_when_an_order_document_is_parsed_then_the_webshop_adapter_reads_it() -> (
    None
):
    order = parse_order("webshop", document(), webshop=NET)

    assert order.order_id == "2001"
    assert len(order.lines) == 2
    with pytest.raises(ValueError, match="platform"):
        parse_order("shopify", document())


def test_given_no_order_lines_key_when_parsed_then_the_order_has_no_lines() -> None:
    doc = document(paid=False)
    del doc["OrderLines"]

    assert parse_webshop_order(doc, NET).lines == ()
