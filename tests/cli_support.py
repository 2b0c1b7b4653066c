"""Running the `autobook` CLI in tests: in-process with Typer's CliRunner, in an environment
that knows no stack (no stack variables, profiles and sandbox state under tmp_path)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from autobook_cli.app import app
from autobook_cli.stack import STACK_VARIABLES

_FOREIGN = (
    *STACK_VARIABLES,
    "AUTOBOOK_PROFILE",
    "AUTOBOOK_STACK",
    "AUTOBOOK_SANDBOX_DIR",
    "NO_COLOR",
    "FORCE_COLOR",
)


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for name in _FOREIGN:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("COLUMNS", "200")


def autobook(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def one_error_line(result: Result) -> str:
    """The single `error: ...` line a failure prints, after checking there is no traceback."""
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]
