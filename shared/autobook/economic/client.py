"""e-conomic legacy REST (httpx): the `Books` of one agreement. Knows HTTP, headers,
Idempotency-Keys and status codes; nothing about orders.

Status handling: 401/403 -> KnownError ECONOMIC_ACCESS; 429 -> RateLimitedError (not done,
with Retry-After); 5xx or a timeout on a write -> UnknownOutcomeError (the caller must look
before writing again); other 4xx -> `Rejection` (parsed; the caller translates it with the
order's context); 404 on a read by number -> None.
"""

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from autobook.domain.books import EconomicEntry, EconomicInvoice, ProductState, Rejection
from autobook.domain.errors import (
    ErrorCode,
    KnownError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
)
from autobook.domain.invoice import DraftInvoice
from autobook.economic.encoding import filter_value, path_id
from autobook.economic.errors import parse_rejection
from autobook.economic.models import customer_number_from_json, invoice_from_json
from autobook.economic.retry import NO_RETRY, RetryPolicy

_WRITES = {"POST", "PUT", "DELETE"}
# Called with every answer's headers (X-RateLimiting, X-CallCost, Retry-After): the pacing hook.
ResponseObserver = Callable[[httpx.Headers], None]


class _NotFoundError(Exception):
    pass


_NUMBER_FIELDS = {
    "payment-terms": "paymentTermsNumber",
    "layouts": "layoutNumber",
    "vat-zones": "vatZoneNumber",
    "products": "productNumber",
    "customer-groups": "customerGroupNumber",
}
_PAGE = 1000  # e-conomic's largest page
_MAX_PAGES = 100


