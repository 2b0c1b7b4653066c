"""`autobook mail preview SHOP ORDER`: the buyer's mail for an order's booked invoice, and
the PDF, written to files exactly as the mailer makes them; nothing is sent."""

from pathlib import Path
from typing import Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import ShopArgument, check_shop_id, require_shop
from autobook_cli.context import state
from autobook_cli.helptext import STACK_PANEL, command, group

mail_app = group(
    "The mails autobook sends buyers.",
    "autobook mail preview my-shop 1001 --out preview/",
)


def add_to(app: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail", rich_help_panel=STACK_PANEL)


@command(
    mail_app,
    "preview",
    "autobook mail preview my-shop 1001",
    "autobook mail preview my-shop 1001 --credit-note --out preview/",
)
def preview(
    ctx: typer.Context,
    shop_id: ShopArgument,
    order_id: Annotated[str, typer.Argument(metavar="ORDER", help="The Dandomain order id.")],
    out: Annotated[Path, typer.Option(help="The folder the .eml and .pdf go to.")] = Path("."),
    credit_note: Annotated[
        bool, typer.Option("--credit-note", help="The credit note's mail instead.")
    ] = False,
) -> None:
    """Write the mail the buyer gets (or got) for the order's booked invoice — with the
    shop's subject, text, sender name and reply-to — as OUT/<kind>-<number>.eml, and the
    e-conomic PDF as OUT/<kind>-<number>.pdf. Nothing is sent or recorded. Exit 1 when the
    order has no booked invoice, 3 for an unknown shop."""
    check_shop_id(shop_id)
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "LEDGER_TABLE", "SECRETS_PREFIX")
    with core.connected(stack):
        shop = require_shop(stack, shop_id)
        message, pdf = core.mail_preview(shop_id, order_id, credit_note=credit_note)
    (attachment,) = [a for a in message.iter_attachments()]
    stem = Path(attachment.get_filename() or "document.pdf").stem
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.eml").write_bytes(message.as_bytes())
    (out / f"{stem}.pdf").write_bytes(pdf)
    output.say(f"Subject: {output.plain(message['Subject'])}")
    output.say(f"From: {output.plain(message['From'])}  To: {output.plain(message['To'])}")
    output.say(
        f"Written: {output.plain(out / f'{stem}.eml')} and {output.plain(out / f'{stem}.pdf')}"
    )
    if shop.invoice_source == "shop":
        output.say("This shop sends its own invoices: autobook books them and mails none.")
