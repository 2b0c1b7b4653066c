"""`autobook shops list / show / activate` and `autobook trial report` against the local stack:
a shop in its trial drafts only; the owner books some drafts unchanged, edits one, deletes one;
the report shows each, and activation is refused, saying what is missing, until the evidence
is there — or forced, with who and why recorded."""

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.ledger import LedgerState
from autobook.domain.shop import ShopMode
from autobook.usecases.replay import replay_event
from sandbox.economic.invoices import book as book_by_hand
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration

DRAFTS = 7  # 5 booked unchanged, 1 booked after an edit, 1 deleted (when all 7 book)


def cli(profile: str, *args: str) -> Any:
    return autobook("--profile", profile, *args)


def _trial_shop(env: LocalEnvironment, *, days: int) -> LocalShop:
    shop = open_shop(env, f"trial-{uuid.uuid4().hex[:6]}", orders=21, mode=ShopMode.TRIAL)
    with env.operator() as root:
        started = root.clock() - timedelta(days=days)
        config = shop.config.model_copy(update={"trial_started_at": started})
        root.operations().update_shop(config, actor="test")
        shop.config = config
        root.order_queue.send(
            [
                replay_event(shop.shop_id, str(o), root.clock(), actor="test")
                for o in shop.order_ids[1:9]
            ]
        )
    env.run_until_idle()
    return shop


def _drafted(env: LocalEnvironment, shop: LocalShop) -> dict[str, int]:
    """Order id -> the trial draft autobook made for it."""
    with env.operator() as root:
        entries = root.queries().orders_in(shop.shop_id, LedgerState.DRAFTED)
    return {e.order_id: e.invoice.draft_number for e in entries if e.invoice.draft_number}


def _owner_works_the_drafts(shop: LocalShop, drafts: dict[str, int]) -> tuple[str, str]:
    """Books all but two unchanged, edits one's first line price before booking it, deletes
    one. Returns (edited order, deleted order)."""
    orders = sorted(drafts, key=int)
    edited, deleted = orders[0], orders[1]
    draft = shop.agreement.drafts[drafts[edited]]  # the owner adds 10.00 to the net
    for field in ("netAmount", "grossAmount"):
        draft[field] = round(float(draft[field]) + 10, 2)
    for order in orders:
        if order == deleted:
            del shop.agreement.drafts[drafts[order]]
        else:
            book_by_hand(shop.agreement, {"draftInvoice": {"draftInvoiceNumber": drafts[order]}})
    return edited, deleted


def test_given_a_trial_the_owner_worked_when_reported_and_activated_then_each_fate_and_the_gaps(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path
) -> None:
    shop = _trial_shop(fresh_env, days=3)
    drafts = _drafted(fresh_env, shop)
    assert len(drafts) >= DRAFTS
    assert not shop.agreement.booked  # the trial drafts only
    edited, deleted = _owner_works_the_drafts(shop, drafts)

    report = cli(profile, "trial", "report", shop.shop_id, "--file", str(tmp_path / "r.txt"))
    as_json = cli(profile, "trial", "report", shop.shop_id, "--json")
    refused = cli(profile, "shops", "activate", shop.shop_id)

    assert report.exit_code == 0, report.output
    fates = {row["order_id"]: row["fate"] for row in json.loads(as_json.stdout)["rows"]}
    assert fates[edited] == "booked_changed"
    assert fates[deleted] == "deleted"
    assert sorted(f for o, f in fates.items() if o not in (edited, deleted)) == [
        "booked_unchanged"
    ] * (len(drafts) - 2)
    assert "booked with changes" in report.stdout
    assert "the trial has run 3 days; 11 of 14 to go" in report.stdout
    owner_file = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert f"Ordre {edited} (kladde {drafts[edited]}): bogført med ændringer" in owner_file
    assert "netto" in owner_file  # which amount changed, in Danish
    assert f"Ordre {deleted} (kladde {drafts[deleted]}): slettet" in owner_file
    assert refused.exit_code == 1
    assert "the trial has run 3 days; 11 of 14 to go" in one_error_line(refused)
    shown = json.loads(cli(profile, "shops", "show", shop.shop_id, "--json").stdout)
    assert shown["mode"] == "trial"


def test_given_the_evidence_is_short_when_forced_with_a_reason_then_active_and_recorded(
    fresh_env: LocalEnvironment, profile: str
) -> None:
    shop = _trial_shop(fresh_env, days=20)
    _owner_works_the_drafts(shop, _drafted(fresh_env, shop))

    refused = cli(profile, "shops", "activate", shop.shop_id)
    no_reason = cli(profile, "shops", "activate", shop.shop_id, "--force")
    forced = cli(
        profile, "shops", "activate", shop.shop_id, "--force", "--reason", "checked by hand"
    )
    again = cli(profile, "shops", "activate", shop.shop_id)
    listed = cli(profile, "shops", "list", "--json")

    assert refused.exit_code == 1
    message = one_error_line(refused)
    assert "days" not in message  # 20 days: that rule is met
    assert "booked drafts were changed" in message
    assert no_reason.exit_code == 2
    assert forced.exit_code == 0, forced.output
    assert "(forced: checked by hand)" in forced.stdout
    assert again.exit_code == 1
    assert one_error_line(again) == f"error: Shop {shop.shop_id} is active."
    (row,) = [s for s in json.loads(listed.stdout) if s["shop"] == shop.shop_id]
    assert row["mode"] == "active"
    assert row["activated by"] == "operator:cli"
    assert row["forced, because"] == "checked by hand"


def test_given_an_unknown_shop_when_reported_or_activated_then_exit_3(profile: str) -> None:
    for args in (("trial", "report", "no-such-shop"), ("shops", "activate", "no-such-shop")):
        result = cli(profile, *args)
        assert result.exit_code == 3
        assert one_error_line(result) == "error: no shop 'no-such-shop' in profile local"
