"""The reconcile poll and the recheck against the fakes."""

from datetime import UTC, datetime, timedelta

from autobook.domain.errors import ErrorCode
from autobook.domain.events import EventSource
from autobook.domain.ledger import LedgerState
from autobook.usecases.book_order import Outcome
from autobook.usecases.reconcile import ShopStatus
from tests.unit.usecases.world import CANCEL, SHOP_ID, World, order

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_given_a_new_shop_when_polled_first_then_the_window_starts_at_go_live(
    world: World,
) -> None:
    world.set_shop(go_live_at=NOW - timedelta(days=3))
    world.source.put(order("1001", modified=NOW - timedelta(days=2)))  # after go-live
    world.source.put(order("1000", modified=NOW - timedelta(days=4)))  # before: not ours
    result = world.reconcile.run_shop(SHOP_ID, NOW)
    assert result.status == ShopStatus.OK
    assert result.window_start == NOW - timedelta(days=3)
    assert [e.order_id for e in world.order_queue.take()] == ["1001"]
    assert world.shops.watermark(SHOP_ID) == NOW


def test_given_orders_in_every_situation_when_polled_then_only_the_work_is_enqueued(
    world: World,
) -> None:
    when = NOW - timedelta(minutes=5)
    world.source.put(order("1", modified=when))  # new: book
    world.source.put(order("2", modified=when))  # booked already: nothing
    world.source.put(order("3", modified=when))  # booked, now cancelled: credit
    world.source.put(order("4", modified=when, payment_id=99))  # failed, changed since: retry
    for order_id in ("2", "3", "4"):
        world.book(order_id)
    world.source.put(order("3", state=CANCEL, modified=when))
    world.shops.set_watermark(SHOP_ID, NOW - timedelta(minutes=30))
    world.reconcile.run_shop(SHOP_ID, NOW)
    assert sorted(e.order_id for e in world.order_queue.take()) == ["1", "3", "4"]


def test_given_the_same_order_seen_twice_when_polled_then_the_same_event_id(world: World) -> None:
    world.source.put(order("1", modified=NOW - timedelta(minutes=5)))
    world.shops.set_watermark(SHOP_ID, NOW - timedelta(minutes=30))
    world.reconcile.run_shop(SHOP_ID, NOW)
    world.reconcile.run_shop(SHOP_ID, NOW + timedelta(minutes=1))
    first, second = world.order_queue.take()
    assert first.event_id == second.event_id  # SQS FIFO keeps one


def test_given_dandomain_refusing_the_key_when_polled_then_paused_and_the_watermark_stays(
    world: World,
) -> None:
    world.source.key_refused = True
    result = world.reconcile.run_shop(SHOP_ID, NOW)
    assert result.status == ShopStatus.ACCESS_DENIED
    assert world.shops.paused(SHOP_ID) is not None
    assert world.shops.watermark(SHOP_ID) is None
    world.source.key_refused = False  # the key is renewed: the next poll lifts the pause
    assert world.reconcile.run_shop(SHOP_ID, NOW).status == ShopStatus.OK
    assert world.shops.paused(SHOP_ID) is None
    assert world.owner_mail.told[-1] == ("resumed", ("DANDOMAIN_ACCESS",))


def test_given_dandomain_down_when_polled_then_failed_and_retried_next_time(world: World) -> None:
    world.source.down = True
    assert world.reconcile.run_shop(SHOP_ID, NOW).status == ShopStatus.FAILED
    assert world.shops.watermark(SHOP_ID) is None


def test_given_orders_blocked_by_missing_products_when_rechecked_then_one_probe_per_cause(
    world: World,
) -> None:
    world.books.products = {"FRAGT"}
    for order_id, sku in (("1", "A"), ("2", "A"), ("3", "B")):
        world.source.put(order(order_id, sku=sku))
        world.book(order_id)
    probes = world.recheck.run_shop(SHOP_ID, NOW)
    assert sorted(p.order_id for p in probes) == ["1", "3"]
    world.books.products = None  # both products created in e-conomic
    outcomes = world.deliver()
    assert outcomes == [Outcome.BOOKED, Outcome.BOOKED]
    # order 2 was released by the probes that went through (twice: harmless, no e-conomic call)
    released = world.deliver()
    assert released.count(Outcome.BOOKED) == 1
    assert set(released) == {Outcome.BOOKED, Outcome.ALREADY_DONE}
    assert world.errors.open_codes(SHOP_ID) == {}


def test_given_nothing_blocked_when_rechecked_then_nothing_sent(world: World) -> None:
    assert world.recheck.run_shop(SHOP_ID, NOW) == []


def test_given_a_paused_shop_when_rechecked_then_the_oldest_waiting_order_is_probed(
    world: World,
) -> None:
    world.books.year_missing = True
    world.source.put(order("1"))
    world.source.put(order("2"))
    world.book("1")
    world.book("2")
    assert world.entry("2").state == LedgerState.FAILED
    (probe,) = world.recheck.run_shop(SHOP_ID, NOW)
    assert probe.source == EventSource.PROBE
    assert probe.order_id == "1"
    world.order_queue.take()
    assert world.entry("1").error_code == ErrorCode.ACCOUNTING_YEAR_MISSING
