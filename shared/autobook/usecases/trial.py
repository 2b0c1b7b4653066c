"""The trial and going live.

During the trial autobook only drafts; the owner books, edits or deletes the drafts by hand.
The trial report compares each draft with what became of it in e-conomic (booked unchanged,
booked with changes — which fields and amounts —, deleted, still open) and with the Dandomain
order. Activation is refused before the trial has run its days, while too few drafts were
booked unchanged, while too many were changed, or while errors are open — unless forced, with
a reason, which is recorded with who forced it."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.books import EconomicInvoice
from autobook.domain.errors import ErrorStatus, KnownError
from autobook.domain.ledger import Document, LedgerEntry, LedgerState
from autobook.domain.shop import Activation, ShopConfig, ShopMode
from autobook.usecases.operations import ActionError, registered_shop
from autobook.usecases.ports import (
    Books,
    BooksFactory,
    Clock,
    ErrorLog,
    Ledger,
    OrderSource,
    OrderSources,
    ShopDirectory,
)

TRIAL_STATES = (LedgerState.DRAFTED, LedgerState.BOOKED, LedgerState.MAILED, LedgerState.FAILED)


class DraftFate(StrEnum):
    BOOKED_UNCHANGED = "booked_unchanged"
    BOOKED_CHANGED = "booked_changed"
    DELETED = "deleted"
    OPEN = "open"


class TrialRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    order_id: str
    draft_number: int | None
    fate: DraftFate
    booked_number: int | None = None
    changes_da: tuple[str, ...] = ()
    changes_en: tuple[str, ...] = ()
    dandomain_total: Decimal | None = None
    economic_total: Decimal | None = None
    currency: str | None = None


class ActivationRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    min_days: int = 14
    min_booked_unchanged: int = 5
    max_changed_share: Decimal = Decimal("0.10")


DEFAULT_RULES = ActivationRules()


class TrialReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    mode: ShopMode
    started_at: datetime | None
    days: int
    rows: tuple[TrialRow, ...]
    open_errors: int

    def count(self, fate: DraftFate) -> int:
        return sum(1 for row in self.rows if row.fate == fate)

    def gaps(self, rules: ActivationRules) -> list[tuple[str, str]]:
        """What keeps the shop from going live, in Danish and English (empty: nothing)."""
        gaps: list[tuple[str, str]] = []
        if self.days < rules.min_days:
            left = rules.min_days - self.days
            gaps.append(
                (
                    f"prøveperioden har kørt {self.days} dage; der mangler {left} af "
                    f"{rules.min_days}",
                    f"the trial has run {self.days} days; {left} of {rules.min_days} to go",
                )
            )
        unchanged = self.count(DraftFate.BOOKED_UNCHANGED)
        changed = self.count(DraftFate.BOOKED_CHANGED)
        if unchanged < rules.min_booked_unchanged:
            gaps.append(
                (
                    f"{unchanged} kladder er bogført uændret; der skal mindst være "
                    f"{rules.min_booked_unchanged}",
                    f"{unchanged} drafts were booked unchanged; at least "
                    f"{rules.min_booked_unchanged} are needed",
                )
            )
        booked = unchanged + changed
        if booked and Decimal(changed) / booked > rules.max_changed_share:
            share = f"{Decimal(changed) / booked:.0%}"
            limit = f"{rules.max_changed_share:.0%}"
            gaps.append(
                (
                    f"{changed} af {booked} bogførte kladder blev ændret ({share}, højst {limit})",
                    f"{changed} of {booked} booked drafts were changed ({share}, at most {limit})",
                )
            )
        if self.open_errors:
            gaps.append(
                (f"{self.open_errors} fejl er ikke løst", f"{self.open_errors} errors are open")
            )
        return gaps


def _changes(booked: EconomicInvoice, drafted: Document) -> tuple[list[str], list[str]]:
    da: list[str] = []
    en: list[str] = []
    if drafted.customer_number is not None and booked.customer_number != drafted.customer_number:
        da.append(f"debitor {drafted.customer_number} → {booked.customer_number}")
        en.append(f"customer {drafted.customer_number} → {booked.customer_number}")
    if drafted.currency and booked.currency != drafted.currency:
        da.append(f"valuta {drafted.currency} → {booked.currency}")
        en.append(f"currency {drafted.currency} → {booked.currency}")
    for label_da, label_en, was, now in (
        ("netto", "net", drafted.net, booked.net),
        ("total", "total", drafted.gross, booked.gross),
    ):
        if was is not None and now != was:
            da.append(f"{label_da} {was:.2f} → {now:.2f} ({now - was:+.2f})")
            en.append(f"{label_en} {was:.2f} → {now:.2f} ({now - was:+.2f})")
    return da, en


@dataclass(frozen=True)
class TrialReview:
    shops: ShopDirectory
    ledger: Ledger
    errors: ErrorLog
    books: BooksFactory
    sources: OrderSources
    clock: Clock

    def report(self, shop_id: str) -> TrialReport:
        shop = self._shop(shop_id)
        books = self.books.for_shop(shop_id)
        source = self.sources.for_shop(shop)
        entries = [
            e
            for e in self.ledger.in_states(shop_id, TRIAL_STATES, limit=10_000)
            if e.drafted_in_trial
        ]
        rows = tuple(self._row(e, books, source) for e in sorted(entries, key=_order_key))
        started = shop.trial_started_at
        days = (self.clock() - started).days if started else 0
        open_errors = len(self.errors.with_status(shop_id, ErrorStatus.OPEN))
        return TrialReport(
            shop_id=shop_id,
            mode=shop.mode,
            started_at=started,
            days=days,
            rows=rows,
            open_errors=open_errors,
        )

    def activate(
        self,
        shop_id: str,
        *,
        actor: str,
        rules: ActivationRules = DEFAULT_RULES,
        force: bool = False,
        reason: str = "",
    ) -> ShopConfig:
        """Switch the shop from trial to automatic booking, if the evidence allows it."""
        shop = self._shop(shop_id)
        if shop.mode == ShopMode.ACTIVE:
            raise ActionError(
                f"Butikken {shop_id} er allerede aktiv.", f"Shop {shop_id} is active."
            )
        gaps = self.report(shop_id).gaps(rules)
        reason = " ".join(reason.split())
        if gaps and not force:
            raise ActionError(
                "Aktivering afvist: " + "; ".join(da for da, _ in gaps) + ".",
                "Activation refused: " + "; ".join(en for _, en in gaps) + ".",
            )
        if force and gaps and not reason:
            raise ActionError(
                "En tvungen aktivering kræver en begrundelse.",
                "A forced activation needs a reason.",
            )
        activated = shop.model_copy(
            update={
                "mode": ShopMode.ACTIVE,
                "activation": Activation(
                    at=self.clock(), by=actor, forced=bool(force and gaps), reason=reason
                ),
            }
        )
        self.shops.put(activated)
        return activated

    def _row(self, entry: LedgerEntry, books: Books, source: OrderSource) -> TrialRow:
        drafted = entry.invoice
        reference = entry.reference
        booked = None
        if drafted.booked_number is not None:
            booked = books.booked(drafted.booked_number)
        if booked is None:
            found = [b for b in books.booked_with_reference(reference) if b.reference == reference]
            booked = found[0] if found else None
        try:
            order_total = source.fetch(entry.order_id).total_gross
        except KnownError:
            order_total = None  # not in Dandomain any more: the row says so by the blank
        base = {
            "order_id": entry.order_id,
            "draft_number": drafted.draft_number,
            "dandomain_total": order_total,
            "currency": drafted.currency,
        }
        if booked is not None:
            da, en = _changes(booked, drafted)
            if order_total is not None and booked.gross != order_total:
                da.append(f"Dandomain-ordrens total er {order_total:.2f}")
                en.append(f"the Dandomain order's total is {order_total:.2f}")
            return TrialRow(
                **base,
                fate=DraftFate.BOOKED_CHANGED if da else DraftFate.BOOKED_UNCHANGED,
                booked_number=booked.booked_number,
                economic_total=booked.gross,
                changes_da=tuple(da),
                changes_en=tuple(en),
            )
        draft = books.draft(drafted.draft_number) if drafted.draft_number is not None else None
        if draft is not None and draft.reference == reference:
            da, en = _changes(draft, drafted)
            return TrialRow(
                **base,
                fate=DraftFate.OPEN,
                economic_total=draft.gross,
                changes_da=tuple(da),
                changes_en=tuple(en),
            )
        return TrialRow(**base, fate=DraftFate.DELETED)

    def _shop(self, shop_id: str) -> ShopConfig:
        return registered_shop(self.shops, shop_id)


def _order_key(entry: LedgerEntry) -> tuple[int, str]:
    return (int(entry.order_id), "") if entry.order_id.isdigit() else (0, entry.order_id)
