"""The e-conomic sandbox driven over loopback HTTP, as autobook's client will drive it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from sandbox.economic import Agreement, EconomicState, start_economic_sandbox

SECRET = "test-secret"
GRANT = "grant-1"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Sandbox:
    state: EconomicState
    agreement: Agreement
    client: httpx.Client
    clock: FakeClock
    url: str


@dataclass
class Server:
    state: EconomicState
    clock: FakeClock
    url: str


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    clock = FakeClock()
    state = EconomicState(app_secret_token=SECRET, clock=clock)
    with start_economic_sandbox(state) as running:
        yield Server(state, clock, running.url)


@pytest.fixture
def sb(server: Server, request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh, seeded agreement on the shared server; faults and clock reset per test."""
    server.clock.now = FakeClock().now
    grant = f"{GRANT}-{request.node.name}"
    agreement = server.state.add_agreement(grant)
    agreement.add_product("SKU-1", "T-shirt", sales_price="100.00")
    agreement.add_product("SKU-2", "Bog", group=2, sales_price="50.00")
    agreement.add_product("OLD-1", "Udgået vare", barred=True)
    agreement.add_product("AB_12/3 x.5", "Underlig SKU", sales_price="10")
    agreement.add_customer("Jane Doe", email="Jane@Example.com")
    agreement.add_customer("Firma A/S (DK)", corporateIdentificationNumber="12345678")
    headers = {"X-AppSecretToken": SECRET, "X-AgreementGrantToken": grant}
    with httpx.Client(base_url=server.url, headers=headers, timeout=5) as client:
        yield Sandbox(server.state, agreement, client, server.clock, server.url)
    server.state.faults.clear()
    del server.state.agreements[grant]


def draft_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2026-05-01",
        "currency": "DKK",
        "customer": {"customerNumber": 1},
        "paymentTerms": {"paymentTermsNumber": 1},
        "layout": {"layoutNumber": 19},
        "recipient": {"name": "Jane Doe", "city": "Århus", "vatZone": {"vatZoneNumber": 1}},
        "references": {"other": "WEB-100"},
        "lines": [
            {
                "lineNumber": 1,
                "product": {"productNumber": "SKU-1"},
                "description": "T-shirt, M",
                "quantity": 2,
                "unitNetPrice": 100.00,
            }
        ],
    }
    body.update(overrides)
    return body


def line(n: int, sku: str, quantity: Any = 1, price: Any = 10) -> dict[str, Any]:
    return {
        "lineNumber": n,
        "product": {"productNumber": sku},
        "quantity": quantity,
        "unitNetPrice": price,
    }


def post_raw(sb: Sandbox, path: str, raw: str, **headers: str) -> httpx.Response:
    headers = {"Content-Type": "application/json", **headers}
    return sb.client.post(path, content=raw.encode(), headers=headers)


# --- auth -----------------------------------------------------------------------------------


def test_given_wrong_app_secret_when_calling_then_401_with_error_shape(sb: Sandbox) -> None:
    response = sb.client.get("/self", headers={"X-AppSecretToken": "wrong"})
    assert response.status_code == 401
    body = response.json()
    assert body["errorCode"] == "E02250"
    assert {"message", "developerHint", "logId", "httpStatusCode", "logTime"} <= body.keys()
    assert body["httpStatusCode"] == 401


def test_given_unknown_grant_or_missing_headers_when_calling_then_401(sb: Sandbox) -> None:
    assert sb.client.get("/self", headers={"X-AgreementGrantToken": "nope"}).status_code == 401
    bare = httpx.get(f"{sb.url}/self")
    assert bare.status_code == 401


def test_given_valid_tokens_when_getting_self_then_base_currency(sb: Sandbox) -> None:
    body = sb.client.get("/self").json()
    assert body["settings"]["baseCurrency"] == "DKK"
    assert "agreementNumber" in body
    assert body["company"]["name"]


# --- customers ------------------------------------------------------------------------------


def test_given_customer_when_filtering_by_email_then_case_insensitive_match(sb: Sandbox) -> None:
    response = sb.client.get("/customers", params={"filter": "email$eq:jane@example.COM"})
    assert response.status_code == 200
    collection = response.json()["collection"]
    assert [c["customerNumber"] for c in collection] == [1]


