"""An order's life after the first booking, and the known errors the owner can fix and replay,
for a shop of each Dandomain platform: cancelled after booking (credit note booked and mailed),
changed after booking, a barred product, a missing accounting year, a payment method whose
Dandomain id changed."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.ledger import LedgerState, MailStatus
from autobook.domain.shop import Platform
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import (
    BOOKING_STATE,
    WEBSHOP_CANCEL_STATUSES,
    LocalShop,
    economic_number,
    open_shop,
)

pytestmark = pytest.mark.integration

CANCELLED = 5  # "Svindel" (card fraud) in the Dandomain sandbox
(WEBSHOP_CANCELLED,) = WEBSHOP_CANCEL_STATUSES


@dataclass
class Admin:
    """What the shop's admin does to one order, on the shop's platform."""

    shop: LocalShop
    order: int

    def skus(self) -> list[str]:
        if self.shop.webshop is not None:
            return [ln["ItemNumber"] for ln in self.shop.webshop.orders[self.order]["OrderLines"]]
        assert self.shop.dandomain is not None
        return [ln["productId"] for ln in self.shop.dandomain.orders[self.order]["orderLines"]]

    def cancel(self) -> None:
        if self.shop.webshop is not None:
            self.shop.webshop.set_status(self.order, WEBSHOP_CANCELLED)
        else:
            assert self.shop.dandomain is not None
            self.shop.dandomain.set_order_state(self.order, CANCELLED)

    def remove_first_line(self) -> str:
        """Removes the order's first line; returns its SKU."""
        if self.shop.webshop is not None:
            line = self.shop.webshop.orders[self.order]["OrderLines"][0]
            self.shop.webshop.remove_lines(self.order, [line["Id"]])
            return str(line["ItemNumber"])
        assert self.shop.dandomain is not None
        line = self.shop.dandomain.orders[self.order]["orderLines"][0]
        self.shop.dandomain.update_order(self.order, remove_line_ids=[line["id"]])
        return str(line["productId"])

    def change_payment_method_id(self, new_id: int) -> int:
        """The platform now reports another id for the same payment method; returns the old."""
        if self.shop.webshop is not None:
            old = self.shop.webshop.orders[self.order]["Payment"]["PaymentMethodId"]
            self.shop.webshop.set_payment_method(self.order, new_id)
            return int(old)
        assert self.shop.dandomain is not None
        old = self.shop.dandomain.orders[self.order]["paymentInfo"]["id"]
        self.shop.dandomain.update_order(self.order, paymentInfo={"id": new_id})
        self.shop.dandomain.set_order_state(self.order, BOOKING_STATE)
        return int(old)


@pytest.fixture(params=[Platform.CLASSIC, Platform.WEBSHOP], ids=str)
def shop(fresh_env: LocalEnvironment, request: pytest.FixtureRequest) -> LocalShop:
    return open_shop(fresh_env, f"life-{uuid.uuid4().hex[:6]}", orders=23, platform=request.param)


@pytest.fixture
def admin(shop: LocalShop) -> Admin:
    # Classic: the first seed order; Webshop: the second (the first has a credit note)
    return Admin(shop, shop.order_ids[0 if shop.platform == Platform.CLASSIC else 1])


