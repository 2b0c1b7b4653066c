"""An order's life after the first booking, and the known errors the owner can fix and replay:
cancelled after booking (credit note booked and mailed), changed after booking, a barred
product, a missing accounting year, a payment method whose Dandomain id changed."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerState, MailStatus
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, LocalShop, economic_number, open_shop

pytestmark = pytest.mark.integration

ORDER = 1001
CANCELLED = 5  # "Svindel" (card fraud) in the Dandomain sandbox


@pytest.fixture
def shop(fresh_env: LocalEnvironment) -> LocalShop:
    return open_shop(fresh_env, f"life-{uuid.uuid4().hex[:6]}", orders=21)


def _deliver(env: LocalEnvironment, shop: LocalShop, order_id: int = ORDER) -> None:
    """'Order X may have changed' (a webhook or a replay), then the pipeline runs dry."""
    with env.operator() as root:
        root.order_queue.send(
            [
                OrderEvent(
                    shop_id=shop.shop_id,
                    order_id=str(order_id),
                    source=EventSource.REPLAY,
                    received_at=root.clock(),
                    event_id=f"test:{uuid.uuid4()}",
                )
            ]
        )
    env.run_until_idle()


def _errors(env: LocalEnvironment, shop: LocalShop) -> dict[str, ErrorRecord]:
    """The shop's errors of every status, by code."""
    with env.operator() as root:
        return {
            e.code: e
            for status in ErrorStatus
            for e in root.queries().errors_with(shop.shop_id, status)
        }


def _ledger(env: LocalEnvironment, shop: LocalShop, order_id: int = ORDER) -> Any:
    with env.operator() as root:
        return root.ledger.get(shop.shop_id, str(order_id))


def _booked_for(shop: LocalShop, reference: str) -> list[dict[str, Any]]:
    return [i for i in shop.agreement.booked.values() if i["references"]["other"] == reference]


def test_given_a_booked_order_when_cancelled_then_a_credit_note_is_booked_and_mailed(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    _deliver(fresh_env, shop)
    invoice = _ledger(fresh_env, shop).invoice.booked_number

    shop.dandomain.set_order_state(ORDER, CANCELLED)
    _deliver(fresh_env, shop)
    _deliver(fresh_env, shop)  # a repeated cancel webhook changes nothing

    entry = _ledger(fresh_env, shop)
    assert entry.state == LedgerState.CREDITED
    assert entry.credit_mail.status == MailStatus.SENT
    reference = shop.config.order_reference(str(ORDER))
    (original,) = _booked_for(shop, reference)
    (credit,) = _booked_for(shop, f"{reference}-K")
    assert Decimal(str(credit["grossAmount"])) == -Decimal(str(original["grossAmount"]))
    assert str(invoice) in credit["notes"]["heading"]
    assert len(fresh_env.buyer_mails()) == 2  # the invoice, then the credit note
    info = _errors(fresh_env, shop)[ErrorCode.ORDER_CANCELLED_AFTER_BOOKING]
    assert info.status == "info"
    assert str(entry.credit.booked_number) in info.en


def test_given_a_booked_order_when_a_line_is_removed_then_the_owner_is_told_the_difference(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    _deliver(fresh_env, shop)
    wire = shop.dandomain.orders[ORDER]
    removed = wire["orderLines"][0]

    shop.dandomain.update_order(ORDER, remove_line_ids=[removed["id"]])
    _deliver(fresh_env, shop)

    error = _errors(fresh_env, shop)[ErrorCode.ORDER_CHANGED_AFTER_BOOKING]
    assert error.status == "open"
    assert removed["productId"] in error.en
    assert removed["productId"] in error.da
    assert len(_booked_for(shop, shop.config.order_reference(str(ORDER)))) == 1
    assert _ledger(fresh_env, shop).state == LedgerState.MAILED


def test_given_a_barred_product_when_booked_then_product_barred_and_after_unbarring_booked_once(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    sku = economic_number(shop.dandomain.orders[ORDER]["orderLines"][0]["productId"])
    shop.agreement.products[sku].barred = True

    _deliver(fresh_env, shop)

    error = _errors(fresh_env, shop)[ErrorCode.PRODUCT_BARRED]
    assert sku in error.en
    assert "line 1" in error.en
    assert "linje 1" in error.da
    assert _ledger(fresh_env, shop).state == LedgerState.FAILED

    shop.agreement.products[sku].barred = False
    _deliver(fresh_env, shop)

    assert _ledger(fresh_env, shop).state == LedgerState.MAILED
    assert len(_booked_for(shop, shop.config.order_reference(str(ORDER)))) == 1
    assert _errors(fresh_env, shop)[ErrorCode.PRODUCT_BARRED].status == "resolved"


def test_given_no_accounting_year_when_booking_then_the_draft_waits_and_is_booked_once_later(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    years = list(shop.agreement.accounting_years)
    shop.agreement.accounting_years.clear()

    _deliver(fresh_env, shop)

    assert ErrorCode.ACCOUNTING_YEAR_MISSING in _errors(fresh_env, shop)
    assert _ledger(fresh_env, shop).state == LedgerState.FAILED
    assert len(shop.agreement.drafts) == 1
    assert not shop.agreement.booked
    # shop-wide: the shop is paused, and a plain replay waits without calling e-conomic
    calls = len(shop.agreement.calls)
    _deliver(fresh_env, shop)
    assert len(shop.agreement.calls) == calls
    assert not shop.agreement.booked

    shop.agreement.accounting_years.extend(years)
    with fresh_env.operator() as root:  # the scheduled recheck probes the paused shop
        (probe,) = root.recheck().run_shop(shop.shop_id, root.clock())
    assert probe.source == EventSource.PROBE
    fresh_env.run_until_idle()

    assert _ledger(fresh_env, shop).state == LedgerState.MAILED
    assert len(_booked_for(shop, shop.config.order_reference(str(ORDER)))) == 1
    assert not shop.agreement.drafts, "the waiting draft was booked, not a second one"
    assert any(y.from_date <= date.today() <= y.to_date for y in years)
    with fresh_env.operator() as root:
        assert root.shops.paused(shop.shop_id) is None  # the booking lifted the pause


def test_given_dandomain_changed_a_payment_method_id_when_booking_then_the_owner_is_told_old_and_new(
    fresh_env: LocalEnvironment, shop: LocalShop
) -> None:
    wire = shop.dandomain.orders[ORDER]
    old_id = wire["paymentInfo"]["id"]
    shop.dandomain.update_order(ORDER, paymentInfo={"id": 160})
    shop.dandomain.set_order_state(ORDER, BOOKING_STATE)

    _deliver(fresh_env, shop)

    error = _errors(fresh_env, shop)[ErrorCode.PAYMENT_METHOD_UNMAPPED]
    assert str(old_id) in error.en
    assert "160" in error.en
    assert not _booked_for(shop, shop.config.order_reference(str(ORDER)))
