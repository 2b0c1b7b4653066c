"""`autobook demo` and `autobook local-invoke`: run autobook on this machine, no AWS account."""

from pathlib import Path
from typing import Annotated

import typer

from autobook_cli.configfile import read_object
from autobook_cli.devtools import require_sandbox
from autobook_cli.exits import Exit, bad_input
from autobook_cli.helptext import LOCAL_PANEL, command


def add_to(app: typer.Typer) -> None:
    command(
        app,
        "demo",
        "autobook demo",
        "autobook demo --orders 60 --out /tmp/mails",
        panel=LOCAL_PANEL,
    )(demo)
    command(
        app,
        "local-invoke",
        "autobook local-invoke WebhookFunction events/webhook-classic-order.json",
        "autobook local-invoke MailerFunction events/mailer-invoice-job.json",
        panel=LOCAL_PANEL,
    )(local_invoke)


def demo(
    out: Annotated[Path, typer.Option(help="Where the .eml files go.")] = Path("out"),
    orders: Annotated[int, typer.Option(min=23, help="How many demo orders per shop.")] = 36,
) -> None:
    """Run the whole pipeline once on local services and print what became of each order.

    Starts DynamoDB Local, moto, the e-conomic and both Dandomain sandboxes (Classic and
    Webshop) and the functions, registers one shop of each platform, sends signed webhooks
    for their demo orders (with duplicates and bad callers), books and mails them, and writes
    every buyer mail to OUT/invoice-*.eml, every owner mail to OUT/owner-*.eml and the owner
    page as a phone shows it to OUT/owner-page.png. Everything stops when it is done; for a
    stack that stays up, use `autobook sandbox up`."""
    require_sandbox()
    from sandbox.demo import run_demo

    run_demo(out, count=orders)


def local_invoke(
    function: Annotated[
        str, typer.Argument(metavar="FUNCTION", help="A function's logical id in template.yaml.")
    ],
    event_file: Annotated[Path, typer.Argument(metavar="EVENT", help="An event file (events/).")],
) -> None:
    """Invoke one function with a sample event, as `sam local invoke -e` would, without Docker.

    Registers the sample shop `demo-shop` on fresh local services, runs the handler with
    EVENT and prints its answer and what it caused (queued messages, the ledger entry,
    mails)."""
    read_object(event_file)  # a broken event file is reported before anything starts
    require_sandbox()
    from sandbox.local_invoke import run_local_invoke
    from sandbox.stack.cfn_yaml import load_template
    from sandbox.stack.local_aws import DEFAULT_TEMPLATE

    resources = load_template(DEFAULT_TEMPLATE)["Resources"]
    functions = sorted(k for k, v in resources.items() if v["Type"].endswith("::Function"))
    if function not in functions:
        raise bad_input(f"no function {function!r} in template.yaml; have {', '.join(functions)}")
    code = run_local_invoke(function, event_file)
    if code != Exit.OK:
        raise typer.Exit(code)
