"""The CLI as a whole: help with examples everywhere, failures as one line with a meaningful
exit code (a traceback only with --debug), colour only where wanted, commands that need a stack
reached through it."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from typer.main import get_command

from autobook_cli import core
from autobook_cli.app import app
from autobook_cli.exits import Exit
from autobook_cli.stack import Profile, profile_path, write_profile
from tests.cli_support import autobook, one_error_line

README = Path(__file__).resolve().parents[3] / "README.md"
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|9[0-7]|38;[0-9;]+)m")
TABLES = {"SHOPS_TABLE": "shops", "ERRORS_TABLE": "errors", "LEDGER_TABLE": "ledger"}


def command_paths() -> Iterator[list[str]]:
    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(get_command(app), [])


@pytest.fixture
def test_profile() -> str:
    write_profile(profile_path("unit", os.environ), Profile(environment=TABLES))
    return "unit"


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "autobook")
def test_given_any_command_when_asking_for_help_then_it_shows_examples(path: list[str]) -> None:
    result = autobook(*path, "--help")

    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "autobook" in result.stdout.split("Examples:")[1]


def test_given_the_help_and_the_readme_then_both_document_every_exit_code() -> None:
    help_text = " ".join(autobook("--help").stdout.split())
    readme = README.read_text()

    for code in Exit:
        assert f"{code.value} " in help_text
        assert f"| {code.value} |" in readme


def test_given_the_readme_then_it_lists_only_commands_that_exist() -> None:
    existing = {" ".join(p) for p in command_paths() if p}
    listed = set(
        re.findall(r"^\| `autobook ([a-z -]+?)(?: [A-Z\[].*?)?` \|", README.read_text(), re.M)
    )

    assert listed, "README's command table is missing"
    assert listed <= existing


def test_given_an_unknown_command_then_it_is_a_usage_error() -> None:
    result = autobook("shops", "add")

    assert result.exit_code == Exit.USAGE


def test_given_an_unexpected_failure_then_one_line_and_exit_5(
    monkeypatch: pytest.MonkeyPatch, test_profile: str
) -> None:
    def broken(shop_id: str) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(core, "shop", broken)

    result = autobook("--profile", test_profile, "errors", "demo-shop")

    assert result.exit_code == Exit.INTERNAL
    assert one_error_line(result) == (
        "error: unexpected RuntimeError: the disk is full (run again with --debug for the "
        "traceback)"
    )


def test_given_debug_then_the_traceback_is_shown_and_the_exit_code_kept(
    monkeypatch: pytest.MonkeyPatch, test_profile: str
) -> None:
    def broken(shop_id: str) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(core, "shop", broken)

    result = autobook("--debug", "--profile", test_profile, "errors", "demo-shop")

    assert result.exit_code == Exit.INTERNAL
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the disk is full" in result.stderr


def test_given_an_unreachable_endpoint_then_exit_4_says_which_and_from_where(
    monkeypatch: pytest.MonkeyPatch, test_profile: str
) -> None:
    def unreachable(shop_id: str) -> None:
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    monkeypatch.setattr(core, "shop", unreachable)

    result = autobook("--profile", test_profile, "errors", "demo-shop")

    assert result.exit_code == Exit.UNREACHABLE
    line = one_error_line(result)
    assert "cannot reach http://127.0.0.1:1 (profile unit)" in line


def test_given_an_unknown_shop_then_exit_3(
    monkeypatch: pytest.MonkeyPatch, test_profile: str
) -> None:
    monkeypatch.setattr(core, "shop", lambda shop_id: None)

    result = autobook("--profile", test_profile, "errors", "demo-shop", "--json")

    assert result.exit_code == Exit.NOT_FOUND
    assert result.stdout == ""
    assert one_error_line(result) == "error: no shop 'demo-shop' in profile unit"


def test_given_a_malformed_shop_id_then_it_is_bad_input_before_any_call(test_profile: str) -> None:
    result = autobook("--profile", test_profile, "errors", "Demo Shop!")

    assert result.exit_code == Exit.USAGE
    assert "is not a shop id" in one_error_line(result)


def test_given_the_stack_variables_while_a_command_runs_then_they_are_set_and_restored_after(
    monkeypatch: pytest.MonkeyPatch, test_profile: str
) -> None:
    seen: dict[str, str | None] = {}

    def shop(shop_id: str) -> None:
        seen["SHOPS_TABLE"] = os.environ.get("SHOPS_TABLE")

    monkeypatch.setattr(core, "shop", shop)

    autobook("--profile", test_profile, "errors", "demo-shop")

    assert seen == {"SHOPS_TABLE": "shops"}
    assert "SHOPS_TABLE" not in os.environ


def test_given_a_pipe_then_no_colour_but_forced_colour_shows_and_no_color_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = autobook("errors", "demo-shop")
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = autobook("errors", "demo-shop")
    monkeypatch.setenv("NO_COLOR", "1")
    no_color = autobook("errors", "demo-shop")

    assert not COLOUR.search(plain.stderr)
    assert COLOUR.search(forced.stderr)
    assert not COLOUR.search(no_color.stderr)


def test_given_version_then_it_is_printed() -> None:
    result = autobook("--version")

    assert result.exit_code == 0
    assert result.stdout.startswith("autobook ")
