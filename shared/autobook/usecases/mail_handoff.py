"""Hand booked documents to the mailer. Safe to repeat: the mailer checks the ledger."""

from autobook.domain.events import DocumentKind, MailJob
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from autobook.domain.shop import InvoiceSource, ShopConfig
from autobook.usecases.ports import MailQueue


def ensure_mail_queued(queue: MailQueue, shop: ShopConfig, entry: LedgerEntry) -> bool:
    """Queue the mail for the newest booked document of an order whose mail was never started
    (a crash can fall between recording the booking and queueing its mail). True if queued."""
    if shop.invoice_source != InvoiceSource.ECONOMIC:
        return False
    if entry.state == LedgerState.CREDITED:
        number = entry.credit.booked_number
        if number is None or entry.credit_mail.status != MailStatus.NONE:
            return False
        if entry.invoice.booked_by != "autobook":
            return False  # the owner's invoice: the owner's credit note too
        queue.send(
            MailJob(
                shop_id=shop.shop_id,
                order_id=entry.order_id,
                booked_invoice_number=number,
                kind=DocumentKind.CREDIT_NOTE,
            )
        )
        return True
    number = entry.invoice.booked_number
    if entry.state != LedgerState.BOOKED or entry.mail.status != MailStatus.NONE or number is None:
        return False
    queue.send(MailJob(shop_id=shop.shop_id, order_id=entry.order_id, booked_invoice_number=number))
    return True
