"""`autobook sandbox up|status|env|down`: a whole autobook stack on this machine, in the
background, that every other command can be pointed at with `--profile sandbox`."""

import os
import shlex
from pathlib import Path
from typing import Annotated, Any

import typer

from autobook_cli import output, sandbox_control
from autobook_cli.commands.common import JsonOption
from autobook_cli.devtools import require_sandbox
from autobook_cli.exits import CliError, Exit
from autobook_cli.helptext import LOCAL_PANEL, command, group
from autobook_cli.sandbox_control import Condition, Status
from autobook_cli.stack import Profile, environment_from_outputs, profile_path, write_profile

PROFILE = "sandbox"

sandbox_app = group(
    "A local autobook stack that keeps running between commands: DynamoDB Local, moto (SQS, "
    "SES, Secrets Manager), the e-conomic and Dandomain sandboxes, the local API with the "
    "functions behind it, the queue deliveries and the reconcile schedule.",
    "autobook sandbox up --seed",
    "autobook --profile sandbox errors demo-shop",
    'eval "$(autobook sandbox env)"',
    "autobook sandbox down",
)

StateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        envvar="AUTOBOOK_SANDBOX_DIR",
        show_envvar=True,
        help="Where the sandbox keeps its pid, state and log (default "
        "~/.local/state/autobook/sandbox).",
    ),
]


def add_to(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="sandbox", rich_help_panel=LOCAL_PANEL)


def _state_dir(given: Path | None) -> Path:
    return given or sandbox_control.default_state_dir(os.environ)


def environment(state: dict[str, Any]) -> dict[str, str]:
    """What a command needs to use the sandbox: its outputs as variables, plus endpoints."""
    return {**environment_from_outputs(state["outputs"]), **state["aws"]}


def _write_profile(status: Status) -> Path:
    assert status.state is not None
    path = profile_path(PROFILE, os.environ)
    write_profile(
        path,
        Profile(
            description="the local sandbox (autobook sandbox up)",
            environment=environment(status.state),
            sandbox_state_dir=str(status.state_dir),
        ),
    )
    return path


@command(
    sandbox_app, "up", "autobook sandbox up", "autobook sandbox up --seed --reconcile-every 60"
)
def up(
    seed: Annotated[
        bool,
        typer.Option(
            "--seed",
            help="Add a demo shop's orders to the Dandomain sandbox and an agreement to the "
            "e-conomic sandbox, and print the credentials to register it with.",
        ),
    ] = False,
    reconcile_every: Annotated[
        float | None,
        typer.Option(min=1, help="Seconds between reconcile polls (default: the template's)."),
    ] = None,
    log_level: Annotated[str, typer.Option(help="The functions' log level.")] = "INFO",
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for health.")] = 120,
    state_dir: StateDirOption = None,
) -> None:
    """Start the sandbox in the background and wait until it answers; harmless when it runs.

    Writes the `sandbox` profile (use `autobook --profile sandbox ...`) and prints the
    environment to export instead."""
    require_sandbox()
    directory = _state_dir(state_dir)
    status, started = sandbox_control.start(
        directory,
        seed=seed,
        reconcile_every=reconcile_every,
        log_level=log_level.upper(),
        timeout=timeout,
    )
    profile = _write_profile(status)
    assert status.state is not None
    verb = "Started" if started else "Already running:"
    output.say(f"{verb} the sandbox (pid {status.pid}, state in {output.plain(directory)}).")
    _print_services(status.state)
    output.say(
        f"\nProfile written to {output.plain(profile)}: "
        "[bold]autobook --profile sandbox ...[/]  — or export:"
    )
    output.say(output.plain(_exports(environment(status.state))))
    seeded = status.state.get("seed")
    if seeded:
        _print_seed(seeded)
    elif seed:
        output.warning("the sandbox already ran without --seed: `sandbox down` first to seed")


def _print_services(state: dict[str, Any]) -> None:
    table = output.table("service", "where")
    output.rows(table, state["services"].items())
    output.stdout().print(table)


def _print_seed(seeded: dict[str, Any]) -> None:
    first, last = (seeded.get("order_ids") or [None, None])[:2]
    output.say(
        f"\nSeeded shop [bold]{output.plain(seeded['shop_id'])}[/] "
        f"(orders {first}–{last} in the Dandomain sandbox), not registered yet:"
    )
    table = output.table("what", "value")
    output.rows(
        table,
        [
            ("Dandomain base URL", seeded["dandomain_base_url"]),
            ("Dandomain API key", seeded["dandomain_api_key"]),
            ("e-conomic grant token", seeded["economic_grant_token"]),
            ("shop file", seeded["shop_file"]),
            ("secrets file", seeded["secrets_file"]),
        ],
    )
    output.stdout().print(table)
    output.say(
        "Register it: "
        + output.plain(
            f"autobook --profile sandbox register {seeded['shop_file']} "
            f"--secrets {seeded['secrets_file']}"
        )
    )


