"""Every catalogue code has an owner text in Danish and in English, each pure in its own
language, with no placeholder left unfilled (pure)."""

import re
import string

import pytest

from autobook.domain.errors import _TEXTS, ErrorCode, describe
from autobook.domain.resume import RESUMES, Resume

pytestmark = pytest.mark.disable_socket

# Words that give a language away (names such as e-conomic and Dandomain are neither).
ENGLISH = {
    "the",
    "and",
    "order",
    "invoice",
    "retry",
    "replay",
    "please",
    "with",
    "not",
    "is",
    "draft",
    "customer",
    "product",
    "booked",
    "fix",
    "check",
    "mapped",
    "by",
    "itself",
}
DANISH = {
    "og",
    "ordre",
    "faktura",
    "prøv",
    "ikke",
    "kunde",
    "vare",
    "kladde",
    "igen",
    "af",
    "er",
    "til",
    "har",
    "bogført",
    "kobl",
    "sig",
    "selv",
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sample(code: ErrorCode) -> dict[str, str]:
    da, en = _TEXTS[code]
    values: dict[str, str] = {}
    for name in _placeholders(da) | _placeholders(en):
        if name.endswith("_da"):
            values[name] = "dansk forklaring"
        elif name.endswith("_en"):
            values[name] = "an explanation"
        else:
            values[name] = "X-17"
    return values


def _words(text: str) -> set[str]:
    text = re.sub(r"«[^»]*»", " ", text)  # quoted words of e-conomic are quotes
    return {w.casefold() for w in re.findall(r"[^\W\d_]+(?:'[a-z]+)?", text)}


@pytest.mark.parametrize("code", list(ErrorCode))
def test_given_a_code_when_described_then_pure_danish_and_pure_english(code: ErrorCode) -> None:
    text = describe(code, _sample(code))
    assert "{" not in text.da
    assert "{" not in text.en
    assert not _words(text.da) & ENGLISH, text.da
    assert not _words(text.en) & DANISH, text.en


@pytest.mark.parametrize("code", list(ErrorCode))
def test_given_a_text_promising_to_resume_then_the_code_resumes_by_itself(code: ErrorCode) -> None:
    text = describe(code, _sample(code))
    promises = "by itself" in text.en
    assert promises == (
        RESUMES[code] in (Resume.MAPPING, Resume.RECHECK, Resume.DANDOMAIN, Resume.PAUSE)
    )
