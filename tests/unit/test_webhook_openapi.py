"""docs/webhook-openapi.yaml against the code, so the two cannot drift: a valid OpenAPI 3.1
document whose route is template.yaml's, whose statuses are the handler's, and whose limits,
patterns, header names and texts are the constants the webhook door enforces.

The handler module is read with `ast`, not imported: importing it builds the composition root
from the environment."""

import ast
import base64
import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from autobook.dandomain import webhook as door
from autobook.domain.shop import SHOP_ID_PATTERN
from autobook.usecases.receive_webhook import (
    DEDUPLICATION_WINDOW_SECONDS,
    NOT_AUTHORISED,
    Verdict,
)
from sandbox.stack.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "docs" / "webhook-openapi.yaml"
HANDLER_PATH = ROOT / "functions" / "webhook" / "app.py"
OPERATION_PATH = "/webhook/{shop_id}"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def handler() -> ast.Module:
    return ast.parse(HANDLER_PATH.read_text(encoding="utf-8"))


def _operation(spec: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][OPERATION_PATH]["post"]
    return operation


def _parameter(spec: dict[str, Any], location: str, name: str) -> dict[str, Any]:
    (found,) = [
        p
        for p in _operation(spec)["parameters"]
        if p["in"] == location and p["name"].lower() == name.lower()
    ]
    return found


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


def _validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """A validator for one component schema, its `$ref`s resolved inside the document."""
    document = {**spec, "$ref": f"#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(document)


def _assignment(module: ast.Module, name: str) -> ast.expr:
    for node in module.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    raise AssertionError(f"{name} is not assigned in {HANDLER_PATH}")


def _handler_statuses(module: ast.Module) -> dict[Verdict, int]:
    table = _assignment(module, "STATUS")
    assert isinstance(table, ast.Dict)
    statuses: dict[Verdict, int] = {}
    for key, value in zip(table.keys, table.values, strict=True):
        assert isinstance(key, ast.Attribute)
        assert isinstance(key.value, ast.Name)
        assert key.value.id == "Verdict"
        statuses[Verdict[key.attr]] = ast.literal_eval(value)
    return statuses


def _answered_statuses(module: ast.Module) -> set[int]:
    """The literal statuses of every `response(<status>, ...)` the handler gives."""
    return {
        node.args[0].value
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) == "response"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, int)
    }


