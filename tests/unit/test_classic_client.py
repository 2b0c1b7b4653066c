"""Dandomain Classic client: the API key (in the URL path) never leaks; status mapping; paging.
Every call goes to an httpx.MockTransport; no socket is opened."""

import copy
import json
import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from autobook.dandomain.classic_client import ClassicClient
from autobook.domain.errors import ErrorCode, KnownError, TransientError

pytestmark = pytest.mark.disable_socket

API_KEY = "3f1c9a7e-5b2d-4c8e-9a1f-0d6e7b8c9a2b"
BASE = "https://shop.dandomain.test"
FIXTURE = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / "dandomain-fixtures"
    / "classic-v1"
    / "api-response-order.e59924f.json"
)

Handler = Callable[[httpx.Request], httpx.Response]


def _order_json(order_id: int = 295591) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["id"] = order_id
    return data


def _client(handler: Handler) -> ClassicClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ClassicClient(base_url=BASE + "/", api_key=API_KEY, http=http)


def _status(status: int) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=f"error page for {request.url}")

    return handler


def _raise(exc: type[Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(f"failed {request.url}", request=request)  # type: ignore[call-arg]

    return handler


def _chain(exc: BaseException) -> str:
    """What a log of the exception shows: the traceback with every (unsuppressed) cause."""
    text = "".join(traceback.format_exception(exc))
    if isinstance(exc, KnownError):
        text += exc.text.da + exc.text.en + repr(exc.text.parameters)
    return text


def test_given_order_when_fetched_then_key_in_path_and_order_parsed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_order_json(1001))

    order = _client(handler).get_order("1001")
    assert order.id == 1001
    assert seen[0].url.path == f"/admin/WEBAPI/Endpoints/v1_0/OrderService/{API_KEY}/1001"
    assert seen[0].headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    "exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.ConnectError, httpx.RemoteProtocolError]
)
def test_given_network_failure_when_fetching_then_transient_without_the_key(
    exc: type[Exception],
) -> None:
    with pytest.raises(TransientError) as caught:
        _client(_raise(exc)).get_order("1001")
    assert API_KEY not in _chain(caught.value)
    assert "OrderService/***/1001" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 429, 400])
def test_given_error_status_when_fetching_then_transient_without_the_key(status: int) -> None:
    with pytest.raises(TransientError) as caught:
        _client(_status(status)).get_order("1001")
    assert API_KEY not in _chain(caught.value)
    assert f"HTTP {status}" in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_given_key_rejected_when_fetching_then_dandomain_access_without_the_key(
    status: int,
) -> None:
    with pytest.raises(KnownError) as caught:
        _client(_status(status)).get_order("1001")
    assert caught.value.code == ErrorCode.DANDOMAIN_ACCESS
    assert API_KEY not in _chain(caught.value)


def test_given_unknown_order_when_fetching_then_order_not_found() -> None:
    with pytest.raises(KnownError) as caught:
        _client(_status(404)).get_order("999999")
    assert caught.value.code == ErrorCode.ORDER_NOT_FOUND
    assert caught.value.text.parameters["order_id"] == "999999"
    assert API_KEY not in _chain(caught.value)


def test_given_404_on_a_listing_when_polled_then_transient_without_the_key() -> None:
    with pytest.raises(TransientError) as caught:
        _client(_status(404)).country_codes()
    assert API_KEY not in _chain(caught.value)


def test_given_more_than_one_page_when_polling_modified_then_every_page_fetched() -> None:
    total = 230
    pages: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        pages.append(params)
        assert request.url.path.endswith(f"OrderService/{API_KEY}/GetByModifiedInterval")
        index, size = int(params["pageIndex"]), int(params["pageSize"])
        ids = range(1 + (index - 1) * size, min(total, index * size) + 1)
        return httpx.Response(200, json=[_order_json(i) for i in ids])

    orders = _client(handler).orders_modified(
        datetime(2026, 3, 1, 0, 0), datetime(2026, 3, 2, 12, 30, 5), state_id=3
    )
    assert [o.id for o in orders] == list(range(1, total + 1))
    assert [p["pageIndex"] for p in pages] == ["1", "2", "3"]
    assert all(p["start"] == "2026-03-01T00:00:00" for p in pages)
    assert all(p["end"] == "2026-03-02T12:30:05" for p in pages)
    assert all(p["orderstateid"] == "3" for p in pages)


def test_given_exactly_a_full_page_when_polling_then_asks_for_the_next_and_stops() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        index = request.url.params["pageIndex"]
        calls.append(index)
        return httpx.Response(
            200, json=[_order_json(i) for i in range(100)] if index == "1" else []
        )

    orders = _client(handler).orders_modified(datetime(2026, 3, 1), datetime(2026, 3, 2))
    assert len(orders) == 100
    assert calls == ["1", "2"]


def test_given_no_state_filter_when_polling_then_no_orderstateid_param() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "orderstateid" not in request.url.params
        return httpx.Response(200, json=[])

    assert _client(handler).orders_modified(datetime(2026, 3, 1), datetime(2026, 3, 2)) == []


def test_given_failure_on_second_page_when_polling_then_transient_without_the_key() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["pageIndex"] == "2":
            return httpx.Response(503)
        return httpx.Response(200, json=[_order_json(i) for i in range(100)])

    with pytest.raises(TransientError) as caught:
        _client(handler).orders_modified(datetime(2026, 3, 1), datetime(2026, 3, 2))
    assert API_KEY not in _chain(caught.value)


def test_given_countries_when_fetched_then_only_two_letter_codes() -> None:
    countries = [
        {"id": 2397, "code": "dk"},
        {"id": 101, "isoCode": "DE"},
        {"id": 5, "code": ""},
        {"id": 6, "code": "DNK"},
        {"name": "no id", "code": "SE"},
    ]
    client = _client(lambda request: httpx.Response(200, json=countries))
    assert client.country_codes() == {2397: "DK", 101: "DE"}


def test_given_client_when_printed_then_key_not_in_repr() -> None:
    client = _client(_status(200))
    assert API_KEY not in repr(client)


def test_given_http_logging_at_info_when_fetching_then_api_key_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = _client(lambda request: httpx.Response(200, json=_order_json(1001)))
    with caplog.at_level(logging.INFO):
        client.get_order("1001")
    assert API_KEY not in caplog.text
