"""`autobook mail preview SHOP ORDER` against the local stack: the booked invoice's buyer mail
and PDF written to files, as the mailer makes them, and nothing sent or recorded."""

import email
import email.policy
import uuid
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.ledger import MailStatus
from autobook.domain.shop import MailSettings
from autobook.usecases.replay import replay_event
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import open_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration


def test_given_a_booked_order_when_previewed_then_its_mail_and_pdf_are_written_and_nothing_sent(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path
) -> None:
    shop = open_shop(fresh_env, f"prev-{uuid.uuid4().hex[:6]}", orders=21)
    settings = MailSettings(
        subject="Faktura {invoice_number} fra {shop_name}", reply_to="hej@butik.dk"
    )
    with fresh_env.operator() as root:
        config = shop.config.model_copy(update={"mail": settings})
        root.operations().update_shop(config, actor="test")
        order = str(shop.order_ids[1])
        root.order_queue.send([replay_event(shop.shop_id, order, root.clock(), actor="t")])
    fresh_env.run_until_idle()
    with fresh_env.operator() as root:
        entry = root.ledger.get(shop.shop_id, order)
    sent_before = len(fresh_env.sent_mails())
    number = entry.invoice.booked_number

    result = autobook(
        "--profile", profile, "mail", "preview", shop.shop_id, order, "--out", str(tmp_path)
    )
    missing = autobook("--profile", profile, "mail", "preview", shop.shop_id, "99999")

    assert result.exit_code == 0, result.output
    message: Any = email.message_from_bytes(
        (tmp_path / f"faktura-{number}.eml").read_bytes(), policy=email.policy.default
    )
    assert message["Subject"] == f"Faktura {number} fra {shop.config.name}"
    assert message["Reply-To"] == "hej@butik.dk"
    assert (tmp_path / f"faktura-{number}.pdf").read_bytes().startswith(b"%PDF")
    assert f"Subject: Faktura {number}" in result.stdout
    assert len(fresh_env.sent_mails()) == sent_before  # nothing sent
    with fresh_env.operator() as root:
        after = root.ledger.get(shop.shop_id, order)
    assert after.mail.status == MailStatus.SENT
    assert after.history == entry.history
    assert missing.exit_code == 1
    assert one_error_line(missing) == "error: Order 99999 has no booked invoice."
