"""The buyer's invoice mail: the shop's text with the e-conomic PDF attached, as raw MIME."""

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from pydantic import BaseModel, ConfigDict, Field


class BuyerMail(BaseModel):
    """Everything one buyer mail is made of; the texts are already filled in."""

    model_config = ConfigDict(frozen=True)

    sender: str  # the deployment's verified address
    sender_name: str
    recipient: str = Field(repr=False)
    reply_to: str | None = None
    subject: str
    body: str
    pdf: bytes = Field(repr=False)
    filename: str


def render_buyer_mail(mail: BuyerMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((mail.sender_name, mail.sender))
    message["To"] = mail.recipient
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    # A subject is one line: a shop text with a line break must not add headers.
    message["Subject"] = " ".join(mail.subject.split())
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
    message.add_attachment(mail.pdf, maintype="application", subtype="pdf", filename=mail.filename)
    return message
