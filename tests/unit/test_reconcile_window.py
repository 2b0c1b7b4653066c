"""The reconcile poll's pure parts (window, Classic's shop-local bounds, "needs enqueueing",
event id) and its loop over shops, against the in-memory fakes of the ports."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from autobook.dandomain.sources import ClassicOrderSource, shop_local_window
from autobook.domain.errors import ErrorCode
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.order import Fee, Order, OrderState, Party
from autobook.domain.shop import DandomainSettings, ShopConfig, ShopMode
from autobook.usecases.owner_notices import OwnerNoticeService
from autobook.usecases.reconcile import (
    ReconcilePolicy,
    ReconcileService,
    ShopStatus,
    Window,
    latest_versions,
    needs_enqueue,
    queried_states,
    reconcile_event,
    reconcile_window,
)
from tests.fakes import (
    FakeErrorLog,
    FakeLedger,
    FakeOrderQueue,
    FakeOrderSource,
    FakeOwnerMail,
    FakeShops,
)

pytestmark = pytest.mark.disable_socket

BOOKING = 3
CANCEL = 4
NEW = 1
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)

SHOP = ShopConfig(
    shop_id="shop-a",
    name="Shop A",
    dandomain=DandomainSettings(base_url="http://dandomain.invalid"),
    booking_state_ids=frozenset({BOOKING}),
    cancel_state_ids=frozenset({CANCEL, 5}),
)


def order(
    order_id: str = "1001",
    *,
    state: int = BOOKING,
    incomplete: bool = False,
    modified: datetime = NOW - timedelta(minutes=5),
) -> Order:
    return Order(
        order_id=order_id,
        created_at=modified - timedelta(hours=1),
        modified_at=modified,
        state=OrderState(id=state),
        incomplete=incomplete,
        currency="DKK",
        total_gross=Decimal("100.00"),
        vat_percent=Decimal("25"),
        customer=Party(name="Karen"),
        payment=Fee(method_id=60, name="Kort"),
        shipping=Fee(method_id=67, name="GLS"),
    )


# ------------------------------------------------------------------------------- window


def test_given_no_watermark_when_computing_the_window_then_it_reaches_back_the_first_lookback() -> (
    None
):
    window = reconcile_window(None, NOW, ReconcilePolicy(first_lookback=timedelta(hours=24)))

    assert window == Window(start=NOW - timedelta(hours=24), end=NOW)


def test_given_a_watermark_when_computing_the_window_then_it_starts_one_overlap_before_it() -> None:
    watermark = NOW - timedelta(minutes=30)

    window = reconcile_window(watermark, NOW, ReconcilePolicy(overlap=timedelta(minutes=10)))

    assert window == Window(start=NOW - timedelta(minutes=40), end=NOW)


def test_given_default_policy_when_computing_the_window_then_overlap_is_ten_minutes() -> None:
    window = reconcile_window(NOW - timedelta(minutes=30), NOW)

    assert window.start == NOW - timedelta(minutes=40)


def test_given_a_watermark_in_the_future_when_computing_the_window_then_the_first_lookback_is_used() -> (
    None
):
    policy = ReconcilePolicy(first_lookback=timedelta(hours=6))

    window = reconcile_window(NOW + timedelta(hours=1), NOW, policy)

    assert window == Window(start=NOW - timedelta(hours=6), end=NOW)


def test_given_naive_times_when_computing_the_window_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        reconcile_window(None, NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="aware"):
        reconcile_window(NOW.replace(tzinfo=None), NOW)


def test_given_a_go_live_date_when_computing_the_first_window_then_it_starts_there() -> None:
    go_live = NOW - timedelta(days=3)

    window = reconcile_window(None, NOW, go_live=go_live)

    assert window == Window(start=go_live, end=NOW)


def test_given_a_go_live_long_ago_when_computing_the_first_window_then_it_is_capped() -> None:
    policy = ReconcilePolicy(max_first_lookback=timedelta(days=31))

    window = reconcile_window(None, NOW, policy, go_live=NOW - timedelta(days=400))

    assert window.start == NOW - timedelta(days=31)


def test_given_a_watermark_and_a_go_live_date_when_computing_then_the_watermark_wins() -> None:
    window = reconcile_window(NOW - timedelta(minutes=30), NOW, go_live=NOW - timedelta(days=3))

    assert window.start == NOW - timedelta(minutes=40)


def test_given_a_summer_window_when_converting_to_shop_time_then_bounds_are_naive_copenhagen() -> (
    None
):
    window = Window(start=NOW - timedelta(minutes=40), end=NOW)

    start, end = shop_local_window(window.start, window.end)

    assert (start, end) == (datetime(2026, 6, 15, 11, 20), datetime(2026, 6, 15, 12, 0))


def test_given_a_winter_window_when_converting_to_shop_time_then_the_offset_is_one_hour() -> None:
    end = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)

    start_local, end_local = shop_local_window(end - timedelta(hours=1), end)

    assert (start_local, end_local) == (datetime(2026, 1, 10, 8, 0), datetime(2026, 1, 10, 9, 0))


def test_given_a_window_across_the_autumn_dst_change_when_converting_then_it_is_not_inverted() -> (
    None
):
    # 25 Oct 2026 01:00 UTC: Copenhagen's wall clock goes from 03:00 CEST back to 02:00 CET.
    window = Window(
        start=datetime(2026, 10, 25, 0, 50, tzinfo=UTC),  # 02:50 CEST
        end=datetime(2026, 10, 25, 1, 10, tzinfo=UTC),  # 02:10 CET
    )

    start, end = shop_local_window(window.start, window.end)

    assert end == datetime(2026, 10, 25, 2, 10)
    assert start == datetime(2026, 10, 25, 1, 50)  # pulled back: never shorter than 20 min
    assert end - start >= window.end - window.start


def test_given_a_window_across_the_spring_dst_change_when_converting_then_it_covers_the_gap() -> (
    None
):
    # 29 Mar 2026 01:00 UTC: the wall clock jumps from 02:00 CET to 03:00 CEST.
    window = Window(
        start=datetime(2026, 3, 29, 0, 50, tzinfo=UTC), end=datetime(2026, 3, 29, 1, 10, tzinfo=UTC)
    )

    start, end = shop_local_window(window.start, window.end)

    assert (start, end) == (datetime(2026, 3, 29, 1, 50), datetime(2026, 3, 29, 3, 10))


# ------------------------------------------------------------------------------- predicate


def entry(state: LedgerState | None, **fields: Any) -> LedgerEntry | None:
    if state is None:
        return None
    return LedgerEntry(
        shop_id="shop-a", order_id="1001", state=state, created_at=NOW, updated_at=NOW, **fields
    )


@pytest.mark.parametrize(
    ("ledger_state", "expected"),
    [
        (None, True),
        (LedgerState.RECEIVED, True),
        (LedgerState.SKIPPED, True),
        # Not finished: the booking function carries on (a draft to book, an error to retry
        # on the order as it is now, a credited order invoiced anew), as `decide` says.
        (LedgerState.DRAFTED, True),
        (LedgerState.FAILED, True),
        (LedgerState.CREDITED, True),
        (LedgerState.BOOKED, False),
        (LedgerState.MAILED, False),
    ],
)
def test_given_an_order_in_a_booking_state_when_checking_then_what_booking_would_do_enqueues(
    ledger_state: LedgerState | None, expected: bool
) -> None:
    assert needs_enqueue(order(state=BOOKING), SHOP, entry(ledger_state)) is expected


@pytest.mark.parametrize(
    ("ledger_state", "expected"),
    [
        (None, False),
        (LedgerState.RECEIVED, False),
        (LedgerState.SKIPPED, False),
        (LedgerState.DRAFTED, False),
        (LedgerState.FAILED, False),
        (LedgerState.BOOKED, True),
        (LedgerState.MAILED, True),
        (LedgerState.CREDITED, False),
    ],
)
def test_given_an_order_in_a_cancel_state_when_checking_then_only_booked_orders_enqueue(
    ledger_state: LedgerState | None, expected: bool
) -> None:
    assert needs_enqueue(order(state=CANCEL), SHOP, entry(ledger_state)) is expected
    assert needs_enqueue(order(state=5), SHOP, entry(ledger_state)) is expected


def test_given_a_trial_draft_when_checking_then_enqueued_only_after_activation() -> None:
    drafted = entry(LedgerState.DRAFTED, drafted_in_trial=True)
    assert needs_enqueue(order(), SHOP, drafted) is False  # the trial: the owner's to book
    active = SHOP.model_copy(update={"mode": ShopMode.ACTIVE})
    assert needs_enqueue(order(), active, drafted) is True  # learn what the owner did


def test_given_an_incomplete_order_in_a_booking_state_when_checking_then_it_is_not_enqueued() -> (
    None
):
    assert needs_enqueue(order(incomplete=True), SHOP, None) is False
    assert needs_enqueue(order(incomplete=True), SHOP, entry(LedgerState.SKIPPED)) is False


def test_given_an_order_in_another_state_when_checking_then_it_is_not_enqueued() -> None:
    assert needs_enqueue(order(state=NEW), SHOP, None) is False


def test_given_a_shop_when_listing_queried_states_then_booking_and_cancel_states_sorted() -> None:
    assert queried_states(SHOP) == [BOOKING, CANCEL, 5]


# ------------------------------------------------------------------------------- events


def test_given_an_order_when_building_its_event_then_the_id_names_shop_order_and_modification() -> (
    None
):
    modified = datetime(2026, 6, 15, 9, 55, tzinfo=UTC)

    event = reconcile_event("shop-a", order("1001", modified=modified), NOW)

    assert event.source == EventSource.RECONCILE
    assert event.event_id == "reconcile:shop-a:1001:2026-06-15T09:55:00+00:00"
    assert event.message_group == "shop-a#1001"
    assert event.received_at == NOW


def test_given_the_same_modification_when_seen_by_two_runs_then_the_event_ids_match() -> None:
    first = reconcile_event("shop-a", order("1001"), NOW)
    second = reconcile_event("shop-a", order("1001"), NOW + timedelta(minutes=30))

    assert first.event_id == second.event_id


def test_given_a_later_modification_when_building_the_event_then_the_id_differs() -> None:
    first = reconcile_event("shop-a", order("1001"), NOW)
    later = reconcile_event("shop-a", order("1001", modified=NOW - timedelta(minutes=1)), NOW)

    assert first.event_id != later.event_id


def test_given_an_order_in_two_state_queries_when_deduplicating_then_the_latest_version_wins() -> (
    None
):
    old = order("1001", state=BOOKING, modified=NOW - timedelta(minutes=9))
    new = order("1001", state=CANCEL, modified=NOW - timedelta(minutes=2))

    result = latest_versions([order("20"), new, order("3"), old])

    assert [o.order_id for o in result] == ["3", "20", "1001"]
    assert result[-1].state.id == CANCEL


# ------------------------------------------------------------------------------- the loop


class FailingQueue(FakeOrderQueue):
    """SQS refusing the batch of one shop."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_for: set[str] = set()

    def send(self, events: Sequence[OrderEvent]) -> None:
        if any(e.shop_id in self.fail_for for e in events):
            raise RuntimeError("SQS refused the batch")
        super().send(events)


