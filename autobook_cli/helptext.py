"""Help texts: paragraphs written wrapped in the source, shown reflowed; examples one a line."""

from collections.abc import Callable
from typing import Any

import typer

# Panels that group the top-level commands in `autobook --help`.
STACK_PANEL = "Working with a stack"
LOCAL_PANEL = "On this machine"


def reflow(text: str | None) -> str:
    paragraphs = (text or "").strip().split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def examples(*lines: str) -> str:
    return "Examples:\n\n" + "\n".join(lines)


def command[F: Callable[..., Any]](
    target: typer.Typer, name: str, *example_lines: str, panel: str | None = None
) -> Callable[[F], F]:
    """Register `function` as `name` with its docstring as help and the examples below it."""

    def register(function: F) -> F:
        target.command(
            name,
            help=reflow(function.__doc__),
            epilog=examples(*example_lines),
            rich_help_panel=panel,
        )(function)
        return function

    return register


def group(description: str, *example_lines: str, **settings: Any) -> typer.Typer:
    return typer.Typer(
        no_args_is_help=True,
        help=reflow(description),
        epilog=examples(*example_lines),
        **settings,
    )
