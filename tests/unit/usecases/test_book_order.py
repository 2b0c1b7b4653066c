"""BookOrder against the fakes: every branch of booking, crediting and the owner's part."""

from decimal import Decimal

import pytest

from autobook.domain.errors import (
    ErrorCode,
    ErrorStatus,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
)
from autobook.domain.events import DocumentKind
from autobook.domain.ledger import Booker, LedgerState, MailStatus
from autobook.domain.shop import ChangePolicy, InvoiceSource, ShopMode
from autobook.usecases.book_order import Outcome
from autobook.usecases.invoicing import DraftGoneError
from tests.unit.usecases.world import CANCEL, SHOP_ID, World, order


def _booked(world: World) -> int:
    return len(world.books.booked_invoices)


# -- the straight path ---------------------------------------------------------------------


def test_given_a_new_order_in_a_booking_state_when_booked_then_one_invoice_and_a_mail_job(
    world: World,
) -> None:
    world.source.put(order())
    assert world.book() == Outcome.BOOKED
    entry = world.entry()
    assert entry.state == LedgerState.BOOKED
    assert entry.invoice.booked_by == Booker.AUTOBOOK
    assert entry.invoice.gross == Decimal("125.00")
    assert entry.invoice.reference == "shop-1-1001"
    assert world.books.write_calls() == ["create_customer", "create_draft", "book_draft"]
    (job,) = world.mail_queue.sent
    assert (job.order_id, job.booked_invoice_number) == ("1001", entry.invoice.booked_number)


def test_given_a_returning_buyer_when_booked_then_no_customer_call(world: World) -> None:
    world.source.put(order("1001"))
    world.source.put(order("1002"))
    world.book("1001")
    world.books.calls.clear()
    world.book("1002")
    assert world.books.calls == ["create_draft", "book_draft"]  # 2 calls + the PDF = 3 per order


def test_given_a_trial_shop_when_booked_then_a_draft_only(world: World) -> None:
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    assert world.book() == Outcome.DRAFTED
    entry = world.entry()
    assert entry.state == LedgerState.DRAFTED
    assert entry.drafted_in_trial
    assert _booked(world) == 0
    assert world.mail_queue.sent == []


def test_given_an_order_not_in_a_booking_state_when_triggered_then_skipped_without_a_trace(
    world: World,
) -> None:
    world.source.put(order(state=1))
    assert world.book() == Outcome.SKIPPED
    assert world.ledger.get(SHOP_ID, "1001") is None
    assert world.books.calls == []


def test_given_a_duplicate_trigger_after_booking_when_handled_then_no_e_conomic_call(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.mail_queue.take()
    world.books.calls.clear()
    assert world.book() == Outcome.ALREADY_DONE
    assert world.books.calls == []
    (job,) = world.mail_queue.take()  # the mail was never started: queued again (crash repair)
    assert job.booked_invoice_number == world.entry().invoice.booked_number


def test_given_a_shop_that_sends_its_own_invoices_when_booked_then_the_mail_is_withheld(
    world: World,
) -> None:
    world.set_shop(invoice_source=InvoiceSource.SHOP)
    world.source.put(order())
    assert world.book() == Outcome.BOOKED
    assert world.entry().mail.status == MailStatus.WITHHELD
    assert world.mail_queue.sent == []


# -- uncertain writes ------------------------------------------------------------------------


def test_given_a_draft_post_whose_answer_was_lost_when_retried_then_the_draft_is_adopted(
    world: World,
) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    assert world.entry().pending is not None
    assert world.book() == Outcome.BOOKED
    assert world.books.calls.count("create_draft") == 1
    assert _booked(world) == 1


def test_given_a_draft_post_that_never_arrived_when_retried_then_one_draft_is_made(
    world: World,
) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "unknown_before")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    assert world.book() == Outcome.BOOKED
    assert "drafts_with_reference" in world.books.calls  # it looked before writing again
    assert _booked(world) == 1
    assert world.books.drafts == {}


