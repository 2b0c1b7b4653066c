"""The owner is told, on the real pipeline, as the catalogue promises: many orders failing on
the same missing mapping give one mail at once and one follow-up naming the rest (not one mail
per order); saving the mapping lets them all through by itself; what stays open comes back in
the next morning's digest, and only then."""

import email
import email.policy
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerState
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, OWNER_ADDRESS, open_shop

pytestmark = pytest.mark.e2e

ORDERS = 40


def _owner_mails(env: LocalEnvironment) -> list[EmailMessage]:
    return [
        email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
        for raw in env.owner_mails()
    ]


def test_given_many_orders_failing_on_one_mapping_then_grouped_resumed_and_digested(
    fresh_env: LocalEnvironment,
) -> None:
    shop = open_shop(fresh_env, f"notice-{uuid.uuid4().hex[:6]}", orders=ORDERS)
    assert shop.dandomain is not None
    usage = Counter(o["paymentInfo"]["id"] for o in shop.dandomain.orders.values())
    method, users = usage.most_common(1)[0]
    mapped = shop.config.economic.payment_methods
    with fresh_env.operator() as root:  # the method is not mapped yet
        unmapped = {i: m for i, m in mapped.items() if i != method}
        economic = shop.config.economic.model_copy(update={"payment_methods": unmapped})
        root.operations().update_shop(
            shop.config.model_copy(update={"economic": economic}), actor="test"
        )
    with WebhookSender() as sender:
        for order_id in shop.order_ids:
            change = classic_order_change(order_id, 1, BOOKING_STATE)
            sender.send(
                fresh_env.webhook_url(shop.shop_id), change, hmac_secret=shop.secrets.webhook_secret
            )
    fresh_env.run_until_idle()

    with fresh_env.operator() as root:
        waiting = [
            e.order_id
            for e in root.queries().orders_in(shop.shop_id, LedgerState.FAILED, 100)
            if e.error_code == ErrorCode.PAYMENT_METHOD_UNMAPPED
        ]
    assert len(waiting) >= users - 2 > 5  # (the incomplete and the built-to-fail orders aside)
    first = _owner_mails(fresh_env)
    unmapped_mails = [m for m in first if "Betalingsmetoden er ikke koblet" in str(m["Subject"])]
    assert len(unmapped_mails) == 1  # one mail at once, not one per order
    assert all(str(m["To"]) == OWNER_ADDRESS for m in first)

    # the schedule, a quarter past the hour: one follow-up names the others
    later = datetime.now(UTC) + timedelta(minutes=75)
    with fresh_env.operator(clock=lambda: later) as root:
        root.scheduled().run(later)
    follow_ups = [m for m in _owner_mails(fresh_env)[len(first) :] if "venter" in str(m["Subject"])]
    assert len(follow_ups) == 1
    body = follow_ups[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert sum(1 for order_id in waiting if order_id in body) >= len(waiting) - 1

    # the mapping is saved: every order it blocked goes through by itself
    with fresh_env.operator() as root:
        root.operations().update_shop(shop.config, actor="owner")
    fresh_env.run_until_idle()
    with fresh_env.operator() as root:
        entries = {o: root.ledger.get(shop.shop_id, o) for o in waiting}
        still_open = {e.code for e in root.queries().errors_with(shop.shop_id, ErrorStatus.OPEN)}
    stuck = {o: e.error_code for o, e in entries.items() if e.state != LedgerState.MAILED}
    # all through, but the seed's order with a product e-conomic lacks: now waiting on that
    assert set(stuck.values()) <= {ErrorCode.PRODUCT_MISSING}
    assert len(stuck) <= 1
    assert ErrorCode.PAYMENT_METHOD_UNMAPPED not in still_open

    # the next morning, 08:00 in Copenhagen: a digest of what is still open, once
    morning = (datetime.now(UTC) + timedelta(days=1)).replace(hour=7, minute=0)
    before = len(_owner_mails(fresh_env))
    with fresh_env.operator(clock=lambda: morning) as root:
        root.scheduled().run(morning)
        root.scheduled().run(morning + timedelta(hours=2))
    digests = _owner_mails(fresh_env)[before:]
    assert len(digests) == (1 if still_open else 0)
    if still_open:
        assert "Oversigt" in str(digests[0]["Subject"])
