"""The ledger store against DynamoDB Local: conditional writes on the revision, legal moves
only, the by_shop_state index."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from autobook.domain.ledger import (
    Document,
    IllegalTransitionError,
    LedgerEntry,
    LedgerState,
    MailRecord,
    MailStatus,
)
from autobook.usecases.ports import ConcurrentUpdateError

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
S = LedgerState


def _shop() -> str:
    return f"t-{uuid4().hex[:8]}"


def _new(shop: str, order_id: str = "1001", at: datetime = T0) -> LedgerEntry:
    return LedgerEntry.new(shop, order_id, at)


def _booked(entry: LedgerEntry, number: int) -> LedgerEntry:
    return entry.booked(
        Document(draft_number=number, booked_number=number, reference=f"ref-{number}"),
        T0,
        note=f"invoice {number}",
    )


def test_given_absent_entry_when_created_twice_then_one_entry(fresh_env: Any) -> None:
    shop = _shop()
    with fresh_env.operator() as root:
        first = root.ledger.create_if_absent(_new(shop))
        second = root.ledger.create_if_absent(_new(shop, at=T0 + timedelta(minutes=1)))
        stored = root.ledger.get(shop, "1001")
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
    with fresh_env.operator() as root:
        entry = root.ledger.create_if_absent(_new(shop))
        root.ledger.save(entry.moved(LedgerState.DRAFTED, T0, invoice=Document(draft_number=4)))
        again = root.ledger.create_if_absent(_new(shop))
    assert again.state == LedgerState.DRAFTED
    assert again.invoice.draft_number == 4


def test_given_received_when_moved_to_mailed_then_illegal_and_not_applied(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as root:
        entry = root.ledger.create_if_absent(_new(shop))
        with pytest.raises(IllegalTransitionError):
            root.ledger.save(
                entry.moved(S.MAILED, T0, mail=MailRecord(status=MailStatus.SENT, at=T0))
            )
        stored = root.ledger.get(shop, "1001")
    assert stored == entry
    assert stored is not None
    assert stored.mail.status == MailStatus.NONE


def test_given_credited_when_moved_anywhere_but_a_new_edition_then_illegal_and_not_applied(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as root:
        entry = root.ledger.create_if_absent(_new(shop))
        entry = root.ledger.save(_booked(entry, 7))
        entry = root.ledger.save(entry.credited(Document(booked_number=8), T0))
        for target in set(LedgerState) - {S.RECEIVED}:
            with pytest.raises(IllegalTransitionError):
                root.ledger.save(entry.moved(target, T0))
        stored = root.ledger.get(shop, "1001")
    assert stored == entry
    assert stored is not None
    assert (stored.invoice.booked_number, stored.credit.booked_number) == (7, 8)


def test_given_legal_moves_when_applied_then_history_and_revision_follow(fresh_env: Any) -> None:
    shop = _shop()
    with fresh_env.operator() as root:
        entry = root.ledger.create_if_absent(_new(shop))
        entry = root.ledger.save(
            entry.moved(LedgerState.DRAFTED, T0, note="draft 3", invoice=Document(draft_number=3))
        )
        entry = root.ledger.save(
            entry.booked(Document(draft_number=3, booked_number=9), T0, note="invoice 9")
        )
        stored = root.ledger.get(shop, "1001")
    assert stored == entry
    assert stored is not None
    assert [h.state for h in stored.history] == [
        LedgerState.RECEIVED,
        LedgerState.DRAFTED,
        LedgerState.BOOKED,
    ]
    assert stored.history[1].note == "draft 3"
    assert (stored.invoice.draft_number, stored.invoice.booked_number, stored.revision) == (
        3,
        9,
        3,
    )


def test_given_two_writers_from_the_same_read_when_both_write_then_second_conflicts(
    fresh_env: Any,
) -> None:
    shop = _shop()
    with fresh_env.operator() as root:
        root.ledger.create_if_absent(_new(shop))
        read_a = root.ledger.get(shop, "1001")
        read_b = root.ledger.get(shop, "1001")
        assert read_a is not None
        assert read_b is not None
        written = root.ledger.save(
            read_a.moved(LedgerState.DRAFTED, T0, invoice=Document(draft_number=1))
        )
        with pytest.raises(ConcurrentUpdateError):
            root.ledger.save(
                read_b.moved(LedgerState.DRAFTED, T0, invoice=Document(draft_number=2))
            )
        with pytest.raises(ConcurrentUpdateError):
            root.ledger.save(read_b.noted(T0, "an operator note"))
        stored = root.ledger.get(shop, "1001")
    assert stored == written
    assert stored is not None
    assert stored.invoice.draft_number == 1
    assert len(stored.history) == 2


def test_given_booked_entry_when_mail_claimed_twice_then_only_the_first_claim_wins(
    fresh_env: Any,
) -> None:
    shop = _shop()
    claim = MailRecord(status=MailStatus.SENDING, at=T0)
    with fresh_env.operator() as root:
        entry = root.ledger.create_if_absent(_new(shop))
        booked = root.ledger.save(_booked(entry, 1))
        first = root.ledger.save(booked.with_mail(False, claim, T0))
        with pytest.raises(ConcurrentUpdateError):  # a second worker with the same read
            root.ledger.save(booked.with_mail(False, claim, T0))
        reread = root.ledger.get(shop, "1001")
    assert first.mail.status == MailStatus.SENDING
    assert reread == first


def test_given_entries_in_several_states_when_listed_by_state_then_newest_first_per_shop(
    fresh_env: Any,
) -> None:
    shop, other = _shop(), _shop()
    with fresh_env.operator() as root:
        for minute, order_id in enumerate(("1", "2", "3")):
            at = T0 + timedelta(minutes=minute)
            entry = root.ledger.create_if_absent(_new(shop, order_id, at))
            if order_id != "2":
                root.ledger.save(entry.failed("PRODUCT_MISSING", at))
        root.ledger.save(root.ledger.create_if_absent(_new(other, "1")).failed("X", T0))
        failed = root.ledger.in_states(shop, [LedgerState.FAILED])
        received = root.ledger.in_states(shop, [LedgerState.RECEIVED])
        both = root.ledger.in_states(shop, [LedgerState.FAILED, LedgerState.RECEIVED], limit=2)
    assert [e.order_id for e in failed] == ["3", "1"]
    assert [e.order_id for e in received] == ["2"]
    assert [e.order_id for e in both] == ["3", "2"]


def test_given_entry_of_other_shop_when_read_then_not_mixed_up(fresh_env: Any) -> None:
    shop_a, shop_b = _shop(), _shop()
    with fresh_env.operator() as root:
        root.ledger.create_if_absent(_new(shop_a))
        assert root.ledger.get(shop_b, "1001") is None
        assert root.ledger.get(shop_a, "1002") is None
