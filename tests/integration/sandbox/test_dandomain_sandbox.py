"""The Dandomain Classic WEBAPI v1 sandbox: seed data, HTTP API over loopback, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.dandomain import (
    DandomainState,
    LineSpec,
    RunningSandbox,
    ShopData,
    WebhookSender,
    build_order,
    classic_order_change,
    demo_catalogue,
    demo_methods,
    seed_demo_orders,
    sign,
    start_dandomain_sandbox,
    webshop_order_body,
)
from sandbox.dandomain.orders import (
    SHOP_TZ,
    Party,
    compute_total,
    parse_wire_date,
    to_wire_date,
)

pytestmark = pytest.mark.integration

API_KEY = "3f1c9a7e-5b2d-4c8e-9a1f-0d6e7b8c9a2b"  # 36 chars, like a real Classic key
MISSING_SKU = "UDGAAET-4711"
FIXTURE = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "reference"
    / "dandomain-fixtures"
    / "classic-v1"
    / "api-response-order.e59924f.json"
)
WIRE_DATE = re.compile(r"^/Date\(-?\d+[+-]\d{4}\)/$")
NESTED = (
    "customerInfo",
    "deliveryInfo",
    "invoiceInfo",
    "orderState",
    "paymentInfo",
    "shippingInfo",
)
T0 = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)  # after every seeded modifiedDate


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def state(clock: FakeClock) -> DandomainState:
    return DandomainState(clock=clock)


@pytest.fixture
def shop(state: DandomainState) -> ShopData:
    shop = state.add_shop(API_KEY)
    seed_demo_orders(shop, missing_sku=MISSING_SKU)
    return shop


@pytest.fixture
def sandbox(state: DandomainState, shop: ShopData) -> Iterator[RunningSandbox]:
    with start_dandomain_sandbox(state) as running:
        yield running


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{sandbox.url}/admin/WEBAPI/Endpoints/v1_0/",
        headers={"Accept": "application/json"},
        timeout=5,
    ) as http:
        yield http


@pytest.fixture(scope="module")
def fixture_order() -> dict[str, Any]:
    if not FIXTURE.exists():
        pytest.skip(f"reference fixture not available at {FIXTURE}")
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def window(start: datetime, end: datetime) -> dict[str, str]:
    fmt = "%Y-%m-%dT%H:%M:%S"
    return {
        "start": start.astimezone(SHOP_TZ).strftime(fmt),
        "end": end.astimezone(SHOP_TZ).strftime(fmt),
    }


EVERYTHING = window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))


# ------------------------------------------------------------------------------- seed data


def test_given_seeded_shop_when_inspecting_orders_then_key_sets_match_the_fixture(
    shop: ShopData, fixture_order: dict[str, Any]
) -> None:
    line_keys = set(fixture_order["orderLines"][0])
    for order in shop.orders.values():
        assert set(order) == set(fixture_order), order["id"]
        for block in NESTED:
            assert set(order[block]) == set(fixture_order[block]), (order["id"], block)
        assert order["orderLines"], order["id"]
        for line in order["orderLines"]:
            assert set(line) == line_keys
            assert isinstance(line["vatPct"], str)
            assert isinstance(line["productId"], str)
            assert isinstance(line["quantity"], int)
        assert isinstance(order["vatPct"], str)
        assert isinstance(order["customerInfo"]["id"], str)
        assert WIRE_DATE.match(order["createdDate"])
        assert WIRE_DATE.match(order["modifiedDate"])
        assert parse_wire_date(order["modifiedDate"]) >= parse_wire_date(order["createdDate"])


def test_given_seeded_shop_when_recomputing_totals_then_each_reconciles_under_its_semantics(
    shop: ShopData,
) -> None:
    semantics_seen = set()
    for order_id, order in shop.orders.items():
        semantics = shop.fee_semantics[order_id]
        semantics_seen.add(semantics)
        for line in order["orderLines"]:
            expected = Decimal(str(line["unitPrice"])) * line["quantity"]
            assert Decimal(str(line["totalPrice"])) == expected
        assert compute_total(order, semantics) == Decimal(str(order["totalPrice"])), order_id
    assert semantics_seen == {"gross", "flag"}
    # at least one "flag" order is only explained by the flag reading
    assert any(
        compute_total(o, "gross") != Decimal(str(o["totalPrice"]))
        for i, o in shop.orders.items()
        if shop.fee_semantics[i] == "flag"
    )


def test_given_the_fixture_when_recomputed_then_the_gross_fee_reading_matches(
    fixture_order: dict[str, Any],
) -> None:
    assert compute_total(fixture_order, "gross") == Decimal("158.95")
    assert compute_total(fixture_order, "flag") != Decimal("158.95")


def test_given_seeded_shop_when_looking_for_skus_then_exactly_one_order_has_the_missing_sku(
    shop: ShopData,
) -> None:
    with_missing = [
        o["id"]
        for o in shop.orders.values()
        if any(ln["productId"] == MISSING_SKU for ln in o["orderLines"])
    ]
    assert len(with_missing) == 1
    catalogue = demo_catalogue(shop, missing_sku=MISSING_SKU)
    skus = {p.sku for p in catalogue}
    used = {ln["productId"] for o in shop.orders.values() for ln in o["orderLines"]}
    assert skus == used - {MISSING_SKU, ""}
    assert len(skus) == len(catalogue)
    assert any("/" in s for s in skus)
    assert any("." in s for s in skus)
    assert any(" " in s for s in skus)
    assert any("_" in s for s in skus)
    assert any(len(s) >= 25 for s in skus)


def test_given_seed_when_run_then_ids_are_unique_states_and_cases_are_covered(
    state: DandomainState,
) -> None:
    shop = state.add_shop("another-key")
    ids = seed_demo_orders(shop, count=36, seed=1, start_id=1001)
    assert ids == list(range(1001, 1037))
    assert sorted(shop.orders) == ids
    orders = list(shop.orders.values())
    incomplete = [o for o in orders if o["incomplete"]]
    assert len(incomplete) == 1
    assert all(o["orderState"]["id"] == 3 for o in orders if not o["incomplete"])
    assert all(o["orderState"]["name"] == "Afsendt" for o in orders if not o["incomplete"])

    def any_order(predicate: Any) -> bool:
        return any(predicate(o) for o in orders)

    assert any_order(lambda o: o["deliveryInfo"]["address2"].startswith("Pakkeshop: "))
    assert any_order(
        lambda o: o["vatRegNumber"].startswith("DK") and o["customerInfo"]["attention"]
    )
    assert any_order(
        lambda o: (
            o["vatRegNumber"].startswith("BE")
            and all(ln["vatPct"] == "0" for ln in o["orderLines"])
        )
    )
    assert any_order(lambda o: o["customerInfo"]["country"] == "Sverige" and not o["vatRegNumber"])
    assert any_order(lambda o: o["customerInfo"]["country"] == "Norge")
    assert any_order(lambda o: o["siteId"] == 27 and o["currencyCode"] == "EUR")
    assert any_order(lambda o: o["customerInfo"]["id"] == "")
    assert any_order(lambda o: len(o["customerComment"]) > 1000)
    assert any_order(lambda o: any(len(ln["productName"]) > 200 for ln in o["orderLines"]))
    assert any_order(lambda o: o["paymentInfo"]["fee"] > 0)
    assert any_order(lambda o: o["shippingInfo"]["fee"] == 0)
    assert any_order(
        lambda o: any(ln["unitPrice"] < 0 and ln["productId"] == "" for ln in o["orderLines"])
    )
    assert any_order(lambda o: o["giftCertificateAmount"] > 0)
    assert any_order(lambda o: o["salesDiscount"] > 0)
    assert any_order(lambda o: "+0100" in o["createdDate"])
    assert any_order(lambda o: "+0200" in o["modifiedDate"])
    # deterministic
    again = state.add_shop("third-key")
    seed_demo_orders(again, count=36, seed=1, start_id=1001)
    assert again.orders == shop.orders
    methods = demo_methods()
    used_payment = {(o["siteId"], o["paymentInfo"]["id"]) for o in orders}
    assert used_payment <= {(m.site_id, m.id) for m in methods.payment}
    used_shipping = {(o["siteId"], o["shippingInfo"]["id"]) for o in orders}
    assert used_shipping <= {(m.site_id, m.id) for m in methods.shipping}


def test_given_fixture_values_when_building_an_order_then_total_follows_the_fee_semantics() -> None:
    customer = Party(
        "test 5", "test 10", "2100", "København Ø", "Belgium", 2363, attention="test 2"
    )
    lines = [LineSpec("4009249-0001-12", "T-shirt", 1, "103.96", variant="Størrelse:152 cm")]
    gross = build_order(
        1, lines=lines, customer=customer, shipping=(67, "GLS pakkeshop", 29, False)
    )
    flag = build_order(
        1,
        lines=lines,
        customer=customer,
        shipping=(67, "GLS pakkeshop", 29, False),
        fee_semantics="flag",
    )
    assert gross["totalPrice"] == 158.95
    assert flag["totalPrice"] == 166.2
    assert gross["orderLines"][0]["totalPrice"] == 103.96


def test_given_dst_dates_when_encoding_then_offset_follows_copenhagen() -> None:
    winter = datetime(2017, 11, 6, 12, 46, 49, tzinfo=UTC)
    summer = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert to_wire_date(winter) == "/Date(1509972409000+0100)/"
    assert to_wire_date(summer).endswith("+0200)/")
    assert parse_wire_date(to_wire_date(summer)) == summer
    assert parse_wire_date("/Date(-1000-0500)/") == datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)


# ------------------------------------------------------------------------------- HTTP API


def test_given_order_when_fetched_by_id_then_wire_shape_matches_fixture(
    client: httpx.Client, shop: ShopData, fixture_order: dict[str, Any]
) -> None:
    response = client.get(f"OrderService/{API_KEY}/1001")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body == shop.get_order(1001)
    assert set(body) == set(fixture_order)


def test_given_no_accept_header_when_fetching_then_json_is_still_sent(
    sandbox: RunningSandbox,
) -> None:
    response = httpx.get(f"{sandbox.api_base}/orderservice/{API_KEY}/1002", timeout=5)
    assert response.status_code == 200
    assert response.json()["id"] == 1002


def test_given_modified_window_when_paging_then_pages_cover_the_count_in_order(
    client: httpx.Client, shop: ShopData
) -> None:
    count = client.get(f"OrderService/{API_KEY}/CountByModifiedInterval", params=EVERYTHING).json()
    assert count == len(shop.orders) == 36
    seen: list[dict[str, Any]] = []
    for page_index in range(1, 6):
        page = client.get(
            f"OrderService/{API_KEY}/GetByModifiedInterval",
            params={**EVERYTHING, "pageIndex": page_index, "pageSize": 10},
        ).json()
        seen.extend(page)
    assert [o["id"] for o in seen] == sorted(
        (o["id"] for o in seen), key=lambda i: (parse_wire_date(shop.orders[i]["modifiedDate"]), i)
    )
    assert sorted(o["id"] for o in seen) == sorted(shop.orders)
    assert len({o["id"] for o in seen}) == 36


def test_given_state_filter_when_querying_then_only_that_state_is_returned(
    client: httpx.Client,
) -> None:
    params: dict[str, str | int] = {
        **EVERYTHING,
        "pageIndex": 1,
        "pageSize": 100,
        "orderstateid": 1,
    }
    page = client.get(f"OrderService/{API_KEY}/GetByModifiedInterval", params=params).json()
    assert [o["incomplete"] for o in page] == [True]
    count = client.get(
        f"OrderService/{API_KEY}/CountByModifiedInterval", params={**EVERYTHING, "orderStateId": 3}
    ).json()
    assert count == 35


def test_given_state_change_when_querying_interval_then_the_order_is_found_with_new_state(
    client: httpx.Client, shop: ShopData, clock: FakeClock
) -> None:
    clock.now = T0 + timedelta(days=3)
    before = shop.get_order(1008)["modifiedDate"]
    shop.set_order_state(1008, 3)
    after = shop.get_order(1008)["modifiedDate"]
    assert after != before
    assert after == to_wire_date(clock.now)
    params: dict[str, str | int] = {
        **window(clock.now - timedelta(minutes=5), clock.now + timedelta(minutes=5)),
        "pageIndex": 1,
        "pageSize": 100,
    }
    page = client.get(f"OrderService/{API_KEY}/GetByModifiedInterval", params=params).json()
    assert [(o["id"], o["orderState"]["name"]) for o in page] == [(1008, "Afsendt")]


def test_given_line_removed_when_updating_then_total_is_recomputed_and_modified_bumped(
    shop: ShopData, clock: FakeClock
) -> None:
    clock.now = T0 + timedelta(hours=1)
    order = shop.get_order(1002)
    removed = order["orderLines"][1]
    updated = shop.update_order(1002, remove_line_ids=[removed["id"]])
    assert [ln["id"] for ln in updated["orderLines"]] == [order["orderLines"][0]["id"]]
    drop = Decimal(str(removed["totalPrice"])) * (1 + Decimal(removed["vatPct"]) / 100)
    assert Decimal(str(updated["totalPrice"])) == Decimal(str(order["totalPrice"])) - drop
    assert updated["modified"] is True
    assert updated["modifiedDate"] == to_wire_date(clock.now)
    changed = shop.update_order(1002, shippingInfo={"fee": 0})
    assert changed["totalPrice"] == pytest.approx(updated["totalPrice"] - 49)


def test_given_wrong_key_when_calling_then_401_and_no_key_in_the_log(
    client: httpx.Client, state: DandomainState
) -> None:
    wrong = "00000000-1111-2222-3333-444444444444"
    response = client.get(f"OrderService/{wrong}/1001")
    assert response.status_code == 401
    assert client.get(f"OrderService/{API_KEY}/1001").status_code == 200
    logged = " ".join(f"{r.method} {r.path}?{r.query}" for r in state.requests)
    assert wrong not in logged
    assert API_KEY not in logged
    assert [r.status for r in state.requests] == [401, 200]
    assert state.requests[0].path == "/admin/WEBAPI/Endpoints/v1_0/OrderService/***/1001"


def test_given_unknown_order_when_fetched_then_404(client: httpx.Client) -> None:
    response = client.get(f"OrderService/{API_KEY}/999999")
    assert response.status_code == 404
    assert "not found" in response.text.lower()


def test_given_fault_knob_when_calling_then_next_requests_fail_then_recover(
    client: httpx.Client, state: DandomainState
) -> None:
    state.fail_next(2, status=503)
    assert client.get(f"OrderService/{API_KEY}/1001").status_code == 503
    assert client.get(f"OrderService/{API_KEY}/1001").status_code == 503
    assert client.get(f"OrderService/{API_KEY}/1001").status_code == 200


def test_given_bad_interval_when_querying_then_400(client: httpx.Client) -> None:
    params = {"start": "yesterday", "end": "2026-01-01T00:00:00"}
    response = client.get(f"OrderService/{API_KEY}/GetByModifiedInterval", params=params)
    assert response.status_code == 400


def test_given_settings_when_fetched_then_reference_lists_are_returned(
    client: httpx.Client,
) -> None:
    sites = client.get(f"SettingService/{API_KEY}/Sites").json()
    assert {(s["id"], s["name"], s["currencyCode"]) for s in sites} == {
        (26, "Dansk", "DKK"),
        (27, "Deutsch", "EUR"),
        (28, "Svenska", "SEK"),
    }
    countries = client.get(f"SettingService/{API_KEY}/Countries").json()
    by_code = {c["code"]: c for c in countries}
    assert by_code["DK"]["id"] == 2397
    assert by_code["BE"]["id"] == 2363
    assert {"SE", "DE", "NO", "GL", "GB"} <= set(by_code)
    currencies = client.get(f"SettingService/{API_KEY}/Currencies").json()
    assert {c["code"] for c in currencies} == {"DKK", "EUR", "SEK"}
    assert all(set(c) >= {"id", "code", "payCode", "factor"} for c in currencies)
    payment = client.get(f"SettingService/{API_KEY}/PaymentMethods/26").json()
    assert {"id": 60, "name": "Betalingskort", "fee": 0, "feeVat": False} in payment
    shipping = client.get(f"SettingService/{API_KEY}/ShippingMethods/27").json()
    assert [m["name"] for m in shipping] == ["DHL Paket"]
    states = client.get(f"OrderService/{API_KEY}/OrderStates").json()
    assert {s["id"]: s["exclStatistics"] for s in states} == {
        1: False,
        2: False,
        3: False,
        4: True,
        5: True,
    }
    assert client.get(f"SettingService/{API_KEY}/PaymentMethods/99").status_code == 404


def test_given_sandbox_when_stopped_then_it_no_longer_answers(
    state: DandomainState, shop: ShopData
) -> None:
    running = start_dandomain_sandbox(state)
    assert running.url.startswith("http://127.0.0.1:")
    assert not running.url.endswith("/")
    assert (
        httpx.get(f"{running.api_base}/OrderService/{API_KEY}/1001", timeout=5).status_code == 200
    )
    running.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{running.api_base}/OrderService/{API_KEY}/1001", timeout=1)


# ------------------------------------------------------------------------------- webhooks


def test_given_secret_when_sending_webhook_then_hmac_header_and_token_are_correct() -> None:
    captured: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(202)

    body = classic_order_change(1001, 1, 3)
    with httpx.Client(transport=httpx.MockTransport(receive)) as http:
        response = WebhookSender(http).send(
            "https://hooks.example.test/dandomain?shop=demo",
            body,
            hmac_secret="s3cr3t",
            token="tok-123",
            headers={"X-Extra": "1"},
        )
    assert response.status_code == 202
    (request,) = captured
    assert request.method == "POST"
    assert request.url.params["token"] == "tok-123"
    assert request.url.params["shop"] == "demo"
    raw = request.content
    expected = base64.b64encode(hmac.new(b"s3cr3t", raw, hashlib.sha256).digest()).decode()
    assert request.headers["X-Hmac-Sha256"] == expected == sign("s3cr3t", raw)
    assert request.headers["X-Extra"] == "1"
    assert json.loads(raw) == [
        {
            "ObjectType": "Order",
            "PropertiesChanged": ["OrderStateId"],
            "OldValues": {"ObjectIdentifier": 1001, "OrderStateId": 1},
            "NewValues": {"ObjectIdentifier": 1001, "OrderStateId": 3},
        }
    ]


def test_given_raw_bytes_without_secret_when_sending_then_body_is_untouched_and_unsigned() -> None:
    captured: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(200)

    raw = json.dumps(webshop_order_body(1001)).encode()
    with httpx.Client(transport=httpx.MockTransport(receive)) as http:
        WebhookSender(http).send("https://hooks.example.test/webshop", raw)
    (request,) = captured
    assert request.content == raw
    assert json.loads(request.content) == {"id": "1001"}
    assert "X-Hmac-Sha256" not in request.headers
    assert "token" not in request.url.params
