"""`autobook shops list / show / set / export / import / activate`: the shops on a stack, their
configuration, and taking one from the trial (drafts only) to automatic booking."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import (
    JsonOption,
    ShopArgument,
    check_shop_id,
    first_problem,
    require_shop,
)
from autobook_cli.commands.common import short_time as when
from autobook_cli.context import state
from autobook_cli.exits import bad_input
from autobook_cli.helptext import STACK_PANEL, command, group

if TYPE_CHECKING:
    from autobook.domain.shop import ShopConfig

shops_app = group(
    "The shops on the stack: add one (its credentials tried live), list, show, activate.",
    "autobook shops add my-shop",
    "autobook shops list",
    "autobook shops activate my-shop",
)

# Secrets live in Secrets Manager and are never part of a shop's configuration; buyer data is
# not in it either. The rest is the operator's to see.
_TABLES = ("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE")


def add_to(app: typer.Typer) -> None:
    app.add_typer(shops_app, name="shops", rich_help_panel=STACK_PANEL)


@command(
    shops_app,
    "export",
    "autobook shops export my-shop > my-shop.json",
    "autobook shops export my-shop --file my-shop.json",
)
def export_shop(
    ctx: typer.Context,
    shop_id: ShopArgument,
    file: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Write a shop's configuration as JSON (never its secrets): to keep, to edit and
    `shops import` again, or to start another shop from (`shops add --config`)."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE")
    with core.connected(stack):
        shop = require_shop(stack, shop_id)
    text = shop.model_dump_json(indent=2) + "\n"
    if file is None:
        output.stdout().out(text, highlight=False, end="")
        return
    file.write_text(text, encoding="utf-8")
    output.say(f"Wrote {output.plain(file)}.")


@command(shops_app, "import", "autobook shops import my-shop.json")
def import_shop(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A shop file (JSON or JSONC).")],
) -> None:
    """Replace a registered shop's configuration with the file's (its secrets stay as they
    are). When the mapping changed, the orders it blocked are replayed. A new shop is added
    with `shops add` (its credentials are tried first). Exit 2 for an invalid file, 3 for a
    shop that is not registered."""
    from autobook.domain.shop import ShopConfig
    from autobook_cli.configfile import read_object, validate

    config = validate(read_object(file), ShopConfig)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE", "ORDERS_QUEUE_URL")
    with core.connected(stack):
        current = require_shop(stack, config.shop_id)
        replayed = core.update_shop(_kept(current, config))
    output.say(
        f"Saved shop {output.plain(config.shop_id)}; {len(replayed)} blocked orders replayed."
    )


@command(
    shops_app,
    "set",
    "autobook shops set my-shop owner.language=en",
    "autobook shops set my-shop mail.reply_to=kontakt@min-butik.dk invoice_source=shop",
)
def set_shop(
    ctx: typer.Context,
    shop_id: ShopArgument,
    changes: Annotated[
        list[str], typer.Argument(metavar="FIELD=VALUE...", help="Dotted field names.")
    ],
) -> None:
    """Change single settings of a shop, by their dotted names in the shop file (values are
    JSON, or text). The whole configuration is checked before it is saved. Exit 2 for an
    unknown field or a value that does not fit, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE", "ORDERS_QUEUE_URL")
    with core.connected(stack):
        current = require_shop(stack, shop_id)
        changed = _changed(current, changes)
        replayed = core.update_shop(changed)
    output.say(
        f"Saved {len(changes)} settings of {output.plain(shop_id)}; "
        f"{len(replayed)} blocked orders replayed."
    )


_IDENTITY = ("shop_id", "mode", "trial_started_at", "activation", "go_live_at")


def _kept(current: "ShopConfig", config: "ShopConfig") -> "ShopConfig":
    """An imported file does not move a shop in or out of its trial (that is `activate`)."""
    return config.model_copy(update={k: getattr(current, k) for k in _IDENTITY})


