"""A Dandomain Webshop credit note (a new order with `Origin` = the credited order) on the
local stack, through signed Webshop webhooks: autobook's invoice is credited once, booked and
mailed, and the credited order is never invoiced again; a draft credit note waits."""

import uuid
from decimal import Decimal
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from autobook.domain.shop import Platform
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop
from sandbox.webshop import catalog
from sandbox.webshop.webhooks import WebhookSender, send_order_webhook

pytestmark = pytest.mark.integration


@pytest.fixture
def shop(fresh_env: LocalEnvironment) -> LocalShop:
    return open_shop(
        fresh_env, f"wscn-{uuid.uuid4().hex[:6]}", orders=23, platform=Platform.WEBSHOP
    )


def _store(shop: LocalShop) -> Any:
    assert shop.webshop is not None
    return shop.webshop


def _order_of(shop: LocalShop, scenario: str) -> int:
    (order_id,) = [i for i, name in _store(shop).scenarios.items() if name == scenario]
    return int(order_id)


def _webhook(env: LocalEnvironment, shop: LocalShop, order_id: int, topic: str) -> None:
    with WebhookSender() as sender:
        answer = send_order_webhook(
            sender,
            env.webhook_url(shop.shop_id),
            order_id,
            topic=topic,
            shop_domain=shop.config.dandomain.base_url,
            secret=shop.secrets.webhook_secret,
        )
    assert answer.status_code == 202
    env.run_until_idle()


def _ledger(env: LocalEnvironment, shop: LocalShop, order_id: int) -> LedgerEntry:
    with env.operator() as root:
        entry = root.ledger.get(shop.shop_id, str(order_id))
    assert entry is not None
    return entry


def _booked_for(shop: LocalShop, reference: str) -> list[dict[str, Any]]:
    return [i for i in shop.agreement.booked.values() if i["references"]["other"] == reference]


def test_given_a_booked_order_when_the_shop_credits_it_then_one_credit_note_booked_and_mailed(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    parent = _order_of(shop, "fixture_like")
    note = _order_of(shop, "credit_note")
    _webhook(fresh_env, shop, parent, "orders/created")
    assert _ledger(fresh_env, shop, parent).state == LedgerState.MAILED

    _webhook(fresh_env, shop, note, "orders/created")
    _webhook(fresh_env, shop, note, "orders/updated")  # again: nothing more
    _webhook(fresh_env, shop, parent, "orders/updated")  # still in the booking status

    entry = _ledger(fresh_env, shop, parent)
    assert entry.state == LedgerState.CREDITED
    assert entry.credited_by_order == str(note)
    assert entry.credit_mail.status == MailStatus.SENT
    reference = shop.config.order_reference(str(parent))
    (invoice,) = _booked_for(shop, reference)
    (credit,) = _booked_for(shop, f"{reference}-K")
    assert Decimal(str(credit["grossAmount"])) == -Decimal(str(invoice["grossAmount"]))
    assert len(shop.agreement.booked) == 2
    assert len(fresh_env.buyer_mails()) == 2  # the invoice, then the credit note
    assert _ledger(fresh_env, shop, note).state == LedgerState.SKIPPED
    with fresh_env.operator() as root:
        info = root.queries().errors_with(shop.shop_id, ErrorStatus.INFO)
        open_errors = root.queries().open_errors(shop.shop_id)
    assert [e.code for e in info] == [ErrorCode.ORDER_CANCELLED_AFTER_BOOKING]
    assert str(note) in info[0].da
    assert open_errors == []


def test_given_a_credit_note_still_a_draft_when_notified_then_it_waits_until_it_is_final(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    parent = _order_of(shop, "mobilepay_home")
    _webhook(fresh_env, shop, parent, "orders/created")
    note = _store(shop).add_credit_note(parent, status=catalog.STATUS_DRAFT)

    _webhook(fresh_env, shop, note, "orders/created")
    assert _ledger(fresh_env, shop, parent).state == LedgerState.MAILED
    assert len(shop.agreement.booked) == 1

    _store(shop).set_status(note, catalog.STATUS_CREDIT_NOTE)
    _webhook(fresh_env, shop, note, "orders/updated")
    assert _ledger(fresh_env, shop, parent).state == LedgerState.CREDITED
    assert len(shop.agreement.booked) == 2


def test_given_a_credit_note_whose_order_was_not_booked_yet_when_notified_then_booked_then_credited(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    parent = _order_of(shop, "fixture_like")
    note = _order_of(shop, "credit_note")

    _webhook(fresh_env, shop, note, "orders/created")

    entry = _ledger(fresh_env, shop, parent)
    assert entry.state == LedgerState.CREDITED
    assert entry.mail.status == MailStatus.SENT
    assert entry.credit_mail.status == MailStatus.SENT
    assert len(shop.agreement.booked) == 2
