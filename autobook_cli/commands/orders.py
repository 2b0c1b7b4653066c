"""`autobook orders show SHOP ORDER`: one order's way through autobook, as a timeline."""

from typing import Annotated, Any

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.commands.common import short_time as when
from autobook_cli.context import state
from autobook_cli.exits import not_found
from autobook_cli.helptext import STACK_PANEL, command, group

orders_app = group(
    "A shop's orders as autobook recorded them (the ledger).",
    "autobook orders show demo-shop 1001",
)

# The buyer's address is kept for the mailer only; it is buyer data and never printed.
_NOT_SHOWN = {"revision"}


def add_to(app: typer.Typer) -> None:
    app.add_typer(orders_app, name="orders", rich_help_panel=STACK_PANEL)


@command(
    orders_app,
    "show",
    "autobook orders show demo-shop 1001",
    "autobook orders show demo-shop 1001 --json | jq .entry.state",
)
def show_order(
    ctx: typer.Context,
    shop_id: ShopArgument,
    order_id: Annotated[str, typer.Argument(metavar="ORDER", help="The Dandomain order id.")],
    as_json: JsonOption = False,
) -> None:
    """Show an order's state, invoice numbers, mail and every step it took, with its errors.

    Exit 3 for an unknown shop or an order autobook has not seen."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE")
    with core.connected(stack):
        require_shop(stack, shop_id)
        entry = core.ledger_entry(shop_id, order_id)
        if entry is None:
            raise not_found(f"autobook has no record of order {order_id!r} of shop {shop_id!r}")
        errors = [
            e for e in core.errors(shop_id, include_closed=True) if e.order_id == entry.order_id
        ]
    document: dict[str, Any] = entry.model_dump(mode="json", exclude=_NOT_SHOWN)
    if as_json:
        output.emit_json({"entry": document, "errors": [e.model_dump() for e in errors]})
        return
    console = output.stdout()
    console.print(
        f"Order [bold]{output.plain(order_id)}[/] of {output.plain(shop_id)}: "
        f"[bold]{entry.state}[/]"
    )
    invoice, credit = entry.invoice, entry.credit
    amount = f"{invoice.gross} {invoice.currency or ''}" if invoice.gross is not None else None
    facts = [
        ("draft", invoice.draft_number),
        ("invoice", invoice.booked_number),
        ("booked by", invoice.booked_by),
        ("amount", amount),
        ("mail", entry.mail.status if invoice.booked_number else None),
        ("credit draft", credit.draft_number if credit.booked_number is None else None),
        ("credit note", credit.booked_number),
        ("credit mail", entry.credit_mail.status if credit.booked_number else None),
        ("error", entry.error_code),
        ("first seen", when(entry.created_at) + " UTC"),
        ("last change", when(entry.updated_at) + " UTC"),
    ]
    for label, value in facts:
        if value is not None:
            console.print(f"  {label:<12} {output.plain(value)}")
    timeline = output.table("when (UTC)", "state", "note", "who", title="History")
    output.rows(
        timeline, ((when(step.at), step.state, step.note, step.actor) for step in entry.history)
    )
    console.print(timeline)
    if errors:
        table = output.table("code", "status", "seen", "what to do", title="Errors")
        output.rows(table, ((e.code, e.status, f"{e.occurrences}x", e.en) for e in errors))
        console.print(table)
