"""Every move the ledger's state machine allows is made by a use case, in a scenario here.

A transition added to `ALLOWED` without a scenario that makes it fails
`test_given_the_state_machine_then_every_allowed_move_has_a_scenario`."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from autobook.domain.errors import TransientError, UnknownOutcomeError
from autobook.domain.ledger import ALLOWED, LedgerEntry, LedgerState
from autobook.domain.shop import ShopMode
from tests.fakes import FakeLedger
from tests.unit.usecases.world import CANCEL, SHOP_ID, World, order

S = LedgerState


class RecordingLedger(FakeLedger):
    def __init__(self) -> None:
        super().__init__()
        self.moves: set[tuple[LedgerState, LedgerState]] = set()

    def save(self, entry: LedgerEntry) -> LedgerEntry:
        before = self.get(entry.shop_id, entry.order_id)
        # A move changes the state, or (failed -> failed) the error it is failed with.
        if before is not None and (
            before.state != entry.state or before.error_code != entry.error_code
        ):
            self.moves.add((before.state, entry.state))
        return super().save(entry)


def _received_then(world: World) -> None:
    """An entry left in RECEIVED: the draft POST never arrived."""
    world.source.put(order())
    world.books.fail_next("create_draft", "unknown_before")
    with pytest.raises(UnknownOutcomeError):
        world.book()


def _orphan_booked_by_owner(world: World) -> None:
    world.books.fail_next("create_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    (number,) = world.books.drafts
    world.books.owner_books(number)
    world.book()


def _skipped(world: World) -> None:
    _received_then(world)
    world.source.put(order(state=1))
    world.book()


def _failed(world: World) -> None:
    world.source.put(order(payment_id=99))
    world.book()


def _totals_mismatch(world: World) -> None:
    world.books.vat_rates["SKU-1"] = Decimal(0)
    world.source.put(order())
    world.book()


def received_to_drafted(world: World) -> None:
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    world.book()


def received_to_skipped(world: World) -> None:
    _skipped(world)


def received_to_failed(world: World) -> None:
    _failed(world)


def received_to_booked(world: World) -> None:
    world.source.put(order())
    _orphan_booked_by_owner(world)


def skipped_to_drafted(world: World) -> None:
    _skipped(world)
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    world.book()


def skipped_to_failed(world: World) -> None:
    _skipped(world)
    world.source.put(order(payment_id=99))
    world.book()


def skipped_to_booked(world: World) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    world.source.put(order(state=1))
    world.book()
    (number,) = world.books.drafts
    world.books.owner_books(number)
    world.source.put(order())
    world.book()


def failed_to_received(world: World) -> None:
    _totals_mismatch(world)
    del world.books.vat_rates["SKU-1"]
    world.book()


def failed_to_drafted(world: World) -> None:
    world.set_shop(mode=ShopMode.TRIAL)
    _failed(world)
    world.source.put(order())
    world.book()


def failed_to_failed(world: World) -> None:
    _failed(world)
    world.books.products = set()
    world.source.put(order())
    world.book()


def failed_to_skipped(world: World) -> None:
    """An order waiting for a paused shop that left the booking state meanwhile."""
    world.books.fail_next("create_draft", "access")
    world.source.put(order("1000"))
    world.book("1000")
    world.source.put(order())
    world.book()  # waits: paused
    world.source.put(order(state=1))
    world.recheck.run_shop(SHOP_ID, world.clock())
    world.deliver()  # the probe (order 1000 is older) goes through and lifts the pause ...
    world.deliver()  # ... and the waiting order is seen no longer to be booked


def failed_to_booked(world: World) -> None:
    world.books.year_missing = True
    world.source.put(order())
    world.book()
    world.books.year_missing = False
    world.shops.resume(SHOP_ID)
    world.book()


def drafted_to_booked(world: World) -> None:
    world.source.put(order())
    world.book()


def drafted_to_failed(world: World) -> None:
    _totals_mismatch(world)


def drafted_to_received(world: World) -> None:
    world.source.put(order())
    world.books.fail_next("book_draft", "transient")
    with pytest.raises(TransientError):
        world.book()
    world.books.owner_deletes(world.entry().invoice.draft_number)  # type: ignore[arg-type]
    with pytest.raises(TransientError):
        world.book()


def booked_to_mailed(world: World) -> None:
    world.source.put(order())
    world.book()
    world.mail()


def booked_to_credited(world: World) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(state=CANCEL))
    world.book()


def mailed_to_credited(world: World) -> None:
    booked_to_mailed(world)
    world.source.put(order(state=CANCEL))
    world.book()


def credited_to_received(world: World) -> None:
    booked_to_credited(world)
    world.source.put(order())
    world.book()


SCENARIOS: dict[tuple[LedgerState, LedgerState], Callable[[World], None]] = {
    (S.RECEIVED, S.DRAFTED): received_to_drafted,
    (S.RECEIVED, S.SKIPPED): received_to_skipped,
    (S.RECEIVED, S.FAILED): received_to_failed,
    (S.RECEIVED, S.BOOKED): received_to_booked,
    (S.SKIPPED, S.DRAFTED): skipped_to_drafted,
    (S.SKIPPED, S.FAILED): skipped_to_failed,
    (S.SKIPPED, S.BOOKED): skipped_to_booked,
    (S.FAILED, S.RECEIVED): failed_to_received,
    (S.FAILED, S.DRAFTED): failed_to_drafted,
    (S.FAILED, S.FAILED): failed_to_failed,
    (S.FAILED, S.BOOKED): failed_to_booked,
    (S.FAILED, S.SKIPPED): failed_to_skipped,
    (S.DRAFTED, S.BOOKED): drafted_to_booked,
    (S.DRAFTED, S.FAILED): drafted_to_failed,
    (S.DRAFTED, S.RECEIVED): drafted_to_received,
    (S.BOOKED, S.MAILED): booked_to_mailed,
    (S.BOOKED, S.CREDITED): booked_to_credited,
    (S.MAILED, S.CREDITED): mailed_to_credited,
    (S.CREDITED, S.RECEIVED): credited_to_received,
}


def test_given_the_state_machine_then_every_allowed_move_has_a_scenario() -> None:
    allowed = {(a, b) for a, targets in ALLOWED.items() for b in targets}
    assert set(SCENARIOS) == allowed


@pytest.mark.parametrize(("move", "scenario"), list(SCENARIOS.items()), ids=lambda v: str(v))
def test_given_a_scenario_then_the_use_cases_make_the_move(
    move: tuple[LedgerState, LedgerState], scenario: Callable[[World], None]
) -> None:
    ledger = RecordingLedger()
    world = World(ledger=ledger)
    scenario(world)
    assert move in ledger.moves
