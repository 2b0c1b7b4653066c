"""Mail a booked invoice's (or credit note's) PDF to the buyer, exactly once as far as AWS allows.

The ledger's mail status moves NONE -> SENDING (a conditional claim) -> SENT with SES's
message id. If a worker dies after claiming, nobody can tell whether SES sent the mail, so
autobook chooses at most once: it does not send again, and tells the owner to check and resend.

Only documents autobook booked itself are mailed (never an invoice the owner booked by hand),
and only the number the ledger holds for the order (a stale job never mails another buyer's
invoice). The buyer's address and name are read from Dandomain at send time: autobook keeps no
buyer data.
"""

from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.domain.errors import (
    ErrorCode,
    KnownError,
    MailRejectedError,
    TransientError,
)
from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import Booker, LedgerEntry, LedgerState, MailRecord, MailStatus
from autobook.domain.order import Order
from autobook.domain.shop import MailSettings, ShopConfig
from autobook.domain.templates import fill
from autobook.notify.mail import BuyerMail, render_buyer_mail
from autobook.usecases.failures import Failures
from autobook.usecases.operations import ActionError, registered_shop
from autobook.usecases.ports import (
    BooksFactory,
    Clock,
    ConcurrentUpdateError,
    Ledger,
    Mailer,
    OrderSources,
    OwnerNotices,
    ShopDirectory,
)

logger = Logger(child=True)

_MAILABLE = {
    DocumentKind.INVOICE: (LedgerState.BOOKED, LedgerState.MAILED, LedgerState.CREDITED),
    DocumentKind.CREDIT_NOTE: (LedgerState.CREDITED,),
}


class MailOutcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    UNCERTAIN = "uncertain"
    FAILED = "failed"
    NOT_OURS = "not_ours"  # withheld: booked by the owner, or the shop mails its own
    NOT_BOOKED = "not_booked"
    UNKNOWN_SHOP = "unknown_shop"


def money(amount: Decimal | None, currency: str | None) -> str:
    """Danish notation: 1.234,50 DKK."""
    if amount is None:
        return ""
    text = f"{amount:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} {currency or ''}".strip()


