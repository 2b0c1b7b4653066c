"""Is a document in e-conomic this order's? (pure)"""

from decimal import Decimal

import pytest

from autobook.domain.books import EconomicInvoice
from autobook.domain.ledger import Document
from autobook.domain.ownership import Verdict, differences, verify

pytestmark = pytest.mark.disable_socket

WROTE = Document(
    reference="SHOP-1001",
    customer_number=7,
    currency="DKK",
    net=Decimal("100.00"),
    gross=Decimal("125.00"),
)
FOUND = EconomicInvoice(
    draft_number=3,
    reference="SHOP-1001",
    customer_number=7,
    currency="DKK",
    net=Decimal("100.00"),
    gross=Decimal("125.00"),
)


def test_given_what_autobook_wrote_when_verified_then_ours() -> None:
    assert verify(FOUND, WROTE) == Verdict.OURS


@pytest.mark.parametrize("reference", ["SHOP-1002", "shop-1001", ""])
def test_given_another_reference_when_verified_then_not_ours(reference: str) -> None:
    # e-conomic's filter is case-insensitive: the comparison here is exact
    assert verify(FOUND.model_copy(update={"reference": reference}), WROTE) == Verdict.NOT_OURS


@pytest.mark.parametrize(
    "change",
    [
        {"customer_number": 8},
        {"currency": "EUR"},
        {"net": Decimal("99.00")},
        {"gross": Decimal("1")},
    ],
)
def test_given_our_reference_on_something_else_when_verified_then_altered(
    change: dict[str, object],
) -> None:
    assert verify(FOUND.model_copy(update=change), WROTE) == Verdict.ALTERED


def test_given_an_altered_document_then_the_differences_in_both_languages() -> None:
    da, en = differences(FOUND.model_copy(update={"gross": Decimal("130.00")}), WROTE)
    assert "beløb 130.00 i stedet for 125.00" in da
    assert "amount 130.00 instead of 125.00" in en
