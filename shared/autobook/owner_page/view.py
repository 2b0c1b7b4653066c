"""What the owner page shows, in words: open errors grouped by code with their fix steps and
buttons, shop-wide pauses, recent invoices with where to find them in e-conomic."""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from autobook.domain.economic_web import InvoiceKind, invoice_list_url
from autobook.domain.errors import ErrorCode, describe
from autobook.domain.fix_steps import Remedy, fix_steps, merged_parameters, title
from autobook.domain.ledger import LedgerState
from autobook.domain.shop import Language
from autobook.notify.owner_format import moment, money
from autobook.notify.owner_views import ErrorView, OrderRef, PauseView
from autobook.owner_page.ports import InvoiceSummary, ShopSummary
from autobook.owner_page.texts import PAGE_TEXTS, counted_orders


class Action(StrEnum):
    """The page's buttons; each is `POST .../actions/<value>`."""

    REPLAY = "replay"
    REPLAY_CODE = "replay-code"
    RESEND = "resend"
    IGNORE = "ignore"
    REBOOK = "rebook"


_ACTION_LABEL = {Action.REPLAY: "retry", Action.RESEND: "resend", Action.REBOOK: "rebook"}
_ROW_ACTION = {
    Remedy.AUTOMATIC: Action.REPLAY,
    Remedy.RETRY: Action.REPLAY,
    Remedy.RESEND: Action.RESEND,
    Remedy.CHOICE: Action.REBOOK,
    Remedy.BY_HAND: Action.REPLAY,
}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorRow(_View):
    order_id: str  # "" for an error without an order
    head: str
    cause: str
    since: str
    action: Action | None  # the row's main button, besides "Ignorer"
    action_label: str


class ErrorGroup(_View):
    code: ErrorCode
    title: str
    count: str
    steps: tuple[str, ...]
    afterwards: str
    retry_all: bool
    rows: tuple[ErrorRow, ...]


class PauseBlock(_View):
    code: ErrorCode
    title: str
    cause: str
    since: str
    steps: tuple[str, ...]
    afterwards: str


class InvoiceRow(_View):
    head: str
    state: str
    numbers: str
    economic_url: str
    economic_label: str
    note: str
    updated: str


class FormFields(_View):
    """What every form carries: the link token, the language, the CSRF token."""

    t: str
    lang: str
    csrf: str


class PageView(_View):
    language: Language
    title: str
    switch_url: str
    switch_label: str
    switch_lang: str
    status: str
    pauses: tuple[PauseBlock, ...]
    groups: tuple[ErrorGroup, ...]
    invoices: tuple[InvoiceRow, ...]
    form: FormFields
    labels: dict[str, str]
    link_note: str


_LABELS = (
    "open_errors",
    "no_errors",
    "retry",
    "retry_now",
    "retry_all",
    "resend",
    "rebook",
    "ignore",
    "reason",
    "steps",
    "invoices",
    "no_invoices",
)


def order_head(order: OrderRef | None, language: Language) -> str:
    texts = PAGE_TEXTS[language]
    if order is None:
        return ""
    amount = money(order.amount, order.currency, language)
    # The ledger keeps no buyer data: an order not looked up in Dandomain shows no buyer.
    buyer = f" · {texts['buyer']}: {order.buyer_name.strip()}" if order.buyer_name.strip() else ""
    return f"{texts['order']} {order.order_id}{buyer} · {texts['amount']}: {amount}"


def _cause(code: ErrorCode, parameters: dict[str, str], language: Language) -> str:
    text = describe(code, parameters)
    return text.da if language == Language.DA else text.en


def _row(error: ErrorView, remedy: Remedy, language: Language) -> ErrorRow:
    texts = PAGE_TEXTS[language]
    since = texts["since"].format(since=moment(error.first_seen, language))
    if error.occurrences > 1:
        since += f", {texts['seen'].format(count=error.occurrences)}"
    action = _ROW_ACTION.get(remedy) if error.order else None
    return ErrorRow(
        order_id=error.order.order_id if error.order else "",
        head=order_head(error.order, language),
        cause=_cause(error.code, error.parameters, language),
        since=since,
        action=action,
        action_label=texts[_ACTION_LABEL[action]] if action else "",
    )


