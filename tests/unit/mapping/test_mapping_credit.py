"""Credit notes mirroring a booked invoice, and orders that changed after booking."""

from datetime import date

from autobook.domain.books import EconomicInvoice
from autobook.domain.mapping import (
    credit_note_draft,
    credit_reference,
    map_order,
    order_difference,
    order_fingerprint,
    order_snapshot,
)
from autobook.economic.models import invoice_from_json
from tests.contract.economic_schema import validator
from tests.unit.mapping.mapping_builders import line, order, ref, shop


def _booked() -> EconomicInvoice:
    """A booked invoice as e-conomic answers GET /invoices/booked/{n} (from our fixture draft),
    read by the adapter."""
    draft = map_order(order(currencyCode="EUR"), shop(), ref()).draft.to_body()
    return invoice_from_json(
        {
            **draft,
            "bookedInvoiceNumber": 1234,
            "exchangeRate": 746.12,
            "paymentTerms": {
                "paymentTermsNumber": 4,
                "paymentTermsType": "dueDate",
                "daysOfCredit": 0,
            },
            "grossAmount": 158.95,
            "lines": [
                {**x, "vatRate": 25, "vatAmount": 1, "totalNetAmount": x["unitNetPrice"]}
                for x in draft["lines"]
            ],
            "pdf": {"download": "https://restapi.e-conomic.com/invoices/booked/1234/pdf"},
            "self": "https://restapi.e-conomic.com/invoices/booked/1234",
        }
    )


def test_given_a_booked_invoice_then_the_credit_note_mirrors_it_with_negated_prices() -> None:
    credit = credit_note_draft(_booked(), date(2026, 6, 1))
    body = credit.to_body()

    assert list(validator("invoices.drafts.post").iter_errors(body)) == []
    assert body["customer"] == {"customerNumber": 1042}
    assert body["currency"] == "EUR"
    assert body["exchangeRate"] == 746.12  # the original rate, not today's
    assert body["date"] == "2026-06-01"
    assert body["dueDate"] == "2026-06-01"  # the terms are of type dueDate
    assert body["recipient"]["vatZone"] == {"vatZoneNumber": 1}
    assert [x["unitNetPrice"] for x in body["lines"]] == [-103.96, -23.2]
    assert [x["quantity"] for x in body["lines"]] == [1, 1]
    assert body["notes"]["heading"] == "Kreditnota til faktura 1234"
    assert body["references"]["other"] == "fit4fight-295591-K"


def test_given_a_reference_at_the_limit_then_the_credit_reference_still_fits() -> None:
    assert len(credit_reference("x" * 250)) == 250
    assert credit_reference("shop-1").endswith("-K")


def test_given_the_same_order_twice_then_the_fingerprint_is_stable() -> None:
    assert order_fingerprint(order()) == order_fingerprint(order())
    assert order_fingerprint(order()) != order_fingerprint(order(totalPrice=29))


def test_given_an_unchanged_order_then_there_is_no_difference() -> None:
    assert (
        order_difference(order_snapshot(order()), order(modifiedDate="/Date(1609972409000)/"))
        is None
    )


def test_given_a_sold_out_line_removed_after_booking_then_the_difference_says_so() -> None:
    booked = order_snapshot(order())
    changed = order(orderLines=[], totalPrice=29)

    difference = order_difference(booked, changed)

    assert difference is not None
    assert difference.en == "line 4009249-0001-12 removed; total 158.95 → 29.00"
    assert difference.da == "linjen 4009249-0001-12 er fjernet; total 158.95 → 29.00"


def test_given_quantity_and_added_lines_then_each_change_is_listed() -> None:
    first = line(sku="A", price=10, quantity=2, line_id=1)
    booked = order_snapshot(order(orderLines=[first], totalPrice=54))
    changed = order(
        orderLines=[{**first, "quantity": 1}, line(sku="B", price=5, line_id=2)],
        shippingInfo={"fee": 0},
        totalPrice=18.75,
    )

    difference = order_difference(booked, changed)

    assert difference is not None
    assert difference.en == (
        "line A quantity 2 → 1; line B added; shipping 29.00 → 0.00; total 54.00 → 18.75"
    )
    assert difference.da == (
        "linjen A antal 2 → 1; linjen B er tilføjet; fragt 29.00 → 0.00; total 54.00 → 18.75"
    )


def test_given_a_snapshot_then_it_survives_json() -> None:
    snapshot = order_snapshot(order())
    again = type(snapshot).model_validate_json(snapshot.model_dump_json())

    assert again == snapshot
    assert order_difference(again, order()) is None
