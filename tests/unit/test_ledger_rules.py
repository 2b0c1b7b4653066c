"""The ledger state machine's rules (pure)."""

import pytest

from autobook.domain.ledger import ALLOWED, LedgerState, can_move

pytestmark = pytest.mark.disable_socket

S = LedgerState


def _sources_of(target: S) -> frozenset[S]:
    return frozenset(state for state, targets in ALLOWED.items() if target in targets)


def test_given_the_rules_when_listed_then_every_state_has_an_entry() -> None:
    assert set(ALLOWED) == set(LedgerState)


def test_given_the_rules_when_listed_then_targets_are_states() -> None:
    for targets in ALLOWED.values():
        assert targets <= set(LedgerState)


def test_given_credited_when_any_move_then_only_a_new_edition_is_allowed() -> None:
    # A credited order is invoiced anew (un-cancelled, or credited and rebooked): it starts
    # over as the next edition; the credited invoice and its credit note stay as they are.
    assert ALLOWED[S.CREDITED] == frozenset({S.RECEIVED})
    for target in set(LedgerState) - {S.RECEIVED}:
        assert not can_move(S.CREDITED, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.DRAFTED),
        (S.RECEIVED, S.BOOKED),  # an invoice adopted after a crash
        (S.RECEIVED, S.FAILED),
        (S.DRAFTED, S.BOOKED),
        (S.DRAFTED, S.FAILED),
        (S.BOOKED, S.MAILED),
        (S.BOOKED, S.CREDITED),
        (S.MAILED, S.CREDITED),
        (S.FAILED, S.RECEIVED),  # replay after the owner's fix
        (S.FAILED, S.DRAFTED),
        (S.SKIPPED, S.DRAFTED),
    ],
)
def test_given_a_normal_move_when_checked_then_allowed(current: S, target: S) -> None:
    assert can_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.MAILED),
        (S.RECEIVED, S.CREDITED),
        (S.DRAFTED, S.MAILED),
        (S.BOOKED, S.DRAFTED),
        (S.BOOKED, S.FAILED),
        (S.BOOKED, S.RECEIVED),
        (S.MAILED, S.BOOKED),
        (S.MAILED, S.FAILED),
        (S.MAILED, S.MAILED),
        (S.SKIPPED, S.MAILED),
        (S.FAILED, S.MAILED),
    ],
)
def test_given_a_move_that_would_lose_an_invoice_when_checked_then_refused(
    current: S, target: S
) -> None:
    assert not can_move(current, target)


def test_given_booked_or_mailed_when_checked_then_never_back_to_an_unbooked_state() -> None:
    unbooked = {S.RECEIVED, S.DRAFTED, S.SKIPPED, S.FAILED}
    for state in (S.BOOKED, S.MAILED):
        assert not (ALLOWED[state] & unbooked)


def test_given_mailed_when_sources_listed_then_only_booked() -> None:
    assert _sources_of(S.MAILED) == frozenset({S.BOOKED})


def test_given_credited_when_sources_listed_then_only_booked_or_mailed() -> None:
    assert _sources_of(S.CREDITED) == frozenset({S.BOOKED, S.MAILED})


def test_given_every_state_when_checked_then_reachable_from_received() -> None:
    seen = {S.RECEIVED}
    frontier = [S.RECEIVED]
    while frontier:
        state = frontier.pop()
        for target in ALLOWED[state]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(LedgerState)
