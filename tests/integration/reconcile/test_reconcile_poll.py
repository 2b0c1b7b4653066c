"""The reconcile poll against the real local parts: Dandomain sandbox, DynamoDB Local, moto SQS,
the booking function and the e-conomic sandbox. Webhooks are "lost" by simply not sending them."""

import json
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import LedgerState
from autobook.domain.shop import ShopConfig, ShopMode, ShopSecrets
from autobook.usecases.reconcile import ShopStatus
from sandbox import shopkit
from sandbox.dandomain import LineSpec, ShopData, build_order, classic_order_change, sign
from sandbox.economic.state import Agreement
from sandbox.environment import LocalEnvironment

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEDULE_EVENT = REPO_ROOT / "events" / "reconcile-schedule.json"
BOOKING = shopkit.BOOKING_STATE  # "Afsendt"
NEW = 1
CANCELLED = 4
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
GO_LIVE = T0 - timedelta(days=1)
LINES = [LineSpec("REC-TSHIRT", "T-shirt", 2, "159.20"), LineSpec("REC-MUG", "Krus", 1, "79.20")]


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Shop:
    env: LocalEnvironment
    config: ShopConfig
    data: ShopData
    agreement: Agreement
    webhook_secret: str

    @property
    def shop_id(self) -> str:
        return self.config.shop_id

    def add(
        self, order_id: int, *, state: int = BOOKING, modified: datetime, incomplete: bool = False
    ) -> None:
        self.data.add_order(
            build_order(
                order_id,
                lines=LINES,
                state_id=state,
                incomplete=incomplete,
                created=modified - timedelta(hours=1),
                modified=modified,
            )
        )

    def send_webhook(self, order_id: int) -> None:
        body = json.dumps(classic_order_change(order_id, NEW, BOOKING)).encode()
        status, _ = self.env.lambdas.post_webhook(
            self.shop_id, body, headers={"X-Hmac-Sha256": sign(self.webhook_secret, body)}
        )
        assert status == 202

    def booked_references(self) -> Counter[str]:
        return Counter(doc["references"]["other"] for doc in self.agreement.booked.values())

    def reference(self, order_id: int) -> str:
        return self.config.order_reference(str(order_id))

    def reconcile(self, now: datetime) -> Any:
        with self.env.operator() as root:
            return root.reconcile().run(now)

    def watermark(self) -> datetime | None:
        with self.env.operator() as root:
            return root.shops.watermark(self.shop_id)

    def ledger_state(self, order_id: int) -> LedgerState | None:
        with self.env.operator() as root:
            entry = root.ledger.get(self.shop_id, str(order_id))
        return entry.state if entry else None


def open_shop(env: LocalEnvironment, shop_id: str = "demo-shop") -> Shop:
    """A shop in both sandboxes, registered in autobook, with no orders yet. It went live
    before T0: the orders of these tests are its (a shop's first poll starts at go-live)."""
    local = shopkit.open_shop(env, shop_id, orders=0)
    for line in LINES:
        local.agreement.add_product(line.sku, line.name)
    config = local.config.model_copy(update={"go_live_at": GO_LIVE})
    with env.operator() as root:
        root.shops.put(config)
    return Shop(env, config, local.dandomain, local.agreement, local.secrets.webhook_secret)


def register_with_unknown_key(env: LocalEnvironment, shop_id: str) -> None:
    """A shop whose stored Dandomain key Dandomain does not know (renewed there, not here)."""
    config = shopkit.shop_config(shop_id, env.dandomain.url, [], mode=ShopMode.ACTIVE)
    env.register_shop(
        config,
        ShopSecrets(
            dandomain_api_key=secrets.token_hex(18),
            economic_grant_token=secrets.token_hex(16),
            webhook_secret=secrets.token_urlsafe(24),
        ),
    )


@pytest.fixture
def dandomain_clock(fresh_env: LocalEnvironment) -> Iterator[MovableClock]:
    clock = MovableClock(T0)
    saved = fresh_env.dandomain_state.clock
    fresh_env.dandomain_state.clock = clock
    yield clock
    fresh_env.dandomain_state.clock = saved


def schedule_event() -> dict[str, Any]:
    event: dict[str, Any] = json.loads(SCHEDULE_EVENT.read_text())
    return event


def test_given_lost_webhooks_when_the_scheduled_function_runs_then_every_order_is_booked_once(
    fresh_env: LocalEnvironment,
) -> None:
    shop = open_shop(fresh_env)
    recent = datetime.now(UTC) - timedelta(minutes=5)
    for order_id in (101, 102, 103, 104):
        shop.add(order_id, modified=recent)
    shop.add(105, state=NEW, modified=recent)  # not in a booking state
    shop.add(106, modified=recent, incomplete=True)  # never completed checkout
    shop.send_webhook(101)  # the only webhook that arrives
    fresh_env.run_until_idle()
    assert shop.booked_references() == Counter({shop.reference(101): 1})

    summary = fresh_env.lambdas.invoke("ReconcileFunction", schedule_event())
    fresh_env.run_until_idle()

    assert summary == {
        "shops": 1,
        "scanned": 5,
        "enqueued": 3,
        "failed": [],
        "rechecked": 0,
        "owner_mails": 0,
    }
    assert shop.booked_references() == Counter(
        {shop.reference(order_id): 1 for order_id in (101, 102, 103, 104)}
    )
    assert shop.ledger_state(105) is None
    assert shop.ledger_state(106) is None
    watermark = shop.watermark()
    assert watermark is not None
    assert watermark > recent

    again = fresh_env.lambdas.invoke("ReconcileFunction", schedule_event())

    assert again == {**summary, "enqueued": 0}
    assert fresh_env.lambdas.drain("BookingFunction").invocations == 0


