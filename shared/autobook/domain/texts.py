"""Invoice texts: per-shop templates, cut to e-conomic's field limits on a word boundary."""

from collections.abc import Mapping
from string import Formatter

ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    """Whitespace-trimmed `text`, at most `limit` characters, cut on a word boundary.

    A cut text ends in "…". The word boundary is used when it keeps at least 60 % of the
    room; otherwise (one very long word) the word itself is cut.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    cut = text[: limit - 1]
    boundary = max(cut.rfind(" "), cut.rfind("\n"))
    if boundary >= limit * 0.6:
        cut = cut[:boundary]
    return cut.rstrip() + ELLIPSIS


def truncate_or_none(text: str, limit: int) -> str | None:
    """As `truncate`, but None for an empty result (e-conomic rejects nulls; we omit them)."""
    return truncate(text, limit) or None


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill `{name}` placeholders; unknown ones render empty. Values are never re-parsed."""
    parts: list[str] = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append(values.get(field, ""))
    return "".join(parts).strip()


def join_nonempty(parts: tuple[str, ...] | list[str], sep: str) -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())
