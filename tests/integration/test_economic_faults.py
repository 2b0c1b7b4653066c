"""Faults of the outside APIs: e-conomic 5xx before and after it committed a write, timeouts,
429 with Retry-After, slow answers, 401; Dandomain 503. Each ends with exactly one booked
invoice per order (or a recorded known error), whatever the number of attempts it took."""

import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from autobook.composition import Root
from autobook.domain.errors import ErrorCode, ErrorRecord
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from sandbox.dandomain import classic_order_change, sign
from sandbox.economic.state import CallRecord
from sandbox.environment import LocalEnvironment
from sandbox.local.lambdas import DrainReport
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop

pytestmark = [
    pytest.mark.integration,
    # Records that fail on purpose leave invocations without application metrics.
    pytest.mark.filterwarnings("ignore:No application metrics to publish"),
]

SHOP = "fault-shop"
DRAFTS = "/invoices/drafts"
BOOKED = "/invoices/booked"


def deliver(env: LocalEnvironment, function: str, **options: Any) -> DrainReport:
    return env.lambdas.drain(function, **options)


@dataclass
class Fixture:
    env: LocalEnvironment
    shop: LocalShop
    order: int

    @property
    def reference(self) -> str:
        return self.shop.config.order_reference(str(self.order))

    def webhook(self, *, old_state: int = 1) -> None:
        body = json.dumps(classic_order_change(self.order, old_state, BOOKING_STATE)).encode()
        headers = {"X-Hmac-Sha256": sign(self.shop.secrets.webhook_secret, body)}
        status, _ = self.env.lambdas.post_webhook(SHOP, body, headers=headers)
        assert status == 202

    def booking(self, **kwargs: bool) -> DrainReport:
        return deliver(self.env, "BookingFunction", **kwargs)

    def run(self) -> tuple[DrainReport, DrainReport]:
        return self.booking(), deliver(self.env, "MailerFunction")

    @contextmanager
    def inspect(self) -> Iterator[Root]:
        with self.env.operator() as root:
            yield root

    def entry(self) -> LedgerEntry:
        with self.inspect() as root:
            found = root.ledger.get(SHOP, str(self.order))
        assert found is not None
        return found

    def errors(self) -> list[ErrorRecord]:
        with self.inspect() as root:
            return root.queries().open_errors(SHOP)

    def calls(self, method: str, path: str) -> list[CallRecord]:
        return [c for c in self.shop.agreement.calls if c.method == method and c.path == path]

    def count(self, kind: str) -> Counter[str]:
        docs = self.shop.agreement.drafts if kind == "drafts" else self.shop.agreement.booked
        return Counter(d["references"]["other"] for d in docs.values())

    def assert_booked_and_mailed_once(self) -> None:
        assert self.count("booked")[self.reference] == 1
        assert self.count("drafts")[self.reference] == 0
        entry = self.entry()
        assert entry.state == LedgerState.MAILED
        assert entry.mail.status == MailStatus.SENT
        assert len(self.env.buyer_mails()) == 1


@pytest.fixture
def fx(fresh_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fixture]:
    # Short timeouts and backoff so timeout faults take a fraction of a second.
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.3")
    monkeypatch.setenv("RETRY_BASE_SECONDS", "0.001")
    fresh_env.lambdas.forget_environment()  # cold starts: the functions read them
    shop = open_shop(fresh_env, SHOP, orders=22)
    fresh_env.economic_state.faults.clear()
    yield Fixture(fresh_env, shop, shop.order_ids[-1])
    fresh_env.economic_state.faults.clear()
    fresh_env.lambdas.forget_environment()


# ------------------------------------------------------------------------------ 5xx


@pytest.mark.parametrize("path", [DRAFTS, BOOKED])
def test_given_economic_answers_503_before_committing_a_write_when_booking_then_it_is_retried_in_process_and_booked_once(
    fx: Fixture, path: str
) -> None:
    fx.env.economic_state.fail_next(2, 503, method="POST", path_prefix=path)
    fx.webhook()

    booking, _ = fx.run()

    assert booking.failed == 0, "two 503s fit in the in-process retries"
    assert [c.status for c in fx.calls("POST", path)] == [503, 503, 201]
    fx.assert_booked_and_mailed_once()


@pytest.mark.parametrize("path", [DRAFTS, BOOKED])
def test_given_economic_fails_longer_than_the_in_process_retries_when_booking_then_the_queue_retries_and_books_once(
    fx: Fixture, path: str
) -> None:
    fx.env.economic_state.fail_next(5, 502, method="POST", path_prefix=path)
    fx.webhook()

    booking, _ = fx.run()

    assert booking.failed >= 1, "the record went back to the queue"
    fx.assert_booked_and_mailed_once()


@pytest.mark.parametrize("path", [DRAFTS, BOOKED])
def test_given_economic_committed_the_write_but_answered_500_when_booking_then_the_result_is_adopted_without_a_duplicate(
    fx: Fixture, path: str
) -> None:
    fx.env.economic_state.fail_next(1, 500, method="POST", path_prefix=path, after_commit=True)
    fx.webhook()

    booking, _ = fx.run()

    assert booking.failed == 0
    posts = fx.calls("POST", path)
    assert [c.status for c in posts][:1] == [500]
    assert posts[-1].from_cache, "the repeat was answered from the idempotency cache"
    fx.assert_booked_and_mailed_once()


