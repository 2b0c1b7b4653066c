"""Issue 8 end to end on the local stack (real handlers, DynamoDB Local, moto, the sandboxes):
never act on an invoice that is not this order's; the trial's drafts are the owner's; every
failure leaves a trace before a dead-letter queue; an adopted invoice keeps its snapshot."""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.ledger import Booker, LedgerEntry, LedgerState, MailStatus
from autobook.domain.shop import ShopConfig, ShopMode
from autobook.usecases.replay import replay_event
from sandbox.dandomain.orders import parse_wire_date
from sandbox.economic.invoices import book as book_by_hand
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop

pytestmark = pytest.mark.integration


@pytest.fixture
def env(fresh_env: LocalEnvironment) -> Iterator[LocalEnvironment]:
    yield fresh_env
    fresh_env.economic_state.faults.clear()


def _shop(
    env: LocalEnvironment, *, mode: ShopMode = ShopMode.ACTIVE, orders: int = 21
) -> LocalShop:
    return open_shop(env, f"trust-{uuid.uuid4().hex[:6]}", orders=orders, mode=mode)


def _trigger(env: LocalEnvironment, shop: LocalShop, *order_ids: int, once: bool = False) -> None:
    """Trigger the orders; run the pipeline dry — or, `once`, give the booking function one
    go and leave what failed hidden on the queue (as SQS would for its visibility timeout)."""
    with env.operator() as root:
        now = root.clock()
        root.order_queue.send(
            [
                replay_event(shop.shop_id, str(o), now, actor=f"test:{uuid.uuid4().hex}")
                for o in order_ids
            ]
        )
    if once:
        env.lambdas.drain("BookingFunction", max_batches=1, release_failed=False)
    else:
        env.run_until_idle()


def _drop_hidden_deliveries(env: LocalEnvironment) -> None:
    """Forget what `once` left on the orders queue (it would hold the order's FIFO group)."""
    assert env.aws is not None
    env.aws.client("sqs").purge_queue(QueueUrl=env.aws.stack.queues["OrdersQueue"])


def _entry(env: LocalEnvironment, shop: LocalShop, order_id: int) -> LedgerEntry:
    with env.operator() as root:
        entry = root.ledger.get(shop.shop_id, str(order_id))
    assert entry is not None
    return entry


def _errors(env: LocalEnvironment, shop: LocalShop, order_id: int) -> dict[str, ErrorRecord]:
    with env.operator() as root:
        return {str(r.code): r for r in root.errors.for_order(shop.shop_id, str(order_id))}


def _activate(env: LocalEnvironment, shop: LocalShop) -> ShopConfig:
    with env.operator() as root:
        config = root.shops.get(shop.shop_id)
        assert config is not None
        active = config.model_copy(update={"mode": ShopMode.ACTIVE})
        root.shops.put(active)
    env.lambdas.forget_environment()
    return active


def _booked_references(shop: LocalShop) -> list[str]:
    return sorted(doc["references"]["other"] for doc in shop.agreement.booked.values())


def _book_draft_by_hand(shop: LocalShop, number: int) -> dict[str, Any]:
    return book_by_hand(shop.agreement, {"draftInvoice": {"draftInvoiceNumber": number}})


# -- 1. the trial's drafts belong to the owner ---------------------------------------------


def test_given_trial_drafts_the_owner_booked_or_deleted_when_triggered_after_activation_then_autobook_neither_books_nor_mails(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env, mode=ShopMode.TRIAL)
    _trigger(env, shop, 1001, 1002, 1003)
    drafts = {o: _entry(env, shop, o).invoice.draft_number for o in (1001, 1002, 1003)}
    assert all(drafts.values())
    assert shop.agreement.booked == {}
    _book_draft_by_hand(shop, drafts[1001])  # booked by the owner
    del shop.agreement.drafts[drafts[1003]]  # deleted by the owner (the highest number)
    _activate(env, shop)
    _trigger(env, shop, 1004)  # a new order takes the freed draft number, and is booked
    _trigger(env, shop, 1001, 1002, 1003)

    learned = _entry(env, shop, 1001)
    assert learned.state == LedgerState.BOOKED
    assert learned.invoice.booked_by == Booker.OWNER
    assert learned.mail.status == MailStatus.WITHHELD
    assert _entry(env, shop, 1002).state == LedgerState.DRAFTED  # still the owner's to book
    assert drafts[1002] in shop.agreement.drafts
    deleted = _entry(env, shop, 1003)
    assert deleted.error_code == ErrorCode.TRIAL_DRAFT_DELETED
    assert _errors(env, shop, 1003)["TRIAL_DRAFT_DELETED"].status == ErrorStatus.OPEN
    prefix = shop.config.reference_prefix
    assert _booked_references(shop) == [f"{prefix}1001", f"{prefix}1004"]
    (mail,) = env.buyer_mails()  # only 1004's: autobook's own invoice
    number = _entry(env, shop, 1004).invoice.booked_number
    assert f"faktura-{number}.pdf".encode() in mail