class PerShopSources:
    def __init__(self) -> None:
        self.sources: dict[str, FakeOrderSource] = {}

    def for_shop(self, shop: ShopConfig) -> FakeOrderSource:
        return self.sources.setdefault(shop.shop_id, FakeOrderSource())


class World:
    def __init__(self, **orders: list[Order]) -> None:
        self.shops = FakeShops(
            *(SHOP.model_copy(update={"shop_id": shop_id}) for shop_id in ("shop-a", "shop-b"))
        )
        self.ledger = FakeLedger()
        self.errors = FakeErrorLog()
        self.queue = FailingQueue()
        self.sources = PerShopSources()
        for shop_id, found in orders.items():
            source = self.source(shop_id)
            for o in found:
                source.put(o)
        self.service = ReconcileService(
            shops=self.shops,
            sources=self.sources,
            ledger=self.ledger,
            notices=OwnerNoticeService(errors=self.errors, shops=self.shops, mail=FakeOwnerMail()),
            order_queue=self.queue,
            clock=lambda: NOW,
        )

    def source(self, shop_id: str) -> FakeOrderSource:
        config = self.shops.get(shop_id)
        assert config is not None
        return self.sources.for_shop(config)

    def booked(self, shop_id: str, order_id: str) -> None:
        self.ledger.create_if_absent(
            LedgerEntry(
                shop_id=shop_id,
                order_id=order_id,
                state=LedgerState.BOOKED,
                created_at=NOW,
                updated_at=NOW,
            )
        )


