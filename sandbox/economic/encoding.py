"""e-conomic's special-character encoding of identifiers in URLs (economic.md §1.2)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_CHARS = ["<", ">", "*", "%", ":", "&", "/", "\\", "_", " ", "?", ".", "#", "+"]
_CODE = re.compile(r"_(1[0-3]|[0-9])_")


def encode_id(identifier: str) -> str:
    """Replace special characters with ``_N_`` codes, then URL-encode the rest."""
    replaced = "".join(f"_{_CHARS.index(c)}_" if c in _CHARS else c for c in identifier)
    return quote(replaced, safe="_-~")


def decode_id(segment: str) -> str:
    """Inverse of :func:`encode_id` for one raw (still percent-encoded) path segment."""
    return _CODE.sub(lambda m: _CHARS[int(m.group(1))], unquote(segment))
