"""Fuzz the webhook door over HTTP: hypothesis generates the raw body, the headers and the
path; genuine deliveries (signed, valid, fresh order ids) are mixed in. What is counted:

- `5xx`: answers with a 5xx status other than a 503 (503 is the "retry" answer of an outage;
  a genuine delivery answered 503 is retried, as Dandomain would, and counted in `retried_503`);
- `invalid_enqueued`: an order event on the queue that is not a Dandomain order id of the
  fuzzed shop, sent in a body signed with its secret;
- `lost`: a genuine delivery's order id that is not on the queue (or whose answer was not 202);
- `genuine`: genuine deliveries sent; `disagreements`: genuine deliveries not answered 202.

Used by `bench/fuzz_webhook.py` (10,000 requests) and `tests/e2e/test_webhook_fuzz.py`.
"""

import base64
import hashlib
import hmac
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from autobook.domain.events import OrderEvent
from sandbox.environment import LocalEnvironment
from sandbox.webshop.webhooks import ORDER_TOPICS

FUZZ_SHOP = "fuzz-shop"
FUZZ_SECRET = "fuzz-webhook-secret"
DANDOMAIN_ID = re.compile(r"[1-9][0-9]{0,17}")
_HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80).map(
    str.strip
)


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    genuine: int = 0
    disagreements: int = 0
    retried_503: int = 0
    invalid_enqueued: int = 0
    lost: int = 0
    expected_ids: set[str] = field(default_factory=set)
    signed_ids: set[str] = field(default_factory=set)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 and status != 503)

    def line(self) -> str:
        statuses = " ".join(f"{s}={n}" for s, n in sorted(self.statuses.items()))
        return (
            f"requests={self.requests} 5xx={self.server_errors} "
            f"invalid_enqueued={self.invalid_enqueued} lost={self.lost} "
            f"genuine={self.genuine} disagreements={self.disagreements} "
            f"retried_503={self.retried_503} statuses: {statuses}"
        )


@dataclass(frozen=True)
class FuzzRequest:
    shop_id: str
    body: bytes
    headers: dict[str, str]
    query: dict[str, str]
    genuine_ids: tuple[str, ...] = ()  # set only for a genuine delivery
    signed: bool = False


def _sign(raw: bytes) -> str:
    return base64.b64encode(hmac.new(FUZZ_SECRET.encode(), raw, hashlib.sha256).digest()).decode()


_fresh_ids = itertools.count(10_000_001)


@st.composite
def genuine_requests(draw: st.DrawFn) -> FuzzRequest:
    """What Dandomain sends: Classic change lists or Webshop `{"id"}` with an order topic."""
    if draw(st.booleans()):
        ids = tuple(str(next(_fresh_ids)) for _ in range(draw(st.integers(1, 12))))
        body = json.dumps(
            [
                {
                    "ObjectType": draw(st.sampled_from(["Order", "order", "ORDER"])),
                    "PropertiesChanged": ["OrderStateId"],
                    "OldValues": {"ObjectIdentifier": int(i), "OrderStateId": 1},
                    "NewValues": {
                        "ObjectIdentifier": draw(st.sampled_from([int(i), i])),
                        "OrderStateId": 3,
                    },
                }
                for i in ids
            ]
        ).encode()
        headers = {"Content-Type": "application/json", "X-Hmac-Sha256": _sign(body)}
    else:
        ids = (str(next(_fresh_ids)),)
        body = json.dumps({"id": ids[0]}).encode()
        topic = draw(st.sampled_from(ORDER_TOPICS))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Hmac-Sha256": _sign(body),
            "X-Webhook-Topic": topic,
        }
    return FuzzRequest(FUZZ_SHOP, body, headers, {}, genuine_ids=ids, signed=True)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
_odd_ids = st.one_of(
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["inf", "{}", "../9001", "0", "-1", "1e3", " 42 ", "\ud800", "١٢٣", "9" * 40]),
    st.booleans(),
    st.none(),
    _json_values,
)


