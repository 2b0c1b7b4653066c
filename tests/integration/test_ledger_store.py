"""The ledger repository against DynamoDB Local: conditional writes, legal moves only."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from autobook.domain.ledger import LedgerState, MailStatus
from autobook.store.ledger import ConcurrentUpdateError, IllegalTransitionError

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _shop() -> str:
    return f"t-{uuid4().hex[:8]}"


def test_given_absent_entry_when_created_twice_then_one_entry(fresh_env: Any) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        first = deps.ledger.create_if_absent(shop, "1001", T0)
        second = deps.ledger.create_if_absent(shop, "1001", T0 + timedelta(minutes=1))
        stored = deps.ledger.get(shop, "1001")
    assert first.state == second.state == LedgerState.RECEIVED
    assert second.created_at == first.created_at == T0
    assert stored == first
    assert stored is not None
    assert stored.revision == 1
    table = fresh_env.aws.stack.tables["LedgerTable"]
    items = fresh_env.aws.client("dynamodb").scan(TableName=table)["Items"]
    assert len(items) == 1


def test_given_moved_entry_when_created_again_then_the_existing_entry_is_returned(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        entry = deps.ledger.create_if_absent(shop, "1001", T0)
        deps.ledger.move(entry, LedgerState.DRAFTED, T0, draft_number=4)
        again = deps.ledger.create_if_absent(shop, "1001", T0)
    assert again.state == LedgerState.DRAFTED
    assert again.draft_number == 4


def test_given_received_when_moved_to_mailed_then_illegal_and_not_applied(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        entry = deps.ledger.create_if_absent(shop, "1001", T0)
        with pytest.raises(IllegalTransitionError):
            deps.ledger.move(entry, LedgerState.MAILED, T0, mail_status=MailStatus.SENT)
        stored = deps.ledger.get(shop, "1001")
    assert stored == entry
    assert stored is not None
    assert stored.mail_status == MailStatus.NONE


def test_given_credited_when_moved_anywhere_then_illegal_and_not_applied(fresh_env: Any) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        entry = deps.ledger.create_if_absent(shop, "1001", T0)
        entry = deps.ledger.move(entry, LedgerState.BOOKED, T0, booked_number=7)
        entry = deps.ledger.move(entry, LedgerState.CREDITED, T0, credit_note_number=8)
        for target in LedgerState:
            with pytest.raises(IllegalTransitionError):
                deps.ledger.move(entry, target, T0)
        stored = deps.ledger.get(shop, "1001")
    assert stored == entry


def test_given_legal_moves_when_applied_then_history_and_revision_follow(fresh_env: Any) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        entry = deps.ledger.create_if_absent(shop, "1001", T0)
        entry = deps.ledger.move(entry, LedgerState.DRAFTED, T0, note="draft 3", draft_number=3)
        entry = deps.ledger.move(entry, LedgerState.BOOKED, T0, booked_number=9)
        stored = deps.ledger.get(shop, "1001")
    assert stored == entry
    assert stored is not None
    assert [h.state for h in stored.history] == [
        LedgerState.RECEIVED,
        LedgerState.DRAFTED,
        LedgerState.BOOKED,
    ]
    assert stored.history[1].note == "draft 3"
    assert (stored.draft_number, stored.booked_number, stored.revision) == (3, 9, 3)


def test_given_two_writers_from_the_same_read_when_both_write_then_second_conflicts(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        deps.ledger.create_if_absent(shop, "1001", T0)
        read_a = deps.ledger.get(shop, "1001")
        read_b = deps.ledger.get(shop, "1001")
        assert read_a is not None
        assert read_b is not None
        written = deps.ledger.move(read_a, LedgerState.DRAFTED, T0, draft_number=1)
        with pytest.raises(ConcurrentUpdateError):
            deps.ledger.move(read_b, LedgerState.DRAFTED, T0, draft_number=2)
        with pytest.raises(ConcurrentUpdateError):
            deps.ledger.update(read_b, T0, draft_attempts=5)
        stored = deps.ledger.get(shop, "1001")
    assert stored == written
    assert stored is not None
    assert stored.draft_number == 1
    assert stored.draft_attempts == 0


def test_given_booked_entry_when_mail_claimed_twice_then_only_the_first_claim_wins(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as deps:
        entry = deps.ledger.create_if_absent(shop, "1001", T0)
        booked = deps.ledger.move(entry, LedgerState.BOOKED, T0, booked_number=1)
        first = deps.ledger.claim_mail(booked, T0)
        second = deps.ledger.claim_mail(booked, T0)  # a second worker with the same read
        reread = deps.ledger.get(shop, "1001")
        assert reread is not None
        third = deps.ledger.claim_mail(reread, T0)  # a later worker that read the claim
    assert first is not None
    assert first.mail_status == MailStatus.SENDING
    assert second is None
    assert third is None
    assert reread.mail_status == MailStatus.SENDING


def test_given_entry_of_other_shop_when_read_then_not_mixed_up(fresh_env: Any) -> None:
    shop_a, shop_b = _shop(), _shop()
    with fresh_env.operator() as deps:
        deps.ledger.create_if_absent(shop_a, "1001", T0)
        assert deps.ledger.get(shop_b, "1001") is None
        assert deps.ledger.get(shop_a, "1002") is None
