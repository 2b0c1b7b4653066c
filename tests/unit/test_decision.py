"""decide(): what to do with an order from its Dandomain state and the ledger (pure)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from autobook.domain.decision import Decision, decide
from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import LedgerEntry, LedgerState, OwnerRequest
from autobook.domain.order import Fee, Order, OrderState, Party
from autobook.domain.shop import DandomainSettings, ShopConfig, ShopMode

pytestmark = pytest.mark.disable_socket

BOOK_STATE = 3
CANCEL_STATE = 4
OTHER_STATE = 1
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

SHOP = ShopConfig(
    shop_id="shop-1",
    name="Shop",
    dandomain=DandomainSettings(base_url="https://shop.example"),
    booking_state_ids=frozenset({BOOK_STATE}),
    cancel_state_ids=frozenset({CANCEL_STATE, 5}),
)


def _order(state_id: int, *, incomplete: bool = False) -> Order:
    return Order(
        order_id="1001",
        created_at=NOW,
        modified_at=NOW,
        state=OrderState(id=state_id),
        incomplete=incomplete,
        currency="DKK",
        total_gross=Decimal("100.00"),
        vat_percent=Decimal("25"),
        customer=Party(name="Karen", email="karen@example.dk"),
        payment=Fee(method_id=1, name="Kort"),
        shipping=Fee(method_id=2, name="GLS"),
    )


def _entry(state: LedgerState, **fields: object) -> LedgerEntry:
    return LedgerEntry(
        shop_id="shop-1", order_id="1001", state=state, created_at=NOW, updated_at=NOW, **fields
    )


S = LedgerState
UNFINISHED = [None, S.RECEIVED, S.DRAFTED, S.FAILED, S.SKIPPED]
INVOICED = [S.BOOKED, S.MAILED]
FINISHED = [*INVOICED, S.CREDITED]
ACTIVE = SHOP.model_copy(update={"mode": ShopMode.ACTIVE})


@pytest.mark.parametrize("state", UNFINISHED)
def test_given_booking_state_and_unfinished_ledger_when_decided_then_book(
    state: LedgerState | None,
) -> None:
    entry = _entry(state) if state else None
    assert decide(_order(BOOK_STATE), SHOP, entry) == Decision.BOOK


@pytest.mark.parametrize("state", INVOICED)
def test_given_booking_state_and_invoiced_ledger_when_decided_then_done(
    state: LedgerState,
) -> None:
    assert decide(_order(BOOK_STATE), SHOP, _entry(state)) == Decision.DONE


def test_given_credited_order_back_in_a_booking_state_when_decided_then_invoiced_anew() -> None:
    # Un-cancelled after its credit note: the order is invoiced again (a new edition).
    assert decide(_order(BOOK_STATE), SHOP, _entry(S.CREDITED)) == Decision.BOOK


@pytest.mark.parametrize(
    ("shop", "expected"), [(SHOP, Decision.DONE), (ACTIVE, Decision.OWNERS_DRAFT)]
)
def test_given_a_trial_draft_when_decided_then_it_stays_the_owners(
    shop: ShopConfig, expected: Decision
) -> None:
    entry = _entry(S.DRAFTED, drafted_in_trial=True)
    assert decide(_order(BOOK_STATE), shop, entry) == expected


def test_given_a_deleted_trial_draft_when_decided_then_done_until_the_owner_asks() -> None:
    deleted = _entry(S.FAILED, error_code=ErrorCode.TRIAL_DRAFT_DELETED)
    assert decide(_order(BOOK_STATE), ACTIVE, deleted) == Decision.DONE
    asked = deleted.model_copy(update={"owner_request": OwnerRequest.INVOICE_AGAIN})
    assert decide(_order(BOOK_STATE), ACTIVE, asked) == Decision.BOOK


@pytest.mark.parametrize("state", [S.BOOKED, S.MAILED])
def test_given_cancel_state_after_booking_when_decided_then_credit(state: LedgerState) -> None:
    assert decide(_order(CANCEL_STATE), SHOP, _entry(state)) == Decision.CREDIT


def test_given_cancel_state_already_credited_when_decided_then_done() -> None:
    assert decide(_order(5), SHOP, _entry(S.CREDITED)) == Decision.DONE


@pytest.mark.parametrize("state", UNFINISHED)
def test_given_cancel_state_before_booking_when_decided_then_skip(
    state: LedgerState | None,
) -> None:
    entry = _entry(state) if state else None
    assert decide(_order(CANCEL_STATE), SHOP, entry) == Decision.SKIP


@pytest.mark.parametrize("state", UNFINISHED)
def test_given_other_state_when_decided_then_skip(state: LedgerState | None) -> None:
    entry = _entry(state) if state else None
    assert decide(_order(OTHER_STATE), SHOP, entry) == Decision.SKIP


@pytest.mark.parametrize("state", [None, S.RECEIVED, S.FAILED])
def test_given_incomplete_order_in_booking_state_when_decided_then_skip(
    state: LedgerState | None,
) -> None:
    entry = _entry(state) if state else None
    assert decide(_order(BOOK_STATE, incomplete=True), SHOP, entry) == Decision.SKIP


@pytest.mark.parametrize("state", FINISHED)
def test_given_finished_order_back_in_other_state_when_decided_then_done(
    state: LedgerState,
) -> None:
    assert decide(_order(OTHER_STATE), SHOP, _entry(state)) == Decision.DONE


def test_given_state_in_both_booking_and_cancel_sets_when_decided_then_cancel_wins() -> None:
    shop = SHOP.model_copy(update={"booking_state_ids": frozenset({BOOK_STATE, CANCEL_STATE})})
    assert decide(_order(CANCEL_STATE), shop, None) == Decision.SKIP
    assert decide(_order(CANCEL_STATE), shop, _entry(S.BOOKED)) == Decision.CREDIT


def test_given_every_combination_when_decided_then_book_only_when_nothing_is_invoiced() -> None:
    for state_id in (OTHER_STATE, BOOK_STATE, CANCEL_STATE):
        for incomplete in (False, True):
            for ledger in [None, *LedgerState]:
                decision = decide(
                    _order(state_id, incomplete=incomplete),
                    SHOP,
                    _entry(ledger) if ledger else None,
                )
                if decision == Decision.BOOK:
                    assert ledger not in INVOICED
                    assert state_id == BOOK_STATE
                    assert not incomplete
                if decision == Decision.CREDIT:
                    assert ledger in (S.BOOKED, S.MAILED)


def test_given_an_order_credited_for_a_credit_note_order_when_still_in_a_booking_state_then_done() -> (
    None
):
    entry = _entry(S.CREDITED, credited_by_order="1050")
    assert decide(_order(BOOK_STATE), ACTIVE, entry) == Decision.DONE