def test_given_a_stored_draft_number_now_another_orders_when_retried_then_that_invoice_is_never_booked(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    year = shop.agreement.accounting_years[:]
    shop.agreement.accounting_years.clear()  # booking fails: the draft waits
    _trigger(env, shop, 1001)
    waiting = _entry(env, shop, 1001).invoice.draft_number
    assert waiting is not None
    assert _entry(env, shop, 1001).state == LedgerState.FAILED
    del shop.agreement.drafts[waiting]  # the owner deletes it by hand ...
    with env.operator() as root:
        root.shops.resume(shop.shop_id)
    trial = _activate(env, shop).model_copy(update={"mode": ShopMode.TRIAL})
    with env.operator() as root:
        root.shops.put(trial)
    env.lambdas.forget_environment()
    _trigger(env, shop, 1002)  # ... and another order's draft gets its number
    assert shop.agreement.drafts[waiting]["references"]["other"].endswith("1002")
    _activate(env, shop)
    shop.agreement.accounting_years.extend(year)
    _trigger(env, shop, 1001)

    assert shop.agreement.drafts[waiting]["references"]["other"].endswith("1002")  # untouched
    entry = _entry(env, shop, 1001)
    assert entry.state == LedgerState.MAILED
    assert entry.invoice.reference.endswith("1001")
    assert _booked_references(shop) == [f"{shop.config.reference_prefix}1001"]


# -- 2. adopt only what autobook wrote -----------------------------------------------------


def test_given_a_lost_answer_and_a_draft_edited_by_hand_when_retried_then_invoice_mismatch(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    env.economic_state.fail_next(
        1, 500, method="POST", path_prefix="/invoices/drafts", after_commit=True
    )
    env.economic_state.fail_next(2, 503, method="POST", path_prefix="/invoices/drafts")
    _trigger(env, shop, 1001, once=True)
    (number,) = shop.agreement.drafts
    shop.agreement.drafts[number]["netAmount"] = Decimal("1.00")  # edited in e-conomic
    _drop_hidden_deliveries(env)
    _trigger(env, shop, 1001)
    assert _entry(env, shop, 1001).error_code == ErrorCode.INVOICE_MISMATCH
    assert shop.agreement.booked == {}
    assert list(shop.agreement.drafts) == [number]


def test_given_a_draft_adopted_after_a_lost_answer_when_the_order_changes_then_the_change_is_caught(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    env.economic_state.fail_next(
        1, 500, method="POST", path_prefix="/invoices/drafts", after_commit=True
    )
    env.economic_state.fail_next(2, 503, method="POST", path_prefix="/invoices/drafts")
    _trigger(env, shop, 1001)
    entry = _entry(env, shop, 1001)
    assert entry.state == LedgerState.MAILED
    assert entry.snapshot is not None
    order = shop.dandomain.orders[1001]
    line = order["orderLines"][0]
    shop.dandomain.update_order(1001, orderLines=[{**line, "quantity": line["quantity"] + 1}])
    _trigger(env, shop, 1001)
    assert _errors(env, shop, 1001)["ORDER_CHANGED_AFTER_BOOKING"].status == ErrorStatus.OPEN


# -- 3. every failure leaves a trace ----------------------------------------------------------


def test_given_a_currency_e_conomic_does_not_have_then_currency_unknown(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    shop.dandomain.update_order(1001, currencyCode="XAU")
    _trigger(env, shop, 1001)
    record = _errors(env, shop, 1001)["CURRENCY_UNKNOWN"]
    assert "XAU" in record.en
    assert _entry(env, shop, 1001).state == LedgerState.FAILED


def test_given_e_conomic_failing_past_every_retry_then_an_error_entry_before_the_dead_letter(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    env.economic_state.fail_next(1000, 503, path_prefix="/invoices/drafts")
    _trigger(env, shop, 1001)
    record = _errors(env, shop, 1001)["SERVICE_UNAVAILABLE"]
    assert record.parameters["attempts"] == "5"
    assert _entry(env, shop, 1001).error_code == ErrorCode.SERVICE_UNAVAILABLE
    assert len(_dead_letters(env, "OrdersDeadLetterQueue")) == 1
    env.economic_state.faults.clear()
    with env.operator() as root:  # the scheduled recheck lets it through once e-conomic answers
        root.recheck().run(root.clock())
    env.run_until_idle()
    assert _entry(env, shop, 1001).state == LedgerState.MAILED


def test_given_the_mailer_crashing_on_every_attempt_then_unexpected_with_a_reference(
    env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = _shop(env)

    def crash(*args: object, **kwargs: object) -> object:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr("autobook.usecases.mail_invoice.render_buyer_mail", crash)
    _trigger(env, shop, 1001)
    record = _errors(env, shop, 1001)["UNEXPECTED"]
    assert record.reference
    assert record.reference in record.en
    assert len(_dead_letters(env, "InvoicesDeadLetterQueue")) == 1


def _dead_letters(env: LocalEnvironment, queue_id: str) -> list[dict[str, Any]]:
    assert env.aws is not None
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues[queue_id]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in messages:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return messages


# -- 4. the first look-back is the shop's go-live ---------------------------------------------


def test_given_a_new_shop_when_reconciled_first_then_orders_before_go_live_are_left_alone(
    env: LocalEnvironment,
) -> None:
    shop = _shop(env)
    states = shop.config.booking_state_ids | shop.config.cancel_state_ids
    seen = {
        int(o["id"]): parse_wire_date(o["modifiedDate"])
        for o in shop.dandomain.orders.values()
        if o["orderState"]["id"] in states
    }
    times = sorted(set(seen.values()))
    go_live = times[len(times) // 2]
    with env.operator() as root:
        config = root.shops.get(shop.shop_id)
        assert config is not None
        root.shops.put(config.model_copy(update={"go_live_at": go_live}))
        summary = root.reconcile().run_shop(shop.shop_id, times[-1] + timedelta(minutes=1))
    after = [o for o, t in seen.items() if t >= go_live]
    assert summary.window_start == go_live
    assert 0 < summary.scanned == len(after) < len(seen)
