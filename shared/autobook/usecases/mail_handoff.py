"""Hand booked documents to the mailer. Safe to repeat: the mailer checks the ledger."""

from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from autobook.domain.shop import InvoiceSource, ShopConfig
from autobook.usecases.dependencies import Dependencies


def ensure_mail_queued(deps: Dependencies, shop: ShopConfig, entry: LedgerEntry) -> None:
    """Queue the mail for the newest booked document of an order whose mail was never started
    (a crash can fall between recording the booking and queueing its mail)."""
    if shop.invoice_source != InvoiceSource.ECONOMIC:
        return
    if entry.state == LedgerState.CREDITED and entry.credit_note_number is not None:
        if entry.credit_mail_status == MailStatus.NONE:
            deps.mail_queue.send(
                MailJob(
                    shop_id=shop.shop_id,
                    order_id=entry.order_id,
                    booked_invoice_number=entry.credit_note_number,
                    kind=DocumentKind.CREDIT_NOTE,
                )
            )
        return
    if entry.state != LedgerState.BOOKED or entry.mail_status != MailStatus.NONE:
        return
    if entry.booked_number is not None:
        deps.mail_queue.send(
            MailJob(
                shop_id=shop.shop_id,
                order_id=entry.order_id,
                booked_invoice_number=entry.booked_number,
            )
        )
