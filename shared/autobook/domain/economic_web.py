"""Where an invoice is found in e-conomic's web application.

e-conomic documents no address for one invoice: its web pages name an invoice by an internal
id the REST API never returns, and the older `visfaktura.asp` view needs an agreement-internal
parameter. So the owner page links to the list the invoice is in (booked invoices and credit
notes are in the archive of booked invoices, drafts in the draft list) and shows the number to
look for beside the link.
"""

from enum import StrEnum

WEB_APP = "https://secure.e-conomic.com"


class InvoiceKind(StrEnum):
    DRAFT = "draft"
    BOOKED = "booked"
    CREDIT_NOTE = "credit_note"


_LISTS = {
    InvoiceKind.DRAFT: f"{WEB_APP}/sales/invoicing/invoices",
    InvoiceKind.BOOKED: f"{WEB_APP}/sales/invoicing/archive",
    InvoiceKind.CREDIT_NOTE: f"{WEB_APP}/sales/invoicing/archive",
}


def invoice_list_url(kind: InvoiceKind) -> str:
    return _LISTS[kind]