class EconomicBooks:
    def __init__(
        self,
        *,
        base_url: str,
        app_secret_token: str,
        grant_token: str,
        http: httpx.Client,
        retry: RetryPolicy = NO_RETRY,
        before_call: Callable[[], None] | None = None,
        observe: ResponseObserver | None = None,
    ) -> None:
        self._retry = retry
        self._base = base_url.rstrip("/")
        self._headers = {
            "X-AppSecretToken": app_secret_token,
            "X-AgreementGrantToken": grant_token,
        }
        self._http = http
        self._before_call = before_call
        self._observe = observe

    # -- reference data -------------------------------------------------------------------
    def base_currency(self) -> str:
        settings = self._json("GET", "/self").get("settings") or {}
        return str(settings.get("baseCurrency", "DKK"))

    def product(self, number: str) -> ProductState | None:
        try:
            body = self._json("GET", f"/products/{path_id(number)}")
        except _NotFoundError:
            return None
        return ProductState(number=number, barred=bool(body.get("barred")))

    def exists(self, kind: str, number: int) -> bool:
        """Whether `/{kind}/{number}` exists (layouts, vat-zones, payment-terms, ...)."""
        try:
            self._json("GET", f"/{kind}/{number}")
        except _NotFoundError:
            return False
        return True

    def entries(self, kind: str) -> list[EconomicEntry]:
        """Every entry of `/{kind}` (payment-terms, layouts, vat-zones, products), paged."""
        number_field = _NUMBER_FIELDS[kind]
        found: list[EconomicEntry] = []
        for page in range(_MAX_PAGES):
            params = {"pagesize": str(_PAGE), "skippages": str(page)}
            items = self._json("GET", f"/{kind}", params=params).get("collection") or []
            found += [
                EconomicEntry(
                    number=str(item[number_field]),
                    name=str(item.get("name") or ""),
                    barred=bool(item.get("barred")),
                    terms_type=str(item.get("paymentTermsType") or ""),
                )
                for item in items
                if number_field in item
            ]
            if len(items) < _PAGE:
                break
        return found

    def accounting_year_covers(self, day: date) -> bool:
        body = self._json("GET", "/accounting-years", params={"pagesize": "1000"})
        return any(
            date.fromisoformat(str(y["fromDate"])[:10])
            <= day
            <= date.fromisoformat(str(y["toDate"])[:10])
            for y in body.get("collection") or []
        )

    # -- customers ------------------------------------------------------------------------
    def find_customer(self, field: str, value: str) -> int | None:
        body = self._json(
            "GET", "/customers", params={"filter": f"{field}$eq:{filter_value(value)}"}
        )
        found = body.get("collection") or []
        return customer_number_from_json(found[0]) if found else None

    def create_customer(self, body: dict[str, Any], *, idempotency_key: str) -> int:
        answer = self._json("POST", "/customers", body=body, idempotency_key=idempotency_key)
        return customer_number_from_json(answer)

    # -- invoices -------------------------------------------------------------------------
    def create_draft(self, draft: DraftInvoice, *, idempotency_key: str) -> EconomicInvoice:
        answer = self._json(
            "POST", "/invoices/drafts", body=draft.to_body(), idempotency_key=idempotency_key
        )
        return invoice_from_json(answer)

    def delete_draft(self, number: int, *, idempotency_key: str) -> None:
        try:
            self._send("DELETE", f"/invoices/drafts/{number}", idempotency_key=idempotency_key)
        except _NotFoundError:
            return  # already gone: what we wanted

    def book_draft(self, number: int, *, idempotency_key: str) -> EconomicInvoice:
        body = {"draftInvoice": {"draftInvoiceNumber": number}}
        try:
            answer = self._json(
                "POST", "/invoices/booked", body=body, idempotency_key=idempotency_key
            )
        except _NotFoundError:
            raise Rejection(
                404,
                codes=frozenset({"E06000"}),
                problems=(),
                message=f"draft {number} not found",
                operation="POST /invoices/booked",
            ) from None
        return invoice_from_json(answer)

    def draft(self, number: int) -> EconomicInvoice | None:
        return self._one(f"/invoices/drafts/{number}")

    def booked(self, number: int) -> EconomicInvoice | None:
        return self._one(f"/invoices/booked/{number}")

    def drafts_with_reference(self, reference: str) -> list[EconomicInvoice]:
        return self._find("/invoices/drafts", reference)

    def booked_with_reference(self, reference: str) -> list[EconomicInvoice]:
        return self._find("/invoices/booked", reference)

    def booked_pdf(self, number: int) -> bytes:
        return self._send("GET", f"/invoices/booked/{number}/pdf", accept=None).content

    # -- plumbing -------------------------------------------------------------------------
    def _one(self, path: str) -> EconomicInvoice | None:
        try:
            return invoice_from_json(self._json("GET", path))
        except _NotFoundError:
            return None

    def _find(self, path: str, reference: str) -> list[EconomicInvoice]:
        query = {"filter": f"references.other$eq:{filter_value(reference)}", "pagesize": "100"}
        body = self._json("GET", path, params=query)
        return [invoice_from_json(item) for item in body.get("collection") or []]

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
            raise ValueError(f"e-conomic {method} {path} without an Idempotency-Key")
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
        if self._before_call:
            self._before_call()
        try:
            response = self._http.request(method, url, headers=headers, content=content)
        except httpx.TimeoutException as exc:
            raise _unreachable(method, path, "timeout") from exc
        except httpx.TransportError as exc:
            raise _unreachable(method, path, type(exc).__name__) from exc
        if self._observe:
            self._observe(response.headers)
        if response.status_code < 300:
            return response
        raise _failure(method, path, response)


def _unreachable(method: str, path: str, what: str) -> TransientError:
    message = f"e-conomic {method} {path}: {what}"
    return UnknownOutcomeError(message) if method in _WRITES else TransientError(message)


def _failure(method: str, path: str, response: httpx.Response) -> Exception:
    status = response.status_code
    try:
        body = json.loads(response.content or b"{}", parse_float=Decimal)
    except ValueError:
        body = {"message": response.text[:200]}
    if not isinstance(body, dict):
        body = {"message": str(body)[:200]}
    if status in (401, 403):
        detail = f"HTTP {status} {body.get('errorCode', '')}".strip()
        return KnownError(ErrorCode.ECONOMIC_ACCESS, detail=detail)
    if status == 429:
        return RateLimitedError(
            f"e-conomic {method} {path}: 429",
            retry_after_seconds=_seconds(response.headers.get("Retry-After")),
        )
    if status >= 500:
        message = f"e-conomic {method} {path}: HTTP {status}"
        return UnknownOutcomeError(message) if method in _WRITES else TransientError(message)
    if status == 404:
        return _NotFoundError(path)
    return parse_rejection(status, body, operation=f"{method} {path}")


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