def test_given_an_order_moved_to_booking_later_when_the_next_run_comes_then_it_is_picked_up(
    fresh_env: LocalEnvironment, dandomain_clock: MovableClock
) -> None:
    shop = open_shop(fresh_env)
    shop.add(201, modified=T0 - timedelta(minutes=5))
    shop.add(202, state=NEW, modified=T0 - timedelta(minutes=4))

    first = shop.reconcile(T0)
    fresh_env.run_until_idle()

    assert (first.scanned, first.enqueued) == (1, 1)
    assert shop.watermark() == T0
    assert shop.booked_references() == Counter({shop.reference(201): 1})

    dandomain_clock.now = T0 + timedelta(minutes=20)
    shop.data.set_order_state(202, BOOKING)  # its webhook is lost too
    second = shop.reconcile(T0 + timedelta(minutes=30))
    fresh_env.run_until_idle()

    assert (second.scanned, second.enqueued) == (2, 1)  # 201 is in the overlap, already booked
    assert shop.watermark() == T0 + timedelta(minutes=30)
    assert shop.booked_references() == Counter({shop.reference(201): 1, shop.reference(202): 1})

    third = shop.reconcile(T0 + timedelta(minutes=60))

    assert third.enqueued == 0


def test_given_an_order_dated_just_before_the_watermark_when_the_next_run_comes_then_overlap_catches_it(
    fresh_env: LocalEnvironment, dandomain_clock: MovableClock
) -> None:
    shop = open_shop(fresh_env)
    shop.reconcile(T0)
    # Dandomain's clock is behind ours: the order shows up after the run, stamped before it.
    shop.add(301, modified=T0 - timedelta(minutes=3))

    summary = shop.reconcile(T0 + timedelta(minutes=30))
    fresh_env.run_until_idle()

    assert summary.enqueued == 1
    assert shop.booked_references() == Counter({shop.reference(301): 1})


def test_given_a_booked_order_cancelled_without_webhook_when_reconciling_then_booking_is_told(
    fresh_env: LocalEnvironment, dandomain_clock: MovableClock
) -> None:
    shop = open_shop(fresh_env)
    shop.add(401, modified=T0 - timedelta(minutes=5))
    shop.reconcile(T0)
    fresh_env.run_until_idle()
    assert shop.ledger_state(401) in (LedgerState.BOOKED, LedgerState.MAILED)

    dandomain_clock.now = T0 + timedelta(minutes=10)
    shop.data.set_order_state(401, CANCELLED)  # card fraud; the webhook never came
    summary = shop.reconcile(T0 + timedelta(minutes=30))
    fresh_env.run_until_idle()

    assert summary.enqueued == 1
    with fresh_env.operator() as root:
        codes = {e.code for e in root.queries().open_errors(shop.shop_id)}
    # The booking function credits the invoice (or, where it cannot, tells the owner).
    credited = shop.ledger_state(401) == LedgerState.CREDITED
    assert credited or ErrorCode.ORDER_CANCELLED_AFTER_BOOKING in codes
    assert shop.reconcile(T0 + timedelta(minutes=60)).enqueued == (0 if credited else 1)
    assert shop.booked_references()[shop.reference(401)] == 1  # never booked twice


def test_given_a_shop_whose_dandomain_key_is_rejected_when_reconciling_then_it_is_logged_and_others_go_on(
    fresh_env: LocalEnvironment, dandomain_clock: MovableClock
) -> None:
    good = open_shop(fresh_env, "good-shop")
    good.add(501, modified=T0 - timedelta(minutes=5))
    register_with_unknown_key(fresh_env, "revoked-shop")

    summary = good.reconcile(T0)
    fresh_env.run_until_idle()

    statuses = {r.shop_id: r.status for r in summary.results}
    assert statuses == {"good-shop": ShopStatus.OK, "revoked-shop": ShopStatus.ACCESS_DENIED}
    assert good.booked_references() == Counter({good.reference(501): 1})
    with fresh_env.operator() as root:
        errors = root.queries().open_errors("revoked-shop")
        assert root.shops.watermark("revoked-shop") is None
        assert root.shops.paused("revoked-shop") is not None
    assert [(e.order_id, e.code) for e in errors] == [("_shop", ErrorCode.DANDOMAIN_ACCESS)]
