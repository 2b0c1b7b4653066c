"""The operator's journey from nothing to a live shop, driven through the CLI against the
local stack (DynamoDB Local, moto, the e-conomic and Dandomain sandboxes, the functions — the
stack `autobook sandbox up` runs, here in-process so the test can act as the shop owner in
the sandboxes): shops add (a bad token refused, the good one accepted) → mappings sync →
doctor shows the planted problems → fixed → doctor clean → trial drafts → the owner books
some, edits one, deletes one → trial report shows each → activation refused before 14 days
(the clock injected) → accepted after → orders booked and mailed."""

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from autobook import composition
from autobook.domain.ledger import LedgerState, MailStatus
from autobook.usecases.clock import utc_now
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.economic.invoices import book as book_by_hand
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, FEE_PRODUCT, seed_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration

TRIAL_ORDERS = 13  # 10 booked by the owner (one of them edited), 1 deleted, 2 left open


def _days_later(monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    """The CLI's composition root, with a clock `days` ahead."""
    real = composition.Root

    class Later(real):  # type: ignore[misc, valid-type]
        def __init__(self, settings: Any, **kwargs: Any) -> None:
            super().__init__(settings, clock=lambda: utc_now() + timedelta(days=days), **kwargs)

    monkeypatch.setattr(composition, "Root", Later)


def test_given_a_new_shop_when_the_operator_takes_it_live_then_every_step_says_what_it_did(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli(*args: str, stdin: str | None = None) -> Any:
        return autobook("--profile", profile, *args, stdin=stdin)

    seeded = seed_shop(fresh_env, f"live-{uuid.uuid4().hex[:6]}", orders=30)
    shop_id, agreement = seeded.shop_id, seeded.agreement
    start = seeded.config.model_copy(
        update={
            "economic": seeded.config.economic.model_copy(
                update={"payment_methods": {}, "shipping_methods": {}}
            )
        }
    )
    base = tmp_path / "start.json"
    base.write_text(start.model_dump_json())
    add = [
        "shops", "add", shop_id, "--name", "Min Butik ApS", "--platform", "classic",
        "--dandomain-url", start.dandomain.base_url, "--booking-states", str(BOOKING_STATE),
        "--cancel-states", "4,5", "--owner-mail", "ejer@min-butik.dk", "--config", str(base),
        "--settings-file", str(tmp_path / "dandomain.txt"),
    ]  # fmt: skip
    key = seeded.secrets.dandomain_api_key

    # 1. shops add: a wrong grant token is refused and nothing is saved; the right one passes
    refused = cli(*add, stdin=f"{key}\n{'f' * 32}\n")
    assert refused.exit_code == 1
    assert "e-conomic refused the credentials (HTTP 401" in one_error_line(refused)
    assert cli("shops", "show", shop_id).exit_code == 3
    added = cli(*add, stdin=f"{key}\n{seeded.secrets.economic_grant_token}\n")
    assert added.exit_code == 0, added.output
    secret = (tmp_path / "dandomain.txt").read_text().split("?token=")[1].split()[0]

    # 2. mappings sync proposes every method by name; --accept saves it
    synced = cli("mappings", "sync", shop_id, "--accept")
    assert synced.exit_code == 0, synced.output
    assert "Saved " in synced.stdout

    # 3. doctor finds what was planted in e-conomic; fixed, it is clean
    agreement.products[FEE_PRODUCT].barred = True
    years = list(agreement.accounting_years)
    agreement.accounting_years.clear()
    sick = cli("doctor", shop_id)
    assert sick.exit_code == 1
    assert f"barred: {FEE_PRODUCT}" in sick.stdout
    assert "✗ accounting year" in sick.stdout
    agreement.products[FEE_PRODUCT].barred = False
    agreement.accounting_years.extend(years)
    healthy = cli("doctor", shop_id)
    assert healthy.exit_code == 0, healthy.stdout

    # 4. the trial: the shop's webhooks make drafts only
    orders = [o for o in seeded.order_ids[1:] if _bookable(seeded, o)][:TRIAL_ORDERS]
    _webhooks(fresh_env, shop_id, secret, orders)
    with fresh_env.operator() as root:
        drafts = {
            e.order_id: e.invoice.draft_number
            for e in root.queries().orders_in(shop_id, LedgerState.DRAFTED, 100)
        }
    assert len(drafts) == TRIAL_ORDERS
    assert not agreement.booked

    # 5. the owner books ten (editing one first), deletes one, leaves two
    ids = sorted(drafts, key=int)
    edited, deleted = ids[0], ids[1]
    draft = agreement.drafts[drafts[edited]]
    draft["netAmount"] = round(float(draft["netAmount"]) + 10, 2)
    draft["grossAmount"] = round(float(draft["grossAmount"]) + 12.5, 2)
    del agreement.drafts[drafts[deleted]]
    for order in [edited, *ids[2:11]]:
        book_by_hand(agreement, {"draftInvoice": {"draftInvoiceNumber": drafts[order]}})

    # 6. the trial report shows each
    report = json.loads(cli("trial", "report", shop_id, "--json").stdout)
    fates = {row["order_id"]: row["fate"] for row in report["rows"]}
    assert fates[edited] == "booked_changed"
    assert fates[deleted] == "deleted"
    assert sorted(fates.values()).count("booked_unchanged") == 9
    assert sorted(fates.values()).count("open") == 2

    # 7. activation: refused today, accepted fifteen days on
    too_early = cli("shops", "activate", shop_id)
    assert too_early.exit_code == 1
    assert "the trial has run 0 days; 14 of 14 to go" in one_error_line(too_early)
    _days_later(monkeypatch, 15)
    activated = cli("shops", "activate", shop_id)
    assert activated.exit_code == 0, activated.output

    # 8. live: a new order is booked and mailed; the owner's trial drafts are never mailed
    later = next(o for o in seeded.order_ids if _bookable(seeded, o) and str(o) not in drafts)
    _webhooks(fresh_env, shop_id, secret, [later])
    with fresh_env.operator() as root:
        entry = root.ledger.get(shop_id, str(later))
    assert entry.state == LedgerState.MAILED
    assert entry.mail.status == MailStatus.SENT
    assert len(fresh_env.buyer_mails()) == 1


def _bookable(seeded: Any, order_id: int) -> bool:
    order = seeded.dandomain.orders[order_id]
    skus = {line["productId"] for line in order["orderLines"]}
    return not order["incomplete"] and "UDGAAET-4711" not in skus


def _webhooks(env: LocalEnvironment, shop_id: str, secret: str, orders: list[int]) -> None:
    url = f"{env.webhook_url(shop_id)}?token={secret}"
    with WebhookSender() as sender:
        for order in orders:
            answer = sender.send(url, classic_order_change(order, 1, BOOKING_STATE))
            assert answer.status_code == 202
    env.run_until_idle()
