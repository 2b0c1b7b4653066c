"""e-conomic's own escaping of identifiers in URLs and of values in filters."""

from urllib.parse import quote

# Applied before normal URL encoding (economic.md §1.2). "_" must go first: it is the escape char.
_ID_REPLACEMENTS = [
    ("_", "_8_"),
    ("<", "_0_"),
    (">", "_1_"),
    ("*", "_2_"),
    ("%", "_3_"),
    (":", "_4_"),
    ("&", "_5_"),
    ("/", "_6_"),
    ("\\", "_7_"),
    (" ", "_9_"),
    ("?", "_10_"),
    (".", "_11_"),
    ("#", "_12_"),
    ("+", "_13_"),
]


def encode_identifier(identifier: str) -> str:
    for char, replacement in _ID_REPLACEMENTS:
        identifier = identifier.replace(char, replacement)
    return quote(identifier, safe="")


_FILTER_ESCAPES = [("$", "$$"), ("(", "$("), (")", "$)"), ("*", "$*"), (",", "$,")]


def filter_value(value: str) -> str:
    """Escape a value for `?filter=field$eq:<value>`; `[` and `]` are sent raw (not honoured)."""
    for char, replacement in _FILTER_ESCAPES:
        value = value.replace(char, replacement)
    return value
