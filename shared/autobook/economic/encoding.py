"""e-conomic's escaping of values inside `?filter=` predicates (economic.md §1.7)."""

_FILTER_ESCAPES = [("$", "$$"), ("(", "$("), (")", "$)"), ("*", "$*"), (",", "$,")]


def filter_value(value: str) -> str:
    """Escape a value for `?filter=field$eq:<value>`; `[` and `]` are sent raw (not honoured)."""
    for char, replacement in _FILTER_ESCAPES:
        value = value.replace(char, replacement)
    return value
