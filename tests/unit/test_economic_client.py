"""e-conomic client: HTTP status -> autobook's error vocabulary, headers, Decimal amounts.
Every call goes to an httpx.MockTransport; no socket is opened."""

import json
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from autobook.domain.errors import ErrorCode, KnownError, TransientError, UnknownOutcomeError
from autobook.economic.client import EconomicClient
from autobook.economic.errors import EconomicHttpError, EconomicNotFoundError

pytestmark = pytest.mark.disable_socket

APP_SECRET = "app-secret-token-abc"
GRANT = "grant-token-xyz"
BASE = "https://restapi.e-conomic.test"

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler) -> EconomicClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return EconomicClient(
        base_url=BASE + "/", app_secret_token=APP_SECRET, grant_token=GRANT, http=http
    )


def _answer(status: int, body: object = None, headers: dict[str, str] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body if body is not None else {}, headers=headers)

    return handler


def _raise(exc: type[Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    return handler


def _post(client: EconomicClient) -> object:
    return client.create_draft({"currency": "DKK"}, idempotency_key="autobook-draft-1")


def _get(client: EconomicClient) -> object:
    return client.get_booked(7)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("call", [_post, _get], ids=["post", "get"])
def test_given_access_refused_when_called_then_known_error_economic_access(
    status: int, call: Callable[[EconomicClient], object]
) -> None:
    body = {"message": "Not authorized", "errorCode": "E02250"}
    with pytest.raises(KnownError) as caught:
        call(_client(_answer(status, body)))
    assert caught.value.code == ErrorCode.ECONOMIC_ACCESS
    assert str(status) in caught.value.text.en
    assert APP_SECRET not in str(caught.value)
    assert GRANT not in str(caught.value)


@pytest.mark.parametrize("call", [_post, _get], ids=["post", "get"])
def test_given_429_with_retry_after_when_called_then_transient_with_seconds(
    call: Callable[[EconomicClient], object],
) -> None:
    handler = _answer(429, {"message": "Too many"}, headers={"Retry-After": "17"})
    with pytest.raises(TransientError) as caught:
        call(_client(handler))
    assert caught.value.retry_after_seconds == 17.0
    # throttled = not processed: no need to look before retrying
    assert not isinstance(caught.value, UnknownOutcomeError)


def test_given_429_without_retry_after_when_called_then_transient_without_seconds() -> None:
    with pytest.raises(TransientError) as caught:
        _get(_client(_answer(429)))
    assert caught.value.retry_after_seconds is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_given_5xx_on_post_when_called_then_unknown_outcome(status: int) -> None:
    with pytest.raises(UnknownOutcomeError):
        _post(_client(_answer(status, {"message": "Internal"})))


@pytest.mark.parametrize("status", [500, 503])
def test_given_5xx_on_get_when_called_then_transient_not_unknown_outcome(status: int) -> None:
    with pytest.raises(TransientError) as caught:
        _get(_client(_answer(status)))
    assert not isinstance(caught.value, UnknownOutcomeError)


def test_given_5xx_with_html_body_when_called_then_still_mapped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad gateway</html>")

    with pytest.raises(UnknownOutcomeError):
        _post(_client(handler))


@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.WriteTimeout])
def test_given_timeout_on_post_when_called_then_unknown_outcome(exc: type[Exception]) -> None:
    with pytest.raises(UnknownOutcomeError):
        _post(_client(_raise(exc)))


def test_given_timeout_on_book_when_called_then_unknown_outcome() -> None:
    with pytest.raises(UnknownOutcomeError):
        _client(_raise(httpx.ReadTimeout)).book_draft(3, idempotency_key="k")


def test_given_timeout_on_get_when_called_then_transient_not_unknown_outcome() -> None:
    with pytest.raises(TransientError) as caught:
        _get(_client(_raise(httpx.ReadTimeout)))
    assert not isinstance(caught.value, UnknownOutcomeError)


def test_given_connection_refused_on_post_when_called_then_unknown_outcome() -> None:
    with pytest.raises(UnknownOutcomeError):
        _post(_client(_raise(httpx.ConnectError)))


