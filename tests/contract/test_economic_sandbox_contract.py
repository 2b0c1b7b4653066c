"""The sandbox accepts a write body exactly when e-conomic's official schema does.

Bodies are generated from the sandbox's seeded reference data (so semantic checks pass) and
then, most of the time, mutated: required fields dropped, strings at/over their maxLength,
numbers with too many decimals, wrong types, explicit nulls, identifiers of 0.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sandbox.economic import EconomicState, start_economic_sandbox
from sandbox.economic.rules import BOOKED_INVOICE_POST, CUSTOMER_POST, DRAFT_INVOICE_POST, Rule

try:
    from tests.contract.economic_schema import load_schema, validator
except ModuleNotFoundError:  # plain `pytest`: the repo root is not on sys.path, this dir is
    from economic_schema import load_schema, validator  # type: ignore[no-redef]

SKUS = ["SKU-1", "SKU-2", "SKU-3"]
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Body = dict[str, Any]
Path = tuple[str | int, ...]


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    state = EconomicState()
    agreement = state.add_agreement("contract")
    for number, sku in enumerate(SKUS, start=1):
        agreement.add_product(sku, f"Vare {number}", group=1 + number % 2, sales_price="10")
    for number in (1, 2, 3):
        agreement.add_customer(f"Kunde {number}", customer_number=number)
    headers = {"X-AppSecretToken": state.app_secret_token, "X-AgreementGrantToken": "contract"}
    with (
        start_economic_sandbox(state) as running,
        httpx.Client(base_url=running.url, headers=headers, timeout=10) as http,
    ):
        yield http


# --- JSON with exact decimal text -----------------------------------------------------------


def to_json(body: Any) -> str:
    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"__DEC__{value}__"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    return re.sub(r'"__DEC__(.*?)__"', r"\1", json.dumps(mark(body)))


def post(client: httpx.Client, path: str, body: Any) -> httpx.Response:
    content = to_json(body).encode()
    return client.post(path, content=content, headers={"Content-Type": "application/json"})


# --- generators -----------------------------------------------------------------------------

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def money(places: int = 2, max_value: int = 10000) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=0, max_value=max_value, places=places, allow_nan=False, allow_infinity=False
    )


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Body]:
    return st.fixed_dictionaries({}, optional=fields)


lines_strategy = st.lists(
    st.builds(
        lambda n, sku, q, p, extra: {
            "lineNumber": n,
            "product": {"productNumber": sku},
            "quantity": q,
            "unitNetPrice": p,
            **extra,
        },
        st.integers(1, 500),
        st.sampled_from(SKUS),
        money(2, 100),
        money(2),
        optional(
            sortKey=st.integers(1, 99),
            description=text,
            discountPercentage=money(2, 100),
            unitCostPrice=money(2),
        ),
    ),
    max_size=4,
)

valid_draft = st.builds(
    lambda base, recipient, extra, lines: {**base, "recipient": recipient, **extra, "lines": lines},
    st.fixed_dictionaries(
        {
            "date": st.dates(date(2024, 1, 1), date(2027, 12, 31)).map(date.isoformat),
            "currency": st.sampled_from(["DKK", "EUR", "SEK", "dkk"]),
            "customer": st.builds(lambda n: {"customerNumber": n}, st.integers(1, 3)),
            "paymentTerms": st.builds(lambda n: {"paymentTermsNumber": n}, st.integers(1, 4)),
            "layout": st.just({"layoutNumber": 19}),
        }
    ),
    st.builds(
        lambda name, zone, extra: {"name": name, "vatZone": {"vatZoneNumber": zone}, **extra},
        text,
        st.integers(1, 3),
        optional(
            address=text,
            zip=text,
            city=text,
            country=text,
            ean=st.text("0123456789", max_size=13),
            nemHandelType=st.sampled_from(["ean", "peppol", None]),
        ),
    ),
    optional(
        exchangeRate=money(6, 2000),
        notes=optional(heading=text, textLine1=text),
        references=optional(other=text),
        delivery=optional(address=text, deliveryDate=st.just("2026-02-03")),
        netAmount=money(2),
        dueDate=st.just("2026-12-31"),
    ),
    lines_strategy,
)

valid_customer = st.builds(
    lambda base, extra: {**base, **extra},
    st.fixed_dictionaries(
        {
            "name": text.filter(bool),
            "currency": st.sampled_from(["DKK", "EUR", "abc"]),
            "customerGroup": st.builds(lambda n: {"customerGroupNumber": n}, st.integers(1, 3)),
            "paymentTerms": st.builds(lambda n: {"paymentTermsNumber": n}, st.integers(1, 4)),
            "vatZone": st.builds(lambda n: {"vatZoneNumber": n}, st.integers(1, 3)),
        }
    ),
    optional(
        email=text,
        address=text,
        zip=text,
        city=text,
        corporateIdentificationNumber=text,
        pNumber=st.text("0123456789", min_size=10, max_size=10),
        ean=st.text("0123456789", max_size=13),
        creditLimit=money(3),
        barred=st.booleans(),
        layout=st.just({"layoutNumber": 19}),
    ),
)


# --- mutations ------------------------------------------------------------------------------


def get_parent(body: Any, path: Path) -> tuple[Any, str | int] | None:
    current = body
    for key in path[:-1]:
        try:
            current = current[key]
        except (KeyError, IndexError, TypeError):
            return None
    return current, path[-1]


def set_at(body: Body, path: Path, value: Any) -> None:
    found = get_parent(body, path)
    if found is not None and isinstance(found[0], (dict, list)):
        with contextlib.suppress(IndexError):
            found[0][found[1]] = value  # type: ignore[index]


def drop_at(body: Body, path: Path) -> None:
    found = get_parent(body, path)
    if found is not None and isinstance(found[0], dict):
        found[0].pop(found[1], None)


DRAFT_REQUIRED: list[Path] = [
    ("date",), ("currency",), ("customer",), ("paymentTerms",), ("layout",), ("recipient",),
    ("recipient", "name"), ("recipient", "vatZone"),
]  # fmt: skip
DRAFT_LENGTHS: list[tuple[Path, int, bool]] = [  # (path, maxLength, may be exactly at max)
    (("recipient", "name"), 250, True), (("recipient", "zip"), 50, True),
    (("recipient", "ean"), 13, True), (("references", "other"), 250, True),
    (("notes", "heading"), 250, True), (("delivery", "city"), 50, True),
    (("lines", 0, "description"), 2500, True), (("lines", 0, "product", "productNumber"), 25, False),
]  # fmt: skip
DRAFT_DECIMALS: list[tuple[Path, int]] = [
    (("lines", 0, "quantity"), 2), (("lines", 0, "unitNetPrice"), 2),
    (("lines", 0, "discountPercentage"), 2), (("exchangeRate",), 6), (("netAmount",), 2),
]  # fmt: skip
DRAFT_WRONG: list[tuple[Path, Any]] = [
    (("date",), 20260501), (("date",), "01-05-2026"), (("currency",), "DK"), (("currency",), 208),
    (("customer",), 1), (("customer", "customerNumber"), "1"), (("customer", "customerNumber"), 0),
    (("paymentTerms", "paymentTermsNumber"), Decimal("1.0")), (("layout", "layoutNumber"), 0),
    (("paymentTerms", "paymentTermsType"), "Net"), (("recipient", "name"), 5),
    (("recipient", "vatZone", "vatZoneNumber"), "1"), (("lines",), {}), (("lines", 0), "x"),
    (("lines", 0, "lineNumber"), 0), (("lines", 0, "sortKey"), 0),
    (("lines", 0, "quantity"), "2"), (("lines", 0, "lineNumber"), Decimal("1.5")),
    (("references", "other"), True), (("recipient", "nemHandelType"), "EAN"),
    (("exchangeRate",), Decimal("1000000000000")),
]  # fmt: skip
DRAFT_NULLS: list[Path] = [
    ("references", "other"), ("recipient", "nemHandelType"), ("lines", 0, "description"),
    ("notes",), ("recipient", "address"), ("lines", 0, "quantity"), ("exchangeRate",),
]  # fmt: skip

CUSTOMER_REQUIRED: list[Path] = [
    ("name",), ("currency",), ("customerGroup",), ("paymentTerms",), ("vatZone",),
]  # fmt: skip
CUSTOMER_LENGTHS: list[tuple[Path, int, bool]] = [
    (("name",), 255, True), (("city",), 50, True), (("zip",), 30, True), (("email",), 255, True),
    (("ean",), 13, True), (("currency",), 3, True), (("vatNumber",), 20, True),
]  # fmt: skip
CUSTOMER_WRONG: list[tuple[Path, Any]] = [
    (("name",), ""), (("currency",), "DK"), (("pNumber",), "123"), (("barred",), "yes"),
    (("customerGroup", "customerGroupNumber"), "1"), (("vatZone",), []), (("email",), None),
    (("customerNumber",), 0), (("customerNumber",), 1000000000), (("creditLimit",), "5"),
    (("name",), None), (("layout", "layoutNumber"), Decimal("19.0")),
]  # fmt: skip


def mutations(
    required: list[Path],
    lengths: list[tuple[Path, int, bool]],
    decimals: list[tuple[Path, int]],
    wrong: list[tuple[Path, Any]],
    nulls: list[Path],
) -> st.SearchStrategy[Callable[[Body], None]]:
    def dropper(path: Path) -> Callable[[Body], None]:
        return lambda body: drop_at(body, path)

    def setter(path: Path, value: Any) -> Callable[[Body], None]:
        return lambda body: set_at(body, path, value)

    length = st.sampled_from(lengths).flatmap(
        lambda spec: st.sampled_from([1, 0] if spec[2] else [1]).map(
            lambda over: setter(spec[0], "x" * (spec[1] + over))
        )
    )
    decimal = st.sampled_from(decimals).flatmap(
        lambda spec: st.sampled_from([spec[1], spec[1] + 1]).map(
            lambda places: setter(spec[0], Decimal(1).scaleb(-places) + 1)
        )
    )
    options = [
        st.just(lambda body: None),
        st.sampled_from(required).map(dropper),
        length,
        st.sampled_from(wrong).map(lambda spec: setter(*spec)),
    ]
    if decimals:
        options.append(decimal)
    if nulls:
        options.append(st.sampled_from(nulls).map(lambda path: setter(path, None)))
    return st.one_of(options)


def mutated(
    valid: st.SearchStrategy[Body], mutation: st.SearchStrategy[Callable[[Body], None]]
) -> st.SearchStrategy[Body]:
    def apply(body: Body, fn: Callable[[Body], None]) -> Body:
        out = copy.deepcopy(body)
        fn(out)
        return out

    return st.builds(apply, valid, mutation)


draft_bodies = mutated(
    valid_draft, mutations(DRAFT_REQUIRED, DRAFT_LENGTHS, DRAFT_DECIMALS, DRAFT_WRONG, DRAFT_NULLS)
)
customer_bodies = mutated(
    valid_customer, mutations(CUSTOMER_REQUIRED, CUSTOMER_LENGTHS, [], CUSTOMER_WRONG, [])
)


def assert_agrees(response: httpx.Response, schema_valid: bool, body: Body) -> None:
    if schema_valid:
        assert response.status_code == 201, (to_json(body), response.text)
    else:
        assert response.status_code == 400, (to_json(body), response.text)
        assert response.json()["message"] == "Validation error."
        assert isinstance(response.json()["errors"], dict)


# --- tests ----------------------------------------------------------------------------------


@SETTINGS
@given(body=draft_bodies)
def test_given_generated_draft_when_posting_then_accepted_iff_schema_valid(
    client: httpx.Client, body: Body
) -> None:
    schema_valid = validator("invoices.drafts.post").is_valid(body)
    event(f"schema valid: {schema_valid}")
    assert_agrees(post(client, "/invoices/drafts", body), schema_valid, body)


@SETTINGS
@given(body=customer_bodies)
def test_given_generated_customer_when_posting_then_accepted_iff_schema_valid(
    client: httpx.Client, body: Body
) -> None:
    schema_valid = validator("customers.post").is_valid(body)
    event(f"schema valid: {schema_valid}")
    assert_agrees(post(client, "/customers", body), schema_valid, body)


KEYWORDS = {
    "type": "type",
    "required": "required",
    "maxLength": "max_length",
    "minLength": "min_length",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
    "maxDecimal": "max_decimal",
}


def compare(schema: dict[str, Any], rule: Rule, where: str) -> Iterator[str]:
    for keyword, attr in KEYWORDS.items():
        expected = schema.get(keyword, False if keyword == "required" else None)
        if getattr(rule, attr) != expected:
            yield f"{where}: {keyword} {getattr(rule, attr)!r} != {expected!r}"
    enum = tuple(schema["enum"]) if "enum" in schema else None
    if rule.enum != enum:
        yield f"{where}: enum {rule.enum!r} != {enum!r}"
    props = schema.get("properties", {})
    if set(props) != set(rule.properties):
        yield f"{where}: properties {sorted(rule.properties)} != {sorted(props)}"
    for name in set(props) & set(rule.properties):
        yield from compare(props[name], rule.properties[name], f"{where}.{name}")
    if "items" in schema or rule.items is not None:
        if rule.items is None:
            yield f"{where}: items missing"
        else:
            yield from compare(schema["items"], rule.items, f"{where}[]")


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("invoices.drafts.post", DRAFT_INVOICE_POST),
        ("customers.post", CUSTOMER_POST),
        ("invoices.booked.post", BOOKED_INVOICE_POST),
    ],
)
def test_given_official_schema_when_compared_then_sandbox_rules_encode_it_exactly(
    name: str, rule: Rule
) -> None:
    schema = load_schema(name)
    schema.setdefault("type", "object")
    assert list(compare(schema, rule, name)) == []


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"draftInvoice": {"draftInvoiceNumber": 1}, "sendBy": "none"}, True),
        ({"draftInvoice": {"draftInvoiceNumber": 1}, "sendBy": "Email"}, True),
        ({"draftInvoice": {"draftInvoiceNumber": 1}, "sendBy": "ean"}, False),
        ({"draftInvoice": {"draftInvoiceNumber": 0}}, False),
        ({"draftInvoice": {"draftInvoiceNumber": "1"}}, False),
    ],
)
def test_given_booking_body_when_validated_then_helper_matches_schema(
    body: Body, valid: bool
) -> None:
    assert validator("invoices.booked.post").is_valid(body) is valid


def test_given_decimal_text_when_validating_then_max_decimal_counts_written_digits() -> None:
    base = {"date": "2026-01-01", "currency": "DKK", "customer": {}, "paymentTerms": {}}
    base |= {"layout": {}, "recipient": {"name": "x", "vatZone": {}}}
    check = validator("invoices.drafts.post").is_valid
    assert check({**base, "lines": [{"quantity": Decimal("1.50")}]})
    assert not check({**base, "lines": [{"quantity": Decimal("1.500")}]})
    assert not check({**base, "lines": [{"quantity": 1.005}]})
    assert check({**base, "exchangeRate": Decimal("745.123456")})