def _string_arguments_of(module: ast.Module, method: str, *, on: str = "") -> set[str]:
    """The literal first arguments of every `<something>.<method>("...")` call, where the
    something's text mentions `on`."""
    return {
        node.args[0].value
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and on in ast.unparse(node.func.value)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


# -- the document ----------------------------------------------------------------------------


def test_given_the_spec_when_validated_as_openapi_3_1_then_it_is_valid(
    spec: dict[str, Any],
) -> None:
    assert spec["openapi"] == "3.1.0"
    try:
        from openapi_spec_validator import OpenAPIV31SpecValidator, validate
    except ImportError:  # not a declared dependency: fall back to the schemas' own meta-schema
        for schema in spec["components"]["schemas"].values():
            jsonschema.Draft202012Validator.check_schema(schema)
        assert set(spec["paths"]) == {OPERATION_PATH}
    else:
        validate(spec, cls=OpenAPIV31SpecValidator)


def test_given_the_spec_and_the_template_when_routes_compared_then_they_are_the_webhook_functions(
    spec: dict[str, Any],
) -> None:
    template = load_template(ROOT / "template.yaml")
    events = template["Resources"]["WebhookFunction"]["Properties"]["Events"]
    routes = {
        (event["Properties"]["Path"], event["Properties"]["Method"].lower())
        for event in events.values()
        if event["Type"] == "Api"
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert documented == routes


def test_given_the_handler_when_its_route_is_read_then_it_is_the_documented_path(
    spec: dict[str, Any], handler: ast.Module
) -> None:
    method, path = ast.literal_eval(_assignment(handler, "ROUTE"))
    assert method.lower() in spec["paths"][path]
    (path_parameter,) = [p for p in _operation(spec)["parameters"] if p["in"] == "path"]
    assert _string_arguments_of(handler, "get", on="path_parameters") == {path_parameter["name"]}


# -- statuses and bodies ---------------------------------------------------------------------


def test_given_the_handler_when_statuses_compared_then_the_spec_lists_each_and_no_other(
    spec: dict[str, Any], handler: ast.Module
) -> None:
    statuses = _handler_statuses(handler)
    assert set(statuses) == set(Verdict)  # every verdict has its answer
    # Besides the verdicts: 401 off the route (no shop id), 503 for a crash.
    assert _answered_statuses(handler) == {401, 503}
    expected = {str(status) for status in {*statuses.values(), *_answered_statuses(handler)}}
    assert set(_operation(spec)["responses"]) == expected


def test_given_the_spec_when_responses_read_then_each_is_json_and_only_503_has_retry_after(
    spec: dict[str, Any], handler: ast.Module
) -> None:
    retry_after = ast.literal_eval(_assignment(handler, "RETRY_AFTER_SECONDS"))
    for status, response in _operation(spec)["responses"].items():
        assert list(response["content"]) == ["application/json"], status
        headers = response.get("headers", {})
        if status == "503":
            header = headers["Retry-After"]
            assert header["required"] is True
            assert header["example"] == retry_after
            assert re.fullmatch(header["schema"]["pattern"], retry_after)
        else:
            assert "Retry-After" not in headers, status


def test_given_the_answers_the_handler_gives_when_validated_then_they_fit_the_response_schemas(
    spec: dict[str, Any],
) -> None:
    responses = _operation(spec)["responses"]

    def body_schema(status: str) -> jsonschema.Draft202012Validator:
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        return _validator(spec, ref.rsplit("/", 1)[1])

    body_schema("202").validate({"accepted": ["1001", "999999999999999999"]})
    body_schema("202").validate({"accepted": []})
    assert not body_schema("202").is_valid({"accepted": ["01"]})
    body_schema("401").validate({"error": NOT_AUTHORISED})
    assert not body_schema("401").is_valid({"error": "no such shop"})
    for status in ("400", "413", "415", "503"):
        body_schema(status).validate({"error": "temporarily unavailable, please retry"})
        assert not body_schema(status).is_valid({"accepted": []}), status


# -- parameters, security and limits ----------------------------------------------------------


def test_given_the_shop_id_parameter_when_compared_then_its_pattern_is_shop_id_pattern(
    spec: dict[str, Any],
) -> None:
    schema = _parameter(spec, "path", "shop_id")["schema"]
    assert schema["pattern"] == SHOP_ID_PATTERN.pattern
    longest = "a" * schema["maxLength"]
    assert SHOP_ID_PATTERN.fullmatch(longest)
    assert not SHOP_ID_PATTERN.fullmatch(longest + "a")
    assert not SHOP_ID_PATTERN.fullmatch("a" * (schema["minLength"] - 1))


def test_given_the_handler_when_headers_and_query_read_then_the_spec_documents_exactly_those(
    spec: dict[str, Any], handler: ast.Module
) -> None:
    headers = _string_arguments_of(handler, "header") - {"content-type"}
    documented_headers = {
        p["name"].lower() for p in _operation(spec)["parameters"] if p["in"] == "header"
    }
    assert documented_headers == headers == {"x-hmac-sha256", "x-webhook-topic"}
    query = _string_arguments_of(handler, "get", on="query")
    documented_query = {p["name"] for p in _operation(spec)["parameters"] if p["in"] == "query"}
    assert documented_query == query == {"token"}
    schemes = spec["components"]["securitySchemes"]
    assert {(s["in"], s["name"].lower()) for s in schemes.values()} == {
        ("header", "x-hmac-sha256"),
        ("query", "token"),
    }
    assert _operation(spec)["security"] == spec["security"] == [{name: []} for name in schemes]


def test_given_a_signature_the_code_accepts_when_matched_then_it_fits_the_header_pattern(
    spec: dict[str, Any],
) -> None:
    pattern = _parameter(spec, "header", "X-Hmac-Sha256")["schema"]["pattern"]
    digest = hmac.new(b"secret", b"[]", hashlib.sha256).digest()
    for signature in (base64.b64encode(digest).decode(), digest.hex()):
        assert door.signature_valid("secret", b"[]", signature)
        assert re.fullmatch(pattern, signature)
    assert not door.signature_valid("secret", b"[]", digest.hex().upper())
    assert not re.fullmatch(pattern, digest.hex().upper())


def test_given_the_topic_header_when_compared_then_its_pattern_and_length_are_the_codes(
    spec: dict[str, Any],
) -> None:
    schema = _parameter(spec, "header", "X-Webhook-Topic")["schema"]
    assert schema["pattern"] == f"^{door.TOPIC.pattern}$"
    assert schema["maxLength"] == door.MAX_TOPIC_LENGTH
    for topic in schema["examples"]:
        door.order_topic(topic)  # raises on a topic the code refuses


def test_given_the_request_body_when_its_limits_compared_then_they_equal_the_constants(
    spec: dict[str, Any],
) -> None:
    body = _operation(spec)["requestBody"]
    assert body["x-max-body-bytes"] == door.MAX_BODY_BYTES
    assert body["x-max-json-depth"] == door.MAX_DEPTH
    assert body["x-max-orders"] == door.MAX_ORDERS
    for limit in (door.MAX_BODY_BYTES, door.MAX_DEPTH, door.MAX_ORDERS):
        assert f" {limit} " in body["description"].replace("\n", " ")
    assert f"{door.MAX_BODY_BYTES} bytes" in _operation(spec)["responses"]["413"]["description"]
    description = spec["info"]["description"].replace("\n", " ")
    assert f"the same {DEDUPLICATION_WINDOW_SECONDS}-second window" in description
    accepted = _schema(spec, "Accepted")["properties"]["accepted"]
    assert accepted["maxItems"] == door.MAX_ORDERS


def test_given_the_order_id_schema_when_compared_then_it_is_the_codes_order_id(
    spec: dict[str, Any],
) -> None:
    number, text = _schema(spec, "OrderId")["oneOf"]
    assert text["pattern"] == f"^{door.ORDER_ID.pattern}$"
    assert (
        _schema(spec, "Accepted")["properties"]["accepted"]["items"]["pattern"] == (text["pattern"])
    )
    digits = text["maxLength"]
    assert number == {"type": "integer", "minimum": 1, "maximum": 10**digits - 1}
    assert door.ORDER_ID.fullmatch("9" * digits)
    assert not door.ORDER_ID.fullmatch("9" * (digits + 1))


def test_given_the_documented_content_types_when_checked_by_the_code_then_each_is_json(
    spec: dict[str, Any],
) -> None:
    content = _operation(spec)["requestBody"]["content"]
    assert content
    for media_type in content:
        assert door.content_type_is_json(media_type)
        assert door.content_type_is_json(f"{media_type}; charset=utf-8")
        assert not door.content_type_is_json(f"{media_type}; charset=latin-1")


# -- the payload shapes against the parser ----------------------------------------------------

_VALID_PAYLOADS = [
    ([{"ObjectType": "Order", "NewValues": {"ObjectIdentifier": 1001}}], ["1001"]),
    (
        [
            {"ObjectType": "order", "NewValues": {"ObjectIdentifier": "1002"}},
            {"ObjectType": "Product", "NewValues": {"ObjectIdentifier": "SKU-1"}},
            {"ObjectType": "ORDER", "NewValues": {"ObjectIdentifier": 1002}},
        ],
        ["1002"],
    ),
    ([], []),
    ({"id": "42"}, ["42"]),
    ({"id": 999999999999999999, "other": True}, ["999999999999999999"]),
]
_INVALID_PAYLOADS = [
    [{"ObjectType": "Order", "NewValues": {"ObjectIdentifier": "01"}}],
    [{"ObjectType": "Order", "NewValues": {}}],
    [{"ObjectType": "Order", "NewValues": {"ObjectIdentifier": True}}],
    ["not a change"],
    {"id": 0},
    {"id": "1" * 19},
    {"id": 1.5},
    {"id": None},
    "1001",
    1001,
]


@pytest.mark.parametrize(("payload", "ids"), _VALID_PAYLOADS)
def test_given_a_payload_the_spec_allows_when_parsed_then_the_code_accepts_it(
    spec: dict[str, Any], payload: object, ids: list[str]
) -> None:
    _validator(spec, "WebhookPayload").validate(payload)
    assert door.order_ids_from_payload(json.dumps(payload).encode()) == ids


@pytest.mark.parametrize("payload", _INVALID_PAYLOADS)
def test_given_a_payload_the_spec_refuses_when_parsed_then_the_code_refuses_it(
    spec: dict[str, Any], payload: object
) -> None:
    assert not _validator(spec, "WebhookPayload").is_valid(payload)
    with pytest.raises(door.WebhookPayloadError):
        door.order_ids_from_payload(json.dumps(payload).encode())
