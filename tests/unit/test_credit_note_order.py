"""judge_credit_note(): what a credit note made as an order does (pure)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from autobook.domain.credit import OrderSnapshot
from autobook.domain.credit_note_order import (
    CreditNoteAction,
    Reason,
    credit_note_by_hand,
    judge_credit_note,
)
from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import Booker, Document, LedgerEntry, LedgerState
from autobook.domain.order import Fee, Order, OrderState, Party

pytestmark = pytest.mark.disable_socket

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
S = LedgerState
A = CreditNoteAction


def _note(total: str = "-125.00", *, currency: str = "DKK", incomplete: bool = False) -> Order:
    return Order(
        order_id="1050",
        created_at=NOW,
        modified_at=NOW,
        state=OrderState(id=100),
        incomplete=incomplete,
        currency=currency,
        total_gross=Decimal(total),
        vat_percent=Decimal("25"),
        customer=Party(name="Karen", email="karen@example.dk"),
        payment=Fee(method_id=1, name="Kort"),
        shipping=Fee(method_id=2, name="GLS"),
        credits_order_id="1001",
    )


def _snapshot(total: str = "125.00") -> OrderSnapshot:
    return OrderSnapshot(
        order_id="1001",
        currency="DKK",
        total=Decimal(total),
        shipping=Decimal(0),
        payment_fee=Decimal(0),
        sales_discount=Decimal(0),
        gift_certificate=Decimal(0),
        lines=(),
        fingerprint="f",
    )


def _credited(state: LedgerState, **fields: object) -> LedgerEntry:
    defaults: dict[str, object] = {
        "invoice": Document(booked_number=7, draft_number=3, booked_by=Booker.AUTOBOOK),
        "snapshot": _snapshot(),
    }
    return LedgerEntry(
        shop_id="s",
        order_id="1001",
        state=state,
        created_at=NOW,
        updated_at=NOW,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("state", [S.BOOKED, S.MAILED])
def test_given_autobooks_invoice_and_a_full_credit_when_judged_then_credit(
    state: LedgerState,
) -> None:
    assert judge_credit_note(_note(), _credited(state)).action == A.CREDIT


def test_given_a_draft_credit_note_when_judged_then_wait() -> None:
    assert judge_credit_note(_note(incomplete=True), _credited(S.BOOKED)).action == A.WAIT


@pytest.mark.parametrize(
    ("note", "credited", "reason"),
    [
        (_note(), None, Reason.NOT_INVOICED),
        (_note(), _credited(S.SKIPPED, invoice=Document()), Reason.NOT_INVOICED),
        (_note(), _credited(S.RECEIVED, invoice=Document()), Reason.NOT_INVOICED),
        (_note(), _credited(S.DRAFTED, invoice=Document(draft_number=3)), Reason.DRAFT_ONLY),
        (_note(), _credited(S.FAILED, invoice=Document(draft_number=3)), Reason.DRAFT_ONLY),
        (
            _note(),
            _credited(S.BOOKED, invoice=Document(booked_number=7, booked_by=Booker.OWNER)),
            Reason.OWNERS_INVOICE,
        ),
        (_note("-100.00"), _credited(S.BOOKED), Reason.PARTIAL),
        (_note("-125.01"), _credited(S.MAILED), Reason.PARTIAL),
        (_note(currency="EUR"), _credited(S.BOOKED), Reason.PARTIAL),
        (_note(), _credited(S.BOOKED, snapshot=None), Reason.PARTIAL),
        (_note(), _credited(S.CREDITED, credited_by_order="1049"), Reason.CREDITED_BY_ANOTHER),
    ],
)
def test_given_anything_but_a_full_credit_of_autobooks_invoice_when_judged_then_by_hand(
    note: Order, credited: LedgerEntry | None, reason: Reason
) -> None:
    verdict = judge_credit_note(note, credited)
    assert (verdict.action, verdict.reason) == (A.BY_HAND, reason)


@pytest.mark.parametrize("by_order", ["", "1050"])
def test_given_the_invoice_already_credited_for_it_or_a_cancel_when_judged_then_done(
    by_order: str,
) -> None:
    verdict = judge_credit_note(_note(), _credited(S.CREDITED, credited_by_order=by_order))
    assert verdict.action == A.DONE


@pytest.mark.parametrize("reason", list(Reason))
def test_given_each_reason_when_told_then_both_texts_carry_the_orders_values(
    reason: Reason,
) -> None:
    credited = _credited(
        S.CREDITED,
        credit=Document(booked_number=8),
        credited_by_order="1049",
    )
    text = credit_note_by_hand(_note("-100.00"), credited, reason).text

    assert text.code == ErrorCode.CREDIT_NOTE_BY_HAND
    for language_text in (text.da, text.en):
        assert "1050" in language_text
        assert "1001" in language_text
        assert "100.00 DKK" in language_text
        assert "{" not in language_text