def test_given_two_shops_when_reconciling_then_due_orders_of_each_are_enqueued() -> None:
    w = World(
        **{
            "shop-a": [
                order("1"),
                order("2", state=NEW),
                order("3", incomplete=True),
                order("4", state=CANCEL),
            ],
            "shop-b": [order("7")],
        }
    )
    w.booked("shop-a", "4")

    summary = w.service.run(NOW)

    # order 2 is in no queried state (Dandomain does not return it); 3 is incomplete
    assert summary.as_dict() == {"shops": 2, "scanned": 4, "enqueued": 3, "failed": []}
    assert [(e.shop_id, e.order_id) for e in w.queue.sent] == [
        ("shop-a", "1"),
        ("shop-a", "4"),
        ("shop-b", "7"),
    ]
    assert {e.source for e in w.queue.sent} == {EventSource.RECONCILE}
    assert w.shops.watermarks == {"shop-a": NOW, "shop-b": NOW}


def test_given_a_failing_send_when_reconciling_then_the_watermark_stays_and_other_shops_go_on() -> (
    None
):
    w = World(**{"shop-a": [order("1"), order("2")], "shop-b": [order("7")]})
    before = NOW - timedelta(minutes=30)
    w.shops.watermarks = {"shop-a": before, "shop-b": before}
    w.queue.fail_for = {"shop-a"}

    summary = w.service.run(NOW)

    assert summary.failed == ["shop-a"]
    assert w.shops.watermarks == {"shop-a": before, "shop-b": NOW}
    assert [r.status for r in summary.results] == [ShopStatus.FAILED, ShopStatus.OK]
    assert [(e.shop_id, e.order_id) for e in w.queue.sent] == [("shop-b", "7")]


