"""Invoice texts: per-shop templates, cut to e-conomic's field limits on a word boundary."""

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


def join_nonempty(parts: tuple[str, ...] | list[str], sep: str) -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())
