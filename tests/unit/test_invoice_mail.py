"""The buyer's invoice mail: shop text with placeholders, e-conomic PDF attached (pure)."""

import email
import email.policy
from email.utils import parseaddr

import pytest
from pydantic import ValidationError

from autobook.domain.shop import MailSettings
from autobook.domain.templates import fill
from autobook.notify.mail import BuyerMail, render_buyer_mail

pytestmark = pytest.mark.disable_socket

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _render(
    settings: MailSettings | None = None, *, shop_name: str = "Kaffe & Te ApS"
) -> email.message.Message:
    settings = settings or MailSettings()
    values = {"shop_name": shop_name, "order_id": "1001", "invoice_number": "42"}
    message = render_buyer_mail(
        BuyerMail(
            sender="faktura@autobook.example",
            sender_name=settings.sender_name or shop_name,
            recipient="karen.lund@example.dk",
            reply_to=settings.reply_to,
            subject=fill(settings.subject, values),
            body=fill(settings.body, values),
            pdf=PDF,
            filename="faktura-42.pdf",
        )
    )
    # what SES receives: the raw bytes, parsed back
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def test_given_default_settings_when_rendered_then_subject_names_invoice_and_shop() -> None:
    message = _render()
    assert message["Subject"] == "Faktura 42 fra Kaffe & Te ApS"


def test_given_default_settings_when_rendered_then_body_has_order_and_shop() -> None:
    body = _render().get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Tak for din ordre 1001." in text
    assert "Kaffe & Te ApS" in text
    assert "{" not in text


def test_given_custom_text_when_rendered_then_every_placeholder_is_filled() -> None:
    settings = MailSettings(
        subject="Ordre {order_id}: faktura {invoice_number}",
        body="Kære kunde\nFaktura {invoice_number} for ordre {order_id}\n{shop_name}",
    )
    message = _render(settings)
    assert message["Subject"] == "Ordre 1001: faktura 42"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().strip() == "Kære kunde\nFaktura 42 for ordre 1001\nKaffe & Te ApS"


def test_given_unknown_placeholder_when_the_shop_is_saved_then_refused_naming_it() -> None:
    # Checked when the shop is saved, so it can never reach (and crash) a mail at send time.
    with pytest.raises(ValidationError, match=r"\{unknown\}"):
        MailSettings(subject="Faktura {invoice_number} {unknown}")


def test_given_a_placeholder_without_a_value_when_filled_then_left_as_is_not_crash() -> None:
    assert fill("Faktura {invoice_number} {total}", {"invoice_number": "42"}) == (
        "Faktura 42 {total}"
    )


def test_given_a_subject_with_a_line_break_when_rendered_then_it_stays_one_header() -> None:
    message = _render(MailSettings(subject="Faktura {invoice_number}\nBcc: x@evil.example"))
    assert message["Subject"] == "Faktura 42 Bcc: x@evil.example"
    assert message["Bcc"] is None


def test_given_pdf_when_rendered_then_attached_as_application_pdf_with_filename() -> None:
    attachments = list(_render().iter_attachments())
    assert len(attachments) == 1
    (attachment,) = attachments
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "faktura-42.pdf"
    assert attachment.get_content() == PDF


def test_given_shop_name_when_rendered_then_from_is_shop_name_with_sender_address() -> None:
    message = _render()
    name, address = parseaddr(str(message["From"]))
    assert name == "Kaffe & Te ApS"
    assert address == "faktura@autobook.example"


def test_given_a_sender_name_when_rendered_then_it_is_the_display_name() -> None:
    message = _render(MailSettings(sender_name="Kundeservice"))
    name, address = parseaddr(str(message["From"]))
    assert name == "Kundeservice"
    assert address == "faktura@autobook.example"


def test_given_danish_shop_name_when_rendered_then_from_display_name_survives() -> None:
    message = _render(shop_name="Søstrene Ærø")
    name, address = parseaddr(str(message["From"]))
    assert name == "Søstrene Ærø"
    assert address == "faktura@autobook.example"


def test_given_recipient_when_rendered_then_to_is_the_buyer() -> None:
    assert str(_render()["To"]) == "karen.lund@example.dk"


def test_given_reply_to_when_rendered_then_header_set_else_absent() -> None:
    assert _render()["Reply-To"] is None
    message = _render(MailSettings(reply_to="ejer@shop.example"))
    assert str(message["Reply-To"]) == "ejer@shop.example"


def test_given_sender_domain_when_rendered_then_message_id_uses_it() -> None:
    assert str(_render()["Message-ID"]).endswith("@autobook.example>")
