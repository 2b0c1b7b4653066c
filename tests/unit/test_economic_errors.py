"""e-conomic error bodies -> known errors the owner can act on (pure)."""

from typing import Any

import pytest

from autobook.domain.errors import ErrorCode
from autobook.economic.errors import (
    EconomicHttpError,
    translate_draft_rejection,
    translate_rejection,
)

pytestmark = pytest.mark.disable_socket


def _annotation(code: str, message: str, value: object) -> dict[str, Any]:
    return {
        "errors": [{"errorCode": code, "message": message, "value": value, "developerHint": "hint"}]
    }


def _line_error(index: int, code: str, value: object, message: str = "x") -> dict[str, Any]:
    return {"arrayIndex": index, "product": {"productNumber": _annotation(code, message, value)}}


def _error(body: dict[str, Any], status: int = 400) -> EconomicHttpError:
    return EconomicHttpError(status, body, method="POST", path="/invoices/drafts")


def _validation(lines: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "message": "Validation error.",
        "errorCode": "E04300",
        "httpStatusCode": 400,
        "errors": {"lines": lines, **more},
    }


PRODUCTS = ["TS-ORG-001", "UDGAAET-4711", "KAF.ESP.500", "GAMMEL-1"]


def _translate(body: dict[str, Any]) -> Any:
    return translate_draft_rejection(
        _error(body), order_id="1011", product_numbers=PRODUCTS, invoice_date="2026-03-02"
    )


def test_given_one_missing_product_when_translated_then_product_missing_naming_it() -> None:
    error = _translate(_validation([_line_error(1, "E06000", "UDGAAET-4711", "Not found")]))
    assert error.code == ErrorCode.PRODUCT_MISSING
    assert error.text.parameters["order_id"] == "1011"
    assert "UDGAAET-4711 (linje 2)" in error.text.parameters["products"]
    assert "UDGAAET-4711" in error.text.en
    assert "UDGAAET-4711" in error.text.da


def test_given_several_missing_products_when_translated_then_every_line_listed() -> None:
    body = _validation(
        [_line_error(1, "E06000", "UDGAAET-4711"), _line_error(3, "E06000", "GAMMEL-1")]
    )
    error = _translate(body)
    assert error.code == ErrorCode.PRODUCT_MISSING
    assert error.text.parameters["products"] == "UDGAAET-4711 (linje 2), GAMMEL-1 (linje 4)"


def test_given_annotation_without_value_when_translated_then_number_from_the_line_index() -> None:
    line = _line_error(2, "E06000", None)
    del line["product"]["productNumber"]["errors"][0]["value"]
    body = _validation([line])
    assert _translate(body).text.parameters["products"] == "KAF.ESP.500 (linje 3)"


def test_given_annotation_with_null_value_when_translated_then_number_from_the_line_index() -> None:
    body = _validation([_line_error(2, "E06000", None)])
    assert _translate(body).text.parameters["products"] == "KAF.ESP.500 (linje 3)"


def test_given_barred_products_when_translated_then_product_barred_listing_every_line() -> None:
    body = _validation(
        [_line_error(0, "E07060", "TS-ORG-001"), _line_error(2, "E07060", "KAF.ESP.500")]
    )
    error = _translate(body)
    assert error.code == ErrorCode.PRODUCT_BARRED
    assert error.text.parameters["products"] == "TS-ORG-001 (linje 1), KAF.ESP.500 (linje 3)"
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
    error = translate_rejection(_error(body), order_id="1001", invoice_date="2027-01-02")
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
    error = translate_rejection(_error(body), order_id="1001", invoice_date="2026-03-02")
    assert error.code == ErrorCode.ECONOMIC_REJECTED
    detail = error.text.parameters["detail"]
    assert "Payment terms type does not match." in detail
    assert "Due date is required." in detail


def test_given_body_without_errors_when_translated_then_rejected_with_top_message() -> None:
    error = translate_rejection(
        _error({"message": "Something odd"}), order_id="1", invoice_date="2026-03-02"
    )
    assert error.code == ErrorCode.ECONOMIC_REJECTED
    assert "Something odd" in error.text.en


def test_given_filter_error_array_when_translated_then_rejected_not_crash() -> None:
    body = {"message": "Filter error", "errors": ["Filtering is not allowed on property 'x'."]}
    error = _translate(body)
    assert error.code == ErrorCode.ECONOMIC_REJECTED


def test_given_http_error_when_printed_then_message_has_status_and_path() -> None:
    text = str(_error({"message": "Validation error."}))
    assert "POST /invoices/drafts -> 400" in text
    assert "Validation error." in text
