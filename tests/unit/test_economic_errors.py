"""e-conomic error bodies -> `Rejection` (economic.errors.parse_rejection) -> the known error the
owner can act on (domain.rejections.translate). Pure."""

from typing import Any

import pytest

from autobook.domain.books import Rejection
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.rejections import translate
from autobook.economic.errors import parse_rejection

pytestmark = pytest.mark.disable_socket


def _annotation(code: str, message: str, value: object) -> dict[str, Any]:
    return {
        "errors": [{"errorCode": code, "message": message, "value": value, "developerHint": "hint"}]
    }


def _line_error(index: int, code: str, value: object, message: str = "x") -> dict[str, Any]:
    return {"arrayIndex": index, "product": {"productNumber": _annotation(code, message, value)}}


def _error(body: dict[str, Any], status: int = 400) -> Rejection:
    return parse_rejection(status, body, operation="POST /invoices/drafts")


def _validation(lines: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "message": "Validation error.",
        "errorCode": "E04300",
        "httpStatusCode": 400,
        "errors": {"lines": lines, **more},
    }


PRODUCTS = ["TS-ORG-001", "UDGAAET-4711", "KAF.ESP.500", "GAMMEL-1"]


def _translate(body: dict[str, Any]) -> KnownError:
    return translate(
        _error(body), order_id="1011", product_numbers=PRODUCTS, invoice_date="2026-03-02"
    )


def _translate_booking(body: dict[str, Any], order_id: str, invoice_date: str) -> KnownError:
    # A booking names no lines: nothing to read product numbers from.
    return translate(_error(body), order_id=order_id, product_numbers=[], invoice_date=invoice_date)


def test_given_one_missing_product_when_translated_then_product_missing_naming_it() -> None:
    error = _translate(_validation([_line_error(1, "E06000", "UDGAAET-4711", "Not found")]))
    assert error.code == ErrorCode.PRODUCT_MISSING
    assert error.text.parameters["order_id"] == "1011"
    assert error.text.parameters["products"] == "UDGAAET-4711"
    assert error.text.parameters["detail_da"] == "(Ordrens linje 2.) "
    assert error.text.parameters["detail_en"] == "(The order's line 2.) "
    assert "UDGAAET-4711" in error.text.en
    assert "line 2" in error.text.en
    assert "UDGAAET-4711" in error.text.da
    assert "linje 2" in error.text.da


def test_given_several_missing_products_when_translated_then_every_line_listed() -> None:
    body = _validation(
        [_line_error(1, "E06000", "UDGAAET-4711"), _line_error(3, "E06000", "GAMMEL-1")]
    )
    error = _translate(body)
    assert error.code == ErrorCode.PRODUCT_MISSING
    assert error.text.parameters["products"] == "UDGAAET-4711, GAMMEL-1"
    assert "(The order's line 2, line 4.)" in error.text.en
    assert "(Ordrens linje 2, linje 4.)" in error.text.da


def test_given_annotation_without_value_when_translated_then_number_from_the_line_index() -> None:
    line = _line_error(2, "E06000", None)
    del line["product"]["productNumber"]["errors"][0]["value"]
    body = _validation([line])
    error = _translate(body)
    assert error.text.parameters["products"] == "KAF.ESP.500"
    assert "line 3" in error.text.en


def test_given_annotation_with_null_value_when_translated_then_number_from_the_line_index() -> None:
    body = _validation([_line_error(2, "E06000", None)])
    error = _translate(body)
    assert error.text.parameters["products"] == "KAF.ESP.500"
    assert "line 3" in error.text.en


def test_given_barred_products_when_translated_then_product_barred_listing_every_line() -> None:
    body = _validation(
        [_line_error(0, "E07060", "TS-ORG-001"), _line_error(2, "E07060", "KAF.ESP.500")]
    )
    error = _translate(body)
    assert error.code == ErrorCode.PRODUCT_BARRED
    assert error.text.parameters["products"] == "TS-ORG-001, KAF.ESP.500"
    assert "(The order's line 1, line 3.)" in error.text.en
    assert "(Ordrens linje 1, linje 3.)" in error.text.da
    assert "TS-ORG-001" in error.text.en
    assert "KAF.ESP.500" in error.text.en


def test_given_missing_and_barred_when_translated_then_missing_first() -> None:
    body = _validation([_line_error(0, "E07060", "TS-ORG-001"), _line_error(1, "E06000", "X")])
    assert _translate(body).code == ErrorCode.PRODUCT_MISSING


