"""Schemathesis from docs/webhook-openapi.yaml against the local API, in every `make test`: every
operation of the spec, positive and negative data, each answer checked against the spec (status,
content type, headers, body) and none a 5xx; afterwards nothing invalid is on the orders queue.

Generated requests are mostly refused (an unknown shop, no signature). A share of them is sent
as the fuzz shop would send it: to its id, signed with its webhook secret (HMAC base64 or hex, or
the token) over the exact bytes sent, so the verified path and the 202 are exercised too."""

import base64
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from autobook.dandomain.webhook import MAX_BODY_BYTES
from autobook.domain.events import OrderEvent
from sandbox import webhook_fuzz
from sandbox.environment import STAGE, LocalEnvironment
from sandbox.webshop.webhooks import ORDER_TOPICS

pytestmark = pytest.mark.e2e

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "webhook-openapi.yaml"
SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)
EXAMPLES_PER_MODE = 200
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# How a case is sent. "generated": as schemathesis made it. "to-the-shop": to the fuzz shop's
# id, otherwise as generated (its signature, if any, is a random one). "hmac-base64",
# "hmac-hex", "token": to the fuzz shop and genuinely verified, with the generated topic, none
# or an order topic. "not-json": verified, with a content type that is not JSON in UTF-8.
# "too-large": verified, the body padded with JSON whitespace past the limit.
CALLERS = (
    "generated",
    "generated",
    "to-the-shop",
    "hmac-base64",
    "hmac-hex",
    "token",
    "not-json",
    "too-large",
)
VERIFIED = frozenset({"hmac-base64", "hmac-hex", "token"})
TOPICS = ("generated", "none", *ORDER_TOPICS)
NOT_JSON = ("text/plain", "application/json; charset=latin-1", "application/xml", "text/html")


@dataclass
class Run:
    cases: Counter[str] = field(default_factory=Counter)  # per generation mode
    statuses: Counter[int] = field(default_factory=Counter)
    by_caller: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    accepted_ids: set[str] = field(default_factory=set)
    signed_ids: set[str] = field(default_factory=set)  # every scalar of a verified valid body
    queued: list[OrderEvent] = field(default_factory=list)