def test_given_a_429_when_retried_then_written_again_without_looking(world: World) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "rate_limited")
    with pytest.raises(RateLimitedError):
        world.book()
    assert world.entry().pending is None  # not done: nothing to look for
    world.books.calls.clear()
    assert world.book() == Outcome.BOOKED
    assert "drafts_with_reference" not in world.books.calls
    assert "booked_with_reference" not in world.books.calls


def test_given_a_booking_whose_answer_was_lost_when_retried_then_the_invoice_is_adopted(
    world: World,
) -> None:
    world.source.put(order())
    world.books.fail_next("book_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    assert world.entry().state == LedgerState.DRAFTED
    assert world.book() == Outcome.BOOKED
    assert _booked(world) == 1
    assert world.entry().invoice.booked_number == 1


def test_given_an_adopted_draft_with_other_amounts_when_retried_then_invoice_mismatch(
    world: World,
) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    (number,) = world.books.drafts
    world.books.owner_edits(number, net=Decimal("1.00"))
    assert world.book() == Outcome.FAILED
    assert world.entry().error_code == ErrorCode.INVOICE_MISMATCH
    assert _booked(world) == 0
    assert len(world.books.drafts) == 1


# -- stored draft numbers are pointers: verified before acting -----------------------------


def _drafted_then_failed_booking(world: World) -> int:
    world.source.put(order())
    world.books.year_missing = True
    assert world.book() == Outcome.FAILED
    world.books.year_missing = False
    world.shops.resume(SHOP_ID)
    number = world.entry().invoice.draft_number
    assert number is not None
    return number


def test_given_a_stored_draft_number_reused_by_another_invoice_when_booked_then_never_booked(
    world: World,
) -> None:
    number = _drafted_then_failed_booking(world)
    world.books.owner_deletes(number)
    world.source.put(order("2002"))
    world.set_shop(mode=ShopMode.TRIAL)
    world.book("2002")  # the other order's draft now has the freed number
    world.set_shop(mode=ShopMode.ACTIVE)
    assert world.books.drafts[number].reference == "shop-1-2002"
    with pytest.raises(DraftGoneError):
        world.book("1001")
    assert world.books.drafts[number].reference == "shop-1-2002"  # untouched
    assert world.entry().state == LedgerState.RECEIVED
    assert world.book("1001") == Outcome.BOOKED
    assert [b.reference for b in world.books.booked_invoices.values()] == ["shop-1-1001"]


def test_given_a_stored_draft_edited_by_hand_when_booked_then_left_alone(world: World) -> None:
    number = _drafted_then_failed_booking(world)
    world.books.owner_edits(number, gross=Decimal("99.00"))
    assert world.book() == Outcome.FAILED
    assert world.entry().error_code == ErrorCode.INVOICE_MISMATCH
    assert number in world.books.drafts
    assert _booked(world) == 0
    world.books.owner_books(number)  # the owner books it by hand; retry learns that
    assert world.book() == Outcome.OWNER_BOOKED
    assert world.entry().invoice.booked_by == Booker.OWNER
    assert world.mail_queue.take() == []


def test_given_the_year_opened_when_retried_then_the_waiting_draft_is_booked_once(
    world: World,
) -> None:
    number = _drafted_then_failed_booking(world)
    assert world.book() == Outcome.BOOKED
    assert world.books.drafts == {}
    assert _booked(world) == 1
    assert world.entry().invoice.draft_number == number


# -- the trial's drafts belong to the owner ------------------------------------------------


def _trial_draft(world: World) -> int:
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    world.book()
    world.set_shop(mode=ShopMode.ACTIVE)
    number = world.entry().invoice.draft_number
    assert number is not None
    return number


def test_given_a_trial_draft_the_owner_booked_when_seen_after_activation_then_learned(
    world: World,
) -> None:
    number = _trial_draft(world)
    world.books.owner_books(number)
    assert world.book() == Outcome.OWNER_BOOKED
    entry = world.entry()
    assert entry.invoice.booked_by == Booker.OWNER
    assert entry.mail.status == MailStatus.WITHHELD
    assert world.books.write_calls() == ["create_customer", "create_draft"]  # nothing after
    assert world.mail_queue.sent == []


def test_given_a_trial_draft_still_open_when_seen_after_activation_then_left_to_the_owner(
    world: World,
) -> None:
    number = _trial_draft(world)
    assert world.book() == Outcome.OWNERS_DRAFT
    assert number in world.books.drafts
    assert _booked(world) == 0


def test_given_a_trial_draft_the_owner_deleted_when_seen_then_the_owner_decides(
    world: World,
) -> None:
    number = _trial_draft(world)
    world.books.owner_deletes(number)
    assert world.book() == Outcome.FAILED
    assert world.errors.open_codes(SHOP_ID) == {"1001": "TRIAL_DRAFT_DELETED"}
    assert world.book() == Outcome.ALREADY_DONE  # later triggers leave it alone
    world.operations.replay_order(SHOP_ID, "1001", actor="owner")
    assert world.deliver() == [Outcome.BOOKED]
    assert world.entry().invoice.booked_by == Booker.AUTOBOOK
    assert "TRIAL_DRAFT_DELETED" not in world.errors.open_codes(SHOP_ID).values()


def test_given_a_deleted_trial_draft_whose_number_was_reused_then_the_other_draft_is_untouched(
    world: World,
) -> None:
    number = _trial_draft(world)
    world.books.owner_deletes(number)
    world.source.put(order("3003"))
    world.set_shop(mode=ShopMode.TRIAL)
    world.book("3003")
    world.set_shop(mode=ShopMode.ACTIVE)
    assert world.book("1001") == Outcome.FAILED
    assert world.books.drafts[number].reference == "shop-1-3003"
    assert _booked(world) == 0


# -- known errors --------------------------------------------------------------------------


def test_given_an_unmapped_payment_method_when_booked_then_failed_and_told(world: World) -> None:
    world.source.put(order(payment_id=99))
    assert world.book() == Outcome.FAILED
    assert world.entry().error_code == ErrorCode.PAYMENT_METHOD_UNMAPPED
    assert world.owner_mail.told == [("orders", ("1001",))]
    assert world.books.write_calls() == []


def test_given_a_failure_retried_when_it_fails_again_then_the_owner_is_told_once(
    world: World,
) -> None:
    world.source.put(order(payment_id=99))
    world.book()
    world.book()
    assert world.owner_mail.told == [("orders", ("1001",))]
    assert world.errors.get(SHOP_ID, "1001", ErrorCode.PAYMENT_METHOD_UNMAPPED).occurrences == 2  # type: ignore[union-attr]


def test_given_a_missing_product_when_created_then_the_order_goes_through(world: World) -> None:
    world.books.products = {"FRAGT"}
    world.source.put(order())
    assert world.book() == Outcome.FAILED
    assert world.entry().error_code == ErrorCode.PRODUCT_MISSING
    world.books.products = None
    assert world.book() == Outcome.BOOKED
    assert world.errors.open_codes(SHOP_ID) == {}


def test_given_totals_that_do_not_reconcile_when_fixed_then_the_stale_draft_is_replaced(
    world: World,
) -> None:
    world.books.vat_rates["SKU-1"] = Decimal(0)  # a VAT-free product group in e-conomic
    world.source.put(order())
    assert world.book() == Outcome.FAILED
    entry = world.entry()
    assert entry.error_code == ErrorCode.TOTALS_MISMATCH
    assert entry.invoice.draft_number in world.books.drafts  # left unbooked for the owner
    del world.books.vat_rates["SKU-1"]
    assert world.book() == Outcome.BOOKED
    assert world.books.drafts == {}
    assert _booked(world) == 1
    assert "delete_draft" in world.books.calls


def test_given_an_order_that_does_not_exist_when_triggered_then_order_not_found(
    world: World,
) -> None:
    assert world.book("404") == Outcome.FAILED
    assert world.entry("404").error_code == ErrorCode.ORDER_NOT_FOUND


def test_given_an_unknown_shop_when_triggered_then_nothing_happens(world: World) -> None:
    world.shops.configs.clear()
    assert world.book() == Outcome.UNKNOWN_SHOP


# -- the last attempt leaves a trace ---------------------------------------------------------


def test_given_e_conomic_down_on_the_last_attempt_then_service_unavailable_is_recorded(
    world: World,
) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "transient")
    with pytest.raises(TransientError):
        world.book(final_attempt=True, attempts=5)
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.SERVICE_UNAVAILABLE)
    assert record is not None
    assert record.parameters["attempts"] == "5"
    assert world.entry().state == LedgerState.FAILED


