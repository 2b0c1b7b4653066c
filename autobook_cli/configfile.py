"""Read the operator's files: JSON, or JSONC (JSON with // and /* */ comments and trailing
commas, as in docs/shop-config.example.jsonc). Every problem becomes one line naming the file,
the line and the field: `shop.jsonc:23: economic.payment_methods.60.name: field required`."""

import difflib
import json
import re
import types
import typing
from collections.abc import Sequence
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from autobook_cli.exits import CliError, Exit

_MAX_LINES = 8


class ConfigFileError(CliError):
    """One or more problems in one file, each a line `file:line: field: what is wrong`."""

    def __init__(self, problems: Sequence[str]) -> None:
        shown = list(problems[:_MAX_LINES])
        if len(problems) > _MAX_LINES:
            shown.append(f"... and {len(problems) - _MAX_LINES} more")
        super().__init__("\n".join(shown), Exit.USAGE)
        self.problems = list(problems)


class Document:
    """A parsed file that remembers where each value was written."""

    def __init__(self, path: Path, text: str, value: Any) -> None:
        self.path = path
        self.value = value
        self._text = text
        self._offsets: dict[tuple[str, ...], int] | None = None

    def line_of(self, location: Sequence[object]) -> int | None:
        """The line of the deepest part of `location` that is in the file (a missing field is
        reported where its parent object starts)."""
        if self._offsets is None:
            self._offsets = {}
            _walk(self._text, 0, (), self._offsets)
        parts = tuple(str(p) for p in location)
        for end in range(len(parts), -1, -1):
            offset = self._offsets.get(parts[:end])
            if offset is not None:
                return self._text.count("\n", 0, offset) + 1
        return None


def read_document(path: Path) -> Document:
    """Parse `path` as JSON/JSONC; a ConfigFileError for a missing, unreadable or broken file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigFileError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise ConfigFileError([f"{path}: is a directory, not a file"]) from None
    except OSError as exc:
        raise ConfigFileError([f"{path}: cannot read it ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigFileError([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    try:
        plain = strip_jsonc(text)
    except _JsoncError as exc:
        raise ConfigFileError([f"{path}:{exc.line}: {exc.message}"]) from None
    try:
        value = json.loads(plain)
    except json.JSONDecodeError as exc:
        raise ConfigFileError([f"{path}:{exc.lineno}:{exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise ConfigFileError([f"{path}: nested too deeply"]) from None
    return Document(path, plain, value)


def read_object(path: Path) -> Document:
    document = read_document(path)
    if not isinstance(document.value, dict):
        kind = type(document.value).__name__
        raise ConfigFileError([f"{path}:1: expected a JSON object {{...}}, found {kind}"])
    return document


def validate[M: BaseModel](
    document: Document,
    model: type[M],
    value: Any = None,
    *,
    at: Sequence[str] = (),
    echo_values: bool = True,
) -> M:
    """`model` from the document (or from `value`, a part of it found at `at`); pydantic's
    errors turned into one line each. `echo_values=False` for files holding secrets."""
    data = document.value if value is None else value
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(
            describe_errors(document, exc, model, at=at, echo_values=echo_values)
        ) from None


def describe_errors(
    document: Document,
    exc: ValidationError,
    model: type[BaseModel] | None,
    *,
    at: Sequence[str] = (),
    echo_values: bool = True,
) -> list[str]:
    lines = []
    for error in exc.errors(include_url=False):
        location = [*at, *(str(p) for p in error["loc"] if not _is_tag(p))]
        field = ".".join(location) or "(top level)"
        line = document.line_of(location)
        where = f"{document.path}:{line}" if line else str(document.path)
        lines.append(
            f"{where}: {field}: {_message(error, model, location[len(at) :], echo_values)}"
        )
    return lines


def _is_tag(part: object) -> bool:
    # pydantic names the union member it tried: ('vat_zones', 'eu_private', "literal['domestic']")
    return isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool"})


def _message(
    error: Any, model: type[BaseModel] | None, location: list[str], echo_values: bool
) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _fields_at(model, location[:-1]) if model else []
        close = difflib.get_close_matches(location[-1], known, n=1) if location else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown field{hint}"
    if kind == "missing":
        return "required field is missing"
    message = str(error["msg"])
    given = error.get("input")
    if echo_values and isinstance(given, str | int | float | bool) and len(str(given)) <= 40:
        message += f" (got {given!r})"
    return message


def _fields_at(model: type[BaseModel], location: list[str]) -> list[str]:
    """The field names the model allows at `location` (for did-you-mean)."""
    current: Any = model
    for part in location:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) in (list, tuple, set, frozenset):
            current = typing.get_args(current)[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X (the model inside an optional field)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        return models[0] if models else members[0]
    return annotation


# ---------------------------------------------------------------------------------- JSONC


class _JsoncError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def strip_jsonc(text: str) -> str:
    """JSONC -> JSON of the same length: comments and trailing commas become spaces (line
    breaks stay), so json's line:column positions point into the original file."""
    out = list(text)
    i, n = 0, len(text)
    pending_comma: int | None = None  # a comma followed so far only by space and comments

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            if out[k] not in "\r\n":
                out[k] = " "

    while i < n:
        char = text[i]
        if char == '"':
            i = _string_end(text, i)
            pending_comma = None
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _JsoncError(text.count("\n", 0, i) + 1, "a /* comment is never closed")
            blank(i, end + 2)
            i = end + 2
            continue
        if char == ",":
            pending_comma = i
        elif char in "}]" and pending_comma is not None:
            out[pending_comma] = " "
            pending_comma = None
        elif not char.isspace():
            pending_comma = None
        i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index after the string starting at `start` (a broken string is left to json to report)."""
    i = start + 1
    while i < len(text) and text[i] not in '"\n':
        i += 2 if text[i] == "\\" else 1
    return i + 1


# ---------------------------------------------------------------------------------- locations

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def _walk(text: str, i: int, path: tuple[str, ...], offsets: dict[tuple[str, ...], int]) -> int:
    """Record where each value of valid JSON `text` starts (object members: at their key)."""
    i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
    offsets.setdefault(path, i)
    char = text[i]
    if char in "{[":
        closing = "}" if char == "{" else "]"
        i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        index = 0
        while text[i] != closing:
            if char == "{":
                key, after = scanstring(text, i + 1)
                offsets[(*path, key)] = i
                i = _SPACE.match(text, after).end() + 1  # type: ignore[union-attr]  # past ':'
                i = _walk(text, i, (*path, key), offsets)
            else:
                i = _walk(text, i, (*path, str(index)), offsets)
                index += 1
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        return i + 1
    if char == '"':
        _, end = scanstring(text, i + 1)
        return int(end)
    match = _SCALAR.match(text, i)
    return match.end() if match else i + 1