def test_given_404_when_called_then_not_found_error_with_body() -> None:
    body = {"message": "Resource not found.", "httpStatusCode": 404}
    with pytest.raises(EconomicNotFoundError) as caught:
        _client(_answer(404, body)).get_draft(99)
    assert caught.value.status == 404
    assert caught.value.body["message"] == "Resource not found."
    assert caught.value.path == "/invoices/drafts/99"


def test_given_400_when_called_then_http_error_not_not_found() -> None:
    body = {"message": "Validation error", "errors": {"date": {"errors": [{"errorCode": "E1"}]}}}
    with pytest.raises(EconomicHttpError) as caught:
        _post(_client(_answer(400, body)))
    assert not isinstance(caught.value, EconomicNotFoundError)
    assert caught.value.status == 400
    assert caught.value.body == body


def test_given_post_when_sent_then_idempotency_key_and_both_auth_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"draftInvoiceNumber": 5, "grossAmount": 125})

    draft = _client(handler).create_draft({"currency": "DKK"}, idempotency_key="autobook-draft-9")
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == BASE + "/invoices/drafts"
    assert request.headers["Idempotency-Key"] == "autobook-draft-9"
    assert request.headers["X-AppSecretToken"] == APP_SECRET
    assert request.headers["X-AgreementGrantToken"] == GRANT
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"currency": "DKK"}
    assert draft.draft_invoice_number == 5


def test_given_book_when_sent_then_draft_number_in_body_and_key_in_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"bookedInvoiceNumber": 12, "grossAmount": "10.00"})

    booked = _client(handler).book_draft(5, idempotency_key="autobook-book-5")
    (request,) = seen
    assert request.url.path == "/invoices/booked"
    assert json.loads(request.content) == {"draftInvoice": {"draftInvoiceNumber": 5}}
    assert request.headers["Idempotency-Key"] == "autobook-book-5"
    assert booked.booked_invoice_number == 12


def test_given_get_when_sent_then_auth_headers_and_no_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"bookedInvoiceNumber": 7})

    _get(_client(handler))
    (request,) = seen
    assert request.method == "GET"
    assert "Idempotency-Key" not in request.headers
    assert request.headers["X-AppSecretToken"] == APP_SECRET
    assert request.headers["X-AgreementGrantToken"] == GRANT


def test_given_money_in_answer_when_parsed_then_exact_decimal() -> None:
    raw = (
        b'{"draftInvoiceNumber": 1, "netAmount": 0.1, "vatAmount": 0.2, '
        b'"grossAmount": 1234567.89, "references": {"other": "S-1001"},'
        b'"lines": [{"totalNetAmount": 159.2}]}'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=raw, headers={"Content-Type": "application/json"})

    draft = _client(handler).create_draft({}, idempotency_key="k")
    assert draft.gross_amount == Decimal("1234567.89")
    assert str(draft.gross_amount) == "1234567.89"
    assert draft.net_amount + draft.vat_amount == Decimal("0.3")
    assert draft.reference == "S-1001"
    assert draft.raw["lines"][0]["totalNetAmount"] == Decimal("159.2")  # type: ignore[index]


def test_given_two_decimal_floats_in_body_when_sent_then_json_text_is_exact() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(201, json={"draftInvoiceNumber": 1})

    _client(handler).create_draft(
        {"lines": [{"unitNetPrice": 159.2, "quantity": 3, "discountPercentage": 0.1}]},
        idempotency_key="k",
    )
    sent = json.loads(seen[0], parse_float=Decimal)
    assert sent["lines"][0]["unitNetPrice"] == Decimal("159.2")
    assert sent["lines"][0]["discountPercentage"] == Decimal("0.1")


def test_given_reference_with_filter_chars_when_searched_then_escaped_filter() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"collection": [{"bookedInvoiceNumber": 3}]})

    found = _client(handler).find_booked("SHOP(1),2$")
    assert [f.booked_invoice_number for f in found] == [3]
    assert seen[0].url.params["filter"] == "references.other$eq:SHOP$(1$)$,2$$"


def test_given_pdf_when_downloaded_then_raw_bytes() -> None:
    pdf = b"%PDF-1.4 fake"

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/invoices/booked/12/pdf"
        return httpx.Response(200, content=pdf, headers={"Content-Type": "application/pdf"})

    assert _client(handler).booked_pdf(12) == pdf
