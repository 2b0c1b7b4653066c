"""Owner notices as plain-text mail: the error texts in the owner's language and the page
address. (The HTML mails with fix steps replace this module.)"""

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from autobook.domain.errors import ErrorCode, ErrorRecord
from autobook.domain.shop import Language, ShopConfig
from autobook.usecases.ports import Mailer


class TextOwnerMail:
    def __init__(self, *, mailer: Mailer, sender: str, page_url: str) -> None:
        self._mailer = mailer
        self._sender = sender
        self._page_url = page_url.rstrip("/")

    def about_orders(
        self, shop: ShopConfig, records: Sequence[ErrorRecord], *, follow_up: bool
    ) -> None:
        da = self._language(shop) == Language.DA
        n = len(records)
        subject = (
            (f"{n} ordrer kan ikke bogføres" if n > 1 else "En ordre kan ikke bogføres")
            if da
            else (f"{n} orders cannot be booked" if n > 1 else "An order cannot be booked")
        )
        self._send(shop, subject, [r.text(self._language(shop)) for r in records])

    def paused(self, shop: ShopConfig, record: ErrorRecord) -> None:
        da = self._language(shop) == Language.DA
        subject = "Bogføringen er sat på pause" if da else "Booking is paused"
        self._send(shop, subject, [record.text(self._language(shop))])

    def resumed(self, shop: ShopConfig, code: ErrorCode) -> None:
        da = self._language(shop) == Language.DA
        subject = "Bogføringen kører igen" if da else "Booking has resumed"
        line = (
            "Årsagen er væk, og ordrerne bogføres igen."
            if da
            else "The cause is gone and orders are booked again."
        )
        self._send(shop, subject, [line])

    def digest(self, shop: ShopConfig, records: Sequence[ErrorRecord]) -> None:
        da = self._language(shop) == Language.DA
        subject = f"{len(records)} åbne fejl" if da else f"{len(records)} open errors"
        self._send(shop, subject, [r.text(self._language(shop)) for r in records])

    @staticmethod
    def _language(shop: ShopConfig) -> Language:
        return shop.owner.language if shop.owner else Language.DA

    def _send(self, shop: ShopConfig, subject: str, lines: list[str]) -> None:
        if shop.owner is None:
            return
        message = EmailMessage()
        message["From"] = formataddr(("autobook", self._sender))
        message["To"] = ", ".join(shop.owner.addresses)
        message["Subject"] = f"{shop.name}: {subject}"
        message["Message-ID"] = make_msgid(domain=self._sender.rpartition("@")[2] or None)
        body = "\n\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
        if self._page_url:
            body += f"\n\n{self._page_url}/owner/{shop.shop_id}"
        message.set_content(body)
        self._mailer.send(message)