def test_given_a_transient_failure_before_the_last_attempt_then_no_error_yet(world: World) -> None:
    world.source.put(order())
    world.books.fail_next("create_draft", "transient")
    with pytest.raises(TransientError):
        world.book(final_attempt=False)
    assert world.errors.records == {}


def test_given_a_bug_on_the_last_attempt_then_unexpected_with_a_reference(world: World) -> None:
    world.source.put(order())

    def crash(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug")

    world.books.create_draft = crash  # type: ignore[method-assign]
    with pytest.raises(ZeroDivisionError):
        world.book(final_attempt=True, reference="msg-42")
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.UNEXPECTED)
    assert record is not None
    assert record.reference == "msg-42"
    assert "msg-42" in record.en
    assert "msg-42" in record.da
    assert world.entry().error_code == ErrorCode.UNEXPECTED


# -- the whole shop pauses -------------------------------------------------------------------


def test_given_revoked_access_when_booking_then_the_shop_pauses_and_orders_wait(
    world: World,
) -> None:
    world.source.put(order("1001"))
    world.source.put(order("1002"))
    world.books.fail_next("create_draft", "access")
    assert world.book("1001") == Outcome.FAILED
    assert world.shops.paused(SHOP_ID) is not None
    assert world.owner_mail.told == [("paused", ("ECONOMIC_ACCESS",))]
    world.books.calls.clear()
    assert world.book("1002") == Outcome.PAUSED
    assert world.books.calls == []
    assert world.source.fetches == 1
    assert world.entry("1002").error_code == ErrorCode.ECONOMIC_ACCESS
    # access granted again: the recheck probes one order, the rest follow
    world.recheck.run_shop(SHOP_ID, world.clock())
    assert world.deliver() == [Outcome.BOOKED]
    assert world.shops.paused(SHOP_ID) is None
    assert world.owner_mail.told[-1] == ("resumed", ("ECONOMIC_ACCESS",))
    assert world.deliver() == [Outcome.BOOKED]
    assert _booked(world) == 2


