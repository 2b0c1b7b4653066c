"""`autobook doctor SHOP`: everything that would stop the shop's orders, checked live before
any order fails, as a checklist with the fix for each ✗."""

from typing import Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.context import state
from autobook_cli.exits import CliError
from autobook_cli.helptext import STACK_PANEL, command


def add_to(app: typer.Typer) -> None:
    command(
        app,
        "doctor",
        "autobook doctor demo-shop",
        "autobook doctor demo-shop --days 90 --json | jq '.checks[] | select(.ok | not)'",
        panel=STACK_PANEL,
    )(doctor)


def doctor(
    ctx: typer.Context,
    shop_id: ShopArgument,
    days: Annotated[
        int, typer.Option(min=1, max=366, help="Check the products sold in this many days.")
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """Check a shop before its orders fail: Dandomain and e-conomic access, the layout, VAT
    zones, payment terms and customer groups the mapping uses, every Dandomain payment and
    shipping method mapped (under its current name), the fee and discount products, an
    accounting year for today, the SES sender, and every product number sold in the last
    DAYS days.

    Exit 1 when something blocks booking, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "SECRETS_PREFIX")
    with core.connected(stack):
        require_shop(stack, shop_id)
        checkup = core.checkup(shop_id, days=days)
    if as_json:
        output.emit_json({**checkup.model_dump(mode="json"), "blocked": checkup.blocked})
    else:
        console = output.stdout()
        for check in checkup.checks:
            mark = (
                "[green]✓[/]" if check.ok else ("[red]✗[/]" if check.blocking else "[yellow]![/]")
            )
            console.print(f"{mark} {output.plain(check.name)}: {output.plain(check.found)}")
            if not check.ok:
                console.print(f"    fix: {output.plain(check.fix)}")
    if checkup.blocked:
        failing = sum(1 for c in checkup.checks if c.blocking and not c.ok)
        raise CliError(f"{failing} checks block booking for shop {shop_id}")
