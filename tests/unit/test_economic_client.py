"""e-conomic adapter (`EconomicBooks`): HTTP status -> autobook's error vocabulary, headers,
Decimal amounts, typed answers. Every call goes to an httpx.MockTransport; no socket is opened."""

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from autobook.domain.books import Rejection
from autobook.domain.errors import (
    ErrorCode,
    KnownError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
)
from autobook.domain.invoice import (
    CustomerRef,
    DraftInvoice,
    InvoiceLine,
    LayoutRef,
    PaymentTermsRef,
    ProductRef,
    Recipient,
    References,
    VatZoneRef,
)
from autobook.economic.client import EconomicBooks
from autobook.economic.retry import RetryPolicy

pytestmark = pytest.mark.disable_socket

APP_SECRET = "app-secret-token-abc"
GRANT = "grant-token-xyz"
BASE = "https://restapi.e-conomic.test"

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, retry: RetryPolicy | None = None) -> EconomicBooks:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return EconomicBooks(
        base_url=BASE + "/",
        app_secret_token=APP_SECRET,
        grant_token=GRANT,
        http=http,
        **({"retry": retry} if retry else {}),
    )


def _draft(*lines: InvoiceLine) -> DraftInvoice:
    return DraftInvoice(
        date=dt.date(2026, 3, 2),
        currency="DKK",
        customer=CustomerRef(customer_number=1),
        payment_terms=PaymentTermsRef(payment_terms_number=1),
        layout=LayoutRef(layout_number=19),
        recipient=Recipient(name="Karen", vat_zone=VatZoneRef(vat_zone_number=1)),
        references=References(other="S-1001"),
        lines=lines,
    )


def _line(unit_net_price: str, discount: str | None = None) -> InvoiceLine:
    return InvoiceLine(
        line_number=1,
        sort_key=1,
        product=ProductRef(product_number="P1"),
        description="Kaffe",
        quantity=Decimal("3"),
        unit_net_price=Decimal(unit_net_price),
        discount_percentage=Decimal(discount) if discount else None,
    )


def _answer(status: int, body: object = None, headers: dict[str, str] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body if body is not None else {}, headers=headers)

    return handler


def _raise(exc: type[Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)  # type: ignore[call-arg]

    return handler


def _post(client: EconomicBooks) -> object:
    return client.create_draft(_draft(), idempotency_key="autobook-draft-1")


def _get(client: EconomicBooks) -> object:
    return client.booked(7)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("call", [_post, _get], ids=["post", "get"])
def test_given_access_refused_when_called_then_known_error_economic_access(
    status: int, call: Callable[[EconomicBooks], object]
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
    call: Callable[[EconomicBooks], object],
) -> None:
    handler = _answer(429, {"message": "Too many"}, headers={"Retry-After": "17"})
    with pytest.raises(RateLimitedError) as caught:
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


def test_given_404_when_a_number_is_read_then_none() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(404, json={"message": "Resource not found.", "httpStatusCode": 404})

    books = _client(handler)
    assert books.draft(99) is None
    assert books.booked(98) is None
    assert seen == ["/invoices/drafts/99", "/invoices/booked/98"]


def test_given_404_when_a_draft_is_deleted_then_done_already() -> None:
    books = _client(_answer(404, {"message": "Resource not found."}))
    books.delete_draft(99, idempotency_key="autobook-delete-99")


def test_given_404_when_a_draft_is_booked_then_rejection_404() -> None:
    with pytest.raises(Rejection) as caught:
        _client(_answer(404, {"message": "Resource not found."})).book_draft(
            99, idempotency_key="k"
        )
    assert caught.value.status == 404


def test_given_400_when_called_then_parsed_rejection() -> None:
    body = {"message": "Validation error", "errors": {"date": {"errors": [{"errorCode": "E1"}]}}}
    with pytest.raises(Rejection) as caught:
        _post(_client(_answer(400, body)))
    assert caught.value.status == 400
    assert caught.value.codes == {"E1"}
    assert caught.value.message == "Validation error"
    assert caught.value.operation == "POST /invoices/drafts"
    assert APP_SECRET not in str(caught.value)


def test_given_a_passing_5xx_on_a_write_when_retried_then_the_same_idempotency_key() -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            return httpx.Response(503, json={"message": "Unavailable"})
        return httpx.Response(201, json={"draftInvoiceNumber": 5})

    retry = RetryPolicy(max_attempts=3, sleep=lambda _: None)
    draft = _client(handler, retry).create_draft(_draft(), idempotency_key="autobook-draft-3")
    assert draft.draft_number == 5
    assert keys == ["autobook-draft-3", "autobook-draft-3"]


def test_given_429_when_retrying_then_not_retried_in_process() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, headers={"Retry-After": "3"})

    retry = RetryPolicy(max_attempts=3, sleep=lambda _: None)
    with pytest.raises(RateLimitedError):
        _get(_client(handler, retry))
    assert len(calls) == 1  # the queue waits the Retry-After, not this process


def test_given_post_when_sent_then_idempotency_key_and_both_auth_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"draftInvoiceNumber": 5, "grossAmount": 125})

    draft = _client(handler).create_draft(_draft(), idempotency_key="autobook-draft-9")
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == BASE + "/invoices/drafts"
    assert request.headers["Idempotency-Key"] == "autobook-draft-9"
    assert request.headers["X-AppSecretToken"] == APP_SECRET
    assert request.headers["X-AgreementGrantToken"] == GRANT
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == _draft().to_body()
    assert draft.draft_number == 5
    assert draft.gross == Decimal("125")


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
    assert booked.booked_number == 12
    assert booked.is_booked


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
        b'"customer": {"customerNumber": 44},'
        b'"lines": [{"product": {"productNumber": "P1"}, "unitNetPrice": 159.2}]}'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=raw, headers={"Content-Type": "application/json"})

    draft = _client(handler).create_draft(_draft(), idempotency_key="k")
    assert draft.gross == Decimal("1234567.89")
    assert str(draft.gross) == "1234567.89"
    assert draft.net + draft.vat == Decimal("0.3")
    assert draft.reference == "S-1001"
    assert draft.customer_number == 44
    assert draft.lines is not None
    (line,) = draft.lines
    assert (line.product_number, line.unit_net_price) == ("P1", Decimal("159.2"))


def test_given_two_decimal_floats_in_body_when_sent_then_json_text_is_exact() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(201, json={"draftInvoiceNumber": 1})

    _client(handler).create_draft(_draft(_line("159.2", "0.1")), idempotency_key="k")
    sent = json.loads(seen[0], parse_float=Decimal)
    assert sent["lines"][0]["unitNetPrice"] == Decimal("159.2")
    assert sent["lines"][0]["discountPercentage"] == Decimal("0.1")


def test_given_reference_with_filter_chars_when_searched_then_escaped_filter() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"collection": [{"bookedInvoiceNumber": 3}]})

    found = _client(handler).booked_with_reference("SHOP(1),2$")
    assert [f.booked_number for f in found] == [3]
    assert seen[0].url.params["filter"] == "references.other$eq:SHOP$(1$)$,2$$"


def test_given_pdf_when_downloaded_then_raw_bytes() -> None:
    pdf = b"%PDF-1.4 fake"

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/invoices/booked/12/pdf"
        return httpx.Response(200, content=pdf, headers={"Content-Type": "application/pdf"})

    assert _client(handler).booked_pdf(12) == pdf