def _changed(current: "ShopConfig", changes: list[str]) -> "ShopConfig":
    import json

    from autobook.domain.shop import ShopConfig

    document: dict[str, Any] = current.model_dump(mode="json")
    for change in changes:
        field, sep, raw = change.partition("=")
        path = field.strip().split(".")
        if not sep or not all(path):
            raise bad_input(f"{change[:60]!r}: write FIELD=VALUE, e.g. owner.language=en")
        if path[0] in _IDENTITY:
            raise bad_input(f"{field}: not a setting (`shops activate` changes the mode)")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        target = document
        for part in path[:-1]:
            nested = target.get(part)
            if not isinstance(nested, dict):
                raise bad_input(f"{field}: no such setting")
            target = nested
        if path[-1] not in target:
            raise bad_input(f"{field}: no such setting")
        target[path[-1]] = value
    try:
        return ShopConfig.model_validate(document)
    except ValueError as error:
        raise bad_input(first_problem(error)) from None


@command(shops_app, "list", "autobook shops list", "autobook shops list --json")
def list_shops(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every shop: platform, mode (trial or active), since when, and its owner's address."""
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE")
    with core.connected(stack):
        shops = core.shops()
    if as_json:
        output.emit_json([_facts(s) for s in shops])
        return
    if not shops:
        output.say("No shops are registered.")
        return
    table = output.table("shop", "name", "platform", "mode", "since (UTC)", "owner")
    output.rows(
        table,
        ((s.shop_id, s.name, s.dandomain.platform, s.mode, _since(s), _owner(s)) for s in shops),
    )
    output.stdout().print(table)


@command(shops_app, "show", "autobook shops show demo-shop", "autobook shops show demo-shop --json")
def show_shop(ctx: typer.Context, shop_id: ShopArgument, as_json: JsonOption = False) -> None:
    """Show a shop's configuration (never its secrets). Exit 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE")
    with core.connected(stack):
        shop = require_shop(stack, shop_id)
    if as_json:
        output.emit_json(shop.model_dump(mode="json"))
        return
    for label, value in _facts(shop).items():
        output.say(f"{label:<22} {output.plain(value)}")


@command(
    shops_app,
    "activate",
    "autobook shops activate demo-shop",
    'autobook shops activate demo-shop --force --reason "owner checked 30 drafts by hand"',
)
def activate(
    ctx: typer.Context,
    shop_id: ShopArgument,
    force: Annotated[
        bool, typer.Option("--force", help="Activate although the evidence is short.")
    ] = False,
    reason: Annotated[
        str, typer.Option(help="Why the rule is overridden (needed with --force).")
    ] = "",
) -> None:
    """Switch a shop from the trial (drafts only) to automatic booking and mailing.

    Refused, saying exactly what is missing, before the trial has run 14 days, while fewer
    than 5 drafts were booked unchanged by the owner, while more than 10 % of the booked ones
    were changed, or while errors are open. `--force --reason` activates anyway and records
    who overrode the rule and why. Exit 1 when refused, 3 for an unknown shop."""
    check_shop_id(shop_id)
    if force and not reason.strip():
        raise bad_input("--force needs --reason: say why the rule is overridden")
    stack = state(ctx).stack()
    stack.require(*_TABLES, "SECRETS_PREFIX")
    with core.connected(stack):
        require_shop(stack, shop_id)
        shop = core.activate(shop_id, force=force, reason=reason)
    activation = shop.activation
    forced = (
        " (forced: " + output.plain(activation.reason) + ")"
        if activation and activation.forced
        else ""
    )
    output.say(
        f"Shop {output.plain(shop_id)} is active: autobook books and mails its orders.{forced}"
    )


def _since(shop: "ShopConfig") -> str:
    if shop.activation is not None:
        return when(shop.activation.at)
    return when(shop.trial_started_at)


def _owner(shop: "ShopConfig") -> str:
    return ", ".join(shop.owner.addresses) if shop.owner else ""


def _facts(shop: "ShopConfig") -> dict[str, object]:
    activation = shop.activation
    return {
        "shop": shop.shop_id,
        "name": shop.name,
        "platform": str(shop.dandomain.platform),
        "dandomain": shop.dandomain.base_url,
        "mode": str(shop.mode),
        "trial started (UTC)": when(shop.trial_started_at),
        "activated (UTC)": when(activation.at) if activation else "",
        "activated by": activation.by if activation else "",
        "forced, because": activation.reason if activation and activation.forced else "",
        "owner": _owner(shop),
        "owner language": str(shop.owner.language) if shop.owner else "",
        "invoice from": str(shop.invoice_source),
        "booking states": ", ".join(str(s) for s in sorted(shop.booking_state_ids)),
        "cancel states": ", ".join(str(s) for s in sorted(shop.cancel_state_ids)),
        "reference prefix": shop.reference_prefix,
    }
