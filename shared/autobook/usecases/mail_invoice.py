"""Mail a booked invoice's PDF to the buyer, exactly once as far as AWS allows.

The ledger's mail status moves NONE -> SENDING (a conditional claim) -> SENT with SES's message
id. If a worker dies after claiming, nobody can tell whether SES sent the mail, so autobook
chooses at most once: it does not send again, and tells the owner to check and resend.
"""

from enum import StrEnum

from aws_lambda_powertools import Logger

from autobook.domain.errors import ErrorCode, KnownError, TransientError
from autobook.domain.events import MailJob
from autobook.domain.ledger import LedgerState, MailStatus
from autobook.notify.mail import render_invoice_mail
from autobook.notify.ses import MailRejectedError
from autobook.usecases.book_order import UnknownShopError
from autobook.usecases.dependencies import Dependencies

logger = Logger(child=True)


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
        if entry is None or entry.state not in (LedgerState.BOOKED, LedgerState.MAILED):
            logger.error(
                "mail job for an order that is not booked", extra={"job": job.model_dump()}
            )
            return MailOutcome.NOT_BOOKED
        if entry.mail_status == MailStatus.SENT:
            return MailOutcome.ALREADY_SENT
        if entry.mail_status == MailStatus.SENDING:
            self._tell(job, "a previous attempt stopped while sending; it may have arrived")
            return MailOutcome.UNCERTAIN
        if entry.mail_status == MailStatus.FAILED:
            return MailOutcome.FAILED
        if not entry.mail_to:
            self._tell(job, "no e-mail address on the order", recipient="-")
            deps.ledger.update(entry, deps.clock(), mail_status=MailStatus.FAILED)
            return MailOutcome.FAILED
        secrets = deps.secrets.shop(shop.shop_id)
        # Fetch the PDF before claiming: a failure here leaves nothing half-done.
        pdf = deps.economic(secrets).booked_pdf(job.booked_invoice_number)
        message = render_invoice_mail(
            settings=shop.mail,
            shop_name=shop.name,
            sender=deps.sender_address,
            recipient=entry.mail_to,
            order_id=job.order_id,
            invoice_number=job.booked_invoice_number,
            pdf=pdf,
        )
        claimed = deps.ledger.claim_mail(entry, deps.clock())
        if claimed is None:
            return MailOutcome.ALREADY_SENT
        try:
            message_id = deps.mail_sender.send(message)
        except MailRejectedError as rejected:
            deps.ledger.update(claimed, deps.clock(), mail_status=MailStatus.FAILED)
            self._tell(job, str(rejected), recipient=entry.mail_to)
            return MailOutcome.FAILED
        except TransientError:
            # SES answered "not now": nothing was sent, so the claim can be released for a retry.
            deps.ledger.update(claimed, deps.clock(), mail_status=MailStatus.NONE)
            raise
        deps.ledger.move(
            claimed,
            LedgerState.MAILED,
            deps.clock(),
            note=f"mail {message_id}",
            mail_status=MailStatus.SENT,
            mail_message_id=message_id,
        )
        return MailOutcome.SENT

    def _tell(self, job: MailJob, detail: str, *, recipient: str = "") -> None:
        error = KnownError(
            ErrorCode.MAIL_FAILED,
            order_id=job.order_id,
            invoice_number=job.booked_invoice_number,
            recipient=recipient or "køber/buyer",
            detail=detail,
        )
        self._deps.errors.record(job.shop_id, job.order_id, error.text, self._deps.clock())
