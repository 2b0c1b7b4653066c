"""e-conomic legacy REST client (httpx). Knows HTTP, headers, idempotency keys and status codes.

Status handling: 401/403 -> ECONOMIC_ACCESS (shop-wide); 429 -> TransientError with Retry-After;
5xx or a timeout on a write -> UnknownOutcomeError (the caller must look before re-creating);
400 -> EconomicHttpError for the caller to translate; 404 -> EconomicNotFoundError.
"""

import json
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from autobook.domain.errors import ErrorCode, KnownError, TransientError, UnknownOutcomeError
from autobook.economic.encoding import filter_value
from autobook.economic.errors import EconomicHttpError, EconomicNotFoundError
from autobook.economic.models import AgreementSelf, Customer, InvoiceResponse
from autobook.economic.retry import NO_RETRY, RetryPolicy

_WRITES = {"POST", "PUT", "DELETE"}


class EconomicClient:
    def __init__(
        self,
        *,
        base_url: str,
        app_secret_token: str,
        grant_token: str,
        http: httpx.Client,
        retry: RetryPolicy = NO_RETRY,
    ) -> None:
        self._retry = retry
        self._base = base_url.rstrip("/")
        self._headers = {
            "X-AppSecretToken": app_secret_token,
            "X-AgreementGrantToken": grant_token,
        }
        self._http = http

    # -- reference data -------------------------------------------------------------------
    def agreement(self) -> AgreementSelf:
        body = self._json("GET", "/self")
        settings = body.get("settings") or {}
        return AgreementSelf(base_currency=str(settings.get("baseCurrency", "DKK")))

    # -- customers ------------------------------------------------------------------------
    def find_customer(self, field: str, value: str) -> Customer | None:
        body = self._json(
            "GET", "/customers", params={"filter": f"{field}$eq:{filter_value(value)}"}
        )
        found = body.get("collection") or []
        return Customer.model_validate(found[0]) if found else None

    def create_customer(self, body: dict[str, Any], *, idempotency_key: str) -> Customer:
        return Customer.model_validate(
            self._json("POST", "/customers", body=body, idempotency_key=idempotency_key)
        )

    # -- invoices -------------------------------------------------------------------------
    def create_draft(self, body: dict[str, Any], *, idempotency_key: str) -> InvoiceResponse:
        answer = self._json("POST", "/invoices/drafts", body=body, idempotency_key=idempotency_key)
        return InvoiceResponse.from_json(answer)

    def find_drafts(self, reference: str) -> list[InvoiceResponse]:
        return self._find("/invoices/drafts", reference)

    def find_booked(self, reference: str) -> list[InvoiceResponse]:
        return self._find("/invoices/booked", reference)

    def get_draft(self, number: int) -> InvoiceResponse:
        return InvoiceResponse.from_json(self._json("GET", f"/invoices/drafts/{number}"))

    def book_draft(self, draft_number: int, *, idempotency_key: str) -> InvoiceResponse:
        body = {"draftInvoice": {"draftInvoiceNumber": draft_number}}
        answer = self._json("POST", "/invoices/booked", body=body, idempotency_key=idempotency_key)
        return InvoiceResponse.from_json(answer)

    def get_booked(self, number: int) -> InvoiceResponse:
        return InvoiceResponse.from_json(self._json("GET", f"/invoices/booked/{number}"))

    def booked_pdf(self, number: int) -> bytes:
        response = self._send("GET", f"/invoices/booked/{number}/pdf", accept=None)
        return response.content

    # -- plumbing -------------------------------------------------------------------------
    def _find(self, path: str, reference: str) -> list[InvoiceResponse]:
        query = {"filter": f"references.other$eq:{filter_value(reference)}", "pagesize": "100"}
        body = self._json("GET", path, params=query)
        return [InvoiceResponse.from_json(item) for item in body.get("collection") or []]

    def _json(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        response = self._send(
            method, path, body=body, params=params, idempotency_key=idempotency_key
        )
        parsed: dict[str, Any] = json.loads(response.content or b"{}", parse_float=Decimal)
        return parsed

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        # GETs are safe to repeat; writes are, because they always carry an Idempotency-Key.
        if method in _WRITES and not kwargs.get("idempotency_key"):
            return self._send_once(method, path, **kwargs)
        return self._retry.call(lambda: self._send_once(method, path, **kwargs))

    def _send_once(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
        accept: str | None = "application/json",
    ) -> httpx.Response:
        headers = dict(self._headers)
        if accept:
            headers["Accept"] = accept
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body, ensure_ascii=False).encode()
        url = self._base + path
        if params:
            url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
        try:
            response = self._http.request(method, url, headers=headers, content=content)
        except httpx.TimeoutException as exc:
            raise self._unreachable(method, path, "timeout") from exc
        except httpx.TransportError as exc:
            raise self._unreachable(method, path, type(exc).__name__) from exc
        if response.status_code < 300:
            return response
        raise self._failure(method, path, response)

    @staticmethod
    def _unreachable(method: str, path: str, what: str) -> TransientError:
        message = f"e-conomic {method} {path}: {what}"
        return UnknownOutcomeError(message) if method in _WRITES else TransientError(message)

    @staticmethod
    def _failure(method: str, path: str, response: httpx.Response) -> Exception:
        status = response.status_code
        try:
            body = json.loads(response.content or b"{}", parse_float=Decimal)
        except ValueError:
            body = {"message": response.text[:200]}
        if not isinstance(body, dict):
            body = {"message": str(body)[:200]}
        if status in (401, 403):
            detail = f"HTTP {status} {body.get('errorCode', '')} {body.get('message', '')}".strip()
            return KnownError(ErrorCode.ECONOMIC_ACCESS, detail=detail)
        if status == 429:
            retry_after = _seconds(response.headers.get("Retry-After"))
            return TransientError(
                f"e-conomic {method} {path}: 429", retry_after_seconds=retry_after
            )
        if status >= 500:
            message = f"e-conomic {method} {path}: HTTP {status}"
            return UnknownOutcomeError(message) if method in _WRITES else TransientError(message)
        if status == 404:
            return EconomicNotFoundError(status, body, method=method, path=path)
        return EconomicHttpError(status, body, method=method, path=path)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
