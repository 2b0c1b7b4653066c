"""Webhook payload parsing and caller verification (pure: no sockets)."""

import base64
import hashlib
import hmac
import json

import pytest

from autobook.dandomain import webhook
from autobook.dandomain.webhook import (
    WebhookPayloadError,
    order_ids_from_payload,
    signature_valid,
    token_valid,
)

pytestmark = pytest.mark.disable_socket

SECRET = "sample-webhook-secret"


def _order_change(order_id: object, *, keys: str = "pascal", new: bool = True) -> dict[str, object]:
    if keys == "pascal":
        values_key = "NewValues" if new else "OldValues"
        return {
            "ObjectType": "Order",
            "PropertiesChanged": ["OrderStateId"],
            values_key: {"ObjectIdentifier": order_id, "OrderStateId": 3},
        }
    values_key = "newValues" if new else "oldValues"
    return {
        "objectType": "order",
        "propertiesChanged": ["orderStateId"],
        values_key: {"objectIdentifier": order_id, "orderStateId": 3},
    }


def _raw(payload: object) -> bytes:
    return json.dumps(payload).encode()


# -- payload parsing ---------------------------------------------------------------------
def test_given_classic_change_array_when_parsed_then_the_order_id_as_text() -> None:
    assert order_ids_from_payload(_raw([_order_change(1001)])) == ["1001"]


def test_given_camel_case_keys_when_parsed_then_same_order_id_as_pascal_case() -> None:
    assert order_ids_from_payload(_raw([_order_change(1001, keys="camel")])) == ["1001"]


def test_given_only_old_values_when_parsed_then_the_old_identifier_is_used() -> None:
    assert order_ids_from_payload(_raw([_order_change(42, new=False)])) == ["42"]


def test_given_single_change_object_not_in_array_when_parsed_then_accepted() -> None:
    assert order_ids_from_payload(_raw(_order_change(1005))) == ["1005"]


def test_given_webshop_id_body_when_parsed_then_that_id() -> None:
    assert order_ids_from_payload(b'{"id":"1002"}') == ["1002"]


def test_given_webshop_numeric_id_with_spaces_when_parsed_then_stripped_text() -> None:
    assert order_ids_from_payload(b'{"ID": " 77 "}') == ["77"]


def test_given_batched_classic_payload_when_parsed_then_every_order_once_in_order() -> None:
    payload = [
        _order_change(1003),
        {"ObjectType": "Product", "NewValues": {"ObjectIdentifier": "TS-ORG-001"}},
        _order_change(1001, keys="camel"),
        _order_change(1003),  # the same order twice in one delivery
        {"ObjectType": "Customer", "NewValues": {"ObjectIdentifier": 5}},
    ]
    assert order_ids_from_payload(_raw(payload)) == ["1003", "1001"]


