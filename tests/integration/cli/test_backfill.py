"""`autobook backfill` against the local stack: the orders placed in the window are booked
through the normal booking, not mailed (their buyers were invoiced before autobook), an order
already in e-conomic under its reference is left alone, an interrupted run continues where it
stopped, and each order ends with exactly one invoice."""

import copy
import json
import uuid
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerState, MailStatus
from autobook.usecases import backfill as backfill_module
from autobook.usecases.replay import replay_event
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration

ORDERS = 40
WINDOW = ("--from", "2026-03-01", "--to", "2026-12-31")  # the whole seed


def backfill(profile: str, shop: LocalShop, *extra: str) -> Any:
    return autobook("--profile", profile, "backfill", shop.shop_id, *WINDOW, *extra)


def _references(shop: LocalShop) -> dict[str, int]:
    counts: dict[str, int] = {}
    for invoice in shop.agreement.booked.values():
        ref = invoice["references"]["other"]
        counts[ref] = counts.get(ref, 0) + 1
    return counts


def test_given_orders_before_go_live_when_backfilled_with_an_interruption_then_each_booked_once(
    fresh_env: LocalEnvironment, profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = open_shop(fresh_env, f"fill-{uuid.uuid4().hex[:6]}", orders=ORDERS)
    live, elsewhere = shop.order_ids[1], shop.order_ids[2]
    with fresh_env.operator() as root:  # one order came in live and was booked and mailed
        root.order_queue.send([replay_event(shop.shop_id, str(live), root.clock(), actor="t")])
    fresh_env.run_until_idle()
    (live_doc,) = shop.agreement.booked.values()
    other = copy.deepcopy(live_doc)  # another system booked one order under its reference
    other["bookedInvoiceNumber"] = 900
    other["references"]["other"] = shop.config.order_reference(str(elsewhere))
    shop.agreement.booked[900] = other

    real_book = backfill_module.Backfill.book
    calls = {"n": 0}

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 12:
            raise KeyboardInterrupt
        return real_book(self, *args, **kwargs)

    monkeypatch.setattr(backfill_module.Backfill, "book", interrupted)
    first = backfill(profile, shop)
    monkeypatch.setattr(backfill_module.Backfill, "book", real_book)
    booked_before = len(shop.agreement.booked)
    second = backfill(profile, shop, "--json")
    fresh_env.run_until_idle()

    assert first.exit_code == 130
    assert one_error_line(first).startswith("error: interrupted after 11 of ")
    assert booked_before > 2  # the first run got somewhere
    assert second.exit_code == 1  # the seed's order with a product e-conomic lacks
    report = json.loads(second.stdout)
    counts = report["counts"]
    assert counts["in_economic"] == 1
    assert counts["failed"] == 1
    assert counts["already"] >= 1 + (booked_before - 2)
    assert sum(counts.values()) == len(report["rows"])
    assert [r["error_code"] for r in report["rows"] if r["result"] == "failed"] == [
        ErrorCode.PRODUCT_MISSING
    ]
    # exactly one invoice per order, the other system's left alone
    assert {ref: n for ref, n in _references(shop).items() if n != 1} == {}
    assert shop.agreement.booked[900] == other
    with fresh_env.operator() as root:
        entries = {o: root.ledger.get(shop.shop_id, str(o)) for o in shop.order_ids}
        open_codes = {e.code for e in root.queries().errors_with(shop.shop_id, ErrorStatus.OPEN)}
    assert entries[elsewhere] is None
    backfilled = [
        e for o, e in entries.items() if e and e.state == LedgerState.BOOKED and o != live
    ]
    assert len(backfilled) == counts["booked"] + counts["already"] - 1
    assert {e.mail.status for e in backfilled} == {MailStatus.WITHHELD}
    assert len(fresh_env.buyer_mails()) == 1  # only the live order's: backfilled are not mailed
    assert open_codes == {ErrorCode.PRODUCT_MISSING}  # nothing throttled reached the owner


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--from", "2026-13-01", "--to", "2026-12-31"), "--from takes a date like"),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "--to is before --from"),
    ],
)
def test_given_bad_dates_when_backfilled_then_exit_2(
    fresh_env: LocalEnvironment, profile: str, args: tuple[str, ...], says: str
) -> None:
    shop = open_shop(fresh_env, f"fill-{uuid.uuid4().hex[:6]}", orders=0)
    result = autobook("--profile", profile, "backfill", shop.shop_id, *args)
    assert result.exit_code == 2
    assert says in one_error_line(result)
