"""MailInvoice against the fakes: at most once, only autobook's documents, buyer data read
live from Dandomain, shop texts filled safely."""

import pytest
from pydantic import ValidationError

from autobook.domain.errors import ErrorCode, TransientError
from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import LedgerState, MailRecord, MailStatus
from autobook.domain.shop import MailSettings, ShopMode
from autobook.usecases.mail_invoice import MailOutcome, money
from tests.unit.usecases.world import CANCEL, SHOP_ID, World, order


def _booked(world: World, **order_changes: object) -> MailJob:
    world.source.put(order(**order_changes))  # type: ignore[arg-type]
    world.book()
    (job,) = world.mail_queue.take()
    return job


def test_given_a_booked_invoice_when_mailed_then_sent_once_with_the_pdf(world: World) -> None:
    job = _booked(world)
    assert world.mail_invoice(job) == MailOutcome.SENT
    assert world.mail_invoice(job) == MailOutcome.ALREADY_SENT
    (message,) = world.mailer.sent
    assert message["To"] == "karen@example.dk"
    assert message["Subject"] == "Faktura 1 fra Butik ApS"
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "faktura-1.pdf"
    entry = world.entry()
    assert entry.state == LedgerState.MAILED
    assert entry.mail.status == MailStatus.SENT
    assert entry.mail.message_id == "ses-1"


def test_given_shop_texts_with_placeholders_when_mailed_then_filled_from_the_order(
    world: World,
) -> None:
    world.set_shop(
        mail=MailSettings(
            subject="Faktura {invoice_number}\nBcc: x@y.z",
            body="Kære {buyer_name}, {total} forfalder {due_date} ({payment_terms}). {{tak}}",
            sender_name="Butikken",
            reply_to="butik@butik.dk",
        )
    )
    world.mail_invoice(_booked(world))
    (message,) = world.mailer.sent
    assert message["Subject"] == "Faktura 1 Bcc: x@y.z"  # one line: no header injection
    assert message["Bcc"] is None
    assert message["Reply-To"] == "butik@butik.dk"
    assert "Butikken" in message["From"]
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Kære Karen Jensen, 125,00 DKK forfalder 02-03-2026 (Netto 4). {tak}" in body


@pytest.mark.parametrize(
    "text", ["Faktura {order.__class__}", "Faktura {0}", "Faktura {}", "Faktura {x", "{invoice}"]
)
def test_given_a_broken_template_when_saved_then_refused_naming_the_problem(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        MailSettings(subject=text)
    assert "placeholder" in str(raised.value) or "lone" in str(raised.value)


def test_given_a_stale_job_for_another_invoice_when_handled_then_nothing_is_mailed(
    world: World,
) -> None:
    job = _booked(world)
    stale = job.model_copy(update={"booked_invoice_number": 99})
    assert world.mail_invoice(stale) == MailOutcome.NOT_BOOKED
    assert world.mailer.sent == []


def test_given_a_crash_after_the_claim_when_retried_then_not_sent_again_and_the_owner_told(
    world: World,
) -> None:
    job = _booked(world)
    entry = world.entry()
    world.ledger.save(entry.with_mail(False, MailRecord(status=MailStatus.SENDING), world.clock()))
    assert world.mail_invoice(job) == MailOutcome.UNCERTAIN
    assert world.mailer.sent == []
    record = world.errors.get(SHOP_ID, "1001", ErrorCode.MAIL_FAILED)
    assert record is not None
    assert "kan være nået frem" in record.da


def test_given_an_order_without_an_address_when_mailed_then_failed_and_resendable(
    world: World,
) -> None:
    collective = {"customer_mode": "collective", "collective_customers": {1: 500}}
    world.set_shop(economic=world.shop.economic.model_copy(update=collective))
    job = _booked(world, email="")
    assert world.mail_invoice(job) == MailOutcome.FAILED
    assert world.entry().mail.status == MailStatus.FAILED
    world.source.put(order())  # the owner fixes the address in Dandomain
    world.operations.resend_mail(SHOP_ID, "1001", actor="owner")
    assert world.mail() == [MailOutcome.SENT]
    assert world.errors.open_codes(SHOP_ID) == {}


def test_given_ses_refusing_the_mail_when_mailed_then_failed_and_told(world: World) -> None:
    job = _booked(world)
    world.mailer.reject_next = True
    assert world.mail_invoice(job) == MailOutcome.FAILED
    assert world.errors.open_codes(SHOP_ID) == {"1001": "MAIL_FAILED"}


def test_given_ses_saying_not_now_when_retried_then_sent_once(world: World) -> None:
    job = _booked(world)
    world.mailer.unavailable_next = True
    with pytest.raises(TransientError):
        world.mail_invoice(job)
    assert world.entry().mail.status == MailStatus.NONE  # released: nothing was sent
    assert world.mail_invoice(job) == MailOutcome.SENT
    assert len(world.mailer.sent) == 1


def test_given_a_credit_note_when_mailed_then_the_credit_text_and_pdf(world: World) -> None:
    world.mail_invoice(_booked(world))
    world.source.put(order(state=CANCEL))
    world.book()
    (job,) = world.mail_queue.take()
    assert job.kind == DocumentKind.CREDIT_NOTE
    assert world.mail_invoice(job) == MailOutcome.SENT
    message = world.mailer.sent[-1]
    assert message["Subject"].startswith("Kreditnota 2")
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "kreditnota-2.pdf"


def test_given_an_invoice_the_owner_booked_when_a_job_arrives_then_not_mailed(
    world: World,
) -> None:
    world.set_shop(mode=ShopMode.TRIAL)
    world.source.put(order())
    world.book()
    world.set_shop(mode=ShopMode.ACTIVE)
    world.books.owner_books(world.entry().invoice.draft_number)  # type: ignore[arg-type]
    world.book()
    job = MailJob(shop_id=SHOP_ID, order_id="1001", booked_invoice_number=1)
    assert world.mail_invoice(job) == MailOutcome.NOT_OURS
    assert world.mailer.sent == []


def test_given_the_last_attempt_failing_on_e_conomic_then_mail_failed_is_recorded(
    world: World,
) -> None:
    job = _booked(world)
    world.books.fail_next("booked_pdf", "transient")
    with pytest.raises(TransientError):
        world.mail_invoice(job, final_attempt=True)
    assert world.errors.open_codes(SHOP_ID) == {"1001": "MAIL_FAILED"}


def test_given_amounts_when_shown_to_a_buyer_then_in_danish_notation() -> None:
    from decimal import Decimal

    assert money(Decimal("1234.5"), "DKK") == "1.234,50 DKK"
    assert money(None, "DKK") == ""
