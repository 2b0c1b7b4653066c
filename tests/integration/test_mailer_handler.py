"""Mailer handler in-process (MailerFunction) with events/mailer-invoice-job.json, after order
1001 of "demo-shop" was booked by the booking function."""

import email
import email.policy
import io
import json
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from autobook.domain.events import MailJob
from autobook.domain.ledger import LedgerState, MailStatus
from sandbox.shopkit import LocalShop, open_shop

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "events"
SHOP = "demo-shop"


def _event(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return data


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _pdf_text(message: EmailMessage) -> str:
    (attachment,) = [
        a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"
    ]
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def booked_shop(fresh_env: Any) -> LocalShop:
    """demo-shop with order 1001 booked (the booking function drained from the orders queue)."""
    shop = open_shop(fresh_env, SHOP, webhook_secret="sample-webhook-secret")
    status, _ = fresh_env.lambdas.post_webhook(
        SHOP,
        _event("webhook-classic-order.json")["body"].encode(),
        headers={"X-Hmac-Sha256": _event("webhook-classic-order.json")["headers"]["X-Hmac-Sha256"]},
    )
    assert status == 202
    report = fresh_env.lambdas.drain("BookingFunction")
    assert report.processed == 1
    assert report.failed == 0
    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.BOOKED
    assert (
        entry.invoice.booked_number == 1
    )  # the first invoice of the fresh agreement: as in the event
    return shop


def test_given_booked_invoice_when_mailer_invoked_then_one_mail_with_the_invoice_pdf(
    fresh_env: Any, booked_shop: LocalShop
) -> None:
    answer = fresh_env.lambdas.invoke("MailerFunction", _event("mailer-invoice-job.json"))

    assert answer == {"batchItemFailures": []}
    (raw,) = fresh_env.buyer_mails()
    message = _parse(raw)
    order = booked_shop.dandomain.orders[1001]
    assert str(message["To"]) == order["customerInfo"]["email"]
    assert booked_shop.config.name in str(message["From"])
    assert str(message["Subject"]) == f"Faktura 1 fra {booked_shop.config.name}"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "faktura-1.pdf"
    assert re.search(r"Faktura 1\b", _pdf_text(message))


def test_given_mail_sent_when_ledger_read_then_mailed_with_message_id(
    fresh_env: Any, booked_shop: LocalShop
) -> None:
    fresh_env.lambdas.invoke("MailerFunction", _event("mailer-invoice-job.json"))

    with fresh_env.operator() as root:
        entry = root.ledger.get(SHOP, "1001")
    assert entry is not None
    assert entry.state == LedgerState.MAILED
    assert entry.mail.status == MailStatus.SENT
    assert entry.mail.message_id
    assert entry.invoice.booked_number == 1


def test_given_mail_sent_when_mailer_invoked_again_then_no_second_mail(
    fresh_env: Any, booked_shop: LocalShop
) -> None:
    fresh_env.lambdas.invoke("MailerFunction", _event("mailer-invoice-job.json"))
    answer = fresh_env.lambdas.invoke("MailerFunction", _event("mailer-invoice-job.json"))
    # and the job the booking function queued for the same invoice
    report = fresh_env.lambdas.drain("MailerFunction")

    assert answer == {"batchItemFailures": []}
    assert report.processed == 1
    assert report.failed == 0
    assert len(fresh_env.buyer_mails()) == 1
    with fresh_env.operator() as root:
        assert root.queries().open_errors(SHOP) == []


def test_given_order_not_booked_when_mailer_invoked_then_nothing_sent(
    fresh_env: Any, booked_shop: LocalShop
) -> None:
    event = _event("mailer-invoice-job.json")
    job = MailJob(shop_id=SHOP, order_id="1002", booked_invoice_number=1)
    event["Records"][0]["body"] = job.model_dump_json()

    answer = fresh_env.lambdas.invoke("MailerFunction", event)

    assert answer == {"batchItemFailures": []}
    assert fresh_env.buyer_mails() == []
    assert booked_shop.agreement.pdf_downloads == 0


def test_given_job_naming_another_orders_invoice_when_mailer_invoked_then_that_pdf_not_sent(
    fresh_env: Any, booked_shop: LocalShop
) -> None:
    # order 1002 is booked as invoice 2; a job claims invoice 2 belongs to order 1001
    event = _event("booking-order-event.json")
    body = json.loads(event["Records"][0]["body"])
    body.update(order_id="1002", event_id="webhook:demo-shop:1002:sample")
    event["Records"][0]["body"] = json.dumps(body)
    assert fresh_env.lambdas.invoke("BookingFunction", event) == {"batchItemFailures": []}
    assert 2 in booked_shop.agreement.booked
    job_event = _event("mailer-invoice-job.json")
    job = MailJob(shop_id=SHOP, order_id="1001", booked_invoice_number=2)
    job_event["Records"][0]["body"] = job.model_dump_json()

    fresh_env.lambdas.invoke("MailerFunction", job_event)

    for raw in fresh_env.buyer_mails():
        message = _parse(raw)
        assert not re.search(r"Faktura 2\b", _pdf_text(message)), str(message["To"])
