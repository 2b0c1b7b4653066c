"""Shop-written texts with `{placeholder}`s: checked when the shop is saved, filled safely.

The language is deliberately tiny: `{name}` where name is one of the placeholders the text
offers, `{{` and `}}` for literal braces, nothing else — no attributes, no indexes, no format
specs. `check` names the first problem in Danish and English; `fill` never raises (what it
cannot read renders as it was written), so a text can never crash a mail at send time.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z_]+$")

# What the buyer mail's subject and body may use.
MAIL_PLACEHOLDERS = frozenset(
    {
        "shop_name",
        "buyer_name",
        "order_id",
        "order_date",
        "invoice_number",
        "total",
        "due_date",
        "payment_terms",
    }
)
# What the invoice's heading and text lines may use.
INVOICE_PLACEHOLDERS = frozenset(
    {
        "order_id",
        "reference",
        "customer_comment",
        "reference_number",
        "shop_name",
        "customer_name",
        "order_date",
        "transaction_number",
        "payment_method",
        "shipping_method",
    }
)


@dataclass(frozen=True)
class TemplateProblem:
    da: str
    en: str

    def __str__(self) -> str:
        return self.en


def check(text: str, allowed: Collection[str]) -> TemplateProblem | None:
    """The first problem in `text`, or None when every placeholder is one of `allowed`."""
    offered = ", ".join("{" + name + "}" for name in sorted(allowed))
    for match in _TOKEN.finditer(text):
        found = match.group(0)
        if found in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            return TemplateProblem(
                da=f"En enkelt {found!r} ved tegn {match.start() + 1}: skriv {found * 2} for at "
                "vise tegnet selv.",
                en=f"A lone {found!r} at character {match.start() + 1}: write {found * 2} to "
                "show the character itself.",
            )
        if not _NAME.match(name) or name not in allowed:
            return TemplateProblem(
                da=f"Ukendt felt {found}. Mulige felter: {offered}.",
                en=f"Unknown placeholder {found}. Available: {offered}.",
            )
    return None


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with its placeholders filled; an unknown one stays as written."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in ("{{", "}}"):
            return found[0]
        name = match.group(1)
        if name is not None and name in values:
            return values[name]
        return found

    return _TOKEN.sub(replace, text)