def _deliver(env: LocalEnvironment, admin: Admin) -> None:
    """'Order X may have changed' (a webhook or a replay), then the pipeline runs dry."""
    with env.operator() as root:
        root.order_queue.send(
            [
                OrderEvent(
                    shop_id=admin.shop.shop_id,
                    order_id=str(admin.order),
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


def _ledger(env: LocalEnvironment, admin: Admin) -> Any:
    with env.operator() as root:
        return root.ledger.get(admin.shop.shop_id, str(admin.order))


def _booked_for(admin: Admin, suffix: str = "") -> list[dict[str, Any]]:
    reference = admin.shop.config.order_reference(str(admin.order)) + suffix
    return [
        i for i in admin.shop.agreement.booked.values() if i["references"]["other"] == reference
    ]


def test_given_a_booked_order_when_cancelled_then_a_credit_note_is_booked_and_mailed(
    fresh_env: LocalEnvironment, shop: LocalShop, admin: Admin
) -> None:
    _deliver(fresh_env, admin)
    invoice = _ledger(fresh_env, admin).invoice.booked_number

    admin.cancel()
    _deliver(fresh_env, admin)
    _deliver(fresh_env, admin)  # a repeated cancel webhook changes nothing

    entry = _ledger(fresh_env, admin)
    assert entry.state == LedgerState.CREDITED
    assert entry.credit_mail.status == MailStatus.SENT
    (original,) = _booked_for(admin)
    (credit,) = _booked_for(admin, "-K")
    assert Decimal(str(credit["grossAmount"])) == -Decimal(str(original["grossAmount"]))
    assert str(invoice) in credit["notes"]["heading"]
    assert len(fresh_env.buyer_mails()) == 2  # the invoice, then the credit note
    info = _errors(fresh_env, shop)[ErrorCode.ORDER_CANCELLED_AFTER_BOOKING]
    assert info.status == "info"
    assert str(entry.credit.booked_number) in info.en


def test_given_a_booked_order_when_a_line_is_removed_then_the_owner_is_told_the_difference(
    fresh_env: LocalEnvironment, shop: LocalShop, admin: Admin
) -> None:
    _deliver(fresh_env, admin)
    removed = admin.remove_first_line()
    _deliver(fresh_env, admin)

    error = _errors(fresh_env, shop)[ErrorCode.ORDER_CHANGED_AFTER_BOOKING]
    assert error.status == "open"
    assert removed in error.en
    assert removed in error.da
    assert len(_booked_for(admin)) == 1
    assert _ledger(fresh_env, admin).state == LedgerState.MAILED


def test_given_a_barred_product_when_booked_then_product_barred_and_after_unbarring_booked_once(
    fresh_env: LocalEnvironment, shop: LocalShop, admin: Admin
) -> None:
    sku = economic_number(admin.skus()[0])
    shop.agreement.products[sku].barred = True

    _deliver(fresh_env, admin)

    error = _errors(fresh_env, shop)[ErrorCode.PRODUCT_BARRED]
    assert sku in error.en
    assert "line 1" in error.en
    assert "linje 1" in error.da
    assert _ledger(fresh_env, admin).state == LedgerState.FAILED

    shop.agreement.products[sku].barred = False
    _deliver(fresh_env, admin)

    assert _ledger(fresh_env, admin).state == LedgerState.MAILED
    assert len(_booked_for(admin)) == 1
    assert _errors(fresh_env, shop)[ErrorCode.PRODUCT_BARRED].status == "resolved"


def test_given_no_accounting_year_when_booking_then_the_draft_waits_and_is_booked_once_later(
    fresh_env: LocalEnvironment, shop: LocalShop, admin: Admin
) -> None:
    years = list(shop.agreement.accounting_years)
    shop.agreement.accounting_years.clear()

    _deliver(fresh_env, admin)

    assert ErrorCode.ACCOUNTING_YEAR_MISSING in _errors(fresh_env, shop)
    assert _ledger(fresh_env, admin).state == LedgerState.FAILED
    assert len(shop.agreement.drafts) == 1
    assert not shop.agreement.booked
    # shop-wide: the shop is paused, and a plain replay waits without calling e-conomic
    calls = len(shop.agreement.calls)
    _deliver(fresh_env, admin)
    assert len(shop.agreement.calls) == calls
    assert not shop.agreement.booked

    shop.agreement.accounting_years.extend(years)
    with fresh_env.operator() as root:  # the scheduled recheck probes the paused shop
        (probe,) = root.recheck().run_shop(shop.shop_id, root.clock())
    assert probe.source == EventSource.PROBE
    fresh_env.run_until_idle()

    assert _ledger(fresh_env, admin).state == LedgerState.MAILED
    assert len(_booked_for(admin)) == 1
    assert not shop.agreement.drafts, "the waiting draft was booked, not a second one"
    assert any(y.from_date <= date.today() <= y.to_date for y in years)
    with fresh_env.operator() as root:
        assert root.shops.paused(shop.shop_id) is None  # the booking lifted the pause


def test_given_dandomain_changed_a_payment_method_id_when_booking_then_the_owner_is_told_old_and_new(
    fresh_env: LocalEnvironment, shop: LocalShop, admin: Admin
) -> None:
    old_id = admin.change_payment_method_id(160)

    _deliver(fresh_env, admin)

    error = _errors(fresh_env, shop)[ErrorCode.PAYMENT_METHOD_UNMAPPED]
    assert str(old_id) in error.en
    assert "160" in error.en
    assert not _booked_for(admin)
