"""An e-conomic rejection -> the catalogue error the owner can act on (pure).

Codes are those seen in e-conomic's annotated validation errors (economic.md §1.4). E07060
(barred product) and E04190 (no accounting year) are assumed; the sandbox uses the same.
"""

from autobook.domain.books import FieldProblem, Rejection
from autobook.domain.errors import ErrorCode, KnownError

NOT_FOUND = "E06000"
PRODUCT_BARRED = "E07060"
CUSTOMER_BARRED = "E07050"
NO_ACCOUNTING_YEAR = "E04190"

# What a not-found on a field means, in Danish and English (the value is appended).
_NOT_FOUND_FIELD = {
    "customer": ("debitoren findes ikke i e-conomic", "the customer does not exist in e-conomic"),
    "paymentTerms": (
        "betalingsbetingelsen findes ikke i e-conomic",
        "the payment terms do not exist in e-conomic",
    ),
    "layout": ("layoutet findes ikke i e-conomic", "the layout does not exist in e-conomic"),
    "recipient.vatZone": (
        "momszonen findes ikke i e-conomic",
        "the VAT zone does not exist in e-conomic",
    ),
}
_KNOWN_CODES = {
    CUSTOMER_BARRED: ("debitoren er spærret i e-conomic", "the customer is barred in e-conomic"),
    "E04042": (
        "betalingsbetingelsen kræver en forfaldsdato",
        "the payment terms require a due date",
    ),
    "E07180": (
        "betalingsbetingelsens type passer ikke til fakturaen",
        "the payment terms type does not match the invoice",
    ),
}


def _line_label(problem: FieldProblem, product_numbers: list[str]) -> str:
    index = problem.line_index
    in_range = index is not None and 0 <= index < len(product_numbers)
    number = problem.value or (product_numbers[index] if in_range and index is not None else "?")
    return number


def _lines(problem: FieldProblem) -> tuple[str, str]:
    if problem.line_index is None:
        return "", ""
    return f"linje {problem.line_index + 1}", f"line {problem.line_index + 1}"


def _products(problems: list[FieldProblem], product_numbers: list[str]) -> tuple[str, str, str]:
    numbers = list(dict.fromkeys(_line_label(p, product_numbers) for p in problems))
    da = ", ".join(filter(None, dict.fromkeys(_lines(p)[0] for p in problems)))
    en = ", ".join(filter(None, dict.fromkeys(_lines(p)[1] for p in problems)))
    return ", ".join(numbers), da, en


def translate(
    rejection: Rejection, *, order_id: str, product_numbers: list[str], invoice_date: str
) -> KnownError:
    """The known error for a rejected draft, booking or credit note of `order_id`."""
    product = [p for p in rejection.problems if p.path.startswith("product")]
    missing = [p for p in product if p.code == NOT_FOUND]
    barred = [p for p in product if p.code == PRODUCT_BARRED]
    for code, found in ((ErrorCode.PRODUCT_MISSING, missing), (ErrorCode.PRODUCT_BARRED, barred)):
        if found:
            numbers, lines_da, lines_en = _products(found, product_numbers)
            return KnownError(
                code,
                order_id=order_id,
                products=numbers,
                detail_da=f"(Ordrens {lines_da}.) " if lines_da else "",
                detail_en=f"(The order's {lines_en}.) " if lines_en else "",
            )
    if NO_ACCOUNTING_YEAR in rejection.codes:
        return KnownError(ErrorCode.ACCOUNTING_YEAR_MISSING, order_id=order_id, date=invoice_date)
    if PRODUCT_BARRED in rejection.codes:
        return KnownError(ErrorCode.PRODUCT_BARRED, order_id=order_id, products="?")
    currency = [p for p in rejection.problems if p.path == "currency" and p.code == NOT_FOUND]
    if currency:
        return KnownError(
            ErrorCode.CURRENCY_UNKNOWN,
            order_id=order_id,
            currency=currency[0].value or "?",
            reason_da=" (valutaen findes ikke i e-conomic)",
            reason_en=" (the currency does not exist in e-conomic)",
        )
    da, en = _explain(rejection)
    return KnownError(ErrorCode.ECONOMIC_REJECTED, order_id=order_id, detail_da=da, detail_en=en)


def _explain(rejection: Rejection) -> tuple[str, str]:
    """Each problem in plain Danish and English; e-conomic's own words, quoted, where the
    code is not one autobook knows."""
    da: list[str] = []
    en: list[str] = []
    for problem in rejection.problems:
        value = f" ({problem.value})" if problem.value else ""
        known = (
            _NOT_FOUND_FIELD.get(problem.path) if problem.code == NOT_FOUND else None
        ) or _KNOWN_CODES.get(problem.code)
        if known:
            da.append(known[0] + value)
            en.append(known[1] + value)
        else:
            quoted = f"«{problem.message or problem.code}»"
            da.append(f"feltet {problem.path or '?'}: {quoted}{value}")
            en.append(f"field {problem.path or '?'}: {quoted}{value}")
    if not da:
        quoted = f"«{rejection.message or rejection.status}»"
        return f"e-conomic svarede {quoted}.", f"e-conomic answered {quoted}."
    return "; ".join(dict.fromkeys(da)) + ".", "; ".join(dict.fromkeys(en)) + "."