@st.composite
def _hostile_body(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["binary", "json", "changes", "webshop", "deep", "big", "mutated"]))
    if kind == "binary":
        return draw(st.binary(max_size=2_000))
    if kind == "json":
        return json.dumps(draw(_json_values)).encode("utf-8", "surrogatepass")
    if kind == "changes":
        changes = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        draw(st.sampled_from(["ObjectType", "objectType", "x"])): st.sampled_from(
                            ["Order", "Product", 5, None]
                        ),
                        "NewValues": st.one_of(
                            st.fixed_dictionaries({"ObjectIdentifier": _odd_ids}), _json_values
                        ),
                    }
                ),
                max_size=20,
            )
        )
        return json.dumps(changes).encode("utf-8", "surrogatepass")
    if kind == "webshop":
        return json.dumps({"id": draw(_odd_ids)}).encode("utf-8", "surrogatepass")
    if kind == "deep":
        depth = draw(st.integers(2, 60_000))
        return b"[" * depth + b"]" * depth
    if kind == "big":
        return b'[{"ObjectType":"Order","NewValues":{"ObjectIdentifier":1}}' + b" " * 270_000 + b"]"
    raw = bytearray(json.dumps({"id": "1001"}).encode())
    for _ in range(draw(st.integers(1, 4))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


@st.composite
def hostile_requests(draw: st.DrawFn) -> FuzzRequest:
    shop_id = draw(
        st.one_of(
            st.just(FUZZ_SHOP),
            st.text(max_size=60),
            st.text(st.sampled_from("abc-0123456789"), min_size=1, max_size=60),
            st.just("a" * 2_000),
        )
    )
    body = draw(_hostile_body())
    headers: dict[str, str] = {}
    content_type = draw(
        st.one_of(
            st.none(),
            st.sampled_from(
                ["application/json", "text/plain", "application/json; charset=latin-1", ""]
            ),
            _HEADER_TEXT,
        )
    )
    if content_type is not None:
        headers["Content-Type"] = content_type
    topic = draw(
        st.one_of(st.none(), st.sampled_from([*ORDER_TOPICS, "products/updated"]), _HEADER_TEXT)
    )
    if topic is not None:
        headers["X-Webhook-Topic"] = topic
    signing = draw(st.sampled_from(["valid", "valid", "none", "garbage", "token", "bad-token"]))
    query: dict[str, str] = {}
    if signing == "valid":
        headers["X-Hmac-Sha256"] = _sign(body)
    elif signing == "garbage":
        headers["X-Hmac-Sha256"] = draw(_HEADER_TEXT)
    elif signing == "token":
        query["token"] = FUZZ_SECRET
    elif signing == "bad-token":
        query["token"] = draw(st.text(max_size=40))
    signed = shop_id == FUZZ_SHOP and signing in ("valid", "token")
    return FuzzRequest(shop_id, body, headers, query, signed=signed)


def fuzz_requests() -> st.SearchStrategy[FuzzRequest]:
    """One in five genuine."""
    return st.one_of(
        genuine_requests(),
        hostile_requests(),
        hostile_requests(),
        hostile_requests(),
        hostile_requests(),
    )


def open_fuzz_shop(env: LocalEnvironment) -> None:
    from sandbox.shopkit import open_shop

    open_shop(env, FUZZ_SHOP, orders=0, webhook_secret=FUZZ_SECRET)


def run(env: LocalEnvironment, *, requests: int) -> FuzzReport:
    """`requests` generated requests (the same ones every run) against the local API of a
    fresh environment with the fuzz shop open, then the orders queue checked (and emptied)."""
    report = FuzzReport()
    queued: list[OrderEvent] = []
    base = env.webhook_url("")
    with httpx.Client(timeout=30) as client:

        def send(request: FuzzRequest) -> httpx.Response:
            url = base + quote(request.shop_id, safe="")
            return client.post(
                url, content=request.body, headers=request.headers, params=request.query
            )

        @settings(
            max_examples=requests,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request=fuzz_requests())
        def one(request: FuzzRequest) -> None:
            answer = send(request)
            report.requests += 1
            if report.requests % 250 == 0:  # moto's FIFO de-duplication slows as a queue grows
                queued.extend(queued_events(env))
            report.statuses[answer.status_code] += 1
            if request.signed:
                report.signed_ids.update(ids_sent(request.body))
            if not request.genuine_ids:
                return
            report.genuine += 1
            for _ in range(3):  # as Dandomain retries a 503
                if answer.status_code != 503:
                    break
                report.retried_503 += 1
                answer = send(request)
            if answer.status_code != 202:
                report.disagreements += 1
                return
            report.expected_ids.update(request.genuine_ids)

        one()
    queued.extend(queued_events(env))
    report.invalid_enqueued = sum(
        1
        for event in queued
        if event.shop_id != FUZZ_SHOP
        or not DANDOMAIN_ID.fullmatch(event.order_id)
        or event.order_id not in report.signed_ids
    )
    on_queue = {event.order_id for event in queued}
    report.lost = len(report.expected_ids - on_queue) + report.disagreements
    report.statuses.pop(307, None)  # Starlette's redirect of an empty shop id: not the door
    return report


def ids_sent(body: bytes) -> set[str]:
    """Every scalar in a body, as text: an enqueued id must be one of these."""
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):
        return set()
    found: set[str] = set()
    stack = [payload]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif value is not None:
            found.add(str(value).strip())
    return found


def queued_events(env: LocalEnvironment) -> list[OrderEvent]:
    assert env.aws is not None
    sqs = env.aws.client("sqs")
    url = env.aws.stack.queues["OrdersQueue"]
    events: list[OrderEvent] = []
    # Read and delete: a FIFO queue hands out no more of a group while one of it is in flight.
    while messages := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600
    ).get("Messages"):
        events += [OrderEvent.model_validate_json(m["Body"]) for m in messages]
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)
            ],
        )
    return events
