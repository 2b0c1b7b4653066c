"""The trial report and activation."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from autobook.domain.shop import ShopMode
from autobook.usecases.operations import ActionError
from autobook.usecases.trial import ActivationRules, DraftFate
from tests.unit.usecases.world import SHOP_ID, World, order

START = datetime(2026, 2, 1, tzinfo=UTC)


def _trial(world: World, count: int) -> list[int]:
    world.set_shop(mode=ShopMode.TRIAL, trial_started_at=START)
    numbers = []
    for n in range(count):
        world.source.put(order(str(1000 + n)))
        world.book(str(1000 + n))
        number = world.entry(str(1000 + n)).invoice.draft_number
        assert number is not None
        numbers.append(number)
    return numbers


def test_given_drafts_the_owner_handled_when_reported_then_each_fate_is_shown(
    world: World,
) -> None:
    numbers = _trial(world, 4)
    world.books.owner_books(numbers[0])
    world.books.owner_edits(numbers[1], gross=Decimal("130.00"), net=Decimal("104.00"))
    world.books.owner_books(numbers[1])
    world.books.owner_deletes(numbers[2])
    report = world.trial.report(SHOP_ID)
    fates = {row.order_id: row.fate for row in report.rows}
    assert fates == {
        "1000": DraftFate.BOOKED_UNCHANGED,
        "1001": DraftFate.BOOKED_CHANGED,
        "1002": DraftFate.DELETED,
        "1003": DraftFate.OPEN,
    }
    changed = next(r for r in report.rows if r.order_id == "1001")
    assert "total 125.00 → 130.00 (+5.00)" in changed.changes_en
    assert "Dandomain-ordrens total er 125.00" in changed.changes_da


def test_given_too_early_when_activated_then_refused_saying_what_is_missing(world: World) -> None:
    numbers = _trial(world, 5)
    for number in numbers:
        world.books.owner_books(number)
    world.clock.now = START + timedelta(days=10)
    with pytest.raises(ActionError) as raised:
        world.trial.activate(SHOP_ID, actor="operator:anna")
    assert "the trial has run 10 days; 4 of 14 to go" in raised.value.en
    assert world.shops.get(SHOP_ID).mode == ShopMode.TRIAL  # type: ignore[union-attr]


def test_given_enough_evidence_when_activated_then_active_with_who_and_when(world: World) -> None:
    for number in _trial(world, 5):
        world.books.owner_books(number)
    world.clock.now = START + timedelta(days=15)
    activated = world.trial.activate(SHOP_ID, actor="operator:anna")
    assert activated.mode == ShopMode.ACTIVE
    assert activated.activation is not None
    assert activated.activation.by == "operator:anna"
    assert not activated.activation.forced


def test_given_too_few_unchanged_and_open_errors_when_activated_then_each_gap_named(
    world: World,
) -> None:
    _trial(world, 2)
    world.source.put(order("9", payment_id=99))
    world.book("9")
    world.clock.now = START + timedelta(days=20)
    with pytest.raises(ActionError) as raised:
        world.trial.activate(SHOP_ID, actor="x", rules=ActivationRules(min_booked_unchanged=2))
    assert "0 drafts were booked unchanged; at least 2 are needed" in raised.value.en
    assert "1 errors are open" in raised.value.en


def test_given_a_forced_activation_then_it_needs_a_reason_and_records_it(world: World) -> None:
    _trial(world, 1)
    with pytest.raises(ActionError):
        world.trial.activate(SHOP_ID, actor="x", force=True)
    activated = world.trial.activate(SHOP_ID, actor="operator:anna", force=True, reason="ejer ok")
    assert activated.activation is not None
    assert (activated.activation.forced, activated.activation.reason) == (True, "ejer ok")


def test_given_too_many_changed_drafts_when_activated_then_refused(world: World) -> None:
    numbers = _trial(world, 6)
    for number in numbers[:5]:
        world.books.owner_books(number)
    world.books.owner_edits(numbers[5], gross=Decimal("1.00"))
    world.books.owner_books(numbers[5])
    world.clock.now = START + timedelta(days=15)
    with pytest.raises(ActionError) as raised:
        world.trial.activate(SHOP_ID, actor="x")
    assert "1 of 6 booked drafts were changed (17%, at most 10%)" in raised.value.en
