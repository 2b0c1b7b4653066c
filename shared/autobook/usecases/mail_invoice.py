"""Mail a booked invoice's (or credit note's) PDF to the buyer, exactly once as far as AWS allows.

The ledger's mail status moves NONE -> SENDING (a conditional claim) -> SENT with SES's message
id. If a worker dies after claiming, nobody can tell whether SES sent the mail, so autobook
chooses at most once: it does not send again, and tells the owner to check and resend.
"""

from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.domain.errors import ErrorCode, KnownError, TransientError
from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus, mail_fields
from autobook.domain.shop import MailSettings
from autobook.notify.mail import render_invoice_mail
from autobook.notify.ses import MailRejectedError
from autobook.usecases.book_order import UnknownShopError
from autobook.usecases.dependencies import Dependencies

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
    NOT_BOOKED = "not_booked"


class MailService:
    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    def handle(self, job: MailJob) -> MailOutcome:
        deps = self._deps
        shop = deps.shops.get_config(job.shop_id)
        if shop is None:
            raise UnknownShopError(f"shop {job.shop_id} is not registered")
        entry = deps.ledger.get(job.shop_id, job.order_id)
        if entry is None or entry.state not in _MAILABLE[job.kind]:
            logger.error(
                "mail job for a document that is not booked", extra={"job": job.model_dump()}
            )
            return MailOutcome.NOT_BOOKED
        credit = job.kind == DocumentKind.CREDIT_NOTE
        ours = entry.credit_note_number if credit else entry.booked_number
        if job.booked_invoice_number != ours:
            # A stale or hand-made job must never mail another buyer's invoice.
            logger.error(
                "mail job names a document the ledger does not hold for this order",
                extra={"job": job.model_dump(), "ledger_number": ours},
            )
            return MailOutcome.NOT_BOOKED
        status_field, _ = mail_fields(credit)
        status = MailStatus(getattr(entry, status_field))
        if status == MailStatus.SENT:
            return MailOutcome.ALREADY_SENT
        if status == MailStatus.SENDING:
            self._tell(job, "a previous attempt stopped while sending; it may have arrived")
            return MailOutcome.UNCERTAIN
        if status == MailStatus.FAILED:
            return MailOutcome.FAILED
        if not entry.mail_to:
            self._tell(job, "no e-mail address on the order", recipient="-")
            deps.ledger.update(entry, deps.clock(), **{status_field: MailStatus.FAILED})
            return MailOutcome.FAILED
        # Fetch the PDF before claiming: a failure here leaves nothing half-done.
        pdf = deps.economic(deps.secrets.shop(shop.shop_id)).booked_pdf(job.booked_invoice_number)
        message = render_invoice_mail(
            settings=_texts(shop.mail, credit),
            shop_name=shop.name,
            sender=deps.sender_address,
            recipient=entry.mail_to,
            order_id=job.order_id,
            invoice_number=job.booked_invoice_number,
            pdf=pdf,
        )
        claimed = deps.ledger.claim_mail(entry, deps.clock(), credit_note=credit)
        if claimed is None:
            return MailOutcome.ALREADY_SENT
        try:
            message_id = deps.mail_sender.send(message)
        except MailRejectedError as rejected:
            deps.ledger.update(claimed, deps.clock(), **{status_field: MailStatus.FAILED})
            self._tell(job, str(rejected), recipient=entry.mail_to)
            return MailOutcome.FAILED
        except TransientError:
            # SES answered "not now": nothing was sent, so the claim can be released for a retry.
            deps.ledger.update(claimed, deps.clock(), **{status_field: MailStatus.NONE})
            raise
        self._mark_sent(claimed, credit, message_id)
        return MailOutcome.SENT

    def _mark_sent(self, entry: LedgerEntry, credit: bool, message_id: str) -> None:
        status_field, id_field = mail_fields(credit)
        fields = {status_field: MailStatus.SENT, id_field: message_id}
        now = self._deps.clock()
        if entry.state == LedgerState.BOOKED and not credit:
            self._deps.ledger.move(
                entry, LedgerState.MAILED, now, note=f"mail {message_id}", **fields
            )
        else:
            self._deps.ledger.update(entry, now, **fields)

    def _tell(self, job: MailJob, detail: str, *, recipient: str = "") -> None:
        error = KnownError(
            ErrorCode.MAIL_FAILED,
            order_id=job.order_id,
            invoice_number=job.booked_invoice_number,
            recipient=recipient or "køber/buyer",
            detail=detail,
        )
        self._deps.errors.record(job.shop_id, job.order_id, error.text, self._deps.clock())


def _texts(settings: MailSettings, credit: bool) -> MailSettings:
    if not credit:
        return settings
    return settings.model_copy(
        update={"subject": settings.credit_subject, "body": settings.credit_body}
    )
