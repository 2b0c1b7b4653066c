"""The `autobook` command: global options, the command tree, and how failures are reported."""

import logging
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from autobook_cli import output
from autobook_cli.context import AppState
from autobook_cli.exits import CliError, Exit
from autobook_cli.failures import from_aws, from_core
from autobook_cli.helptext import examples, reflow


class AutobookGroup(TyperGroup):
    """The root group: every failure below it becomes one line and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except KeyboardInterrupt:
            output.error("interrupted")
            raise typer.Exit(Exit.INTERRUPTED) from None
        except Exception as exc:
            app_state = ctx.obj if isinstance(ctx.obj, AppState) else None
            debug = app_state.debug if app_state else False
            if debug:
                traceback.print_exc(file=sys.stderr)
            failure = exc if isinstance(exc, CliError) else _explain(exc, app_state)
            for line in failure.message.splitlines():
                output.error(line)
            raise typer.Exit(failure.code) from None


def _explain(exc: Exception, app_state: AppState | None) -> CliError:
    explained = from_aws(exc, app_state.source if app_state else "the stack") or from_core(exc)
    if explained is not None:
        return explained
    return CliError(
        f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
        Exit.INTERNAL,
    )


app = typer.Typer(
    name="autobook",
    cls=AutobookGroup,
    help=reflow(
        """Operate autobook: Dandomain orders booked as e-conomic invoices.

        Commands that read or change a stack find it through --stack, --profile or the
        environment (`autobook sandbox up` runs one on this machine). Read commands take
        --json.

        Exit codes: 0 ok · 1 a check failed or something blocks · 2 bad input · 3 not found ·
        4 no usable stack · 5 unexpected error · 130 interrupted."""
    ),
    epilog=examples(
        "autobook sandbox up --seed",
        "autobook --profile sandbox errors demo-shop",
        "autobook --stack autobook-prod dlq list --json",
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        try:
            typer.echo(f"autobook {version('autobook')}")
        except PackageNotFoundError:
            typer.echo("autobook (not installed)")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            envvar="AUTOBOOK_PROFILE",
            help="A profile name (~/.config/autobook/profiles/NAME.json) or a profile file.",
            show_envvar=True,
        ),
    ] = None,
    stack: Annotated[
        str | None,
        typer.Option(
            envvar="AUTOBOOK_STACK",
            help="A deployed CloudFormation stack: its outputs say where everything is.",
            show_envvar=True,
        ),
    ] = None,
    region: Annotated[str | None, typer.Option(help="AWS region of --stack.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = AppState(profile=profile, stack=stack, region=region, debug=debug)
    # The core's own log lines are for CloudWatch; a command reports in its own words (the
    # core's errors still show; --debug shows everything).
    logs = logging.getLogger()
    before = logs.level
    logs.setLevel(logging.DEBUG if debug else logging.ERROR)
    ctx.call_on_close(lambda: logs.setLevel(before))


def _add_commands() -> None:
    from autobook_cli.commands import (
        backfill,
        dlq,
        doctor,
        errors,
        local,
        mail,
        mapping,
        mappings,
        operations,
        orders,
        sandbox,
        shops,
        shops_add,
        trial,
    )

    for module in (
        operations,
        shops,
        shops_add,
        trial,
        mappings,
        doctor,
        backfill,
        mail,
        errors,
        orders,
        dlq,
        sandbox,
        mapping,
        local,
    ):
        module.add_to(app)


_add_commands()


def main() -> None:
    app(prog_name="autobook")
