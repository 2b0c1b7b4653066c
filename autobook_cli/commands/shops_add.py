"""`autobook shops add SHOP`: a new shop, its credentials tried live before anything is
saved, its secrets to Secrets Manager, and the settings to enter in Dandomain."""

from pathlib import Path
from typing import Annotated, Any

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import (
    ShopArgument,
    check_shop_id,
    first_problem,
)
from autobook_cli.commands.shops import shops_app
from autobook_cli.context import state
from autobook_cli.exits import bad_input
from autobook_cli.helptext import command


def add_to(app: typer.Typer) -> None:
    """`shops add` belongs to the `shops` group (registered with it)."""


_CLASSIC_HOW = """Dandomain Classic: in the shop's admin, add the webhook for orders (the app
change feed) with this URL. The token in it is the shop's webhook secret; it proves the calls
come from the shop.

  {url}?token={secret}
"""
_WEBSHOP_HOW = """Dandomain Webshop: in the admin under Webhooks, add one webhook per order topic
(orders/created, orders/updated, orders/fulfilled, orders/invoice, orders/partially-fulfilled,
orders/cancelled), each with this URL. The shop signs each call (X-Hmac-Sha256) with its
webhooks key, which was given to autobook as the webhook secret.

  {url}
"""


@command(
    shops_app,
    "add",
    "autobook shops add my-shop            # asks for what is missing",
    "autobook shops add my-shop --name 'Min Butik ApS' --platform classic "
    "--dandomain-url https://www.min-butik.dk --booking-states 3 --owner-mail ejer@min-butik.dk "
    "--config my-shop.jsonc < secrets-on-stdin",
)
def add_shop(
    ctx: typer.Context,
    shop_id: ShopArgument,
    name: Annotated[str, typer.Option(prompt="Shop name (on invoices)")],
    platform: Annotated[str, typer.Option(prompt="Platform (classic or webshop)")],
    dandomain_url: Annotated[
        str, typer.Option(prompt="Dandomain URL (Classic: the shop; Webshop: the SOAP endpoint)")
    ],
    booking_states: Annotated[
        str, typer.Option(prompt="Order states that book (ids, comma-separated)")
    ],
    owner_mail: Annotated[str, typer.Option(prompt="Owner mail (comma-separated for several)")],
    cancel_states: Annotated[
        str, typer.Option(help="Order states that cancel (ids, comma-separated).")
    ] = "",
    owner_language: Annotated[str, typer.Option(help="da or en.")] = "da",
    sender_name: Annotated[
        str, typer.Option(help="The name buyer mails come from (default: the shop name).")
    ] = "",
    invoice_from: Annotated[
        str,
        typer.Option(
            help="economic: autobook mails e-conomic's PDF to the buyer; shop: the shop sends "
            "its own invoices and autobook only books."
        ),
    ] = "economic",
    config: Annotated[
        Path | None,
        typer.Option(help="A shop file (JSON/JSONC) whose mapping and settings to start from."),
    ] = None,
    settings_file: Annotated[
        Path | None,
        typer.Option(help="Where to write the Dandomain settings (default: ./SHOP-dandomain.txt)."),
    ] = None,
) -> None:
    """Add a shop: its Dandomain access and e-conomic grant token are tried live before
    anything is saved (a wrong one is refused with the reason); the secrets go to Secrets
    Manager, never to the screen. A Classic shop gets a new webhook secret; a Webshop shop's
    is its webhooks key. The webhook URL is printed, and the settings to enter in Dandomain,
    with the secret, are written to a file only you can read. The shop starts its trial.

    Secrets are asked for (hidden), or read one a line from stdin when it is not a terminal:
    Classic the API key, Webshop the API user and password, then the e-conomic grant token,
    then (Webshop) the webhooks key. Exit 1 when a credential is refused, 2 for bad input."""
    import secrets as tokens

    from autobook.domain.shop import Platform, ShopConfig, ShopSecrets

    check_shop_id(shop_id)
    chosen = _platform(platform)
    base = _base_config(config)
    try:
        shop = ShopConfig.model_validate(
            {
                **base,
                "shop_id": shop_id,
                "name": name,
                "dandomain": {
                    **base.get("dandomain", {}),
                    "base_url": dandomain_url,
                    "platform": chosen,
                },
                "booking_state_ids": _ids(booking_states, "--booking-states"),
                "cancel_state_ids": _ids(cancel_states, "--cancel-states")
                or base.get("cancel_state_ids", []),
                "owner": {
                    "addresses": [a.strip() for a in owner_mail.split(",") if a.strip()],
                    "language": owner_language,
                },
                "mail": {**base.get("mail", {}), "sender_name": sender_name or name},
                "invoice_source": invoice_from,
            }
        )
    except ValueError as error:
        raise bad_input(first_problem(error)) from None
    if chosen == Platform.CLASSIC:
        credentials = {"dandomain_api_key": _secret("Dandomain API key")}
    else:
        credentials = {
            "webshop_username": _secret("Webshop API user"),
            "webshop_password": _secret("Webshop API password"),
        }
    grant = _secret("e-conomic grant token")
    hook = (
        tokens.token_urlsafe(32)
        if chosen == Platform.CLASSIC
        else _secret("Webshop webhooks key (the shop signs its webhooks with it)")
    )
    shop_secrets = ShopSecrets(**credentials, economic_grant_token=grant, webhook_secret=hook)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "SECRETS_PREFIX")
    with core.connected(stack):
        registered, seen = core.add_shop(shop, shop_secrets)
    for line in seen:
        output.say(f"[green]✓[/] {output.plain(line)}")
    output.say(
        f"Added shop {output.plain(shop_id)} ({registered.mode}: drafts only until activated)."
    )
    webhook_base = stack.value("WEBHOOK_BASE_URL")
    url = f"{webhook_base.rstrip('/')}/{shop_id}" if webhook_base else f"<WebhookBaseUrl>/{shop_id}"
    output.say(f"Webhook URL: {output.plain(url)}")
    how = (_CLASSIC_HOW if chosen == Platform.CLASSIC else _WEBSHOP_HOW).format(
        url=url, secret=hook
    )
    target = settings_file or Path(f"{shop_id}-dandomain.txt")
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)
    target.write_text(how, encoding="utf-8")
    output.say(
        f"Dandomain settings, with the secret, written to {output.plain(target)} (only you can read it)."
    )
    output.say(f"Next: `autobook doctor {output.plain(shop_id)}`.")


def _platform(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in ("classic", "webshop"):
        raise bad_input(f"--platform must be classic or webshop, not {value[:30]!r}")
    return chosen


def _ids(value: str, option: str) -> list[int]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise bad_input(f"{option} takes state ids separated by commas, e.g. 3,4")
    return [int(p) for p in parts]


def _base_config(path: Path | None) -> dict[str, Any]:
    """The settings to start from: a shop file's, without its identity and mode."""
    if path is None:
        return {}
    from autobook_cli.configfile import read_object

    document = dict(read_object(path).value)
    for key in (
        "shop_id",
        "name",
        "mode",
        "trial_started_at",
        "activation",
        "go_live_at",
        "reference_data",
    ):
        document.pop(key, None)
    return document


def _secret(label: str) -> str:
    """A secret from the terminal (hidden) or, in a pipe, the next line of stdin."""
    import sys

    if sys.stdin.isatty():
        value = str(typer.prompt(label, hide_input=True))
    else:
        value = sys.stdin.readline().strip()
    if not value:
        raise bad_input(f"{label}: nothing given")
    return value
