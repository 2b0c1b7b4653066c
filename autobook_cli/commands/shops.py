"""`autobook shops list / show / activate` and `autobook trial report`: the shops on a stack,
and taking one from the trial (drafts only) to automatic booking on the evidence."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.commands.common import short_time as when
from autobook_cli.context import state
from autobook_cli.exits import bad_input
from autobook_cli.helptext import STACK_PANEL, command, group

if TYPE_CHECKING:
    from autobook.domain.shop import ShopConfig
    from autobook.usecases.trial import TrialReport

shops_app = group(
    "The shops on the stack: add one (its credentials tried live), list, show, activate.",
    "autobook shops add my-shop",
    "autobook shops list",
    "autobook shops activate my-shop",
)
trial_app = group(
    "A shop's trial: what became of each draft autobook made.",
    "autobook trial report demo-shop --file trial-demo-shop.txt",
)

# Secrets live in Secrets Manager and are never part of a shop's configuration; buyer data is
# not in it either. The rest is the operator's to see.
_TABLES = ("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE")


def add_to(app: typer.Typer) -> None:
    app.add_typer(shops_app, name="shops", rich_help_panel=STACK_PANEL)
    app.add_typer(trial_app, name="trial", rich_help_panel=STACK_PANEL)


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
        raise bad_input(_first_problem(error)) from None
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


def _first_problem(error: ValueError) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
    return str(error)


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
        raise bad_input(_first_problem(error)) from None


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