@pytest.mark.parametrize("path", [DRAFTS, BOOKED])
def test_given_every_attempt_committed_but_answered_500_and_the_cache_expired_when_redelivered_then_the_invoice_is_found_by_reference(
    fx: Fixture, path: str
) -> None:
    """Unknown outcome after all in-process retries: the next delivery must look first."""
    fx.env.economic_state.fail_next(3, 500, method="POST", path_prefix=path, after_commit=True)
    fx.webhook()
    first = fx.booking(max_batches=1)
    assert first.failed == 1
    fx.shop.agreement.idempotency.clear()  # the redelivery comes after the cache's hour

    fx.run()

    fx.assert_booked_and_mailed_once()


# ------------------------------------------------------------------------------ timeouts


@pytest.mark.parametrize("path", [DRAFTS, BOOKED])
def test_given_economic_commits_but_answers_after_the_client_timeout_when_booking_then_one_invoice(
    fx: Fixture, path: str
) -> None:
    fx.env.economic_state.timeout_next(
        1, seconds=0.8, after_commit=True, method="POST", path_prefix=path
    )
    fx.webhook()

    booking, _ = fx.run()

    assert booking.failed == 0
    # The timed-out call committed: its repeat is answered from the idempotency cache. (The
    # sandbox logs a call when it answers, so the abandoned one is logged late or never.)
    posts = fx.calls("POST", path)
    assert any(c.from_cache for c in posts)
    assert sum(not c.from_cache for c in posts) <= 1
    fx.assert_booked_and_mailed_once()


def test_given_economic_hangs_without_committing_when_booking_then_it_is_retried_and_booked_once(
    fx: Fixture,
) -> None:
    fx.env.economic_state.timeout_next(1, seconds=0.8, method="POST", path_prefix=DRAFTS)
    fx.webhook()

    fx.run()

    fx.assert_booked_and_mailed_once()


def test_given_slow_answers_within_the_timeout_when_booking_then_nothing_is_retried(
    fx: Fixture,
) -> None:
    fx.env.economic_state.set_latency(0.1)
    fx.webhook()

    booking, mailer = fx.run()

    assert (booking.failed, mailer.failed) == (0, 0)
    assert len(fx.calls("POST", DRAFTS)) == 1
    assert len(fx.calls("POST", BOOKED)) == 1
    fx.assert_booked_and_mailed_once()


# ------------------------------------------------------------------------------ 429


def _visible_in_seconds(env: LocalEnvironment, function: str) -> list[float]:
    """Seconds until each message of the function's queue becomes receivable (moto, in-process)."""
    from moto.sqs.models import sqs_backends

    from sandbox.stack.resources import ACCOUNT_ID

    assert env.aws is not None
    (queue_id,) = env.aws.stack.event_sources[function]
    name = env.aws.stack.queues[queue_id].rsplit("/", 1)[1]
    queue = sqs_backends[ACCOUNT_ID][env.aws.region].queues[name]
    now_ms = time.time() * 1000
    return [(m.visible_at - now_ms) / 1000 for m in queue._messages]


def _release(env: LocalEnvironment, function: str) -> None:
    """Time passes: the held-back messages become visible."""
    from moto.sqs.models import sqs_backends

    from sandbox.stack.resources import ACCOUNT_ID

    assert env.aws is not None
    (queue_id,) = env.aws.stack.event_sources[function]
    name = env.aws.stack.queues[queue_id].rsplit("/", 1)[1]
    for message in sqs_backends[ACCOUNT_ID][env.aws.region].queues[name]._messages:
        message.visible_at = 0.0


def test_given_economic_answers_429_with_retry_after_when_booking_then_the_message_is_held_back_that_long_and_then_booked(
    fx: Fixture,
) -> None:
    retry_after = 30
    fx.shop.agreement.set_rate_limit(1, per_seconds=retry_after)
    fx.shop.agreement.bucket.drain()  # the agreement's budget is used up
    fx.webhook()

    first = fx.booking(release_failed=False)

    assert first.failed == 1
    throttled = [c for c in fx.shop.agreement.calls if c.status == 429]
    assert len(throttled) == 1, "a 429 is not retried in-process"
    (hidden,) = _visible_in_seconds(fx.env, "BookingFunction")
    assert hidden >= retry_after, "the message comes back no sooner than Retry-After"
    assert fx.booking(release_failed=False).invocations == 0, "not receivable now"

    fx.shop.agreement.set_rate_limit(10000)  # the budget refills ...
    _release(fx.env, "BookingFunction")  # ... and the time has passed
    fx.run()

    fx.assert_booked_and_mailed_once()


# ------------------------------------------------------------------------------ Dandomain, 401


def test_given_dandomain_answers_503_when_booking_then_the_queue_retries_and_books_once(
    fx: Fixture,
) -> None:
    fx.env.dandomain_state.fail_next(1, 503)
    fx.webhook()

    booking, _ = fx.run()

    assert booking.failed == 1
    fx.assert_booked_and_mailed_once()


def test_given_economic_rejects_the_tokens_with_401_when_booking_then_economic_access_is_recorded_and_not_retried(
    fx: Fixture,
) -> None:
    grant = fx.shop.secrets.economic_grant_token
    agreement = fx.env.economic_state.agreements.pop(grant)  # the app's access was revoked
    try:
        calls_before = len(fx.env.economic_state.calls)
        fx.webhook()

        booking, mailer = fx.run()

        assert (booking.processed, booking.failed) == (1, 0), "a known error is not retried"
        assert mailer.invocations == 0
        unauthorized = fx.env.economic_state.calls[calls_before:]
        assert [c.status for c in unauthorized] == [401]
        codes = {e.code for e in fx.errors()}
        assert ErrorCode.ECONOMIC_ACCESS in codes
        assert fx.entry().state == LedgerState.FAILED
        assert not agreement.drafts
        assert not agreement.booked
    finally:
        fx.env.economic_state.agreements[grant] = agreement
