"""The Webshop SOAP client: session, projection, pagination, the single-object habit, and
faults translated to autobook's errors, against the sandbox's request handling in-process."""

import logging
from datetime import datetime

import httpx
import pytest

from autobook.dandomain.webshop_client import (
    ORDER_FIELDS,
    PAGE_SIZE,
    WebshopClient,
    WebshopProtocolError,
)
from autobook.domain.errors import ErrorCode, KnownError, TransientError
from sandbox.webshop import WebshopState, seed_demo_orders
from tests.unit.webshop.in_process import ENDPOINT, Intercept, http_client

USER, PASSWORD = "api-user", "pw-Æ-9f2c1d"
START, END = datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59)


@pytest.fixture
def state() -> WebshopState:
    state = WebshopState()
    seed_demo_orders(state.add_shop(USER, PASSWORD), count=40)
    return state


def client(
    state: WebshopState, intercept: Intercept | None = None, password: str = PASSWORD
) -> WebshopClient:
    return WebshopClient(
        endpoint=ENDPOINT, username=USER, password=password, http=http_client(state, intercept)
    )


def test_given_a_fresh_client_when_an_order_is_read_then_it_logs_in_and_projects_first(
    state: WebshopState,
) -> None:
    order = client(state).order(2001)

    assert order.customer is not None
    assert order.order_lines
    assert state.operations() == [
        "Solution_Connect",
        "Solution_SetLanguage",
        "Order_SetFields",
        "Order_SetOrderLineFields",
        "Order_GetById",
    ]
    assert state.requests[2].params["Fields"] == ORDER_FIELDS


def test_given_a_session_when_more_orders_are_read_then_it_logs_in_and_projects_once(
    state: WebshopState,
) -> None:
    webshop = client(state)
    for order_id in (2001, 2002, 2003):
        webshop.order(order_id)

    assert state.operations().count("Solution_Connect") == 1
    assert state.operations().count("Order_SetFields") == 1


def test_given_reference_reads_when_no_order_is_read_then_no_projection_is_chosen(
    state: WebshopState,
) -> None:
    webshop = client(state)

    webshop.sites()
    webshop.delivery_countries()

    assert "Order_SetFields" not in state.operations()


def test_given_an_expired_session_when_called_then_it_logs_in_again_and_projects_again(
    state: WebshopState,
) -> None:
    webshop = client(state)
    webshop.order(2001)
    state.expire_sessions()

    order = webshop.order(2002)

    assert order.customer is not None
    assert state.operations().count("Solution_Connect") == 2
    assert state.operations().count("Order_SetFields") == 2


def test_given_the_service_forgot_the_projection_when_read_then_it_is_chosen_again(
    state: WebshopState,
) -> None:
    webshop = client(state)
    webshop.order(2001)
    state.forget_projections()

    order = webshop.order(2002)

    assert order.order_lines
    assert state.operations().count("Order_SetFields") == 2
    assert state.operations().count("Solution_Connect") == 1