def test_given_escaped_parentheses_when_filtering_by_name_then_match(sb: Sandbox) -> None:
    flt = "name$eq:Firma A/S $(DK$)$and:corporateIdentificationNumber$eq:12345678"
    collection = sb.client.get("/customers", params={"filter": flt}).json()["collection"]
    assert [c["customerNumber"] for c in collection] == [2]


def test_given_unknown_field_when_filtering_then_400_with_allowed_fields(sb: Sandbox) -> None:
    response = sb.client.get("/customers", params={"filter": "bogusProp$eq:1"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == ["Filtering is not allowed on property 'bogusProp'."]
    assert "email" in body["allowedFilteringFields"]


def test_given_valid_customer_when_posting_then_201_location_and_findable(sb: Sandbox) -> None:
    body = {
        "name": "Ny Kunde",
        "currency": "DKK",
        "email": "ny@example.com",
        "customerGroup": {"customerGroupNumber": 1},
        "paymentTerms": {"paymentTermsNumber": 1},
        "vatZone": {"vatZoneNumber": 1},
        "bogus": "ignored",
    }
    response = sb.client.post("/customers", json=body)
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == created["self"]
    assert created["customerNumber"] == 3
    assert "bogus" not in created
    assert sb.client.get(f"/customers/{created['customerNumber']}").json()["name"] == "Ny Kunde"
    found = sb.client.get("/customers", params={"filter": "email$eq:ny@example.com"}).json()
    assert found["collection"][0]["customerNumber"] == 3


def test_given_unknown_group_and_missing_name_when_posting_customer_then_annotated(
    sb: Sandbox,
) -> None:
    body = {
        "currency": "DKK",
        "customerGroup": {"customerGroupNumber": 99},
        "paymentTerms": {"paymentTermsNumber": 1},
        "vatZone": {"vatZoneNumber": 1},
    }
    missing_name = sb.client.post("/customers", json=body)
    assert missing_name.status_code == 400
    assert "name" in missing_name.json()["errors"]
    bad_group = sb.client.post("/customers", json={**body, "name": "X"})
    assert bad_group.status_code == 400
    error = bad_group.json()["errors"]["customerGroup"]["errors"][0]
    assert error["errorCode"] == "E06000"
    assert error["value"] == 99


# --- products -------------------------------------------------------------------------------


def test_given_sku_with_special_chars_when_getting_encoded_product_then_found(sb: Sandbox) -> None:
    response = sb.client.get("/products/AB_8_12_6_3_9_x_11_5")
    assert response.status_code == 200
    product = response.json()
    assert product["productNumber"] == "AB_12/3 x.5"
    assert sb.client.get(product["self"]).json()["productNumber"] == "AB_12/3 x.5"


def test_given_missing_product_when_getting_then_plain_404(sb: Sandbox) -> None:
    response = sb.client.get("/products/NOPE")
    assert response.status_code == 404
    assert response.json()["message"] == "Resource not found."


def test_given_products_when_filtering_by_number_then_only_that_one(sb: Sandbox) -> None:
    flt = "productNumber$eq:SKU-2$or:productNumber$eq:SKU-1"
    collection = sb.client.get("/products", params={"filter": flt}).json()["collection"]
    assert sorted(p["productNumber"] for p in collection) == ["SKU-1", "SKU-2"]


def test_given_reference_data_when_listing_then_seeded_defaults(sb: Sandbox) -> None:
    terms = sb.client.get("/payment-terms").json()["collection"]
    assert [(t["paymentTermsNumber"], t["paymentTermsType"]) for t in terms] == [
        (1, "net"), (2, "paidInCash"), (3, "prepaid"), (4, "creditcard"),
    ]  # fmt: skip
    assert [z["vatZoneNumber"] for z in sb.client.get("/vat-zones").json()["collection"]] == [
        1,
        2,
        3,
    ]
    assert sb.client.get("/layouts/19").json()["name"] == "Standard"
    assert sb.client.get("/customer-groups/2").json()["name"] == "EU"
    assert sb.client.get("/product-groups/1").json()["name"] == "Varer m/moms"
    years = sb.client.get("/accounting-years").json()["collection"]
    assert [y["year"] for y in years] == ["2024", "2025", "2026", "2027"]


def test_given_page_size_over_max_when_listing_then_400_E04810(sb: Sandbox) -> None:
    response = sb.client.get("/customers", params={"pagesize": 1001})
    assert response.status_code == 400
    assert response.json()["errors"]["pagesize"]["errors"][0]["errorCode"] == "E04810"


def test_given_two_customers_and_page_size_one_when_paging_then_next_links(sb: Sandbox) -> None:
    first = sb.client.get("/customers", params={"pagesize": 1}).json()
    assert first["pagination"]["results"] == 2
    assert "nextPage" in first["pagination"]
    second = sb.client.get(first["pagination"]["nextPage"]).json()
    assert "nextPage" not in second["pagination"]
    assert second["collection"][0]["customerNumber"] == 2
    beyond = sb.client.get("/customers", params={"pagesize": 1, "skippages": 5}).json()
    assert beyond["collection"] == []


# --- drafts ---------------------------------------------------------------------------------


def test_given_domestic_order_when_posting_draft_then_totals_like_economic(sb: Sandbox) -> None:
    response = sb.client.post("/invoices/drafts", json=draft_body())
    assert response.status_code == 201
    draft = response.json()
    assert response.headers["location"] == draft["self"]
    assert (draft["netAmount"], draft["vatAmount"], draft["grossAmount"]) == (200, 50, 250)
    assert draft["exchangeRate"] == 100
    assert draft["roundingAmount"] == 0
    assert draft["dueDate"] == "2026-05-09"
    assert draft["pdf"]["download"].endswith(f"/invoices/drafts/{draft['draftInvoiceNumber']}/pdf")
    (first,) = draft["lines"]
    assert (first["totalNetAmount"], first["vatRate"], first["vatAmount"]) == (200, 25, 50)
    assert sb.agreement.drafts[draft["draftInvoiceNumber"]]["references"]["other"] == "WEB-100"


def test_given_discount_and_half_cent_when_posting_draft_then_round_half_up(sb: Sandbox) -> None:
    lines = [
        {**line(1, "SKU-1", 3, 33.33), "discountPercentage": 10},
        line(2, "SKU-2", 1, 0.05),
    ]
    response = sb.client.post("/invoices/drafts", json=draft_body(lines=lines))
    assert response.status_code == 201, response.text
    draft = response.json()
    # 3 × 33.33 × 0.9 = 89.991 → 89.99; VAT 22.4975 → 22.50; group 2 has no VAT
    assert [x["totalNetAmount"] for x in draft["lines"]] == [89.99, 0.05]
    assert draft["vatAmount"] == 22.5
    assert draft["grossAmount"] == 112.54


def test_given_eur_invoice_when_posting_draft_then_fixed_exchange_rate(sb: Sandbox) -> None:
    body = draft_body(currency="EUR")
    body["recipient"]["vatZone"] = {"vatZoneNumber": 2}
    draft = sb.client.post("/invoices/drafts", json=body).json()
    assert draft["exchangeRate"] == 745.81
    assert draft["vatAmount"] == 0
    assert draft["netAmountInBaseCurrency"] == 1491.62


def test_given_missing_and_barred_products_when_posting_draft_then_each_line_annotated(
    sb: Sandbox,
) -> None:
    lines = [line(1, "SKU-1"), line(2, "NOPE"), line(3, "OLD-1"), line(4, "ALSO-NOPE")]
    response = sb.client.post("/invoices/drafts", json=draft_body(lines=lines))
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Validation error."
    annotated = body["errors"]["lines"]
    assert [x["arrayIndex"] for x in annotated] == [1, 2, 3]
    codes = [x["product"]["productNumber"]["errors"][0] for x in annotated]
    assert [(c["errorCode"], c["value"]) for c in codes] == [
        ("E06000", "NOPE"), ("E07060", "OLD-1"), ("E06000", "ALSO-NOPE"),
    ]  # fmt: skip
    assert codes[0]["message"] == "Product not found."
    assert codes[1]["message"] == "Product is barred."
    assert sb.agreement.drafts == {}


def test_given_three_decimal_price_when_posting_draft_then_E04740(sb: Sandbox) -> None:
    raw = (
        '{"date":"2026-05-01","currency":"DKK","customer":{"customerNumber":1},'
        '"paymentTerms":{"paymentTermsNumber":1},"layout":{"layoutNumber":19},'
        '"recipient":{"name":"J","vatZone":{"vatZoneNumber":1}},'
        '"lines":[{"lineNumber":1,"product":{"productNumber":"SKU-1"},"quantity":1,'
        '"unitNetPrice":1.005}]}'
    )
    response = post_raw(sb, "/invoices/drafts", raw)
    assert response.status_code == 400
    (annotated,) = response.json()["errors"]["lines"]
    assert annotated["arrayIndex"] == 0
    assert annotated["unitNetPrice"]["errors"][0]["errorCode"] == "E04740"


def test_given_explicit_null_when_posting_draft_then_type_error(sb: Sandbox) -> None:
    body = draft_body()
    body["references"]["other"] = None
    response = sb.client.post("/invoices/drafts", json=body)
    assert response.status_code == 400
    error = response.json()["errors"]["references"]["other"]["errors"][0]
    assert error["message"] == "Expected String but got Null."


def test_given_null_nem_handel_type_when_posting_draft_then_schema_allows_it(sb: Sandbox) -> None:
    body = draft_body()
    body["recipient"]["nemHandelType"] = None
    assert sb.client.post("/invoices/drafts", json=body).status_code == 201


def test_given_missing_required_and_line_number_zero_when_posting_then_annotated(
    sb: Sandbox,
) -> None:
    body = draft_body()
    del body["layout"]
    del body["recipient"]["vatZone"]
    body["lines"][0]["lineNumber"] = 0
    errors = sb.client.post("/invoices/drafts", json=body).json()["errors"]
    assert set(errors) == {"layout", "recipient", "lines"}
    assert "vatZone" in errors["recipient"]
    assert "less than minimum" in errors["lines"][0]["lineNumber"]["errors"][0]["message"]


def test_given_line_with_price_but_no_product_when_posting_then_E04500(sb: Sandbox) -> None:
    lines = [{"lineNumber": 1, "description": "Fragt", "quantity": 1, "unitNetPrice": 39}]
    response = sb.client.post("/invoices/drafts", json=draft_body(lines=lines))
    assert response.json()["errors"]["lines"][0]["product"]["errors"][0]["errorCode"] == "E04500"


def test_given_unknown_customer_and_layout_when_posting_draft_then_E06000(sb: Sandbox) -> None:
    body = draft_body(customer={"customerNumber": 77}, layout={"layoutNumber": 5})
    errors = sb.client.post("/invoices/drafts", json=body).json()["errors"]
    assert errors["customer"]["errors"][0]["errorCode"] == "E06000"
    assert errors["layout"]["errors"][0]["errorCode"] == "E06000"


def test_given_drafts_when_filtering_by_references_other_then_only_matching(sb: Sandbox) -> None:
    sb.client.post("/invoices/drafts", json=draft_body())
    other = draft_body(references={"other": "WEB-200"}, customer={"customerNumber": 2})
    sb.client.post("/invoices/drafts", json=other)
    found = sb.client.get("/invoices/drafts", params={"filter": "references.other$eq:WEB-200"})
    collection = found.json()["collection"]
    assert [d["references"]["other"] for d in collection] == ["WEB-200"]
    assert "lines" not in collection[0]
    both = "references.other$eq:web-100$and:customer.customerNumber$eq:2"
    assert sb.client.get("/invoices/drafts", params={"filter": both}).json()["collection"] == []


def test_given_draft_when_deleting_twice_then_status_body_then_404(sb: Sandbox) -> None:
    number = sb.client.post("/invoices/drafts", json=draft_body()).json()["draftInvoiceNumber"]
    first = sb.client.delete(f"/invoices/drafts/{number}")
    assert first.status_code == 200
    assert first.json()["deletedCount"] == 1
    second = sb.client.delete(f"/invoices/drafts/{number}")
    assert second.status_code == 404
    assert second.json()["errorCode"] == "E06000"


# --- booking and PDF ------------------------------------------------------------------------


def book(sb: Sandbox, number: int, **headers: str) -> httpx.Response:
    body = {"draftInvoice": {"draftInvoiceNumber": number}}
    return sb.client.post("/invoices/booked", json=body, headers=headers)


def test_given_draft_when_booking_twice_then_second_fails_and_draft_gone(sb: Sandbox) -> None:
    number = sb.client.post("/invoices/drafts", json=draft_body()).json()["draftInvoiceNumber"]
    first = book(sb, number)
    assert first.status_code == 201
    booked = first.json()
    assert booked["bookedInvoiceNumber"] == 1
    assert booked["grossAmount"] == 250
    assert booked["pdf"]["download"].endswith("/invoices/booked/1/pdf")
    assert number not in sb.agreement.drafts
    assert 1 in sb.agreement.booked
    second = book(sb, number)
    assert second.status_code == 404
    assert second.json()["errorCode"] == "E06000"
    found = sb.client.get("/invoices/booked", params={"filter": "references.other$eq:WEB-100"})
    assert [b["bookedInvoiceNumber"] for b in found.json()["collection"]] == [1]


def test_given_draft_outside_accounting_years_when_booking_then_E04190(sb: Sandbox) -> None:
    body = draft_body(date="2030-01-15")
    number = sb.client.post("/invoices/drafts", json=body).json()["draftInvoiceNumber"]
    response = book(sb, number)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "E04190"
    assert number in sb.agreement.drafts
    assert sb.agreement.booked == {}


def test_given_product_barred_after_drafting_when_booking_then_rejected(sb: Sandbox) -> None:
    number = sb.client.post("/invoices/drafts", json=draft_body()).json()["draftInvoiceNumber"]
    sb.agreement.products["SKU-1"].barred = True
    response = book(sb, number)
    assert response.status_code == 400
    error = response.json()["errors"]["lines"][0]["product"]["productNumber"]["errors"][0]
    assert error["errorCode"] == "E07060"


def test_given_bad_send_by_when_booking_then_enum_error(sb: Sandbox) -> None:
    number = sb.client.post("/invoices/drafts", json=draft_body()).json()["draftInvoiceNumber"]
    body = {"draftInvoice": {"draftInvoiceNumber": number}, "sendBy": "ean"}
    response = sb.client.post("/invoices/booked", json=body)
    assert response.status_code == 400
    assert "sendBy" in response.json()["errors"]


def test_given_booked_invoice_when_downloading_pdf_then_real_pdf(sb: Sandbox) -> None:
    number = sb.client.post("/invoices/drafts", json=draft_body()).json()["draftInvoiceNumber"]
    download = book(sb, number).json()["pdf"]["download"]
    response = sb.client.get(download)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Faktura 1" in text
    assert "WEB-100" in text
    assert "Århus" in text
    assert sb.agreement.pdf_downloads == 1


# --- idempotency ----------------------------------------------------------------------------


def test_given_same_idempotency_key_when_posting_twice_then_cached_answer(sb: Sandbox) -> None:
    first = sb.client.post("/invoices/drafts", json=draft_body(), headers={"Idempotency-Key": "o1"})
    second = sb.client.post(
        "/invoices/drafts",
        json=draft_body(references={"other": "X"}),
        headers={"Idempotency-Key": "o1"},
    )
    assert second.status_code == 201
    assert second.headers["x-resultfromcache"] == "true"
    assert "x-resultfromcache" not in first.headers
    assert second.json()["draftInvoiceNumber"] == first.json()["draftInvoiceNumber"]
    assert len(sb.agreement.drafts) == 1
    assert [c.from_cache for c in sb.agreement.calls] == [False, True]
    assert sb.agreement.calls[1].idempotency_key == "o1"


def test_given_cached_key_older_than_one_hour_when_reposting_then_new_draft(sb: Sandbox) -> None:
    headers = {"Idempotency-Key": "o2"}
    sb.client.post("/invoices/drafts", json=draft_body(), headers=headers)
    sb.clock.advance(3601)
    again = sb.client.post("/invoices/drafts", json=draft_body(), headers=headers)
    assert "x-resultfromcache" not in again.headers
    assert len(sb.agreement.drafts) == 2


def test_given_failed_request_when_retrying_same_key_then_not_served_from_cache(
    sb: Sandbox,
) -> None:
    headers = {"Idempotency-Key": "o3"}
    bad = sb.client.post(
        "/invoices/drafts", json=draft_body(layout={"layoutNumber": 5}), headers=headers
    )
    assert bad.status_code == 400
    good = sb.client.post("/invoices/drafts", json=draft_body(), headers=headers)
    assert good.status_code == 201
    assert "x-resultfromcache" not in good.headers


# --- rate limiting --------------------------------------------------------------------------


def test_given_any_call_when_answered_then_rate_limit_headers(sb: Sandbox) -> None:
    response = sb.client.get("/self")
    assert response.headers["x-callcost"] == "1"
    assert response.headers["x-ratelimiting"] == "token-limit-10000-per-60-seconds: 1/10000"


def test_given_empty_bucket_when_calling_then_429_retry_after_until_refilled(sb: Sandbox) -> None:
    sb.agreement.set_rate_limit(capacity=3, per_seconds=60)
    statuses = [sb.client.get("/self").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = sb.client.get("/self")
    assert limited.headers["retry-after"] == "20"
    assert limited.json()["httpStatusCode"] == 429
    assert limited.headers["x-ratelimiting"] == "token-limit-3-per-60-seconds: 3/3"
    sb.clock.advance(20)
    assert sb.client.get("/self").status_code == 200


# --- faults ---------------------------------------------------------------------------------


def test_given_fail_after_commit_when_posting_draft_then_5xx_but_draft_exists(sb: Sandbox) -> None:
    sb.state.fail_next(1, 503, method="POST", path_prefix="/invoices/drafts", after_commit=True)
    headers = {"Idempotency-Key": "o4"}
    first = sb.client.post("/invoices/drafts", json=draft_body(), headers=headers)
    assert first.status_code == 503
    assert list(sb.agreement.drafts) == [1]
    retry = sb.client.post("/invoices/drafts", json=draft_body(), headers=headers)
    assert retry.status_code == 201
    assert retry.headers["x-resultfromcache"] == "true"
    assert retry.json()["draftInvoiceNumber"] == 1
    assert len(sb.agreement.drafts) == 1


def test_given_fail_before_commit_when_posting_then_5xx_and_nothing_written(sb: Sandbox) -> None:
    sb.state.fail_next(2, 500, path_prefix="/invoices")
    assert sb.client.get("/self").status_code == 200  # prefix does not match
    assert sb.client.post("/invoices/drafts", json=draft_body()).status_code == 500
    assert sb.client.get("/invoices/drafts").status_code == 500
    assert sb.agreement.drafts == {}
    assert sb.client.post("/invoices/drafts", json=draft_body()).status_code == 201


def test_given_timeout_fault_when_client_times_out_then_raises(sb: Sandbox) -> None:
    sb.state.timeout_next(1, seconds=0.6, method="POST")
    with pytest.raises(httpx.TimeoutException):
        sb.client.post("/invoices/drafts", json=draft_body(), timeout=0.2)
    assert sb.agreement.drafts == {}


def test_given_timeout_after_commit_when_client_times_out_then_draft_exists(sb: Sandbox) -> None:
    sb.state.timeout_next(1, seconds=0.6, method="POST", after_commit=True)
    with pytest.raises(httpx.TimeoutException):
        sb.client.post("/invoices/drafts", json=draft_body(), timeout=0.2)
    assert list(sb.agreement.drafts) == [1]


def test_given_seeded_failure_rate_when_calling_then_deterministic(sb: Sandbox) -> None:
    def run() -> list[int]:
        sb.state.set_transient_failure_rate(0.5, seed=7)
        return [sb.client.get("/self").status_code for _ in range(12)]

    first, second = run(), run()
    assert first == second
    assert {200} < set(first) <= {200, 500, 502, 503}
    sb.state.set_transient_failure_rate(0.0, seed=0)
    assert sb.client.get("/self").status_code == 200


def test_given_requests_when_served_then_call_log_records_each(sb: Sandbox) -> None:
    sb.client.get("/products/NOPE")
    sb.client.post("/invoices/drafts", json=draft_body(), headers={"Idempotency-Key": "k"})
    calls = [(c.method, c.path, c.status, c.idempotency_key) for c in sb.agreement.calls]
    assert calls == [
        ("GET", "/products/NOPE", 404, None),
        ("POST", "/invoices/drafts", 201, "k"),
    ]
