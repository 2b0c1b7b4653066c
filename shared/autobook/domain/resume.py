"""How an order blocked by each error gets going again once the cause is fixed.

Every catalogue text that promises "autobook retries by itself" is backed by one of these
paths (and a test per code): a saved mapping replays the orders blocked by mappings; the
scheduled recheck probes orders blocked by something fixed inside e-conomic; an order saved
again in Dandomain triggers a webhook (and the reconcile poll sees the change); a lifted pause
lets every order it held through.
"""

from enum import StrEnum

from autobook.domain.errors import ErrorCode


class Resume(StrEnum):
    MAPPING = "mapping"  # replayed when the shop's mapping is saved
    RECHECK = "recheck"  # probed by the scheduled recheck (fixed inside e-conomic)
    DANDOMAIN = "dandomain"  # retried when the order changes in Dandomain
    PAUSE = "pause"  # the shop is paused; lifted by the recheck's probe
    OWNER = "owner"  # the owner presses "Prøv igen" (or "Send faktura igen")
    NONE = "none"  # information, or nothing to retry


E = ErrorCode
RESUMES: dict[ErrorCode, Resume] = {
    E.PAYMENT_METHOD_UNMAPPED: Resume.MAPPING,
    E.FEE_UNMAPPED: Resume.MAPPING,
    E.DISCOUNT_UNMAPPED: Resume.MAPPING,
    E.CUSTOMER_UNMAPPED: Resume.MAPPING,
    E.PRODUCT_MISSING: Resume.RECHECK,
    E.PRODUCT_BARRED: Resume.RECHECK,
    E.CURRENCY_UNKNOWN: Resume.RECHECK,
    E.SERVICE_UNAVAILABLE: Resume.RECHECK,
    E.CUSTOMER_INVALID: Resume.DANDOMAIN,
    E.VAT_ZONE_UNKNOWN: Resume.DANDOMAIN,
    E.ACCOUNTING_YEAR_MISSING: Resume.PAUSE,
    E.ECONOMIC_ACCESS: Resume.PAUSE,
    E.DANDOMAIN_ACCESS: Resume.PAUSE,
    E.TOTALS_MISMATCH: Resume.OWNER,
    E.INVOICE_MISMATCH: Resume.OWNER,
    E.TRIAL_DRAFT_DELETED: Resume.OWNER,
    E.CREDIT_NOTE_BY_HAND: Resume.OWNER,
    E.ECONOMIC_REJECTED: Resume.OWNER,
    E.MAIL_FAILED: Resume.OWNER,
    E.UNEXPECTED: Resume.OWNER,
    E.ORDER_CHANGED_AFTER_BOOKING: Resume.OWNER,
    E.ORDER_CANCELLED_AFTER_BOOKING: Resume.NONE,
    E.ORDER_NOT_FOUND: Resume.NONE,
}


def codes_resumed_by(way: Resume) -> frozenset[str]:
    return frozenset(str(code) for code, how in RESUMES.items() if how == way)
