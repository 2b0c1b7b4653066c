"""`autobook errors SHOP`: what stops a shop's orders, in the owner's words."""

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from autobook_cli import core, output
from autobook_cli.commands.common import (
    JsonOption,
    ShopArgument,
    check_shop_id,
    require_shop,
    short_time,
)
from autobook_cli.context import state
from autobook_cli.helptext import STACK_PANEL, command, group


class ListByDefault(TyperGroup):
    """`autobook errors SHOP` is `autobook errors list SHOP`."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["list", *args]
        return super().resolve_command(ctx, args)


errors_app = group(
    "A shop's errors: what stops its orders and what the owner is told to fix. "
    "`autobook errors SHOP` is short for `autobook errors list SHOP`.",
    "autobook errors demo-shop",
    "autobook errors list demo-shop --all --json",
    cls=ListByDefault,
)


def add_to(app: typer.Typer) -> None:
    app.add_typer(errors_app, name="errors", rich_help_panel=STACK_PANEL)


@command(
    errors_app,
    "list",
    "autobook errors demo-shop",
    "autobook errors demo-shop --lang da",
    "autobook errors demo-shop --all --json",
)
def list_errors(
    ctx: typer.Context,
    shop_id: ShopArgument,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Also resolved errors and information.")
    ] = False,
    language: Annotated[
        str | None,
        typer.Option("--lang", help="da or en; default: the owner's language, else en."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List a shop's open errors (one per order and code, counted when they repeat).

    Exit 3 when the stack has no such shop."""
    check_shop_id(shop_id)
    if language not in (None, "da", "en"):
        raise typer.BadParameter("use da or en", param_hint="--lang")
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "ERRORS_TABLE")
    with core.connected(stack):
        config = require_shop(stack, shop_id)
        records = core.errors(shop_id, include_closed=include_closed)
    if as_json:
        output.emit_json({"shop_id": shop_id, "errors": [r.model_dump() for r in records]})
        return
    if not records:
        what = "errors" if include_closed else "open errors"
        output.say(f"No {what} for shop {output.plain(shop_id)}.")
        return
    lang = language or (config.owner.language.value if config.owner else "en")
    columns = ["order", "code", *(["status"] if include_closed else []), "seen", "last seen (UTC)"]
    table = output.table(*columns, "what to do", title=f"{len(records)} error(s) of {shop_id}")
    for record in records:
        order = "(shop)" if record.order_id.startswith("_") else record.order_id
        table.add_row(
            *(
                output.plain(value)
                for value in (
                    order,
                    record.code,
                    *([record.status] if include_closed else []),
                    f"{record.occurrences}x",
                    short_time(record.last_seen),
                    record.da if lang == "da" else record.en,
                )
            )
        )
    output.stdout().print(table)
