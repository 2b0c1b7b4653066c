"""ASGI app: faults, auth, token bucket, idempotency cache and call log around the handlers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from json import JSONDecodeError

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.economic.errors import ApiError
from sandbox.economic.faults import Fault
from sandbox.economic.handlers import Ctx, Resp, route
from sandbox.economic.jsonio import dumps, loads
from sandbox.economic.state import Agreement, CachedResponse, CallRecord, EconomicState

IDEMPOTENCY_TTL = timedelta(hours=1)
WRITE_METHODS = ("POST", "PUT", "DELETE")
_FAULT_MESSAGES = {
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    agreement: Agreement | None = None
    from_cache: bool = False


def _error(state: EconomicState, err: ApiError) -> Answer:
    body = dumps(err.body(state.clock()))
    return Answer(err.status, body, {"Content-Type": "application/json", **err.headers})


def _fault_error(state: EconomicState, status: int) -> Answer:
    message = _FAULT_MESSAGES.get(status, "Error.")
    return _error(state, ApiError(status, message, "Injected sandbox fault; retry later."))


def _authenticate(state: EconomicState, request: Request) -> Agreement:
    secret = request.headers.get("x-appsecrettoken")
    grant = request.headers.get("x-agreementgranttoken")
    if not secret or not grant:
        hint = "Supply X-AppSecretToken and X-AgreementGrantToken headers."
        raise ApiError(401, "Unauthorized access.", hint)
    agreement = state.agreements.get(grant)
    if secret != state.app_secret_token or agreement is None:
        hint = "The AppSecretToken and AgreementGrantToken do not match a granted agreement."
        raise ApiError(
            401, "AppSecretToken does not correspond to the token.", hint, error_code="E02250"
        )
    return agreement


def _parse_body(request: Request, raw: bytes) -> object:
    if not raw:
        return None
    content_type = request.headers.get("content-type", "application/json")
    if "json" not in content_type:
        raise ApiError(415, "Unsupported media type.", "Send the body as application/json.")
    try:
        return loads(raw)
    except (JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "Invalid JSON.", "The request body is not valid JSON.") from None


def _handle(state: EconomicState, request: Request, raw_path: str, raw: bytes) -> Answer:
    """Auth → token bucket → idempotency cache → handler (synchronous, under the state lock)."""
    method = request.method
    try:
        agreement = _authenticate(state, request)
    except ApiError as err:
        return _error(state, err)
    retry_after = agreement.bucket.take(1)
    if retry_after is not None:
        limited = ApiError(
            429,
            "Too many requests.",
            "The token bucket of the agreement is empty; retry after Retry-After seconds.",
            headers={"Retry-After": str(retry_after)},
        )
        answer = _error(state, limited)
        answer.agreement = agreement
        return answer
    key = request.headers.get("idempotency-key") if method in WRITE_METHODS else None
    now = state.clock()
    if key is not None:
        cached = agreement.idempotency.get(key)
        if cached is not None and now - cached.stored_at < IDEMPOTENCY_TTL:
            headers = {**cached.headers, "X-ResultFromCache": "true"}
            return Answer(cached.status, cached.body, headers, agreement, from_cache=True)
    segments = [s for s in raw_path.split("/") if s]
    base = str(request.base_url).rstrip("/")
    try:
        handler, params = route(method, segments)
        body = _parse_body(request, raw) if method in ("POST", "PUT") else None
        ctx = Ctx(
            agreement, method, "/" + "/".join(segments), params, request.query_params, body, base
        )
        resp: Resp = handler(ctx)
    except ApiError as err:
        answer = _error(state, err)
        answer.agreement = agreement
        return answer
    payload = resp.body if isinstance(resp.body, bytes) else dumps(resp.body)
    headers = {"Content-Type": resp.media_type, **resp.headers}
    if key is not None and 200 <= resp.status < 300:
        agreement.idempotency[key] = CachedResponse(resp.status, payload, headers, now)
    return Answer(resp.status, payload, headers, agreement)


def create_app(state: EconomicState) -> Starlette:
    async def endpoint(request: Request) -> Response:
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        raw_path = raw_path.split("?", 1)[0]
        raw = await request.body()
        with state.lock:
            fault: Fault | None = state.faults.pick(request.method, request.url.path)
            latency = state.faults.latency
        if latency:
            await asyncio.sleep(latency)
        if fault is not None and not fault.after_commit:
            await asyncio.sleep(fault.delay)
            answer = _fault_error(state, fault.status or 504)
            # The fault hits before auth: no agreement is known to the "network".
            with state.lock:
                answer.agreement = state.agreements.get(
                    request.headers.get("x-agreementgranttoken", "")
                )
        else:
            with state.lock:
                answer = _handle(state, request, raw_path, raw)
            if fault is not None:
                await asyncio.sleep(fault.delay)
                if fault.status is not None:
                    committed = answer.agreement
                    answer = _fault_error(state, fault.status)
                    answer.agreement = committed
        key = request.headers.get("idempotency-key") if request.method in WRITE_METHODS else None
        with state.lock:
            agreement = answer.agreement
            if agreement is not None:
                answer.headers["X-CallCost"] = "1"
                answer.headers["X-RateLimiting"] = agreement.bucket.header()
            record = CallRecord(request.method, raw_path, answer.status, key, answer.from_cache)
            state.calls.append(record)
            if agreement is not None:
                agreement.calls.append(record)
        media_type = answer.headers.pop("Content-Type", "application/json")
        return Response(answer.body, answer.status, answer.headers, media_type=media_type)

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])
