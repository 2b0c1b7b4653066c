"""Is an invoice in e-conomic this order's? Never book, mail or credit one that is not.

The owner edits the same books, and e-conomic hands freed draft numbers to new drafts, so a
stored number is only a pointer: before acting on it autobook re-reads the document and compares
it with what it wrote (the reference, exactly — e-conomic's filter is case-insensitive —, the
customer autobook chose, the currency and the net and gross amounts).
"""

from enum import StrEnum

from autobook.domain.books import EconomicInvoice
from autobook.domain.ledger import Document


class Verdict(StrEnum):
    OURS = "ours"  # what autobook wrote, unchanged
    ALTERED = "altered"  # the order's reference, but not what autobook wrote (edited by hand)
    NOT_OURS = "not_ours"  # another document (e.g. a reused draft number)


def verify(found: EconomicInvoice, expected: Document) -> Verdict:
    if not expected.reference or found.reference != expected.reference:
        return Verdict.NOT_OURS
    if expected.customer_number is not None and found.customer_number != expected.customer_number:
        return Verdict.ALTERED
    if expected.currency and found.currency != expected.currency:
        return Verdict.ALTERED
    if expected.net is not None and found.net != expected.net:
        return Verdict.ALTERED
    if expected.gross is not None and found.gross != expected.gross:
        return Verdict.ALTERED
    return Verdict.OURS


def differences(found: EconomicInvoice, expected: Document) -> tuple[str, str]:
    """What differs from what autobook wrote, in Danish and in English (for INVOICE_MISMATCH)."""
    da: list[str] = []
    en: list[str] = []
    if expected.customer_number is not None and found.customer_number != expected.customer_number:
        da.append(f"debitor {found.customer_number} i stedet for {expected.customer_number}")
        en.append(f"customer {found.customer_number} instead of {expected.customer_number}")
    if expected.currency and found.currency != expected.currency:
        da.append(f"valuta {found.currency} i stedet for {expected.currency}")
        en.append(f"currency {found.currency} instead of {expected.currency}")
    if expected.net is not None and found.net != expected.net:
        da.append(f"nettobeløb {found.net:.2f} i stedet for {expected.net:.2f}")
        en.append(f"net amount {found.net:.2f} instead of {expected.net:.2f}")
    if expected.gross is not None and found.gross != expected.gross:
        da.append(f"beløb {found.gross:.2f} i stedet for {expected.gross:.2f}")
        en.append(f"amount {found.gross:.2f} instead of {expected.gross:.2f}")
    if not da:
        return "den er ikke, som autobook skrev den.", "it is not what autobook wrote."
    return (
        f"den har {', '.join(da)} i forhold til det, autobook skrev.",
        f"it has {', '.join(en)} compared with what autobook wrote.",
    )
