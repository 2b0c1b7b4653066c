"""The Webshop (HostedShop) SOAP sandbox over loopback, spoken to with hand-written envelopes:
the documented pitfalls are there, and its webhooks sign like the Webshop."""

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from autobook.dandomain.webhook import order_ids_from_payload, signature_valid
from sandbox.dandomain.webhooks import WebhookSender
from sandbox.serving import serve
from sandbox.webshop import (
    ORDER_TOPICS,
    RunningWebshopSandbox,
    WebshopShop,
    WebshopState,
    seed_demo_orders,
    send_order_webhook,
    start_webshop_sandbox,
)
from sandbox.webshop.orders import NULL_DATE

pytestmark = pytest.mark.integration

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "https://api.hostedshop.io/service.php"
USER, PASSWORD = "api-user", "Sækret-pw-1"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[WebshopState, WebshopShop, RunningWebshopSandbox]]:
    state = WebshopState()
    shop = state.add_shop(USER, PASSWORD)
    seed_demo_orders(shop)
    with start_webshop_sandbox(state) as running:
        yield state, shop, running


class Soap:
    """A hand-driven SOAP session (its own cookie)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.http = httpx.Client(timeout=10)

    def call(self, operation: str, **params: str | None) -> httpx.Response:
        parts = []
        for name, value in params.items():
            if value is None:
                parts.append(f'<{name} xsi:nil="true"/>')
            else:
                parts.append(f"<{name}>{value}</{name}>")
        envelope = (
            f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{ENV}" '
            f'xmlns:ns1="{TNS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<soap:Body><ns1:{operation}>{''.join(parts)}</ns1:{operation}></soap:Body>"
            "</soap:Envelope>"
        )
        return self.http.post(
            self.endpoint,
            content=envelope.encode(),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": operation},
        )

    def login(self) -> "Soap":
        assert self.call("Solution_Connect", Username=USER, Password=PASSWORD).status_code == 200
        return self

    def result(self, operation: str, **params: str | None) -> ET.Element:
        response = self.call(operation, **params)
        assert response.status_code == 200, response.text
        body = ET.fromstring(response.content).find(f"{{{ENV}}}Body")
        assert body is not None
        found = body[0].find(f"{operation}Result")
        assert found is not None
        return found


def _fault(response: httpx.Response) -> str:
    assert response.status_code == 500
    return ET.fromstring(response.content).findtext(f".//{{{ENV}}}Fault/faultstring") or ""


def _names(element: ET.Element) -> set[str]:
    return {child.tag for child in element}


def test_given_the_wsdl_when_fetched_then_it_names_this_sandbox_as_the_endpoint(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    _, _, running = sandbox

    for url in (running.wsdl_url, f"{running.endpoint}?wsdl"):
        text = httpx.get(url).text
        assert f'location="{running.endpoint}"' in text
        assert 'operation name="Order_GetByDateUpdatedWithPagination"' in text


def test_given_a_wrong_password_when_connecting_then_it_faults_and_gives_no_session(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint)

    response = soap.call("Solution_Connect", Username=USER, Password="wrong")

    assert "Login failed" in _fault(response)
    assert "PHPSESSID" not in response.headers.get("set-cookie", "")
    assert "Not connected" in _fault(soap.call("Order_GetById", OrderId="2001"))


def test_given_a_login_when_an_order_is_read_then_only_its_id_comes_by_default(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()

    assert _names(soap.result("Order_GetById", OrderId="2001")) == {"Id"}


def test_given_a_bad_field_name_when_setting_fields_then_it_faults_and_keeps_the_old_set(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    soap.result("Order_SetFields", Fields="Id,Status,Total")

    assert "Unknown field" in _fault(soap.call("Order_SetFields", Fields="Id,Status,Totl"))
    assert _names(soap.result("Order_GetById", OrderId="2001")) == {"Id", "Status", "Total"}


def test_given_a_new_login_when_an_order_is_read_then_the_projection_is_lost(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    soap.result("Order_SetFields", Fields="Id,Status,Customer")
    soap.http.cookies.clear()
    soap.login()

    assert _names(soap.result("Order_GetById", OrderId="2001")) == {"Id"}


def test_given_order_line_fields_when_set_then_lines_show_only_those(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    soap.result("Order_SetFields", Fields="Id,OrderLines")
    soap.result("Order_SetOrderLineFields", Fields="ItemNumber,Amount")

    lines = soap.result("Order_GetById", OrderId="2003").find("OrderLines")

    assert lines is not None
    assert {_names(item) == {"Id", "ItemNumber", "Amount"} for item in lines} == {True}


def test_given_no_status_when_paging_then_it_is_php_arity_fault_and_nil_means_any(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    window = {"Start": "2026-03-01", "End": "2026-06-01", "Page": "1", "PageSize": "100"}

    assert "expects exactly 5 parameters, 4 given" in _fault(
        soap.call("Order_GetByDateUpdatedWithPagination", **window)
    )
    every = soap.result("Order_GetByDateUpdatedWithPagination", Status=None, **window)
    sent = soap.result("Order_GetByDateUpdatedWithPagination", Status="3", **window)
    page_zero = soap.result(
        "Order_GetByDateUpdatedWithPagination", Status=None, **{**window, "Page": "0"}
    )

    assert len(every) == 36
    assert len(sent) == 33
    assert len(page_zero) == 0  # pages start at 1


def test_given_one_order_in_a_list_when_answered_then_it_is_the_bare_object(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    soap.result("Order_SetFields", Fields="Id,Status")
    window = {"Start": "2026-03-01", "End": "2026-06-01", "Status": None, "PageSize": "35"}

    one = soap.result("Order_GetByDateUpdatedWithPagination", Page="2", **window)
    many = soap.result("Order_GetByDateUpdatedWithPagination", Page="1", **window)

    assert _names(one) == {"Id", "Status"}  # no <item>
    assert _names(many) == {"item"}


def test_given_a_full_order_when_read_then_wire_facts_of_the_reference_hold(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    _state, shop, running = sandbox
    soap = Soap(running.endpoint).login()
    soap.result("Order_SetFields", Fields=",".join(shop.orders[2001]))
    credit_id = next(i for i, s in shop.scenarios.items() if s == "credit_note")

    order = soap.result("Order_GetById", OrderId="2001")
    credit = soap.result("Order_GetById", OrderId=str(credit_id))

    assert (order.findtext("Customer/CountryCode") or "").isdigit()
    assert order.findtext("DateDue") == NULL_DATE
    assert DATE.match(order.findtext("DateDelivered") or "")
    assert order.findtext("Currency/Iso") == "DKK"
    assert credit.findtext("Origin") == "2001"
    assert credit.findtext("Status") == "100"
    assert float(credit.findtext("Total") or 0) < 0
    assert credit.findtext("ReferenceNumber") == order.findtext("ReferenceNumber")


def test_given_payment_methods_when_listed_then_a_title_carries_an_html_entity(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()

    titles = [item.findtext("Title") for item in soap.result("Payment_GetAll")]

    assert "Kontooverf&oslash;rsel" in titles


def test_given_set_encoding_utf8_when_texts_are_read_then_they_come_out_double_encoded(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    soap = Soap(sandbox[2].endpoint).login()
    soap.result("Order_SetFields", Fields="Id,Customer")
    soap.result("Solution_SetEncoding", Encoding="UTF-8")

    city = soap.result("Order_GetById", OrderId="2001").findtext("Customer/City")

    assert city == "KÃ¸benhavn N"


def test_given_fault_knobs_when_set_then_the_next_calls_fail_as_told(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    state, _, running = sandbox
    soap = Soap(running.endpoint).login()

    state.fail_next(1, 503)
    bare = soap.call("Sites_GetAll")
    state.fault_next(1, "Database unavailable")
    faulted = soap.call("Sites_GetAll")

    assert bare.status_code == 503
    assert bare.headers["content-type"].startswith("text/plain")
    assert _fault(faulted) == "Database unavailable"
    assert soap.call("Sites_GetAll").status_code == 200


def test_given_any_traffic_when_logged_then_the_password_is_never_recorded(
    sandbox: tuple[WebshopState, WebshopShop, RunningWebshopSandbox],
) -> None:
    state, _, running = sandbox
    Soap(running.endpoint).login()

    assert all(PASSWORD not in repr(record) for record in state.requests)
    assert PASSWORD not in repr(state.shop(USER))


# ---------------------------------------------------------------------------------- webhooks


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    async def hook(request: Request) -> Response:
        seen.append({"headers": dict(request.headers), "body": await request.body()})
        return Response(status_code=202)

    with serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])]), name="hook") as running:
        yield f"{running.url}/hook", seen


@pytest.mark.parametrize("topic", ORDER_TOPICS)
def test_given_an_order_topic_when_a_webhook_is_sent_then_it_is_signed_like_the_webshop(
    receiver: tuple[str, list[dict[str, Any]]], topic: str
) -> None:
    url, seen = receiver
    with WebhookSender() as sender:
        answer = send_order_webhook(
            sender, url, 2001, topic=topic, shop_domain="https://shop1.mywebshop.io", secret="k"
        )

    (delivery,) = seen
    headers, body = delivery["headers"], delivery["body"]
    assert answer.status_code == 202
    assert json.loads(body) == {"id": "2001"}
    assert headers["x-webhook-topic"] == topic
    assert headers["x-shop-domain"] == "https://shop1.mywebshop.io"
    assert signature_valid("k", body, headers["x-hmac-sha256"])
    assert not signature_valid("other", body, headers["x-hmac-sha256"])
    assert order_ids_from_payload(body) == ["2001"]


def test_given_a_topic_the_webshop_does_not_send_when_sending_then_it_is_refused(
    receiver: tuple[str, list[dict[str, Any]]],
) -> None:
    with WebhookSender() as sender, pytest.raises(ValueError, match="topic"):
        send_order_webhook(sender, receiver[0], 1, topic="orders/paid", shop_domain="x", secret="k")
