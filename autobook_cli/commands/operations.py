"""`autobook register` and `autobook replay`: put a shop on a stack, queue orders again."""

from pathlib import Path
from typing import Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import ShopArgument, check_shop_id, require_shop
from autobook_cli.configfile import read_object, validate
from autobook_cli.context import state
from autobook_cli.exits import bad_input
from autobook_cli.helptext import STACK_PANEL, command


def add_to(app: typer.Typer) -> None:
    command(
        app,
        "register",
        "autobook --profile sandbox register shop.jsonc --secrets shop-secrets.json",
        panel=STACK_PANEL,
    )(register)
    command(app, "replay", "autobook replay demo-shop 1001 1002", panel=STACK_PANEL)(replay)


def register(
    ctx: typer.Context,
    shop_file: Annotated[Path, typer.Argument(metavar="SHOP_FILE", help="The shop file.")],
    secrets_file: Annotated[
        Path, typer.Option("--secrets", metavar="SECRETS_FILE", help="The secrets file.")
    ],
) -> None:
    """Register a shop (or replace its configuration) from a shop file and a secrets file.

    The shop file is a shop configuration (JSON or JSONC, see docs/shop-config.example.jsonc,
    without its `reference_data` block). The secrets file holds `dandomain_api_key`
    (Classic) or `webshop_username` and `webshop_password` (Webshop), `economic_grant_token`
    and `webhook_secret`; it goes to Secrets Manager and is never printed. A new shop starts
    in `trial` mode: drafts only."""
    from autobook.domain.shop import ShopConfig, ShopSecrets

    config = validate(read_object(shop_file), ShopConfig)
    secrets = validate(read_object(secrets_file), ShopSecrets, echo_values=False)
    missing = secrets.missing_for(config.dandomain.platform)
    if missing:
        raise bad_input(
            f"{secrets_file}: a {config.dandomain.platform} shop needs {', '.join(missing)}"
        )
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "SECRETS_PREFIX")
    with core.connected(stack):
        core.register(config, secrets)
    output.say(f"Registered shop {output.plain(config.shop_id)} ({config.mode}).")
    webhook_base = stack.value("WEBHOOK_BASE_URL")
    if webhook_base:
        output.say(f"Webhook URL: {output.plain(webhook_base.rstrip('/'))}/{config.shop_id}")


def replay(
    ctx: typer.Context,
    shop_id: ShopArgument,
    order_ids: Annotated[
        list[str], typer.Argument(metavar="ORDER...", help="Dandomain order ids.")
    ],
) -> None:
    """Queue orders again for booking, after their error was fixed.

    Exit 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "ORDERS_QUEUE_URL")
    with core.connected(stack):
        require_shop(stack, shop_id)
        core.replay(shop_id, order_ids)
    for order_id in order_ids:
        output.say(f"Queued order {output.plain(order_id)} of {output.plain(shop_id)} again.")