@dataclass(frozen=True)
class MailInvoice:
    shops: ShopDirectory
    sources: OrderSources
    books: BooksFactory
    ledger: Ledger
    notices: OwnerNotices
    mailer: Mailer
    sender_address: str
    clock: Clock

    def __call__(
        self, job: MailJob, *, final_attempt: bool = False, reference: str = ""
    ) -> MailOutcome:
        shop = self.shops.get(job.shop_id)
        if shop is None:
            logger.error("mail job for a shop that is not registered")
            return MailOutcome.UNKNOWN_SHOP
        try:
            return self._handle(shop, job)
        except KnownError as error:  # Dandomain or e-conomic refused (access, order gone)
            Failures(self.ledger, self.notices, self.clock).known(shop, job.order_id, error)
            return MailOutcome.FAILED
        except TransientError:
            if final_attempt:
                self._tell(
                    shop,
                    job,
                    "Mailen kunne ikke sendes efter flere forsøg.",
                    "The mail could not be sent after several attempts.",
                )
            raise
        except Exception:
            if final_attempt:
                logger.exception("unexpected mail failure", extra={"reference": reference})
                Failures(self.ledger, self.notices, self.clock).unexpected(
                    shop, job.order_id, reference
                )
            raise

    def _handle(self, shop: ShopConfig, job: MailJob) -> MailOutcome:
        entry = self.ledger.get(job.shop_id, job.order_id)
        credit = job.kind == DocumentKind.CREDIT_NOTE
        if entry is None or entry.state not in _MAILABLE[job.kind]:
            logger.error(
                "mail job for a document that is not booked", extra={"job": job.model_dump()}
            )
            return MailOutcome.NOT_BOOKED
        document = entry.credit if credit else entry.invoice
        if job.booked_invoice_number != document.booked_number:
            logger.error(
                "mail job names a document the ledger does not hold for this order",
                extra={"job": job.model_dump(), "ledger_number": document.booked_number},
            )
            return MailOutcome.NOT_BOOKED
        record = entry.mail_record(credit)
        if entry.invoice.booked_by != Booker.AUTOBOOK or record.status == MailStatus.WITHHELD:
            return MailOutcome.NOT_OURS
        if record.status == MailStatus.SENT:
            return MailOutcome.ALREADY_SENT
        if record.status == MailStatus.SENDING:
            self._tell(
                shop,
                job,
                "Et tidligere forsøg stoppede midt i afsendelsen; mailen kan være nået frem.",
                "An earlier attempt stopped while sending; the mail may have arrived.",
            )
            return MailOutcome.UNCERTAIN
        if record.status == MailStatus.FAILED:
            return MailOutcome.FAILED
        order = self.sources.for_shop(shop).fetch(job.order_id)
        address = order.customer.email.strip()
        if not address:
            self._fail(
                shop,
                job,
                entry,
                credit,
                "Ordren har ingen e-mailadresse.",
                "The order has no e-mail address.",
            )
            return MailOutcome.FAILED
        # Fetch the PDF before claiming: a failure here leaves nothing half-done.
        pdf = self.books.for_shop(shop.shop_id).booked_pdf(job.booked_invoice_number)
        message = render_buyer_mail(self._mail(shop, order, entry, job, address, pdf))
        claimed = self._claim(entry, credit)
        if claimed is None:
            return MailOutcome.ALREADY_SENT
        try:
            message_id = self.mailer.send(message)
        except MailRejectedError as rejected:
            logger.warning("mail rejected", extra={"reason": str(rejected)[:200]})
            self._fail(
                shop,
                job,
                claimed,
                credit,
                "Mailtjenesten afviste mailen.",
                "The mail service refused the mail.",
            )
            return MailOutcome.FAILED
        except TransientError:
            # "Not now": nothing was sent, so the claim is released for a retry.
            self.ledger.save(claimed.with_mail(credit, MailRecord(), self.clock()))
            raise
        self.ledger.save(claimed.mailed(message_id, self.clock(), credit_note=credit))
        return MailOutcome.SENT

    def preview(
        self, shop_id: str, order_id: str, *, credit_note: bool = False
    ) -> tuple[EmailMessage, bytes]:
        """The mail (and its PDF) the buyer gets, or got, for the order's booked invoice (or
        credit note), made exactly as the mailer makes it; nothing is sent or recorded."""
        shop = registered_shop(self.shops, shop_id)
        entry = self.ledger.get(shop_id, order_id)
        document = (entry.credit if credit_note else entry.invoice) if entry else None
        if entry is None or document is None or document.booked_number is None:
            kind_da, kind_en = (
                ("kreditnota", "credit note") if credit_note else ("faktura", "invoice")
            )
            raise ActionError(
                f"Ordre {order_id} har ingen bogført {kind_da}.",
                f"Order {order_id} has no booked {kind_en}.",
            )
        kind = DocumentKind.CREDIT_NOTE if credit_note else DocumentKind.INVOICE
        job = MailJob(
            shop_id=shop_id,
            order_id=order_id,
            booked_invoice_number=document.booked_number,
            kind=kind,
        )
        order = self.sources.for_shop(shop).fetch(order_id)
        address = order.customer.email.strip() or "no-address@invalid"
        pdf = self.books.for_shop(shop_id).booked_pdf(document.booked_number)
        return render_buyer_mail(self._mail(shop, order, entry, job, address, pdf)), pdf

    def _claim(self, entry: LedgerEntry, credit: bool) -> LedgerEntry | None:
        record = MailRecord(status=MailStatus.SENDING, at=self.clock())
        try:
            return self.ledger.save(entry.with_mail(credit, record, self.clock()))
        except ConcurrentUpdateError:
            return None  # someone else claimed it

    def _mail(
        self,
        shop: ShopConfig,
        order: Order,
        entry: LedgerEntry,
        job: MailJob,
        address: str,
        pdf: bytes,
    ) -> BuyerMail:
        settings: MailSettings = shop.mail
        credit = job.kind == DocumentKind.CREDIT_NOTE
        document = entry.credit if credit else entry.invoice
        values = {
            "shop_name": shop.name,
            "buyer_name": order.customer.name or order.customer.attention,
            "order_id": order.order_id,
            "order_date": order.created_at.strftime("%d-%m-%Y"),
            "invoice_number": str(job.booked_invoice_number),
            "total": money(document.gross, document.currency),
            "due_date": document.due_date.strftime("%d-%m-%Y") if document.due_date else "",
            "payment_terms": document.payment_terms or "",
        }
        subject = settings.credit_subject if credit else settings.subject
        body = settings.credit_body if credit else settings.body
        kind = "kreditnota" if credit else "faktura"
        return BuyerMail(
            sender=self.sender_address,
            sender_name=settings.sender_name or shop.name,
            recipient=address,
            reply_to=settings.reply_to,
            subject=fill(subject, values),
            body=fill(body, values),
            pdf=pdf,
            filename=f"{kind}-{job.booked_invoice_number}.pdf",
        )

    def _fail(
        self, shop: ShopConfig, job: MailJob, entry: LedgerEntry, credit: bool, da: str, en: str
    ) -> None:
        record = MailRecord(status=MailStatus.FAILED, at=self.clock())
        self.ledger.save(entry.with_mail(credit, record, self.clock()))
        self._tell(shop, job, da, en)

    def _tell(self, shop: ShopConfig, job: MailJob, da: str, en: str) -> None:
        error = KnownError(
            ErrorCode.MAIL_FAILED,
            order_id=job.order_id,
            invoice_number=job.booked_invoice_number,
            detail_da=da,
            detail_en=en,
        )
        self.notices.problem(shop, job.order_id, error.text, self.clock())
