"""Crash recovery: a worker dies at every step boundary of booking, mailing and crediting, the
queue redelivers the record, and the end state is still one invoice, one ledger story, one mail.

A crash is a `SimulatedCrash` (not a KnownError) raised right after a wrapped call returned, so
the write it made has happened. The handler's record fails and the local event-source mapping
(`lambdas.drain`) makes it visible again at once, exactly as Lambda + SQS redeliver it.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from autobook import runtime
from autobook.domain.errors import ErrorCode
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from autobook.store.error_log import ErrorRecord
from autobook.usecases.dependencies import Dependencies, build_dependencies
from sandbox.dandomain import classic_order_change, sign
from sandbox.environment import LocalEnvironment
from sandbox.local.lambdas import DrainReport
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop

pytestmark = pytest.mark.integration

SHOP = "crash-shop"
CANCELLED = 4


class SimulatedCrash(Exception):
    """The Lambda worker died: not a KnownError, so the record fails and is redelivered."""


# ------------------------------------------------------------------------------ crash harness


@dataclass
class Trigger:
    """Fires `times` times on calls of `method` whose (args, kwargs) satisfy `when`."""

    method: str
    when: Callable[[tuple[Any, ...], dict[str, Any]], bool] = lambda args, kwargs: True
    times: int = 1
    fired: int = 0

    def should_fire(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        if name != self.method or self.fired >= self.times or not self.when(args, kwargs):
            return False
        self.fired += 1
        return True


class CrashAfter:
    """A proxy that lets the wrapped call happen, then dies when a trigger says so."""

    def __init__(self, target: Any, triggers: list[Trigger]) -> None:
        self._target = target
        self._triggers = triggers

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr) or not any(t.method == name for t in self._triggers):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            for trigger in self._triggers:
                if trigger.should_fire(name, args, kwargs):
                    raise SimulatedCrash(f"crash after {name}")
            return result

        return call


@dataclass
class Crashes:
    """Where to crash: triggers per dependency ('economic', 'ledger', 'mail_queue', ...)."""

    triggers: dict[str, list[Trigger]] = field(default_factory=dict)

    def add(self, dependency: str, trigger: Trigger) -> Trigger:
        self.triggers.setdefault(dependency, []).append(trigger)
        return trigger

    def wrap(self, real: Dependencies) -> Dependencies:
        changes: dict[str, Any] = {}
        for name, triggers in self.triggers.items():
            if name == "economic":
                factory = real.economic
                changes[name] = lambda s, f=factory, t=triggers: CrashAfter(f(s), t)
            else:
                changes[name] = CrashAfter(getattr(real, name), triggers)
        return replace(real, **changes)


class PatchedDependencies:
    """Stands in for `runtime.dependencies` (cached per Lambda environment, like the real one)."""

    def __init__(self, crashes: Crashes) -> None:
        self._crashes = crashes
        self._cached: Dependencies | None = None

    def __call__(self) -> Dependencies:
        if self._cached is None:
            self._cached = self._crashes.wrap(build_dependencies(runtime.settings()))
        return self._cached

    def cache_clear(self) -> None:  # runtime.reset() calls this
        self._cached = None


# ------------------------------------------------------------------------------ delivery


def deliver(env: LocalEnvironment, function: str, **options: Any) -> DrainReport:
    return env.lambdas.drain(function, **options)


# ------------------------------------------------------------------------------ the scenario


@dataclass
class Scenario:
    env: LocalEnvironment
    shop: LocalShop
    crashes: Crashes
    order: int

    @property
    def order_id(self) -> str:
        return str(self.order)

    @property
    def reference(self) -> str:
        return self.shop.config.order_reference(self.order_id)

    def webhook(self, order: int | None = None, *, old_state: int = 1) -> None:
        order = order or self.order
        body = json.dumps(classic_order_change(order, old_state, BOOKING_STATE)).encode()
        headers = {"X-Hmac-Sha256": sign(self.shop.secrets.webhook_secret, body)}
        status, _ = self.env.lambdas.post_webhook(SHOP, body, headers=headers)
        assert status == 202

    def cancel(self) -> None:
        self.shop.dandomain.set_order_state(self.order, CANCELLED)
        self.webhook(old_state=BOOKING_STATE)

    def drain_booking(self, *, max_batches: int = 1000) -> DrainReport:
        return deliver(self.env, "BookingFunction", max_batches=max_batches)

    def drain_mailer(self) -> DrainReport:
        return deliver(self.env, "MailerFunction")

    def run(self) -> tuple[DrainReport, DrainReport]:
        return self.drain_booking(), self.drain_mailer()

    @contextmanager
    def inspect(self) -> Iterator[Dependencies]:
        yield from _operator(self.env)

    def entry(self, order: int | None = None) -> LedgerEntry:
        with self.inspect() as deps:
            found = deps.ledger.get(SHOP, str(order or self.order))
        assert found is not None
        return found

    def errors(self) -> list[ErrorRecord]:
        with self.inspect() as deps:
            return deps.errors.for_shop(SHOP)

    def drafts(self) -> Counter[str]:
        return Counter(d["references"]["other"] for d in self.shop.agreement.drafts.values())

    def booked(self) -> Counter[str]:
        return Counter(d["references"]["other"] for d in self.shop.agreement.booked.values())

    def mails(self) -> list[bytes]:
        return self.env.buyer_mails()


def _operator(env: LocalEnvironment) -> Iterator[Dependencies]:
    """Unwrapped dependencies against local AWS, for looking at the end state."""
    assert env.aws is not None
    with env.aws.apply_env("BookingFunction"):
        runtime.reset()
        yield build_dependencies(runtime.settings())
        runtime.reset()
    env.lambdas.forget_environment()


@pytest.fixture
def scenario(fresh_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    shop = open_shop(fresh_env, SHOP, orders=22)
    crashes = Crashes()
    monkeypatch.setattr(runtime, "dependencies", PatchedDependencies(crashes))
    fresh_env.lambdas.forget_environment()
    # The last seeded order is an ordinary domestic one (the first 21 are special cases).
    return Scenario(fresh_env, shop, crashes, shop.order_ids[-1])


def moving_to(state: LedgerState) -> Callable[[tuple[Any, ...], dict[str, Any]], bool]:
    return lambda args, kwargs: args[1] == state


def assert_booked_and_mailed_once(s: Scenario) -> LedgerEntry:
    assert s.booked()[s.reference] == 1, "exactly one booked invoice for the order"
    assert s.drafts()[s.reference] == 0, "no draft left behind"
    entry = s.entry()
    assert entry.state == LedgerState.MAILED
    assert entry.mail_status == MailStatus.SENT
    booked = s.shop.agreement.booked[entry.booked_number]
    assert booked["references"]["other"] == s.reference
    assert len(s.mails()) == 1
    assert f"faktura-{entry.booked_number}.pdf".encode() in s.mails()[0]
    return entry


def assert_uncertain_mail(s: Scenario, *, mails: int) -> None:
    assert s.booked()[s.reference] == 1
    entry = s.entry()
    assert entry.state == LedgerState.BOOKED
    assert entry.mail_status == MailStatus.SENDING
    assert len(s.mails()) == mails
    codes = {(e.order_id, e.code) for e in s.errors()}
    assert (s.order_id, ErrorCode.MAIL_FAILED) in codes


# ------------------------------------------------------------------------------ booking


@pytest.mark.parametrize(
    ("dependency", "trigger"),
    [
        pytest.param("ledger", Trigger("create_if_absent"), id="after-ledger-create"),
        pytest.param(
            "ledger",
            Trigger("update", lambda a, kw: "draft_attempts" in kw),
            id="after-draft-attempt-count-before-draft-post",
        ),
        pytest.param("economic", Trigger("create_draft"), id="after-draft-post-before-drafted"),
        pytest.param(
            "ledger",
            Trigger("move", moving_to(LedgerState.DRAFTED)),
            id="after-drafted-before-book",
        ),
        pytest.param(
            "ledger",
            Trigger("update", lambda a, kw: "book_attempts" in kw),
            id="after-book-attempt-count-before-book-post",
        ),
        pytest.param("economic", Trigger("book_draft"), id="after-book-post-before-booked"),
        pytest.param(
            "ledger",
            Trigger("move", moving_to(LedgerState.BOOKED)),
            id="after-booked-before-mailjob",
        ),
        pytest.param("mail_queue", Trigger("send"), id="after-mailjob-before-ack"),
        pytest.param("errors", Trigger("resolve_order"), id="after-resolve-before-ack"),
    ],
)
def test_given_a_crash_at_a_booking_step_when_the_record_is_redelivered_then_one_invoice_and_one_mail(
    scenario: Scenario, dependency: str, trigger: Trigger
) -> None:
    scenario.crashes.add(dependency, trigger)
    scenario.webhook()

    booking, _ = scenario.run()
    # A second look after everything settled changes nothing.
    scenario.webhook(old_state=2)
    scenario.run()

    assert trigger.fired == 1
    assert booking.failed == 1, "the crashed record failed and was redelivered"
    assert_booked_and_mailed_once(scenario)
    assert not [e for e in scenario.errors() if e.order_id == scenario.order_id]


@pytest.mark.parametrize(
    ("dependency", "trigger"),
    [
        pytest.param("economic", Trigger("create_draft"), id="after-draft-post-before-drafted"),
        pytest.param("economic", Trigger("book_draft"), id="after-book-post-before-booked"),
    ],
)
def test_given_a_crash_after_an_economic_write_and_the_idempotency_cache_expired_when_redelivered_then_the_invoice_is_adopted(
    scenario: Scenario, dependency: str, trigger: Trigger
) -> None:
    """The redelivery comes more than an hour later (e.g. from the DLQ): e-conomic no longer
    answers the repeated Idempotency-Key from its cache, so autobook must look before writing."""
    scenario.crashes.add(dependency, trigger)
    scenario.webhook()
    first = scenario.drain_booking(max_batches=1)
    assert first.failed == 1
    scenario.shop.agreement.idempotency.clear()  # an hour passes

    scenario.run()

    assert trigger.fired == 1
    assert_booked_and_mailed_once(scenario)


def test_given_a_crash_after_booking_and_the_draft_number_reused_when_redelivered_then_each_order_keeps_its_own_invoice(
    scenario: Scenario,
) -> None:
    other = scenario.shop.order_ids[-2]
    # A is booked in e-conomic but the worker dies before the ledger says so; its draft number
    # is free again. B is drafted with that same number, and its worker dies before booking.
    scenario.crashes.add("economic", Trigger("book_draft"))
    scenario.crashes.add(
        "ledger",
        Trigger("move", lambda a, kw: a[1] == LedgerState.DRAFTED and a[0].order_id == str(other)),
    )
    scenario.webhook()
    scenario.webhook(other)
    first = scenario.drain_booking(max_batches=1)
    assert first.failed == 2
    assert scenario.entry().draft_number == scenario.entry(other).draft_number
    scenario.shop.agreement.idempotency.clear()  # an hour passes before the redelivery

    scenario.run()

    for order in (scenario.order, other):
        entry = scenario.entry(order)
        reference = scenario.shop.config.order_reference(str(order))
        assert scenario.booked()[reference] == 1
        assert entry.booked_number is not None
        booked = scenario.shop.agreement.booked[entry.booked_number]
        assert booked["references"]["other"] == reference
    assert len(scenario.mails()) == 2


# ------------------------------------------------------------------------------ mailing


@pytest.mark.parametrize(
    ("dependency", "trigger"),
    [
        pytest.param("economic", Trigger("booked_pdf"), id="after-pdf-before-claim"),
        pytest.param(
            "ledger",
            Trigger("move", moving_to(LedgerState.MAILED)),
            id="after-mark-sent-before-ack",
        ),
    ],
)
def test_given_a_crash_in_the_mailer_before_the_claim_or_after_the_mark_when_redelivered_then_exactly_one_mail(
    scenario: Scenario, dependency: str, trigger: Trigger
) -> None:
    scenario.crashes.add(dependency, trigger)
    scenario.webhook()

    _, mailer = scenario.run()

    assert trigger.fired == 1
    assert mailer.failed == 1
    assert_booked_and_mailed_once(scenario)


def test_given_a_crash_after_ses_sent_before_the_mark_when_redelivered_then_no_second_mail_and_an_uncertain_mail_error(
    scenario: Scenario,
) -> None:
    trigger = scenario.crashes.add("mail_sender", Trigger("send"))
    scenario.webhook()

    _, mailer = scenario.run()
    scenario.webhook(old_state=2)  # the order is looked at again later
    scenario.run()

    assert trigger.fired == 1
    assert mailer.failed == 1
    assert_uncertain_mail(scenario, mails=1)


def test_given_a_crash_after_the_claim_before_ses_when_redelivered_then_no_mail_and_an_uncertain_mail_error(
    scenario: Scenario,
) -> None:
    trigger = scenario.crashes.add("ledger", Trigger("claim_mail"))
    scenario.webhook()

    _, mailer = scenario.run()

    assert trigger.fired == 1
    assert mailer.failed == 1
    # At most once: nobody can tell whether SES got it, so it is not sent again.
    assert_uncertain_mail(scenario, mails=0)


# ------------------------------------------------------------------------------ crediting


def _booked_and_mailed(scenario: Scenario) -> LedgerEntry:
    scenario.webhook()
    scenario.run()
    return assert_booked_and_mailed_once(scenario)


def _credit_reference(scenario: Scenario) -> str:
    from autobook.domain.credit import credit_reference

    return credit_reference(scenario.reference)


def assert_credited_once(scenario: Scenario, *, credit_mails: int = 1) -> None:
    credit_ref = _credit_reference(scenario)
    assert scenario.booked()[scenario.reference] == 1
    assert scenario.booked()[credit_ref] == 1, "exactly one booked credit note"
    assert scenario.drafts()[credit_ref] == 0, "no credit-note draft left behind"
    entry = scenario.entry()
    assert entry.state == LedgerState.CREDITED
    assert entry.credit_note_number is not None
    assert scenario.shop.agreement.booked[entry.credit_note_number]["references"]["other"] == (
        credit_ref
    )
    assert len(scenario.mails()) == 1 + credit_mails
    assert entry.credit_mail_status == MailStatus.SENT


@pytest.mark.parametrize(
    ("dependency", "trigger"),
    [
        pytest.param(
            "ledger",
            Trigger("update", lambda a, kw: "credit_attempts" in kw),
            id="after-credit-attempt-count",
        ),
        pytest.param(
            "economic",
            Trigger("create_draft"),
            id="after-credit-draft-post-before-recording-it",
        ),
        pytest.param(
            "ledger",
            Trigger("update", lambda a, kw: "credit_draft_number" in kw),
            id="after-credit-draft-recorded-before-book",
        ),
        pytest.param("economic", Trigger("book_draft"), id="after-credit-book-before-credited"),
        pytest.param(
            "ledger",
            Trigger("move", moving_to(LedgerState.CREDITED)),
            id="after-credited-before-owner-told",
        ),
        pytest.param(
            "errors",
            Trigger("record"),
            id="after-owner-told-before-credit-mailjob",
        ),
        pytest.param("mail_queue", Trigger("send"), id="after-credit-mailjob-before-ack"),
    ],
)
def test_given_a_crash_while_crediting_a_cancelled_order_when_redelivered_then_one_credit_note_and_one_credit_mail(
    scenario: Scenario, dependency: str, trigger: Trigger
) -> None:
    _booked_and_mailed(scenario)
    scenario.crashes.add(dependency, trigger)

    scenario.cancel()
    booking, _ = scenario.run()

    assert trigger.fired == 1
    assert booking.failed == 1
    assert_credited_once(scenario)


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(
            Trigger("create_draft"),
            id="after-credit-draft-post",
        ),
        pytest.param(Trigger("book_draft"), id="after-credit-book-post"),
    ],
)
def test_given_a_crash_after_a_credit_note_write_and_the_idempotency_cache_expired_when_redelivered_then_no_second_credit_document(
    scenario: Scenario, trigger: Trigger
) -> None:
    _booked_and_mailed(scenario)
    scenario.crashes.add("economic", trigger)
    scenario.cancel()
    first = scenario.drain_booking(max_batches=1)
    assert first.failed == 1
    scenario.shop.agreement.idempotency.clear()  # the redelivery comes after the cache's hour

    scenario.run()

    assert trigger.fired == 1
    assert_credited_once(scenario)