def test_given_only_non_order_changes_when_parsed_then_no_order_ids() -> None:
    payload = [
        {"ObjectType": "Product", "NewValues": {"ObjectIdentifier": "SKU-1"}},
        {"ObjectType": "Customer", "NewValues": {"ObjectIdentifier": 9}},
    ]
    assert order_ids_from_payload(_raw(payload)) == []


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
        pytest.param(b"42", id="number"),
        pytest.param(b'"1001"', id="string"),
        pytest.param(b"null", id="null"),
        pytest.param(b"[1, 2]", id="array-of-numbers"),
        pytest.param(b'[{"ObjectType": "Order", "NewValues": {}}]', id="order-without-id"),
        pytest.param(
            b'[{"ObjectType": "Order", "NewValues": {"ObjectIdentifier": "  "}}]',
            id="order-blank-id",
        ),
        pytest.param(b'{"id": "inf"}', id="id-inf"),
        pytest.param(b'{"id": "../9001"}', id="id-path"),
        pytest.param(b'{"id": -3}', id="id-negative"),
        pytest.param(b'{"id": 007}', id="id-leading-zero-number"),
        pytest.param(b'{"id": "007"}', id="id-leading-zero-text"),
        pytest.param(b'{"id": true}', id="id-bool"),
        pytest.param(b'{"id": [1]}', id="id-list"),
        pytest.param(b'{"id": Infinity}', id="id-infinity"),
        pytest.param(b'{"id": "\\ud83d"}', id="id-lone-surrogate"),
        pytest.param(b"[" * 9 + b"]" * 9, id="nested-too-deep"),
        pytest.param(b'{"id": "1\xc3"}', id="truncated-utf8"),
    ],
)
def test_given_garbage_when_parsed_then_webhook_payload_error(raw: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        order_ids_from_payload(raw)


def test_given_brackets_inside_strings_when_parsed_then_not_counted_as_nesting() -> None:
    payload = [_order_change(1001) | {"PropertiesChanged": ['[[[[[[[[[[[[{{{{{{{{{{\\"]']}]
    assert order_ids_from_payload(_raw(payload)) == ["1001"]


def test_given_more_orders_than_a_delivery_may_hold_then_webhook_payload_error() -> None:
    payload = [_order_change(n) for n in range(1, webhook.MAX_ORDERS + 2)]
    with pytest.raises(WebhookPayloadError):
        order_ids_from_payload(_raw(payload))


def test_given_the_topic_header_then_only_order_topics_are_about_orders() -> None:
    assert webhook.order_topic(None)
    assert webhook.order_topic("orders/partially-fulfilled")
    assert not webhook.order_topic("products/updated")
    for bad in ("orders", "Orders/Created", "orders/x y", "a/" + "b" * 70):
        with pytest.raises(webhook.WebhookTopicError):
            webhook.order_topic(bad)


def test_given_webshop_body_with_empty_id_when_parsed_then_webhook_payload_error() -> None:
    with pytest.raises(WebhookPayloadError):
        order_ids_from_payload(b'{"id": ""}')


# -- caller verification -----------------------------------------------------------------
def _digest(body: bytes, secret: str = SECRET) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def test_given_base64_hmac_when_checked_then_valid() -> None:
    body = b'[{"ObjectType":"Order"}]'
    assert signature_valid(SECRET, body, base64.b64encode(_digest(body)).decode())


def test_given_hex_hmac_when_checked_then_valid() -> None:
    body = b'{"id":"1002"}'
    assert signature_valid(SECRET, body, _digest(body).hex())


def test_given_signature_with_surrounding_whitespace_when_checked_then_valid() -> None:
    body = b'{"id":"1002"}'
    assert signature_valid(SECRET, body, f"  {_digest(body).hex()}\n")


def test_given_hmac_of_other_secret_when_checked_then_invalid() -> None:
    body = b'{"id":"1002"}'
    assert not signature_valid(SECRET, body, base64.b64encode(_digest(body, "wrong")).decode())


def test_given_hmac_of_other_body_when_checked_then_invalid() -> None:
    signature = base64.b64encode(_digest(b'{"id":"1002"}')).decode()
    assert not signature_valid(SECRET, b'{"id":"1003"}', signature)


def test_given_the_sample_event_signature_when_checked_then_valid() -> None:
    body = (
        b'[{"ObjectType": "Order", "PropertiesChanged": ["OrderStateId"], "OldValues": '
        b'{"ObjectIdentifier": 1001, "OrderStateId": 1}, "NewValues": {"ObjectIdentifier": '
        b'1001, "OrderStateId": 3}}]'
    )
    assert signature_valid(SECRET, body, "9Ct6hGUzh/VfHCBI2XTYnEjCOw9+vUCVgnZQfjlsQnM=")


def test_given_any_signature_when_checked_then_constant_time_compare_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[object, object]] = []
    real = hmac.compare_digest

    def spy(a: object, b: object) -> bool:
        calls.append((a, b))
        return real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(webhook.hmac, "compare_digest", spy)
    body = b'{"id":"1"}'
    assert not signature_valid(SECRET, body, "deadbeef")
    assert signature_valid(SECRET, body, _digest(body).hex())
    assert token_valid(SECRET, SECRET)
    assert not token_valid(SECRET, "nope")
    # every comparison went through hmac.compare_digest (no == on secrets)
    assert len(calls) >= 5


def test_given_token_when_checked_then_only_the_exact_secret_is_valid() -> None:
    assert token_valid(SECRET, SECRET)
    assert not token_valid(SECRET, SECRET + "x")
    assert not token_valid(SECRET, "")
    assert not token_valid(SECRET, "søren")  # non-ASCII must not crash


def test_given_non_ascii_signature_when_checked_then_invalid_not_crash() -> None:
    assert signature_valid(SECRET, b'{"id":"1"}', "ø") is False
