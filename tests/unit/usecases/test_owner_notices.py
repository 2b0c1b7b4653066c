"""OwnerNoticeService: told once per order and error, grouped per code, paused and resumed,
a daily digest only when something is open."""

from datetime import UTC, datetime

from autobook.domain.errors import ErrorCode, ErrorStatus, KnownError
from autobook.domain.shop import NoticePreference, OwnerContact
from tests.unit.usecases.world import World


def _text(order_id: str, code: ErrorCode = ErrorCode.PRODUCT_MISSING, products: str = "X-1"):  # type: ignore[no-untyped-def]
    return KnownError(code, order_id=order_id, products=products).text


def test_given_a_new_error_when_recorded_then_one_mail_and_none_on_retries(world: World) -> None:
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    assert world.owner_mail.told == [("orders", ("1001",))]


def test_given_100_failures_of_one_kind_in_an_hour_then_one_mail_then_one_follow_up(
    world: World,
) -> None:
    world.clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # night: no digest due
    for n in range(100):
        world.notices.problem(world.shop, str(2000 + n), _text(str(2000 + n)), world.clock())
        world.clock.advance(seconds=30)
    assert world.owner_mail.told == [("orders", ("2000",))]
    assert world.notices.flush(world.shop, world.clock()) == 0  # within the hour: waits
    world.clock.advance(minutes=15)
    assert world.notices.flush(world.shop, world.clock()) == 1
    kind, orders = world.owner_mail.told[-1]
    assert kind == "follow_up"
    assert len(orders) == 99
    assert world.notices.flush(world.shop, world.clock()) == 0  # nothing new


def test_given_errors_of_two_kinds_then_each_kind_mailed_at_once(world: World) -> None:
    world.notices.problem(world.shop, "1", _text("1"), world.clock())
    world.notices.problem(world.shop, "2", _text("2", ErrorCode.PRODUCT_BARRED), world.clock())
    assert [orders for _, orders in world.owner_mail.told] == [("1",), ("2",)]


def test_given_an_owner_on_the_digest_only_then_no_immediate_mail_and_a_morning_digest(
    world: World,
) -> None:
    owner = OwnerContact(addresses=("ejer@butik.dk",), notify=NoticePreference.DIGEST)
    world.set_shop(owner=owner)
    world.clock.now = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 06:00 in Copenhagen
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    assert world.owner_mail.told == []
    assert world.notices.flush(world.shop, world.clock()) == 0  # before 07:00
    world.clock.advance(hours=2)
    assert world.notices.flush(world.shop, world.clock()) == 1
    assert world.owner_mail.told == [("digest", ("1001",))]
    world.clock.advance(hours=3)
    assert world.notices.flush(world.shop, world.clock()) == 0  # once a day


def test_given_nothing_open_when_the_digest_is_due_then_no_digest(world: World) -> None:
    world.clock.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert world.notices.flush(world.shop, world.clock()) == 0
    assert world.owner_mail.told == []


def test_given_a_shop_wide_error_then_one_pause_alert_and_one_resumed_mail(world: World) -> None:
    text = KnownError(ErrorCode.ECONOMIC_ACCESS, detail="HTTP 401").text
    world.notices.shop_paused(world.shop, text, world.clock())
    world.notices.shop_paused(world.shop, text, world.clock())
    world.notices.shop_resumed(world.shop, world.clock())
    world.notices.shop_resumed(world.shop, world.clock())
    assert world.owner_mail.told == [
        ("paused", ("ECONOMIC_ACCESS",)),
        ("resumed", ("ECONOMIC_ACCESS",)),
    ]


def test_given_information_then_shown_but_not_mailed(world: World) -> None:
    info = KnownError(
        ErrorCode.ORDER_CANCELLED_AFTER_BOOKING, informational=True, order_id="1", invoice_number=1
    ).text
    world.notices.problem(world.shop, "1", info, world.clock())
    assert world.owner_mail.told == []


def test_given_an_order_through_then_its_open_errors_are_resolved(world: World) -> None:
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    world.notices.order_through(world.shop, "1001", world.clock())
    assert world.errors.open_codes(world.shop.shop_id) == {}


def test_given_a_resolved_error_that_comes_back_then_the_owner_is_told_again(world: World) -> None:
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    world.notices.order_through(world.shop, "1001", world.clock())
    world.clock.advance(hours=2)
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    assert len(world.owner_mail.told) == 2


def test_given_a_shop_without_an_owner_then_nothing_is_mailed(world: World) -> None:
    world.set_shop(owner=None)
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())
    assert world.owner_mail.told == []
    assert world.errors.open_codes(world.shop.shop_id) == {"1001": "PRODUCT_MISSING"}


def test_given_an_order_that_now_stops_at_another_cause_then_only_that_cause_is_open(
    world: World,
) -> None:
    unmapped = KnownError(
        ErrorCode.PAYMENT_METHOD_UNMAPPED, order_id="1001", method_id=5, method_name="Kort"
    ).text
    world.notices.problem(world.shop, "1001", unmapped, world.clock())
    world.notices.problem(world.shop, "1001", _text("1001"), world.clock())  # mapped: next cause

    assert _open(world) == [("1001", ErrorCode.PRODUCT_MISSING)]


def test_given_a_mail_failure_and_a_change_after_booking_then_both_stay_open(
    world: World,
) -> None:
    failed = KnownError(ErrorCode.MAIL_FAILED, order_id="1001", invoice_number=7).text
    changed = KnownError(ErrorCode.ORDER_CHANGED_AFTER_BOOKING, order_id="1001", invoice_number=7)
    world.notices.problem(world.shop, "1001", failed, world.clock())
    world.notices.problem(world.shop, "1001", changed.text, world.clock())

    assert _open(world) == [
        ("1001", ErrorCode.MAIL_FAILED),
        ("1001", ErrorCode.ORDER_CHANGED_AFTER_BOOKING),
    ]


def _open(world: World) -> list[tuple[str, ErrorCode]]:
    records = world.errors.with_status(world.shop.shop_id, ErrorStatus.OPEN)
    return sorted((r.order_id, r.code) for r in records)
