"""`autobook trial report SHOP`: what became of each draft autobook made in a shop's trial,
for the operator and, as a file, for the owner."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.context import state
from autobook_cli.helptext import STACK_PANEL, command, group

if TYPE_CHECKING:
    from autobook.usecases.trial import TrialReport

trial_app = group(
    "A shop's trial: what became of each draft autobook made.",
    "autobook trial report demo-shop --file trial-demo-shop.txt",
)
_TABLES = ("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE")


def add_to(app: typer.Typer) -> None:
    app.add_typer(trial_app, name="trial", rich_help_panel=STACK_PANEL)


@command(
    trial_app,
    "report",
    "autobook trial report demo-shop",
    "autobook trial report demo-shop --file trial-demo-shop.txt",
    "autobook trial report demo-shop --json",
)
def trial_report(
    ctx: typer.Context,
    shop_id: ShopArgument,
    file: Annotated[
        Path | None,
        typer.Option(help="Also write the report for the owner, in the owner's language."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare each draft autobook made in the trial with what became of it in e-conomic
    (booked by the owner unchanged, booked with changes — which fields and amounts —, deleted,
    still open) and with the Dandomain order, and say what still keeps the shop from going
    live. Exit 3 for an unknown shop."""
    from autobook.usecases.trial import DEFAULT_RULES

    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require(*_TABLES, "SECRETS_PREFIX")
    with core.connected(stack):
        shop = require_shop(stack, shop_id)
        report = core.trial_report(shop_id)
    gaps = report.gaps(DEFAULT_RULES)
    if file is not None:
        danish = shop.owner is None or shop.owner.language == "da"
        file.write_text(owner_text(report, danish=danish), encoding="utf-8")
    if as_json:
        output.emit_json(
            {**report.model_dump(mode="json"), "missing_for_activation": [en for _, en in gaps]}
        )
        return
    console = output.stdout()
    console.print(
        f"Trial of {output.plain(shop_id)}: {report.days} days, {len(report.rows)} drafts, "
        f"{report.open_errors} open errors ({report.mode})."
    )
    table = output.table("order", "draft", "what became of it", "invoice", "changes")
    output.rows(
        table,
        (
            (
                r.order_id,
                r.draft_number,
                _FATES[r.fate][1],
                r.booked_number,
                "; ".join(r.changes_en),
            )
            for r in report.rows
        ),
    )
    console.print(table)
    if gaps:
        console.print(
            "Not ready to activate: " + output.plain("; ".join(en for _, en in gaps)) + "."
        )
    else:
        console.print("Ready: `autobook shops activate " + output.plain(shop_id) + "`.")
    if file is not None:
        console.print(f"Report for the owner written to {output.plain(file)}.")


_FATES = {
    "booked_unchanged": ("bogført uændret", "booked unchanged"),
    "booked_changed": ("bogført med ændringer", "booked with changes"),
    "deleted": ("slettet", "deleted"),
    "open": ("stadig en kladde", "still a draft"),
}


def owner_text(report: "TrialReport", *, danish: bool) -> str:
    """The trial report as plain text for the shop owner, in one language."""
    from autobook.usecases.trial import DEFAULT_RULES, DraftFate

    pick = 0 if danish else 1
    head = (
        f"Prøveperiode for {report.shop_id}: {report.days} dage, {len(report.rows)} kladder"
        if danish
        else f"Trial of {report.shop_id}: {report.days} days, {len(report.rows)} drafts"
    )
    lines = [head, ""]
    for fate in DraftFate:
        lines.append(f"{_FATES[fate][pick]}: {report.count(fate)}")
    lines.append("")
    for row in report.rows:
        label = "Ordre" if danish else "Order"
        draft = "kladde" if danish else "draft"
        changes = row.changes_da if danish else row.changes_en
        line = f"{label} {row.order_id} ({draft} {row.draft_number}): {_FATES[row.fate][pick]}"
        if row.booked_number is not None:
            line += f", {'faktura' if danish else 'invoice'} {row.booked_number}"
        if changes:
            line += " — " + "; ".join(changes)
        lines.append(line)
    gaps = report.gaps(DEFAULT_RULES)
    lines.append("")
    if gaps:
        lead = "Før autobook kan bogføre selv: " if danish else "Before autobook books by itself: "
        lines.append(lead + "; ".join(gap[pick] for gap in gaps) + ".")
    else:
        lines.append(
            "Klar: autobook kan nu bogføre og maile selv."
            if danish
            else "Ready: autobook can now book and mail by itself."
        )
    return "\n".join(lines) + "\n"
