"""e-conomic's escaping of values: inside `?filter=` predicates (economic.md §1.7), and of
identifiers in URL paths (§1.2)."""

from urllib.parse import quote

_FILTER_ESCAPES = [("$", "$$"), ("(", "$("), (")", "$)"), ("*", "$*"), (",", "$,")]


def filter_value(value: str) -> str:
    """Escape a value for `?filter=field$eq:<value>`; `[` and `]` are sent raw (not honoured)."""
    for char, replacement in _FILTER_ESCAPES:
        value = value.replace(char, replacement)
    return value


# §1.2: these characters become `_<index>_` in a path identifier; the rest is URL-encoded.
_PATH_SPECIALS = ["<", ">", "*", "%", ":", "&", "/", "\\", "_", " ", "?", ".", "#", "+"]


def path_id(identifier: str) -> str:
    """An identifier (a product number) as one URL path segment: `GET /products/{it}`."""
    replaced = "".join(
        f"_{_PATH_SPECIALS.index(c)}_" if c in _PATH_SPECIALS else c for c in identifier
    )
    return quote(replaced, safe="_-~")