def _raw_body(case: Case, base_url: str) -> bytes:
    """The exact bytes schemathesis would send as the case's body (requests' own encoding of
    its serialised body: JSON, or raw bytes the negative mode makes)."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    body = (
        requests.Request(
            method=kwargs["method"],
            url=kwargs["url"],
            json=kwargs.get("json"),
            data=kwargs.get("data"),
        )
        .prepare()
        .body
    )
    if body is None:
        return b""
    return body if isinstance(body, bytes) else body.encode("utf-8")


def _to_the_shop(case: Case) -> None:
    case.path_parameters = {**(case.path_parameters or {}), "shop_id": webhook_fuzz.FUZZ_SHOP}


def _sign_as_the_shop(case: Case, caller: str, topic: str, raw: bytes) -> None:
    """Turn a generated case into a delivery from the fuzz shop, verified as `caller` says
    (the signature covers exactly `raw`, the bytes it is sent with)."""
    _to_the_shop(case)
    headers = {
        name: value
        for name, value in (case.headers or {}).items()
        if name.lower() != "x-hmac-sha256"
        and not (topic != "generated" and name.lower() == "x-webhook-topic")
    }
    if topic not in ("generated", "none"):
        headers["X-Webhook-Topic"] = topic
    digest = hmac.new(webhook_fuzz.FUZZ_SECRET.encode(), raw, hashlib.sha256).digest()
    query = dict(case.query or {})
    if caller == "hmac-hex":
        headers["X-Hmac-Sha256"] = digest.hex()
    elif caller == "token":
        query["token"] = webhook_fuzz.FUZZ_SECRET
    else:
        headers["X-Hmac-Sha256"] = base64.b64encode(digest).decode()
    case.headers = headers
    case.query = query


def _send(
    case: Case,
    caller: str,
    topic: str,
    content_type: str,
    base_url: str,
    session: requests.Session,
) -> tuple[requests.Response, bytes | None]:
    """The answer, and the raw body when it was sent verified as the fuzz shop."""
    sent: dict[str, Any] = {"base_url": base_url, "session": session, "allow_redirects": False}
    if caller == "generated":
        return case.call(**sent), None
    if caller == "to-the-shop":
        _to_the_shop(case)
        return case.call(**sent), None
    raw = _raw_body(case, base_url)
    if caller == "too-large":
        raw += b" " * (MAX_BODY_BYTES + 1 - len(raw))
    _sign_as_the_shop(case, caller, topic, raw)
    headers = {"Content-Type": content_type} if caller == "not-json" else None
    return case.call(**sent, data=raw, headers=headers), raw


def _run_mode(run: Run, env: LocalEnvironment, mode: GenerationMode) -> None:
    base_url = f"{env.api.url}/{STAGE}"
    with requests.Session() as session:
        for result in SCHEMA.get_all_operations():
            operation = result.ok()

            @settings(
                max_examples=EXAMPLES_PER_MODE,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(
                case=operation.as_strategy(generation_mode=mode),
            )
            def one(case: Case) -> None:
                # Round robin, not drawn: hypothesis favours a list's first entries.
                n = sum(run.cases.values())
                caller = CALLERS[n % len(CALLERS)]
                topic = TOPICS[n // len(CALLERS) % len(TOPICS)]
                content_type = NOT_JSON[n % len(NOT_JSON)]
                answer, raw = _send(case, caller, topic, content_type, base_url, session)
                run.cases[mode.value] += 1
                run.statuses[answer.status_code] += 1
                run.by_caller[caller, answer.status_code] += 1
                if raw is not None and caller in VERIFIED:
                    run.signed_ids.update(webhook_fuzz.ids_sent(raw))
                if answer.status_code == 202:
                    run.accepted_ids.update(answer.json()["accepted"])
                try:
                    case.validate_response(answer, checks=CHECKS)
                    assert answer.status_code < 500
                except (AssertionError, FailureGroup) as error:  # collected, reported together
                    run.failures.append(
                        f"{mode.value} {caller}: {case.as_curl_command(base_url=base_url)}\n"
                        f"  -> {answer.status_code} {answer.text[:300]}\n  {error}"
                    )
                if sum(run.cases.values()) % 100 == 0:  # moto's FIFO slows as a queue grows
                    run.queued.extend(webhook_fuzz.queued_events(env))

            one()


def test_given_the_openapi_spec_when_schemathesis_sends_positive_and_negative_cases_then_no_5xx_and_nothing_invalid_enqueued(
    fresh_env: LocalEnvironment,
) -> None:
    assert [r.ok().label for r in SCHEMA.get_all_operations()] == ["POST /webhook/{shop_id}"]
    webhook_fuzz.open_fuzz_shop(fresh_env)
    run = Run()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _run_mode(run, fresh_env, mode)
    run.queued.extend(webhook_fuzz.queued_events(fresh_env))
    print(
        f"cases={dict(run.cases)} statuses={dict(sorted(run.statuses.items()))} "
        f"by_caller={dict(sorted(run.by_caller.items()))} "
        f"accepted_ids={len(run.accepted_ids)} queued={len(run.queued)}"
    )

    assert run.failures == [], "\n\n".join(run.failures[:20])
    assert all(status < 500 for status in run.statuses)
    assert set(run.cases) == {"positive", "negative"}
    assert min(run.cases.values()) >= EXAMPLES_PER_MODE // 2
    assert run.statuses[202] > 0  # the verified path ran, not only refusals
    assert {202, 400, 401, 413, 415} <= set(run.statuses)  # every answer but the outage's
    assert {s for (caller, s) in run.by_caller if caller in VERIFIED} <= {202, 400}
    assert run.accepted_ids  # and some deliveries named orders
    invalid = [
        event
        for event in run.queued
        if event.shop_id != webhook_fuzz.FUZZ_SHOP
        or not webhook_fuzz.DANDOMAIN_ID.fullmatch(event.order_id)
        or event.order_id not in run.signed_ids
    ]
    assert invalid == []
    # Every order id on the queue was answered as accepted, and every accepted one is queued.
    assert {event.order_id for event in run.queued} == run.accepted_ids
