"""A credit note the shop made as an order of its own (Webshop `Origin`): it credits
autobook's invoice in full, or the owner is told why it is theirs to make; never lost."""

from decimal import Decimal

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.events import DocumentKind
from autobook.domain.ledger import LedgerState
from autobook.domain.order import Order
from autobook.domain.shop import ShopMode
from autobook.usecases.book_order import Outcome
from tests.unit.usecases.world import CANCEL, SHOP_ID, World, order

pytestmark = pytest.mark.disable_socket

CREDIT_NOTE = "1050"


def credit_note(credits: str = "1001", *, price: str = "100.00", incomplete: bool = False) -> Order:
    """The Webshop's credit note of order `credits`: a new order with negated amounts."""
    parent = order(CREDIT_NOTE, price=price)
    return parent.model_copy(
        update={
            "credits_order_id": credits,
            "total_gross": -parent.total_gross,
            "incomplete": incomplete,
        }
    )


def _credit_notes(world: World) -> list[Decimal]:
    return [
        b.gross or Decimal(0)
        for b in world.books.booked_invoices.values()
        if b.reference.endswith("-K")
    ]


def test_given_a_booked_order_when_its_full_credit_note_arrives_then_credited_and_mailed(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.mail_queue.take()
    world.source.put(credit_note())

    assert world.book(CREDIT_NOTE) == Outcome.CREDITED

    credited = world.entry()
    assert credited.state == LedgerState.CREDITED
    assert credited.credited_by_order == CREDIT_NOTE
    assert _credit_notes(world) == [Decimal("-125.00")]
    assert [job.kind for job in world.mail_queue.take()] == [DocumentKind.CREDIT_NOTE]
    info = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CANCELLED_AFTER_BOOKING)
    assert info is not None
    assert info.status == ErrorStatus.INFO
    assert CREDIT_NOTE in info.da
    assert CREDIT_NOTE in info.en
    own = world.entry(CREDIT_NOTE)
    assert own.state == LedgerState.SKIPPED
    assert f"e-conomic credit note {credited.credit.booked_number}" in own.history[-1].note


