"""The one write protocol for e-conomic: every draft, booking and credit note goes through it.

1. If an earlier attempt started this step and never learned its outcome (`entry.pending`),
   look for the document first and verify it against what autobook meant to write: adopt it
   when it is ours unchanged; stop with INVOICE_MISMATCH when the order's reference is on
   something else (a hand-edited document); otherwise write.
2. Mark the step pending in the ledger (conditional write) before writing: if this attempt
   dies, the next one knows to look.
3. Write with an Idempotency-Key of (shop, order, step, version, attempt): in-process retries
   are answered from e-conomic's cache; a later attempt relies on the look in step 1 (the cache
   lives an hour at most, and a cached answer could name a draft number since reused).
4. A write that certainly did not happen (throttled, refused, no access) clears the mark, so
   the next attempt writes again without looking (a 429 costs no look-up).
"""

from collections.abc import Callable
from dataclasses import dataclass

from autobook.domain.books import EconomicInvoice, Rejection
from autobook.domain.errors import ErrorCode, KnownError, RateLimitedError
from autobook.domain.idempotency import idempotency_key
from autobook.domain.ledger import Document, LedgerEntry, WriteStep
from autobook.domain.ownership import Verdict, differences, verify
from autobook.usecases.ports import Clock, Ledger


@dataclass(frozen=True)
class Written:
    entry: LedgerEntry  # still marked pending: the caller's next move records the result
    document: EconomicInvoice
    adopted: bool  # found after an unknown outcome, not written by this attempt


def mismatch(order_id: str, found: EconomicInvoice, expected: Document) -> KnownError:
    da, en = differences(found, expected)
    booked = found.booked_number is not None
    return KnownError(
        ErrorCode.INVOICE_MISMATCH,
        order_id=order_id,
        number=found.booked_number if booked else found.draft_number,
        document_da="den bogførte faktura" if booked else "kladden",
        document_en="booked invoice" if booked else "draft",
        difference_da=da,
        difference_en=en,
    )


def adoptable(
    order_id: str, candidates: list[EconomicInvoice], expected: Document
) -> EconomicInvoice | None:
    """The candidate that is ours unchanged; INVOICE_MISMATCH if one has our reference but is
    not what autobook wrote; None when none carries our reference."""
    altered: EconomicInvoice | None = None
    for candidate in candidates:
        verdict = verify(candidate, expected)
        if verdict == Verdict.OURS:
            return candidate
        if verdict == Verdict.ALTERED:
            altered = altered or candidate
    if altered is not None:
        raise mismatch(order_id, altered, expected)
    return None


@dataclass(frozen=True)
class WriteProtocol:
    ledger: Ledger
    clock: Clock

    def write(
        self,
        entry: LedgerEntry,
        step: WriteStep,
        *,
        version: str,
        expected: Document,
        look: Callable[[], list[EconomicInvoice]],
        send: Callable[[str], EconomicInvoice],
    ) -> Written:
        if entry.pending is not None and entry.pending.step == step:
            found = adoptable(entry.order_id, look(), expected)
            if found is not None:
                return Written(entry, found, adopted=True)
        entry = self.ledger.save(entry.write_started(step, self.clock()))
        key = idempotency_key(
            entry.shop_id, entry.order_id, str(step), f"{version}:{entry.attempts}"
        )
        try:
            document = send(key)
        except (RateLimitedError, KnownError, Rejection):
            # Certainly not done: nothing to look for next time.
            self.ledger.save(entry.write_not_done(self.clock()))
            raise
        return Written(entry, document, adopted=False)
