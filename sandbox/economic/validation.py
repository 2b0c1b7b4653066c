"""Validate a request document against :mod:`rules` and build e-conomic "annotated errors".

An annotated error mirrors the request: a failing property becomes
``{"errors": [{"errorCode", "message", "value", "developerHint"}]}`` and a failing array item
becomes an object carrying ``"arrayIndex"`` plus its failing properties.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sandbox.economic.rules import Rule

# Sandbox assumption: the real per-keyword codes are unknown except E04740 (decimals).
CODES = {
    "required": "E04100",
    "type": "E04110",
    "maxLength": "E04120",
    "minLength": "E04121",
    "minimum": "E04130",
    "maximum": "E04131",
    "enum": "E04140",
    "pattern": "E04150",
    "maxDecimal": "E04740",
}

Annotated = dict[str, Any]


def json_type_name(value: Any) -> str:
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, (Decimal, float)):
        return "Number"
    if isinstance(value, str):
        return "String"
    if isinstance(value, dict):
        return "Object"
    if isinstance(value, list):
        return "Array"
    return type(value).__name__


def decimals_of(value: int | float | Decimal) -> int:
    """Number of digits after the decimal point in the JSON text of ``value``."""
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value) if isinstance(value, float) else value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _matches_type(value: Any, expected: str) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    return value is None


def _in_enum(value: Any, options: tuple[Any, ...]) -> bool:
    return any(type(value) is type(opt) and value == opt for opt in options)


def error_item(code: str, message: str, value: Any, hint: str | None = None) -> dict[str, Any]:
    return {
        "errorCode": code,
        "message": message,
        "value": value,
        "developerHint": hint or "Inspect the property value and correct your request.",
    }


def _scalar_errors(value: Any, rule: Rule) -> list[dict[str, Any]]:
    errs: list[dict[str, Any]] = []
    if rule.type is not None and not _matches_type(value, rule.type):
        msg = f"Expected {rule.type.capitalize()} but got {json_type_name(value)}."
        return [error_item(CODES["type"], msg, value)]
    if rule.enum is not None and not _in_enum(value, rule.enum):
        allowed = ", ".join("null" if e is None else str(e) for e in rule.enum)
        errs.append(error_item(CODES["enum"], f"Value must be one of: {allowed}.", value))
    if isinstance(value, str):
        if rule.max_length is not None and len(value) > rule.max_length:
            msg = f"String is too long ({len(value)} chars), maximum {rule.max_length}."
            errs.append(error_item(CODES["maxLength"], msg, value))
        if rule.min_length is not None and len(value) < rule.min_length:
            msg = f"String is too short ({len(value)} chars), minimum {rule.min_length}."
            errs.append(error_item(CODES["minLength"], msg, value))
        if rule.pattern is not None and re.search(rule.pattern, value) is None:
            msg = f"String does not match pattern {rule.pattern}."
            errs.append(error_item(CODES["pattern"], msg, value))
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        if rule.minimum is not None and value < rule.minimum:
            msg = f"Value {value} is less than minimum value of {rule.minimum}."
            errs.append(error_item(CODES["minimum"], msg, value))
        if rule.maximum is not None and value > rule.maximum:
            msg = f"Value {value} is greater than maximum value of {rule.maximum}."
            errs.append(error_item(CODES["maximum"], msg, value))
        if rule.max_decimal is not None and decimals_of(value) > rule.max_decimal:
            msg = f"Value cannot have more than {rule.max_decimal} decimals."
            errs.append(error_item(CODES["maxDecimal"], msg, value))
    return errs


def validate(value: Any, rule: Rule) -> Annotated | list[Any] | None:
    """Return the annotated error node for ``value`` or ``None`` when it is valid."""
    errs = _scalar_errors(value, rule)
    if errs:
        return {"errors": errs}
    if isinstance(value, dict) and rule.properties:
        node: Annotated = {}
        for name, sub in rule.properties.items():
            if name not in value:
                if sub.required:
                    item = error_item(CODES["required"], "Property is required.", None)
                    node[name] = {"errors": [item]}
                continue
            child = validate(value[name], sub)
            if child is not None:
                node[name] = child
        return node or None
    if isinstance(value, list) and rule.items is not None:
        items: list[Any] = []
        for index, element in enumerate(value):
            child = validate(element, rule.items)
            if isinstance(child, dict):
                items.append({"arrayIndex": index, **child})
        return items or None
    return None


def merge(target: Annotated, extra: Annotated) -> Annotated:
    """Deep-merge two annotated error trees (used to add semantic errors)."""
    for key, val in extra.items():
        if key not in target:
            target[key] = val
        elif key == "errors" and isinstance(val, list):
            target[key] = [*target[key], *val]
        elif isinstance(val, dict) and isinstance(target[key], dict):
            merge(target[key], val)
        elif isinstance(val, list) and isinstance(target[key], list):
            by_index = {item["arrayIndex"]: item for item in target[key]}
            for item in val:
                if item["arrayIndex"] in by_index:
                    merge(by_index[item["arrayIndex"]], item)
                else:
                    target[key].append(item)
            target[key].sort(key=lambda item: item["arrayIndex"])
    return target
