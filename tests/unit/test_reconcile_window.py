"""The reconcile poll's pure parts (window, "needs enqueueing", event id) and its loop over
shops, with in-memory stand-ins for the stores, the queue and Dandomain."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest

from autobook.domain.errors import ErrorCode, ErrorText, KnownError, TransientError
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerEntry, LedgerState
from autobook.domain.order import Fee, Order, OrderState, Party
from autobook.domain.shop import DandomainSettings, ShopConfig
from autobook.usecases.dependencies import Dependencies
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


def test_given_a_summer_window_when_converting_to_shop_time_then_bounds_are_naive_copenhagen() -> (
    None
):
    window = Window(start=NOW - timedelta(minutes=40), end=NOW)

    start, end = window.shop_local()

    assert (start, end) == (datetime(2026, 6, 15, 11, 20), datetime(2026, 6, 15, 12, 0))


def test_given_a_winter_window_when_converting_to_shop_time_then_the_offset_is_one_hour() -> None:
    end = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)

    start_local, end_local = Window(start=end - timedelta(hours=1), end=end).shop_local()

    assert (start_local, end_local) == (datetime(2026, 1, 10, 8, 0), datetime(2026, 1, 10, 9, 0))


def test_given_a_window_across_the_autumn_dst_change_when_converting_then_it_is_not_inverted() -> (
    None
):
    # 25 Oct 2026 01:00 UTC: Copenhagen's wall clock goes from 03:00 CEST back to 02:00 CET.
    window = Window(
        start=datetime(2026, 10, 25, 0, 50, tzinfo=UTC),  # 02:50 CEST
        end=datetime(2026, 10, 25, 1, 10, tzinfo=UTC),  # 02:10 CET
    )

    start, end = window.shop_local()

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

    start, end = window.shop_local()

    assert (start, end) == (datetime(2026, 3, 29, 1, 50), datetime(2026, 3, 29, 3, 10))


# ------------------------------------------------------------------------------- predicate


@pytest.mark.parametrize(
    ("ledger_state", "expected"),
    [
        (None, True),
        (LedgerState.RECEIVED, True),
        (LedgerState.SKIPPED, True),
        (LedgerState.DRAFTED, False),
        (LedgerState.BOOKED, False),
        (LedgerState.MAILED, False),
        (LedgerState.FAILED, False),
        (LedgerState.CREDITED, False),
    ],
)
def test_given_an_order_in_a_booking_state_when_checking_then_only_unhandled_ledger_states_enqueue(
    ledger_state: LedgerState | None, expected: bool
) -> None:
    assert needs_enqueue(order(state=BOOKING), SHOP, ledger_state) is expected


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
    assert needs_enqueue(order(state=CANCEL), SHOP, ledger_state) is expected
    assert needs_enqueue(order(state=5), SHOP, ledger_state) is expected


def test_given_an_incomplete_order_in_a_booking_state_when_checking_then_it_is_not_enqueued() -> (
    None
):
    assert needs_enqueue(order(incomplete=True), SHOP, None) is False
    assert needs_enqueue(order(incomplete=True), SHOP, LedgerState.SKIPPED) is False


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


@dataclass
class FakeShops:
    configs: dict[str, ShopConfig]
    watermarks: dict[str, datetime] = field(default_factory=dict)

    def shop_ids(self) -> list[str]:
        return sorted(self.configs)

    def get_config(self, shop_id: str) -> ShopConfig | None:
        return self.configs.get(shop_id)

    def get_watermark(self, shop_id: str) -> datetime | None:
        return self.watermarks.get(shop_id)

    def set_watermark(self, shop_id: str, at: datetime) -> None:
        self.watermarks[shop_id] = at


@dataclass
class FakeLedger:
    states: dict[tuple[str, str], LedgerState] = field(default_factory=dict)

    def get(self, shop_id: str, order_id: str) -> LedgerEntry | None:
        state = self.states.get((shop_id, order_id))
        if state is None:
            return None
        return LedgerEntry(
            shop_id=shop_id, order_id=order_id, state=state, created_at=NOW, updated_at=NOW
        )


@dataclass
class FakeQueue:
    fail_for: set[tuple[str, str]] = field(default_factory=set)
    sent: list[OrderEvent] = field(default_factory=list)

    def send(self, event: OrderEvent) -> None:
        if (event.shop_id, event.order_id) in self.fail_for:
            raise RuntimeError("SQS refused the message")
        self.sent.append(event)


@dataclass
class FakeErrors:
    recorded: list[tuple[str, str, ErrorText]] = field(default_factory=list)

    def record(self, shop_id: str, order_id: str, text: ErrorText, now: datetime) -> None:
        self.recorded.append((shop_id, order_id, text))


class FakeSecrets:
    def shop(self, shop_id: str) -> str:
        return shop_id


@dataclass
class FakeDandomain:
    """Wire orders per shop; `fails` maps a shop to the error its client raises."""

    orders: dict[str, list[dict[str, Any]]]
    fails: dict[str, Exception] = field(default_factory=dict)
    queries: list[tuple[str, datetime, datetime, int | None]] = field(default_factory=list)

    def client(self, shop: ShopConfig, secrets: object) -> "FakeDandomain.Client":
        return FakeDandomain.Client(self, shop.shop_id)

    @dataclass
    class Client:
        outer: "FakeDandomain"
        shop_id: str

        def orders_modified(
            self, start: datetime, end: datetime, *, state_id: int | None = None
        ) -> list[Any]:
            from autobook.dandomain.classic_model import ClassicOrder

            self.outer.queries.append((self.shop_id, start, end, state_id))
            if self.shop_id in self.outer.fails:
                raise self.outer.fails[self.shop_id]
            return [
                ClassicOrder.model_validate(o)
                for o in self.outer.orders.get(self.shop_id, [])
                if o["orderState"]["id"] == state_id
            ]


def wire(order_id: int, state: int = BOOKING, *, incomplete: bool = False) -> dict[str, Any]:
    from sandbox.dandomain import LineSpec, build_order

    return build_order(
        order_id,
        lines=[LineSpec("SKU-1", "Vare", 1, "80.00")],
        state_id=state,
        incomplete=incomplete,
        created=NOW - timedelta(hours=2),
        modified=NOW - timedelta(minutes=5),
    )


@dataclass
class World:
    shops: FakeShops
    ledger: FakeLedger
    queue: FakeQueue
    errors: FakeErrors
    dandomain: FakeDandomain

    def service(self) -> ReconcileService:
        deps = Dependencies(
            shops=cast(Any, self.shops),
            ledger=cast(Any, self.ledger),
            errors=cast(Any, self.errors),
            secrets=cast(Any, FakeSecrets()),
            order_queue=cast(Any, self.queue),
            mail_queue=cast(Any, None),
            mail_sender=cast(Any, None),
            dandomain=cast(Any, self.dandomain.client),
            economic=cast(Any, None),
            sender_address="x@example.invalid",
            clock=lambda: NOW,
        )
        return ReconcileService(deps)


def world(**orders: list[dict[str, Any]]) -> World:
    configs = {
        shop_id: SHOP.model_copy(update={"shop_id": shop_id}) for shop_id in ("shop-a", "shop-b")
    }
    return World(
        FakeShops(configs), FakeLedger(), FakeQueue(), FakeErrors(), FakeDandomain(dict(orders))
    )


def test_given_two_shops_when_reconciling_then_each_state_is_queried_and_due_orders_enqueued() -> (
    None
):
    w = world(
        **{
            "shop-a": [wire(1), wire(2, NEW), wire(3, incomplete=True), wire(4, CANCEL)],
            "shop-b": [wire(7)],
        }
    )
    w.ledger.states[("shop-a", "4")] = LedgerState.BOOKED

    summary = w.service().run(NOW)

    assert summary.as_dict() == {"shops": 2, "scanned": 4, "enqueued": 3, "failed": []}
    assert [(e.shop_id, e.order_id) for e in w.queue.sent] == [
        ("shop-a", "1"),
        ("shop-a", "4"),
        ("shop-b", "7"),
    ]
    assert {q[3] for q in w.dandomain.queries} == {BOOKING, CANCEL, 5}
    assert w.shops.watermarks == {"shop-a": NOW, "shop-b": NOW}


def test_given_a_failing_send_when_reconciling_then_the_watermark_stays_and_other_shops_go_on() -> (
    None
):
    w = world(**{"shop-a": [wire(1), wire(2)], "shop-b": [wire(7)]})
    before = NOW - timedelta(minutes=30)
    w.shops.watermarks = {"shop-a": before, "shop-b": before}
    w.queue.fail_for = {("shop-a", "2")}

    summary = w.service().run(NOW)

    assert summary.failed == ["shop-a"]
    assert w.shops.watermarks == {"shop-a": before, "shop-b": NOW}
    assert [r.status for r in summary.results] == [ShopStatus.FAILED, ShopStatus.OK]
    assert [(e.shop_id, e.order_id) for e in w.queue.sent] == [("shop-a", "1"), ("shop-b", "7")]


def test_given_a_rejected_dandomain_key_when_reconciling_then_it_is_recorded_and_others_go_on() -> (
    None
):
    w = world(**{"shop-b": [wire(7)]})
    w.dandomain.fails["shop-a"] = KnownError(ErrorCode.DANDOMAIN_ACCESS, detail="HTTP 401")

    summary = w.service().run(NOW)

    assert [(s, o, t.code) for s, o, t in w.errors.recorded] == [
        ("shop-a", "_shop", ErrorCode.DANDOMAIN_ACCESS)
    ]
    assert summary.results[0].status == ShopStatus.ACCESS_DENIED
    assert [e.order_id for e in w.queue.sent] == ["7"]
    assert w.shops.watermarks == {"shop-b": NOW}


def test_given_a_dandomain_outage_when_reconciling_then_nothing_is_recorded_and_the_watermark_stays() -> (
    None
):
    w = world()
    w.dandomain.fails["shop-a"] = TransientError("Dandomain GET ...: HTTP 503")

    summary = w.service().run(NOW)

    assert summary.failed == ["shop-a"]
    assert w.errors.recorded == []
    assert "shop-a" not in w.shops.watermarks


def test_given_a_watermark_when_reconciling_then_dandomain_gets_shop_local_naive_bounds() -> None:
    w = world()
    w.shops.watermarks["shop-a"] = NOW - timedelta(minutes=30)

    w.service().run_shop("shop-a", NOW)

    _, start, end, _ = w.dandomain.queries[0]
    assert (start, end) == (datetime(2026, 6, 15, 11, 20), datetime(2026, 6, 15, 12, 0))