def test_given_a_wrong_password_when_called_then_access_is_refused_without_the_password(
    state: WebshopState, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    webshop = client(state, password="wrong-Æ-secret")

    with pytest.raises(KnownError) as caught:
        webshop.order(2001)

    assert caught.value.code == ErrorCode.DANDOMAIN_ACCESS
    for text in (str(caught.value), caught.value.text.en, repr(webshop), caplog.text):
        assert "wrong-Æ-secret" not in text
    assert all(r.params.get("Password") == "***" for r in state.requests if r.params)


def test_given_connect_answers_false_when_called_then_access_is_refused() -> None:
    from sandbox.webshop.soap import result

    def refuse(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(200, content=result("Solution_Connect", False))

    with pytest.raises(KnownError) as caught:
        client(WebshopState(), refuse).sites()
    assert caught.value.code == ErrorCode.DANDOMAIN_ACCESS


def test_given_an_unknown_order_when_read_then_it_is_order_not_found(state: WebshopState) -> None:
    with pytest.raises(KnownError) as caught:
        client(state).order(999999)

    assert caught.value.code == ErrorCode.ORDER_NOT_FOUND
    assert caught.value.parameters["order_id"] == "999999"


def test_given_a_nil_result_when_an_order_is_read_then_it_is_order_not_found(
    state: WebshopState,
) -> None:
    from sandbox.webshop.soap import result

    def nil(request: httpx.Request) -> httpx.Response | None:
        if b"Order_GetById>" in request.content or b":Order_GetById" in request.content:
            return httpx.Response(200, content=result("Order_GetById", None))
        return None

    with pytest.raises(KnownError) as caught:
        client(state, nil).order(2001)
    assert caught.value.code == ErrorCode.ORDER_NOT_FOUND


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_given_a_bare_http_error_when_called_then_it_is_transient(
    state: WebshopState, status: int
) -> None:
    state.fail_next(1, status)

    with pytest.raises(TransientError):
        client(state).sites()


def test_given_a_timeout_when_called_then_it_is_transient_and_timeouts_are_set(
    state: WebshopState,
) -> None:
    seen: list[dict[str, float | None]] = []

    def slow(request: httpx.Request) -> httpx.Response | None:
        seen.append(request.extensions["timeout"])
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TransientError, match="timeout"):
        client(state, slow).sites()
    assert seen
    assert all(value is not None for value in seen[0].values())


def test_given_a_non_xml_answer_when_called_then_it_is_transient(state: WebshopState) -> None:
    def html(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(200, text="<html><body>Maintenance<br></body>")

    with pytest.raises(TransientError):
        client(state, html).sites()


def test_given_http_401_when_called_then_access_is_refused(state: WebshopState) -> None:
    def refused(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(401, text="Unauthorized")

    with pytest.raises(KnownError) as caught:
        client(state, refused).sites()
    assert caught.value.code == ErrorCode.DANDOMAIN_ACCESS


def test_given_a_fault_on_a_fresh_session_when_called_then_it_is_a_protocol_error(
    state: WebshopState,
) -> None:
    webshop = client(state)
    webshop.sites()
    state.fault_next(2, "Internal error in Sites_GetAll")

    with pytest.raises(WebshopProtocolError, match="Internal error"):
        webshop.sites()
    assert state.operations().count("Solution_Connect") == 2  # one retry on a new login


def test_given_a_long_window_when_listed_then_every_page_is_read_with_status_sent() -> None:
    state = WebshopState()
    shop = state.add_shop(USER, PASSWORD)
    ids = seed_demo_orders(shop, count=PAGE_SIZE * 2 + 30)

    orders = client(state).orders_updated(START, END, [3, 100])

    pages = [r for r in state.requests if r.operation == "Order_GetByDateUpdatedWithPagination"]
    assert [r.params["Page"] for r in pages] == ["1", "2", "3"]
    assert all(r.params["Status"] == "3,100" for r in pages)
    wanted = {i for i in ids if int(shop.orders[i]["Status"]) in (3, 100)}
    assert {o.id for o in orders} == wanted


def test_given_no_states_when_listed_then_status_is_still_sent_as_nil(state: WebshopState) -> None:
    orders = client(state).orders_updated(START, END, [])

    (page,) = [r for r in state.requests if r.operation.endswith("WithPagination")]
    assert "Status" in page.params
    assert page.params["Status"] is None
    assert len(orders) == 40


def test_given_pages_that_do_not_advance_when_listed_then_it_stops_with_an_error(
    state: WebshopState,
) -> None:
    shop = state.shop(USER)
    assert shop is not None
    seed_demo_orders(shop, count=PAGE_SIZE + 5, start_id=5001)
    from sandbox.webshop import app

    original = app.HANDLERS["Order_GetByDateUpdatedWithPagination"]

    def stuck(st, session, sh, params):  # type: ignore[no-untyped-def]
        return original(st, session, sh, {**params, "Page": "1"})

    app.HANDLERS["Order_GetByDateUpdatedWithPagination"] = stuck
    try:
        with pytest.raises(WebshopProtocolError, match="does not advance"):
            client(state).orders_updated(START, END, [])
    finally:
        app.HANDLERS["Order_GetByDateUpdatedWithPagination"] = original


def test_given_one_order_in_the_window_when_listed_then_the_bare_object_is_one_order(
    state: WebshopState,
) -> None:
    assert state.single_as_object
    start = datetime(2026, 3, 25, 0, 0)
    one = client(state).orders_updated(start, start.replace(hour=23, minute=59), [])

    assert len(one) >= 1
    assert all(order.order_lines is not None for order in one)


def test_given_single_element_arrays_when_read_then_lines_and_lists_are_lists() -> None:
    state = WebshopState()
    shop = state.add_shop(USER, PASSWORD)
    seed_demo_orders(shop, count=40)
    shop.sites = shop.sites[:1]

    webshop = client(state)
    order = webshop.order(2001)  # one line, one transaction: both bare objects on the wire

    assert order.order_lines is not None
    assert len(order.order_lines) == 1
    assert len(order.transactions) == 1
    assert [s.id for s in webshop.sites()] == [1]


def test_given_payment_methods_when_read_then_gateway_credentials_never_arrive(
    state: WebshopState,
) -> None:
    webshop = client(state)

    methods = webshop.payment_methods()

    assert methods
    assert not any("Gateway" in str(m.model_dump()) for m in methods)
    assert "gateway-secret" not in repr(methods)


def test_given_two_shops_on_one_http_client_when_called_then_sessions_never_mix() -> None:
    state = WebshopState()
    seed_demo_orders(state.add_shop("shop-a", "pa"), count=30)
    seed_demo_orders(state.add_shop("shop-b", "pb"), count=30, start_id=7001)
    http = http_client(state)
    a = WebshopClient(endpoint=ENDPOINT, username="shop-a", password="pa", http=http)
    b = WebshopClient(endpoint=ENDPOINT, username="shop-b", password="pb", http=http)

    assert a.order(2001).id == 2001
    assert b.order(7001).id == 7001
    assert a.order(2002).id == 2002
    with pytest.raises(KnownError):
        b.order(2001)  # shop B's session never sees shop A's orders


def test_given_the_client_when_it_runs_then_it_never_asks_for_another_encoding(
    state: WebshopState,
) -> None:
    webshop = client(state)
    webshop.order(2001)
    webshop.orders_updated(START, END, [3])

    assert "Solution_SetEncoding" not in state.operations()
