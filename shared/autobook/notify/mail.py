"""The invoice mail: the shop's fixed text with the e-conomic PDF attached, as raw MIME."""

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from autobook.domain.shop import MailSettings


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_invoice_mail(
    *,
    settings: MailSettings,
    shop_name: str,
    sender: str,
    recipient: str,
    order_id: str,
    invoice_number: int,
    pdf: bytes,
) -> EmailMessage:
    values = _Defaults(shop_name=shop_name, order_id=order_id, invoice_number=str(invoice_number))
    message = EmailMessage()
    message["From"] = formataddr((shop_name, sender))
    message["To"] = recipient
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Subject"] = settings.subject.format_map(values)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(settings.body.format_map(values))
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"faktura-{invoice_number}.pdf"
    )
    return message