def test_given_e06000_on_other_line_field_when_translated_then_not_a_product_error() -> None:
    line = {"arrayIndex": 0, "unit": {"unitNumber": _annotation("E06000", "Unit", 9)}}
    error = _translate(_validation([line]))
    assert error.code == ErrorCode.ECONOMIC_REJECTED


def test_given_no_accounting_year_when_translated_then_accounting_year_missing() -> None:
    body = {
        "message": "Validation error.",
        "errors": {"date": _annotation("E04190", "No accounting year", "2026-03-02")},
    }
    error = _translate(body)
    assert error.code == ErrorCode.ACCOUNTING_YEAR_MISSING
    assert error.text.parameters["date"] == "2026-03-02"
    assert "2026-03-02" in error.text.en


def test_given_top_level_accounting_year_code_when_booking_rejected_then_year_missing() -> None:
    body = {"message": "No accounting year", "errorCode": "E04190"}
    error = _translate_booking(body, "1001", "2027-01-02")
    assert error.code == ErrorCode.ACCOUNTING_YEAR_MISSING
    assert "2027-01-02" in error.text.da


def test_given_unknown_validation_error_when_translated_then_rejected_with_messages() -> None:
    body = {
        "message": "Validation error.",
        "errors": {
            "paymentTerms": _annotation("E07180", "Payment terms type does not match.", 4),
            "dueDate": _annotation("E04042", "Due date is required.", None),
        },
    }
    error = _translate_booking(body, "1001", "2026-03-02")
    assert error.code == ErrorCode.ECONOMIC_REJECTED
    # Codes autobook knows are explained in each language (no English in the Danish text).
    assert error.text.parameters["detail_en"] == (
        "the payment terms type does not match the invoice (4); "
        "the payment terms require a due date."
    )
    assert error.text.parameters["detail_da"] == (
        "betalingsbetingelsens type passer ikke til fakturaen (4); "
        "betalingsbetingelsen kræver en forfaldsdato."
    )


def test_given_an_unknown_code_when_translated_then_economics_own_words_are_quoted() -> None:
    body = {
        "message": "Validation error.",
        "errors": {"currency": _annotation("E99999", "Currency is not enabled.", "XTS")},
    }
    error = _translate_booking(body, "1001", "2026-03-02")
    assert error.code == ErrorCode.ECONOMIC_REJECTED
    assert "field currency: «Currency is not enabled.» (XTS)" in error.text.en
    assert "feltet currency: «Currency is not enabled.» (XTS)" in error.text.da


def test_given_an_unknown_currency_when_translated_then_currency_unknown_naming_it() -> None:
    body = {
        "message": "Validation error.",
        "errors": {"currency": _annotation("E06000", "Currency not found.", "XTS")},
    }
    error = _translate(body)
    assert error.code == ErrorCode.CURRENCY_UNKNOWN
    assert error.text.parameters["currency"] == "XTS"
    assert "XTS" in error.text.en


def test_given_body_without_errors_when_translated_then_rejected_with_top_message() -> None:
    error = _translate_booking({"message": "Something odd"}, "1", "2026-03-02")
    assert error.code == ErrorCode.ECONOMIC_REJECTED
    assert "Something odd" in error.text.en


def test_given_filter_error_array_when_translated_then_rejected_not_crash() -> None:
    body = {"message": "Filter error", "errors": ["Filtering is not allowed on property 'x'."]}
    error = _translate(body)
    assert error.code == ErrorCode.ECONOMIC_REJECTED


def test_given_rejection_when_printed_then_message_has_status_and_operation() -> None:
    text = str(_error({"message": "Validation error."}))
    assert "POST /invoices/drafts -> 400" in text
    assert "Validation error." in text


def test_given_annotated_errors_when_parsed_then_codes_paths_values_and_lines() -> None:
    rejection = _error(
        _validation(
            [_line_error(1, "E06000", "UDGAAET-4711", "Not found")],
            date=_annotation("E04190", "No accounting year", "2026-03-02"),
        )
    )
    assert rejection.status == 400
    assert rejection.codes == {"E04300", "E06000", "E04190"}
    line, date = rejection.problems
    assert (line.path, line.code, line.value, line.line_index) == (
        "product.productNumber",
        "E06000",
        "UDGAAET-4711",
        1,
    )
    assert (date.path, date.code, date.value, date.line_index) == (
        "date",
        "E04190",
        "2026-03-02",
        None,
    )