def _exports(env: dict[str, str]) -> str:
    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in sorted(env.items()))


@command(
    sandbox_app, "status", "autobook sandbox status", "autobook sandbox status --json | jq .health"
)
def status(state_dir: StateDirOption = None, as_json: JsonOption = False) -> None:
    """Show whether the sandbox runs, where its services listen and what the pump did.

    Exit 0 when it runs, 1 when it is stopped, starting, unresponsive or crashed."""
    current = sandbox_control.read_status(_state_dir(state_dir))
    if as_json:
        output.emit_json(
            {
                "status": current.condition,
                "pid": current.pid,
                "state_dir": str(current.state_dir),
                "log": str(current.log),
                "services": (current.state or {}).get("services", {}),
                "health": current.health,
            }
        )
    else:
        _print_status(current)
    if current.condition != Condition.RUNNING:
        raise typer.Exit(Exit.FAILED)


def _print_status(current: Status) -> None:
    where = output.plain(current.state_dir)
    match current.condition:
        case Condition.STOPPED:
            output.say(f"The sandbox is not running (state dir {where}): `autobook sandbox up`.")
            return
        case Condition.CRASHED:
            output.say(
                f"The sandbox crashed: pid {current.pid} is gone. Its log: "
                f"{output.plain(current.log)}. `autobook sandbox up` restarts it, "
                "`autobook sandbox down` cleans up."
            )
            return
        case Condition.STARTING | Condition.UNRESPONSIVE:
            output.say(
                f"The sandbox (pid {current.pid}) is {current.condition}. Its log: "
                f"{output.plain(current.log)}."
            )
            return
    assert current.state is not None
    assert current.health is not None
    health = current.health
    output.say(
        f"The sandbox runs (pid {current.pid}, up {health['uptime_seconds']:.0f} s, "
        f"state in {where})."
    )
    _print_services(current.state)
    pump, reconcile = health["pump"], health["reconcile"]
    per_function = ", ".join(f"{k} {v}" for k, v in pump["per_function"].items())
    output.say(
        f"Queue deliveries: {pump['invocations']} invocation(s) ({per_function}); "
        f"{pump['processed']} message(s) processed, {pump['failed']} failed."
    )
    if pump["last_error"]:
        output.warning(f"last delivery error: {pump['last_error']}")
    output.say(
        f"Reconcile: every {reconcile['every_seconds']:.0f} s, {reconcile['runs']} run(s), "
        f"next at {reconcile['next_run_at'] or '-'}."
    )
    output.say(f"Mails sent: {health['mails_sent']}.")


@command(sandbox_app, "env", 'eval "$(autobook sandbox env)"', "autobook sandbox env --json")
def env(state_dir: StateDirOption = None, as_json: JsonOption = False) -> None:
    """Print the environment that points commands (and boto3) at the running sandbox."""
    current = sandbox_control.read_status(_state_dir(state_dir))
    if current.condition != Condition.RUNNING or current.state is None:
        raise CliError(f"the sandbox is {current.condition}: `autobook sandbox up`", Exit.FAILED)
    variables = environment(current.state)
    if as_json:
        output.emit_json(variables)
    else:
        output.say(output.plain(_exports(variables)))


@command(sandbox_app, "down", "autobook sandbox down")
def down(state_dir: StateDirOption = None) -> None:
    """Stop the sandbox and everything it started, and remove its state and profile.

    Harmless when it is not running; cleans up after a crashed one."""
    directory = _state_dir(state_dir)
    before = sandbox_control.stop(directory)
    _remove_profile(directory)
    match before.condition:
        case Condition.STOPPED:
            output.say("The sandbox was not running.")
        case Condition.CRASHED:
            output.say(f"Cleaned up after the crashed sandbox (pid {before.pid}).")
        case _:
            output.say(f"Stopped the sandbox (pid {before.pid}).")
    if before.pid is not None and not sandbox_control.group_is_empty(before.pid):
        raise CliError(f"processes of the sandbox (group {before.pid}) still run", Exit.FAILED)


def _remove_profile(directory: Path) -> None:
    path = profile_path(PROFILE, os.environ)
    try:
        profile = Profile.model_validate_json(path.read_text())
    except (OSError, ValueError):
        return
    if profile.sandbox_state_dir == str(directory):
        path.unlink(missing_ok=True)
