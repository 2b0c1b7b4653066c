"""Fix steps: every catalogue code has numbered steps in Danish and English, pure in each
language, with the error's own values, and says what brings the order on afterwards."""

import pytest

from autobook.domain.errors import SHOP_WIDE, ErrorCode
from autobook.domain.fix_steps import (
    REMEDIES,
    Remedy,
    fix_steps,
    merged_parameters,
    title,
)
from autobook.domain.shop import Language
from autobook.notify.owner_mail_texts import MAIL_TEXTS
from autobook.owner_page.texts import FORBIDDEN_TEXTS, PAGE_TEXTS
from tests.language_purity import foreign_words
from tests.owner_fakes import SAMPLE_PARAMETERS

pytestmark = pytest.mark.disable_socket

LANGUAGES = [Language.DA, Language.EN]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_given_any_code_when_steps_are_made_then_they_are_pure_and_complete(
    code: ErrorCode, language: Language
) -> None:
    steps = fix_steps(code, SAMPLE_PARAMETERS[code], language)
    texts = [*steps.steps, steps.afterwards, title(code, language)]
    assert steps.steps, code
    assert all(t.strip() for t in texts)
    assert not any("…" in t for t in texts), "a sample value is missing from the steps"
    for text in texts:
        assert not foreign_words(text, language, values=SAMPLE_PARAMETERS[code].values()), (
            code,
            text,
        )


def test_given_the_catalogue_then_every_code_has_a_remedy_and_samples() -> None:
    assert set(REMEDIES) == set(ErrorCode)
    assert set(SAMPLE_PARAMETERS) == set(ErrorCode)
    assert all(REMEDIES[code] == Remedy.AUTOMATIC for code in SHOP_WIDE)
    assert REMEDIES[ErrorCode.MAIL_FAILED] == Remedy.RESEND
    assert REMEDIES[ErrorCode.ORDER_CANCELLED_AFTER_BOOKING] == Remedy.NONE
    assert REMEDIES[ErrorCode.ORDER_CHANGED_AFTER_BOOKING] == Remedy.CHOICE


@pytest.mark.parametrize(
    ("code", "values"),
    [
        (ErrorCode.PAYMENT_METHOD_UNMAPPED, ["MobilePay", "id 17", "id 12"]),
        (ErrorCode.PRODUCT_MISSING, ["SKU-4711"]),
        (ErrorCode.PRODUCT_BARRED, ["SKU-0815"]),
        (ErrorCode.FEE_UNMAPPED, ["GLS", "9"]),
        (ErrorCode.DISCOUNT_UNMAPPED, ["SPRING10"]),
        (ErrorCode.VAT_ZONE_UNKNOWN, ["Atlantis"]),
        (ErrorCode.TOTALS_MISMATCH, ["1250.25", "1249.00", "1.25 DKK", "314"]),
        (ErrorCode.ACCOUNTING_YEAR_MISSING, ["2027-01-02"]),
        (ErrorCode.ORDER_CHANGED_AFTER_BOOKING, ["20419", "500.00 → 450.00"]),
        (ErrorCode.MAIL_FAILED, ["20420"]),
        (ErrorCode.ECONOMIC_REJECTED, ["(99)"]),
        (ErrorCode.CURRENCY_UNKNOWN, ["XYZ"]),
        (ErrorCode.CUSTOMER_UNMAPPED, ["2"]),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_given_an_error_when_steps_are_made_then_they_name_its_values(
    code: ErrorCode, values: list[str], language: Language
) -> None:
    text = " ".join(fix_steps(code, SAMPLE_PARAMETERS[code], language).steps)
    for value in values:
        assert value in text, (code, value)


def test_given_a_new_payment_method_id_when_steps_are_made_then_they_say_move_the_mapping() -> None:
    renamed = fix_steps(
        ErrorCode.PAYMENT_METHOD_UNMAPPED,
        SAMPLE_PARAMETERS[ErrorCode.PAYMENT_METHOD_UNMAPPED],
        Language.DA,
    )
    plain = fix_steps(
        ErrorCode.PAYMENT_METHOD_UNMAPPED,
        {"order_id": "1", "method_id": "17", "method_name": "MobilePay"},
        Language.DA,
    )
    assert "Flyt koblingen fra id 12 til id 17" in " ".join(renamed.steps)
    assert "Flyt" not in " ".join(plain.steps)


def test_given_the_buyers_field_when_steps_are_made_then_it_is_named_in_the_language() -> None:
    parameters = {**SAMPLE_PARAMETERS[ErrorCode.CUSTOMER_INVALID], "field": "email"}
    assert (
        "e-mailadresse" in fix_steps(ErrorCode.CUSTOMER_INVALID, parameters, Language.DA).steps[0]
    )
    assert (
        "e-mail address" in fix_steps(ErrorCode.CUSTOMER_INVALID, parameters, Language.EN).steps[0]
    )


def test_given_a_missing_value_when_steps_are_made_then_a_placeholder_stands_in() -> None:
    steps = fix_steps(ErrorCode.PRODUCT_BARRED, {"order_id": "9", "products": "?"}, Language.EN)
    assert "product …" in steps.steps[0]


def test_given_many_errors_of_one_code_when_merged_then_each_value_appears_once() -> None:
    merged = merged_parameters(
        [
            {"order_id": "1", "products": "A, B"},
            {"order_id": "2", "products": "B"},
            {"order_id": "3", "products": "C"},
        ]
    )
    assert merged == {"order_id": "1, 2, 3", "products": "A, B, C"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_given_the_mail_and_page_words_then_each_is_pure_in_its_language(
    language: Language,
) -> None:
    for text in [*MAIL_TEXTS[language].values(), *PAGE_TEXTS[language].values()]:
        assert not foreign_words(text, language), text


def test_given_the_forbidden_page_then_each_half_is_pure() -> None:
    for lang, heading, text in FORBIDDEN_TEXTS:
        assert not foreign_words(f"{heading} {text}", lang)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kobl betalingsmetoden og tryk retry.", "da"),
        ("Check the order, fx the product.", "en"),
        ("Map the fee, e.g. shipping.", "en"),
        ("Open the invoice på e-conomic.", "en"),
    ],
)
def test_given_a_mixed_text_when_checked_then_the_foreign_word_is_found(
    text: str, language: str
) -> None:
    assert foreign_words(text, language)
