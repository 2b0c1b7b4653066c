"""e-conomic's legacy error body (economic.md §1.4) and the exception carrying it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

VALIDATION_HINT = "Inspect validation errors and correct your request."


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        hint: str = "",
        *,
        error_code: str | None = None,
        errors: Any = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.error_code = error_code
        self.errors = errors
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self, now: datetime) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message": self.message,
            "developerHint": self.hint,
            "logId": f"{uuid.uuid4().hex[:16]}-CPH",
            "httpStatusCode": self.status,
            "logTime": now.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        if self.error_code is not None:
            body["errorCode"] = self.error_code
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def validation_error(errors: dict[str, Any]) -> ApiError:
    return ApiError(400, "Validation error.", VALIDATION_HINT, errors=errors)


def not_found(error_code: str | None = None) -> ApiError:
    hint = "The resource does not exist or the identifier is wrong."
    return ApiError(404, "Resource not found.", hint, error_code=error_code)


def annotation(code: str, message: str, value: Any, hint: str | None = None) -> dict[str, Any]:
    """One annotated error node: ``{"errors": [ {...} ]}``."""
    item = {
        "errorCode": code,
        "message": message,
        "value": value,
        "developerHint": hint or "Inspect the property value and correct your request.",
    }
    return {"errors": [item]}