def error_groups(errors: Sequence[ErrorView], language: Language) -> tuple[ErrorGroup, ...]:
    by_code: dict[ErrorCode, list[ErrorView]] = {}
    for error in sorted(errors, key=lambda e: e.first_seen):
        by_code.setdefault(error.code, []).append(error)
    groups = []
    for code, members in by_code.items():
        steps = fix_steps(code, merged_parameters([e.parameters for e in members]), language)
        groups.append(
            ErrorGroup(
                code=code,
                title=title(code, language),
                count=PAGE_TEXTS[language]["orders_with_error"].format(
                    orders=counted_orders(len(members), language)
                ),
                steps=steps.steps,
                afterwards=steps.afterwards,
                retry_all=len(members) > 1 and _ROW_ACTION.get(steps.remedy) == Action.REPLAY,
                rows=tuple(_row(e, steps.remedy, language) for e in members),
            )
        )
    return tuple(groups)


def pause_blocks(pauses: Sequence[PauseView], language: Language) -> tuple[PauseBlock, ...]:
    texts = PAGE_TEXTS[language]
    blocks = []
    for pause in pauses:
        steps = fix_steps(pause.code, pause.parameters, language)
        blocks.append(
            PauseBlock(
                code=pause.code,
                title=texts["paused"].format(title=title(pause.code, language)),
                cause=_cause(pause.code, pause.parameters, language),
                since=texts["paused_since"].format(
                    since=moment(pause.since, language),
                    orders=counted_orders(pause.waiting_orders, language),
                ),
                steps=steps.steps,
                afterwards=steps.afterwards,
            )
        )
    return tuple(blocks)


_STATES = {
    LedgerState.DRAFTED: "state_drafted",
    LedgerState.BOOKED: "state_booked",
    LedgerState.MAILED: "state_mailed",
    LedgerState.CREDITED: "state_credited",
}


def _where(invoice: InvoiceSummary) -> tuple[InvoiceKind, str, int | None]:
    """Which e-conomic list to look in, and for which number (the newest document)."""
    if invoice.credit_note_number is not None:
        return InvoiceKind.CREDIT_NOTE, "credit_number", invoice.credit_note_number
    if invoice.booked_number is not None:
        return InvoiceKind.BOOKED, "booked_number", invoice.booked_number
    return InvoiceKind.DRAFT, "draft_number", invoice.draft_number


def invoice_rows(invoices: Sequence[InvoiceSummary], language: Language) -> tuple[InvoiceRow, ...]:
    texts = PAGE_TEXTS[language]
    rows = []
    for invoice in invoices:
        numbers = [
            texts[key].format(number=number)
            for key, number in (
                ("draft_number", invoice.draft_number if invoice.booked_number is None else None),
                ("booked_number", invoice.booked_number),
                ("credit_number", invoice.credit_note_number),
            )
            if number is not None
        ]
        kind, key, number = _where(invoice)
        what = texts[key].format(number=number) if number is not None else ""
        rows.append(
            InvoiceRow(
                head=order_head(invoice.order, language),
                state=texts[_STATES.get(invoice.state, "state_booked")],
                numbers=", ".join(numbers),
                economic_url=invoice_list_url(kind),
                economic_label=texts["find_in_economic"].format(what=what).replace("  ", " "),
                note=texts["mail_failed"] if invoice.mail_failed else "",
                updated=texts["updated"].format(when=moment(invoice.updated_at, language)),
            )
        )
    return tuple(rows)


def page_view(
    *,
    shop: ShopSummary,
    errors: Sequence[ErrorView],
    invoices: Sequence[InvoiceSummary],
    language: Language,
    status: str,
    form: FormFields,
    switch_url: str,
    link_expires: datetime,
) -> PageView:
    texts = PAGE_TEXTS[language]
    other = Language.EN if language == Language.DA else Language.DA
    return PageView(
        language=language,
        title=texts["title"].format(shop=shop.name),
        switch_url=switch_url,
        switch_label=texts["switch_label"],
        switch_lang=str(other),
        status=status,
        pauses=pause_blocks(shop.pauses, language),
        groups=error_groups(errors, language),
        invoices=invoice_rows(invoices, language),
        form=form,
        labels={k: texts[k] for k in _LABELS},
        link_note=texts["link_note"].format(expires=moment(link_expires, language)),
    )