def test_given_a_rejected_dandomain_key_when_reconciling_then_it_is_recorded_and_others_go_on() -> (
    None
):
    w = World(**{"shop-b": [order("7")]})
    w.source("shop-a").key_refused = True

    summary = w.service.run(NOW)

    assert [(r.shop_id, r.order_id, r.code) for r in w.errors.records.values()] == [
        ("shop-a", "_shop", ErrorCode.DANDOMAIN_ACCESS)
    ]
    assert w.shops.paused("shop-a") is not None
    assert summary.results[0].status == ShopStatus.ACCESS_DENIED
    assert [e.order_id for e in w.queue.sent] == ["7"]
    assert w.shops.watermarks == {"shop-b": NOW}


def test_given_a_dandomain_outage_when_reconciling_then_nothing_is_recorded_and_the_watermark_stays() -> (
    None
):
    w = World()
    w.source("shop-a").down = True

    summary = w.service.run(NOW)

    assert summary.failed == ["shop-a"]
    assert w.errors.records == {}
    assert w.shops.paused("shop-a") is None
    assert "shop-a" not in w.shops.watermarks


class RecordingClassicClient:
    """Classic's WEBAPI client as far as the order source uses it."""

    def __init__(self) -> None:
        self.queries: list[tuple[datetime, datetime, int | None]] = []

    def orders_modified(
        self, start: datetime, end: datetime, *, state_id: int | None = None
    ) -> list[Any]:
        self.queries.append((start, end, state_id))
        return []


def test_given_a_window_when_classic_is_asked_then_one_query_per_state_in_naive_shop_time() -> None:
    client = RecordingClassicClient()
    source = ClassicOrderSource(client)  # type: ignore[arg-type]

    source.changed_between(NOW - timedelta(minutes=40), NOW, queried_states(SHOP))

    assert client.queries == [
        (datetime(2026, 6, 15, 11, 20), datetime(2026, 6, 15, 12, 0), state)
        for state in (BOOKING, CANCEL, 5)
    ]
