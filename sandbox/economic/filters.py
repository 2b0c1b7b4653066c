"""``?filter=`` parsing and matching (economic.md §1.7): ``field$op:value`` with $and:/$or:."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.economic.errors import ApiError

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "like")
_ESCAPES = {"$": "$", "(": "(", ")": ")", "*": "*", ",": ","}
NULL = object()


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str
    value: Any  # str, or NULL for `$null:`
    wildcard: str | None = None  # $like pattern with unescaped * as regex


def _filter_error(messages: list[str], allowed: list[str] | None = None) -> ApiError:
    extra = {"allowedFilteringFields": allowed} if allowed is not None else None
    hint = "Inspect the filter and correct your request."
    return ApiError(400, "Filter error.", hint, errors=messages, extra=extra)


def parse(text: str) -> list[list[Predicate]]:
    """Parse into OR-groups of AND-ed predicates (no parentheses grouping)."""
    groups: list[list[Predicate]] = [[]]
    pos = 0
    while True:
        match = re.compile(r"([A-Za-z][\w.]*)\$(\w+):").match(text, pos)
        if match is None:
            raise _filter_error([f"Invalid filter expression near '{text[pos:]}'."])
        field, op = match.group(1), match.group(2)
        if op not in OPERATORS:
            raise _filter_error([f"Unsupported filter operator '${op}:'."])
        pos = match.end()
        chars: list[str] = []
        regex: list[str] = []
        is_null = False
        combinator = None
        while pos < len(text):
            if text.startswith("$and:", pos) or text.startswith("$or:", pos):
                combinator = "and" if text.startswith("$and:", pos) else "or"
                pos += 5 if combinator == "and" else 4
                break
            if text.startswith("$null:", pos):
                is_null = True
                pos += 6
                continue
            char = text[pos]
            if char == "$" and pos + 1 < len(text) and text[pos + 1] in _ESCAPES:
                chars.append(text[pos + 1])
                regex.append(re.escape(text[pos + 1]))
                pos += 2
                continue
            chars.append(char)
            regex.append(".*" if char == "*" else re.escape(char))
            pos += 1
        value: Any = NULL if is_null and not chars else "".join(chars)
        wildcard = "".join(regex) if op == "like" else None
        groups[-1].append(Predicate(field, op, value, wildcard))
        if combinator is None:
            return groups
        if combinator == "or":
            groups.append([])


def check_fields(groups: list[list[Predicate]], allowed: list[str]) -> None:
    bad = [p.field for g in groups for p in g if p.field not in allowed]
    if bad:
        msgs = [f"Filtering is not allowed on property '{name}'." for name in bad]
        raise _filter_error(msgs, allowed)


def _lookup(doc: dict[str, Any], dotted: str) -> Any:
    current: Any = doc
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _compare(actual: Any, pred: Predicate) -> bool:
    if pred.value is NULL:
        is_null = actual is None or actual == ""
        return is_null if pred.op == "eq" else not is_null
    wanted: str = pred.value
    if isinstance(actual, bool) or (actual is None and wanted.lower() in ("true", "false")):
        result = bool(actual) == (wanted.lower() == "true")
        return result if pred.op != "ne" else not result
    if actual is None:
        return pred.op == "ne"
    if isinstance(actual, (int, Decimal)):
        try:
            left, right = Decimal(actual), Decimal(wanted)
        except InvalidOperation:
            return False
    else:
        left_s, right_s = str(actual).lower(), wanted.lower()
        if pred.op == "like":
            pattern = pred.wildcard or re.escape(wanted)
            if ".*" not in pattern:  # no wildcard means "contains"
                pattern = f".*{pattern}.*"
            return re.fullmatch(pattern, str(actual), re.IGNORECASE | re.DOTALL) is not None
        left, right = left_s, right_s  # type: ignore[assignment]
    ops = {
        "eq": left == right,
        "ne": left != right,
        "gt": left > right,
        "gte": left >= right,
        "lt": left < right,
        "lte": left <= right,
        "like": left == right,
    }
    return ops[pred.op]


def matches(doc: dict[str, Any], groups: list[list[Predicate]]) -> bool:
    return any(all(_compare(_lookup(doc, p.field), p) for p in group) for group in groups)
