"""How the CLI prints: Rich tables and colour on a terminal, plain text when piped, JSON for
scripts. Rich itself honours NO_COLOR and FORCE_COLOR; a pipe gets no colour and no box lines.

Consoles are made per call: the streams may change between invocations (tests, redirection)."""

import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Piped output is for reading in a pager or a file, not for an 80-column terminal.
_PIPE_WIDTH = 200


def _is_tty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _console(stream: Any, *, stderr: bool) -> Console:
    tty = _is_tty(stream)
    width = None if tty else int(os.environ.get("COLUMNS", _PIPE_WIDTH))
    return Console(stderr=stderr, highlight=False, width=width, soft_wrap=not tty)


def stdout() -> Console:
    return _console(sys.stdout, stderr=False)


def stderr() -> Console:
    return _console(sys.stderr, stderr=True)


def plain(value: object) -> str:
    """A value as text that Rich prints literally (no markup in shop or order data)."""
    return escape("" if value is None else str(value))


def table(*columns: str, title: str | None = None) -> Table:
    """A table: boxed on a terminal, whitespace-separated columns in a pipe."""
    tty = _is_tty(sys.stdout)
    return Table(
        *columns,
        title=title,
        box=box.SIMPLE_HEAD if tty else None,
        show_edge=tty,
        pad_edge=tty,
        header_style="bold" if tty else "",
        title_justify="left",
    )


def rows(target: Table, records: Iterable[Sequence[object]]) -> Table:
    for record in records:
        target.add_row(*(plain(value) for value in record))
    return target


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit_json(document: Any) -> None:
    """A JSON document on stdout: the machine-readable form of every read command."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=_jsonable))
    sys.stdout.write("\n")
    sys.stdout.flush()


def show_json(document: Any) -> None:
    """JSON for a person: highlighted on a terminal, exactly `emit_json` otherwise."""
    if not _is_tty(sys.stdout):
        emit_json(document)
        return
    stdout().print_json(json.dumps(document, ensure_ascii=False, default=_jsonable))


def error(message: str) -> None:
    stderr().print(f"[bold red]error:[/] {plain(message)}")


def warning(message: str) -> None:
    stderr().print(f"[yellow]warning:[/] {plain(message)}")


def say(message: str) -> None:
    """A line for a person on stdout (markup allowed: callers escape data with `plain`)."""
    stdout().print(message)
