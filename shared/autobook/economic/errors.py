"""e-conomic HTTP failures -> autobook's error vocabulary. The one place that reads error bodies."""

from typing import Any

from autobook.domain.errors import ErrorCode, KnownError

# Codes seen in the annotated errors of a draft POST (economic.md §1.4; E07060 assumed for barred).
_PRODUCT_MISSING = {"E06000"}
_PRODUCT_BARRED = {"E07060"}
_ACCOUNTING_YEAR = {"E04190"}


class EconomicHttpError(Exception):
    """An e-conomic answer autobook did not expect to succeed; carries the parsed body."""

    def __init__(self, status: int, body: dict[str, Any], *, method: str, path: str) -> None:
        self.status = status
        self.body = body
        self.method = method
        self.path = path
        message = body.get("message") or body.get("developerHint") or ""
        super().__init__(f"e-conomic {method} {path} -> {status}: {message}")


class EconomicNotFoundError(EconomicHttpError):
    pass


def _line_errors(body: dict[str, Any]) -> list[tuple[int, str, str, str]]:
    """(arrayIndex, field path, errorCode, value) for every annotated line error."""
    found: list[tuple[int, str, str, str]] = []
    errors = body.get("errors")
    lines = errors.get("lines") if isinstance(errors, dict) else None
    if not isinstance(lines, list):
        return found
    for line in lines:
        if not isinstance(line, dict):
            continue
        index = int(line.get("arrayIndex", -1))
        for path, leaf in _walk(line, ""):
            for err in leaf:
                value = err.get("value")
                code = str(err.get("errorCode", ""))
                found.append((index, path, code, "" if value is None else str(value)))
    return found


def _walk(node: dict[str, Any], prefix: str) -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in node.items():
        if key == "errors" and isinstance(value, list):
            out.append((prefix, value))
        elif isinstance(value, dict):
            out.extend(_walk(value, f"{prefix}.{key}" if prefix else key))
    return out


def translate_draft_rejection(
    error: EconomicHttpError, *, order_id: str, product_numbers: list[str], invoice_date: str
) -> KnownError:
    """Turn a 400 on POST /invoices/drafts into the known error the owner can act on."""
    missing: list[str] = []
    barred: list[str] = []
    for index, path, code, value in _line_errors(error.body):
        if not path.startswith("product"):
            continue
        number = value or (product_numbers[index] if 0 <= index < len(product_numbers) else "?")
        if code in _PRODUCT_BARRED:
            barred.append(f"{number} (linje {index + 1})")
        elif code in _PRODUCT_MISSING:
            missing.append(f"{number} (linje {index + 1})")
    if missing:
        return KnownError(ErrorCode.PRODUCT_MISSING, order_id=order_id, products=", ".join(missing))
    if barred:
        return KnownError(ErrorCode.PRODUCT_BARRED, order_id=order_id, products=", ".join(barred))
    return translate_rejection(error, order_id=order_id, invoice_date=invoice_date)


def translate_rejection(
    error: EconomicHttpError, *, order_id: str, invoice_date: str
) -> KnownError:
    codes = _all_codes(error.body)
    if codes & _ACCOUNTING_YEAR:
        return KnownError(ErrorCode.ACCOUNTING_YEAR_MISSING, order_id=order_id, date=invoice_date)
    if codes & _PRODUCT_BARRED:
        return KnownError(ErrorCode.PRODUCT_BARRED, order_id=order_id, products="?")
    return KnownError(ErrorCode.ECONOMIC_REJECTED, order_id=order_id, detail=_summary(error.body))


def _all_codes(body: dict[str, Any]) -> set[str]:
    codes = {str(body["errorCode"])} if body.get("errorCode") else set()

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if "errorCode" in node:
                codes.add(str(node["errorCode"]))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(body.get("errors"))
    return codes


def _summary(body: dict[str, Any]) -> str:
    messages: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if "message" in node and "errorCode" in node:
                messages.append(str(node["message"]))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(body.get("errors"))
    return "; ".join(dict.fromkeys(messages)) or str(body.get("message", "validation error"))
