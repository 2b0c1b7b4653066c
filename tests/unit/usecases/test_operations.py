"""Operator and owner actions: the same rules from the CLI, the owner page or a Lambda, each
recorded in the order's history with who and when."""

from datetime import timedelta

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerState
from autobook.domain.shop import PaymentMapping, ShopSecrets
from autobook.usecases.book_order import Outcome
from autobook.usecases.operations import ActionError, UnknownShopError, registration_problems
from tests.fakes import FakeSecrets
from tests.unit.usecases.world import SHOP_ID, World, order, shop_config


def _failed_payment(world: World, order_id: str = "1001") -> None:
    world.source.put(order(order_id, payment_id=99))
    assert world.book(order_id) == Outcome.FAILED


def test_given_a_blocked_order_when_replayed_then_queued_and_noted_with_who(world: World) -> None:
    _failed_payment(world)
    world.operations.replay_order(SHOP_ID, "1001", actor="operator:anna")
    (event,) = world.order_queue.take()
    assert event.order_id == "1001"
    last = world.entry().history[-1]
    assert (last.actor, last.note) == ("operator:anna", "replay requested")


def test_given_an_unknown_shop_when_acted_on_then_refused(world: World) -> None:
    with pytest.raises(UnknownShopError) as raised:
        world.operations.replay_order("nope", "1", actor="x")
    assert raised.value.da == "Butikken nope findes ikke."


def test_given_orders_with_one_code_when_replayed_by_code_then_all_of_them(world: World) -> None:
    _failed_payment(world, "1001")
    _failed_payment(world, "1002")
    replayed = world.operations.replay_code(
        SHOP_ID, ErrorCode.PAYMENT_METHOD_UNMAPPED, actor="owner"
    )
    assert sorted(replayed) == ["1001", "1002"]
    assert len(world.order_queue.take()) == 2


def test_given_the_payment_mapping_added_when_saved_then_blocked_orders_go_through(
    world: World,
) -> None:
    _failed_payment(world)
    methods = {
        **world.shop.economic.payment_methods,
        99: PaymentMapping(name="MobilePay", payment_terms_number=4),
    }
    changed = world.shop.model_copy(
        update={"economic": world.shop.economic.model_copy(update={"payment_methods": methods})}
    )
    assert world.operations.update_shop(changed, actor="operator:anna") == ["1001"]
    world.shop = changed
    assert world.deliver() == [Outcome.BOOKED]
    assert world.errors.open_codes(SHOP_ID) == {}


def test_given_an_unchanged_mapping_when_saved_then_nothing_replayed(world: World) -> None:
    _failed_payment(world)
    assert (
        world.operations.update_shop(world.shop.model_copy(update={"name": "Ny"}), actor="x") == []
    )


def test_given_an_open_error_when_ignored_then_the_reason_is_kept(world: World) -> None:
    _failed_payment(world)
    with pytest.raises(ActionError):
        world.operations.ignore_error(
            SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED, " ", actor="owner"
        )
    world.operations.ignore_error(
        SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED, "testordre", actor="owner"
    )
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED)
    assert record is not None
    assert (record.status, record.reason, record.closed_by) == (
        ErrorStatus.IGNORED,
        "testordre",
        "owner",
    )
    assert world.entry().history[-1].note.endswith("ignored: testordre")


def test_given_an_error_marked_resolved_then_closed_by_the_actor(world: World) -> None:
    _failed_payment(world)
    world.operations.resolve_error(
        SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED, actor="owner"
    )
    assert world.errors.open_codes(SHOP_ID) == {}
    with pytest.raises(ActionError):
        world.operations.resolve_error(
            SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED, actor="owner"
        )


def test_given_no_invoice_when_a_resend_is_asked_then_refused(world: World) -> None:
    _failed_payment(world)
    with pytest.raises(ActionError):
        world.operations.resend_mail(SHOP_ID, "1001", actor="owner")


def test_given_a_sent_invoice_when_the_owner_asks_again_then_mailed_again(world: World) -> None:
    world.source.put(order())
    world.book()
    world.mail()
    world.operations.resend_mail(SHOP_ID, "1001", actor="owner")
    world.mail()
    assert len(world.mailer.sent) == 2
    assert world.entry().history[-1].note == "invoice mail ses-2"


def test_given_an_order_without_an_invoice_when_credit_and_rebook_is_asked_then_refused(
    world: World,
) -> None:
    _failed_payment(world)
    with pytest.raises(ActionError):
        world.operations.credit_and_rebook(SHOP_ID, "1001", actor="owner")


def test_given_a_new_shop_when_registered_then_its_trial_starts_now(world: World) -> None:
    world.shops.configs.clear()
    secrets = FakeSecrets()
    config = shop_config(trial_started_at=None)
    saved = world.operations.register_shop(
        config,
        ShopSecrets(dandomain_api_key="k", economic_grant_token="g", webhook_secret="w"),
        secrets,
        actor="operator:anna",
    )
    assert saved.trial_started_at == world.clock()
    assert saved.go_live_at == world.clock()
    assert world.shops.get(SHOP_ID) == saved
    assert SHOP_ID in secrets.shops


def test_given_a_shop_missing_what_it_needs_when_registered_then_each_gap_is_named() -> None:
    config = shop_config(booking_state_ids=frozenset(), owner=None)
    secrets = ShopSecrets(economic_grant_token="g", webhook_secret="w")
    problems = [en for _, en in registration_problems(config, secrets)]
    assert problems == [
        "no order state books orders (booking_state_ids)",
        "no owner to tell (owner.addresses)",
        "secrets missing: dandomain_api_key",
    ]


def test_given_a_replay_of_an_unknown_order_then_queued_anyway(world: World) -> None:
    world.operations.replay_order(SHOP_ID, "7777", actor="owner")
    assert world.deliver() == [Outcome.FAILED]
    assert world.entry("7777").error_code == ErrorCode.ORDER_NOT_FOUND
    assert world.entry("7777").state == LedgerState.FAILED
    assert timedelta(0) == world.entry("7777").updated_at - world.clock()
