"""Word-list checks that a Danish text has no English in it and an English text no Danish.

Product names (e-conomic, Dandomain, autobook) and the values of an error are allowed in both;
the lists hold words that mean something only in the other language."""

import re
from collections.abc import Iterable

ENGLISH_ONLY = frozenset(
    [
        "the",
        "and",
        "order",
        "orders",
        "invoice",
        "invoices",
        "product",
        "products",
        "payment",
        "method",
        "methods",
        "mapping",
        "map",
        "mapped",
        "replay",
        "retry",
        "please",
        "click",
        "fee",
        "fees",
        "discount",
        "customer",
        "buyer",
        "setup",
        "settings",
        "check",
        "create",
        "open",
        "account",
        "year",
        "access",
        "key",
        "error",
        "errors",
        "is",
        "are",
        "not",
        "with",
        "of",
        "your",
        "you",
        "this",
        "that",
        "was",
        "were",
        "has",
        "been",
        "will",
        "shipping",
        "draft",
        "booked",
        "booking",
    ]
)
DANISH_ONLY = frozenset(
    [
        "og",
        "ikke",
        "ordre",
        "ordren",
        "ordrer",
        "faktura",
        "fakturaen",
        "fakturaer",
        "vare",
        "varen",
        "varer",
        "varenummer",
        "betaling",
        "betalingsmetoden",
        "kunde",
        "kunden",
        "kundens",
        "køber",
        "køberen",
        "gebyr",
        "gebyret",
        "rabat",
        "momszone",
        "opret",
        "kobl",
        "koblingen",
        "genkør",
        "prøv",
        "igen",
        "regnskabsår",
        "regnskabsåret",
        "fejl",
        "fejlen",
        "du",
        "der",
        "det",
        "er",
        "har",
        "til",
        "fra",
        "af",
        "på",
        "med",
        "som",
        "eller",
        "fx",
        "også",
        "skal",
        "ingen",
        "alle",
        "siden",
        "bogført",
        "bogføringen",
        "kladde",
        "kladden",
    ]
)
_WORD = re.compile(r"[a-zæøå]+", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_LATIN_ABBREVIATIONS = ("e.g.", "i.e.", "etc.")


def foreign_words(text: str, language: str, *, values: Iterable[str] = ()) -> set[str]:
    """The words in `text` that belong to the other language (empty when the text is pure).
    Format placeholders and the given `values` (the error's own data) are not read."""
    text = _PLACEHOLDER.sub("", text)
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    words = {w.lower() for w in _WORD.findall(text)}
    found = words & (ENGLISH_ONLY if language == "da" else DANISH_ONLY)
    found |= {a for a in _LATIN_ABBREVIATIONS if a in text.lower()}
    if language == "en":
        found |= {c for c in "æøåÆØÅ" if c in text}
    return found