# -- after booking -----------------------------------------------------------------------------


def test_given_a_booked_order_cancelled_when_triggered_then_credited_and_told(world: World) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(state=CANCEL))
    assert world.book() == Outcome.CREDITED
    entry = world.entry()
    assert entry.state == LedgerState.CREDITED
    credit = world.books.booked_invoices[entry.credit.booked_number]  # type: ignore[index]
    assert credit.reference == "shop-1-1001-K"
    assert credit.gross == Decimal("-125.00")
    jobs = world.mail_queue.take()
    assert jobs[-1].kind == DocumentKind.CREDIT_NOTE
    info = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CANCELLED_AFTER_BOOKING)
    assert info is not None
    assert info.status == ErrorStatus.INFO
    assert world.owner_mail.told == []  # information is shown, not mailed


def test_given_a_credit_note_post_whose_answer_was_lost_when_retried_then_one_credit_note(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(state=CANCEL))
    world.books.fail_next("create_draft", "unknown_after")
    with pytest.raises(UnknownOutcomeError):
        world.book()
    assert world.book() == Outcome.CREDITED
    credits = [b for b in world.books.booked_invoices.values() if b.reference.endswith("-K")]
    assert len(credits) == 1
    assert world.books.drafts == {}


def test_given_an_invoice_the_owner_booked_cancelled_then_the_owner_is_asked(world: World) -> None:
    number = _trial_draft(world)
    world.books.owner_books(number)
    world.book()
    world.source.put(order(state=CANCEL))
    assert world.book() == Outcome.FAILED
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CANCELLED_AFTER_BOOKING)
    assert record is not None
    assert record.status == ErrorStatus.OPEN
    assert not any(b.reference.endswith("-K") for b in world.books.booked_invoices.values())