def test_given_a_credited_order_when_it_and_its_credit_note_come_again_then_nothing_more(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(credit_note())
    world.book(CREDIT_NOTE)
    invoices = len(world.books.booked_invoices)

    assert world.book(CREDIT_NOTE) == Outcome.ALREADY_DONE
    # the credited order is still in a booking state in Dandomain: it is not invoiced again
    assert world.book("1001") == Outcome.ALREADY_DONE
    assert len(world.books.booked_invoices) == invoices
    assert world.entry().state == LedgerState.CREDITED


def test_given_a_cancelled_and_credited_order_when_its_credit_note_arrives_then_done(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(state=CANCEL))
    world.book()
    world.source.put(credit_note())

    assert world.book(CREDIT_NOTE) == Outcome.ALREADY_DONE
    assert len(_credit_notes(world)) == 1


def test_given_a_credit_note_still_a_draft_when_triggered_then_it_waits_without_a_write(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.books.calls.clear()
    world.source.put(credit_note(incomplete=True))

    assert world.book(CREDIT_NOTE) == Outcome.SKIPPED
    assert world.books.calls == []
    assert world.entry().state == LedgerState.BOOKED

    world.source.put(credit_note())
    assert world.book(CREDIT_NOTE) == Outcome.CREDITED


def test_given_a_partial_credit_note_when_triggered_then_the_owner_is_told_to_make_it(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(credit_note(price="40.00"))

    assert world.book(CREDIT_NOTE) == Outcome.FAILED

    assert _credit_notes(world) == []
    assert world.entry().state == LedgerState.BOOKED  # the invoice stands
    assert world.entry(CREDIT_NOTE).state == LedgerState.FAILED
    record = world.errors.get(SHOP_ID, CREDIT_NOTE, ErrorCode.CREDIT_NOTE_BY_HAND)
    assert record is not None
    assert record.status == ErrorStatus.OPEN
    assert "50.00 DKK" in record.da  # what the credit note gives back
    assert "125.00 DKK" in record.en  # what the invoice holds
    assert "1001" in record.en
    assert world.owner_mail.told != []


def test_given_a_credit_note_before_its_order_was_booked_when_triggered_then_booked_then_credited(
    world: World,
) -> None:
    world.source.put(order())  # its own webhook is still in the queue
    world.source.put(credit_note())

    assert world.book(CREDIT_NOTE) == Outcome.CREDITED

    credited = world.entry()
    assert credited.state == LedgerState.CREDITED
    assert credited.invoice.booked_number is not None
    assert _credit_notes(world) == [Decimal("-125.00")]
    assert [job.kind for job in world.mail_queue.take()] == [
        DocumentKind.INVOICE,
        DocumentKind.CREDIT_NOTE,
    ]
    assert world.book("1001") == Outcome.ALREADY_DONE


def test_given_a_credit_note_of_an_order_never_invoiced_when_it_is_invoiced_then_retry_credits(
    world: World,
) -> None:
    world.source.put(order(state=1))  # never reached a booking state
    world.source.put(credit_note())
    assert world.book(CREDIT_NOTE) == Outcome.FAILED
    record = world.errors.get(SHOP_ID, CREDIT_NOTE, ErrorCode.CREDIT_NOTE_BY_HAND)
    assert record is not None
    assert "not invoiced by autobook" in record.en
    assert "nothing to credit" in record.en
    assert world.books.calls == []

    world.source.put(order())
    world.book()
    world.operations.replay_order(SHOP_ID, CREDIT_NOTE, actor="owner")
    assert world.deliver() == [Outcome.CREDITED]

    assert world.entry(CREDIT_NOTE).state == LedgerState.SKIPPED
    closed = world.errors.get(SHOP_ID, CREDIT_NOTE, ErrorCode.CREDIT_NOTE_BY_HAND)
    assert closed is not None
    assert closed.status == ErrorStatus.RESOLVED


def test_given_a_credit_note_whose_order_cannot_be_booked_when_triggered_then_both_are_told(
    world: World,
) -> None:
    world.books.products = {"FRAGT"}
    world.source.put(order())
    world.source.put(credit_note())

    assert world.book(CREDIT_NOTE) == Outcome.FAILED

    assert world.errors.get(SHOP_ID, "1001", ErrorCode.PRODUCT_MISSING) is not None
    assert world.errors.get(SHOP_ID, CREDIT_NOTE, ErrorCode.CREDIT_NOTE_BY_HAND) is not None
    assert world.books.booked_invoices == {}


def test_given_a_trial_draft_when_its_credit_note_arrives_then_the_owner_is_told_of_the_draft(
    world: World,
) -> None:
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    assert world.book() == Outcome.DRAFTED
    world.source.put(credit_note())

    assert world.book(CREDIT_NOTE) == Outcome.FAILED

    record = world.errors.get(SHOP_ID, CREDIT_NOTE, ErrorCode.CREDIT_NOTE_BY_HAND)
    assert record is not None
    assert f"draft {world.entry().invoice.draft_number}" in record.en
    assert world.books.drafts  # the draft is left to the owner


def test_given_an_invoice_credited_by_one_credit_note_when_a_second_arrives_then_by_hand(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(credit_note())
    world.book(CREDIT_NOTE)
    second = credit_note().model_copy(update={"order_id": "1051"})
    world.source.put(second)

    assert world.book("1051") == Outcome.FAILED

    assert len(_credit_notes(world)) == 1
    record = world.errors.get(SHOP_ID, "1051", ErrorCode.CREDIT_NOTE_BY_HAND)
    assert record is not None
    assert f"Dandomain order {CREDIT_NOTE}" in record.en