def test_given_a_booked_order_changed_when_the_shop_asks_then_the_owner_chooses(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(quantity="2"))
    assert world.book() == Outcome.FAILED
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CHANGED_AFTER_BOOKING)
    assert record is not None
    assert record.status == ErrorStatus.OPEN
    assert "antal 1 → 2" in record.da
    assert "quantity 1 → 2" in record.en
    assert world.entry().state == LedgerState.BOOKED  # the invoice stands
    world.operations.credit_and_rebook(SHOP_ID, "1001", actor="owner")
    assert world.deliver() == [Outcome.REBOOKED]
    entry = world.entry()
    assert entry.edition == 2
    assert entry.invoice.reference == "shop-1-1001-2"
    assert entry.invoice.gross == Decimal("250.00")
    references = sorted(b.reference for b in world.books.booked_invoices.values())
    assert references == ["shop-1-1001", "shop-1-1001-2", "shop-1-1001-K"]


def test_given_a_changed_order_the_owner_kept_when_triggered_again_then_it_stays_ignored(
    world: World,
) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(quantity="2"))
    world.book()
    world.operations.ignore_error(
        SHOP_ID, "1001", ErrorCode.ORDER_CHANGED_AFTER_BOOKING, "kept", actor="owner"
    )
    world.book()
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CHANGED_AFTER_BOOKING)
    assert record is not None
    assert record.status == ErrorStatus.IGNORED


def test_given_the_credit_and_rebook_policy_when_a_booked_order_changes_then_rebooked(
    world: World,
) -> None:
    world.set_shop(on_change_after_booking=ChangePolicy.CREDIT_AND_REBOOK)
    world.source.put(order())
    world.book()
    world.source.put(order(price="80.00"))
    assert world.book() == Outcome.REBOOKED
    assert world.entry().invoice.gross == Decimal("100.00")
    info = world.errors.get(SHOP_ID, "1001", ErrorCode.ORDER_CHANGED_AFTER_BOOKING)
    assert info is not None
    assert info.status == ErrorStatus.INFO


def test_given_a_credited_order_back_in_a_booking_state_then_invoiced_again(world: World) -> None:
    world.source.put(order())
    world.book()
    world.source.put(order(state=CANCEL))
    world.book()
    world.source.put(order())
    assert world.book() == Outcome.BOOKED
    assert world.entry().edition == 2


def test_given_e_conomic_refusing_the_new_debtor_when_booked_then_economic_rejected_not_unexpected(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autobook.domain.books import FieldProblem, Rejection

    def refuse(body: object, *, idempotency_key: str) -> int:
        problem = FieldProblem(path="paymentTerms", code="E06000", message="Not found.", value="4")
        raise Rejection(
            400,
            codes=frozenset({"E06000"}),
            problems=(problem,),
            message="Validation failed.",
            operation="POST /customers",
        )

    monkeypatch.setattr(world.books, "create_customer", refuse)
    world.source.put(order())

    assert world.book() == Outcome.FAILED

    assert world.entry().error_code == ErrorCode.ECONOMIC_REJECTED
    assert world.books.booked_invoices == {}
