"""Crash recovery: a worker dies at every step boundary of booking, mailing and crediting, the
queue redelivers the record, and the end state is still one invoice, one ledger story, one mail.

A crash is a `SimulatedCrash` (not a KnownError) raised right after a call of one of the
handler's ports returned (`sandbox.crashes` wraps the ports of the handler modules' composition
roots), so the write it made has happened. The handler's record fails and the local event-source
mapping (`lambdas.drain`) makes it visible again at once, exactly as Lambda + SQS redeliver it.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest

from autobook.composition import Root
from autobook.domain.errors import ErrorCode, ErrorRecord
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus, WriteStep
from sandbox.crashes import crashing
from sandbox.dandomain import classic_order_change, sign
from sandbox.environment import LocalEnvironment
from sandbox.local.lambdas import DrainReport
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop

pytestmark = [
    pytest.mark.integration,
    # Records that fail on purpose leave invocations without application metrics.
    pytest.mark.filterwarnings("ignore:No application metrics to publish"),
]

SHOP = "crash-shop"
CANCELLED = 4

Args = tuple[Any, ...]


# ------------------------------------------------------------------------------ crash harness


@dataclass
class Trigger:
    """Fires `times` times after calls of `port.method` whose (args, kwargs) satisfy `when`."""

    port: str
    method: str
    when: Callable[[Args, dict[str, Any]], bool] = lambda args, kwargs: True
    times: int = 1
    fired: int = 0

    def should_fire(self, port: str, method: str, args: Args, kwargs: dict[str, Any]) -> bool:
        if (port, method) != (self.port, self.method) or self.fired >= self.times:
            return False
        if not self.when(args, kwargs):
            return False
        self.fired += 1
        return True


@dataclass
class Crashes:
    """Where the workers die (`sandbox.crashes` asks after every call of a wrapped port)."""

    triggers: list[Trigger] = field(default_factory=list)

    def add(self, trigger: Trigger) -> Trigger:
        self.triggers.append(trigger)
        return trigger

    def __call__(self, port: str, method: str, args: Args, kwargs: dict[str, Any]) -> bool:
        return any(t.should_fire(port, method, args, kwargs) for t in self.triggers)


def saving(predicate: Callable[[LedgerEntry], bool]) -> Trigger:
    """After the ledger saved an entry that satisfies `predicate`."""
    return Trigger("ledger", "save", lambda args, kwargs: predicate(args[0]))


def in_state(state: LedgerState) -> Callable[[LedgerEntry], bool]:
    return lambda e: e.state == state and e.pending is None


def write_started(step: WriteStep) -> Callable[[LedgerEntry], bool]:
    """The ledger marked an e-conomic write pending (the write is next)."""
    return lambda e: e.pending is not None and e.pending.step == step


def buyer_mail(args: Args, kwargs: dict[str, Any]) -> bool:
    message: EmailMessage = args[0]
    return any(a.get_content_type() == "application/pdf" for a in message.iter_attachments())


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
    def inspect(self) -> Iterator[Root]:
        """A plain root against local AWS, for looking at the end state."""
        with self.env.operator() as root:
            yield root

    def entry(self, order: int | None = None) -> LedgerEntry:
        with self.inspect() as root:
            found = root.ledger.get(SHOP, str(order or self.order))
        assert found is not None
        return found

    def errors(self) -> list[ErrorRecord]:
        with self.inspect() as root:
            return root.queries().open_errors(SHOP)

    def drafts(self) -> Counter[str]:
        return Counter(d["references"]["other"] for d in self.shop.agreement.drafts.values())

    def booked(self) -> Counter[str]:
        return Counter(d["references"]["other"] for d in self.shop.agreement.booked.values())

    def mails(self) -> list[bytes]:
        return self.env.buyer_mails()


@pytest.fixture
def scenario(fresh_env: LocalEnvironment) -> Iterator[Scenario]:
    shop = open_shop(fresh_env, SHOP, orders=22)
    crashes = Crashes()
    with crashing(fresh_env.lambdas, crashes):
        # The last seeded order is an ordinary domestic one (the first 21 are special cases).
        yield Scenario(fresh_env, shop, crashes, shop.order_ids[-1])


def assert_booked_and_mailed_once(s: Scenario) -> LedgerEntry:
    assert s.booked()[s.reference] == 1, "exactly one booked invoice for the order"
    assert s.drafts()[s.reference] == 0, "no draft left behind"
    entry = s.entry()
    assert entry.state == LedgerState.MAILED
    assert entry.mail.status == MailStatus.SENT
    assert entry.invoice.booked_number is not None
    booked = s.shop.agreement.booked[entry.invoice.booked_number]
    assert booked["references"]["other"] == s.reference
    assert len(s.mails()) == 1
    assert f"faktura-{entry.invoice.booked_number}.pdf".encode() in s.mails()[0]
    return entry


def assert_uncertain_mail(s: Scenario, *, mails: int) -> None:
    assert s.booked()[s.reference] == 1
    entry = s.entry()
    assert entry.state == LedgerState.BOOKED
    assert entry.mail.status == MailStatus.SENDING
    assert len(s.mails()) == mails
    codes = {(e.order_id, e.code) for e in s.errors()}
    assert (s.order_id, ErrorCode.MAIL_FAILED) in codes


# ------------------------------------------------------------------------------ booking


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(Trigger("ledger", "create_if_absent"), id="after-ledger-create"),
        pytest.param(
            saving(write_started(WriteStep.DRAFT)), id="after-draft-marked-pending-before-post"
        ),
        pytest.param(Trigger("books", "create_draft"), id="after-draft-post-before-drafted"),
        pytest.param(saving(in_state(LedgerState.DRAFTED)), id="after-drafted-before-book"),
        pytest.param(
            saving(write_started(WriteStep.BOOK)), id="after-book-marked-pending-before-post"
        ),
        pytest.param(Trigger("books", "book_draft"), id="after-book-post-before-booked"),
        pytest.param(saving(in_state(LedgerState.BOOKED)), id="after-booked-before-mailjob"),
        pytest.param(Trigger("mail_queue", "send"), id="after-mailjob-before-errors-resolved"),
        pytest.param(Trigger("errors", "for_order"), id="after-errors-resolved-before-ack"),
    ],
)
def test_given_a_crash_at_a_booking_step_when_the_record_is_redelivered_then_one_invoice_and_one_mail(
    scenario: Scenario, trigger: Trigger
) -> None:
    scenario.crashes.add(trigger)
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
    "trigger",
    [
        pytest.param(Trigger("books", "create_draft"), id="after-draft-post-before-drafted"),
        pytest.param(Trigger("books", "book_draft"), id="after-book-post-before-booked"),
    ],
)
def test_given_a_crash_after_an_economic_write_and_the_idempotency_cache_expired_when_redelivered_then_the_invoice_is_adopted(
    scenario: Scenario, trigger: Trigger
) -> None:
    """The redelivery comes more than an hour later (e.g. from the DLQ): e-conomic no longer
    answers the repeated Idempotency-Key from its cache, so autobook must look before writing."""
    scenario.crashes.add(trigger)
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
    scenario.crashes.add(Trigger("books", "book_draft"))
    drafted = in_state(LedgerState.DRAFTED)
    scenario.crashes.add(saving(lambda e: drafted(e) and e.order_id == str(other)))
    scenario.webhook()
    scenario.webhook(other)
    first = scenario.drain_booking(max_batches=1)
    assert first.failed == 2
    assert scenario.entry().invoice.draft_number == scenario.entry(other).invoice.draft_number
    scenario.shop.agreement.idempotency.clear()  # an hour passes before the redelivery

    scenario.run()

    for order in (scenario.order, other):
        entry = scenario.entry(order)
        reference = scenario.shop.config.order_reference(str(order))
        assert scenario.booked()[reference] == 1
        assert entry.invoice.booked_number is not None
        booked = scenario.shop.agreement.booked[entry.invoice.booked_number]
        assert booked["references"]["other"] == reference
    assert len(scenario.mails()) == 2


# ------------------------------------------------------------------------------ mailing


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(Trigger("books", "booked_pdf"), id="after-pdf-before-claim"),
        pytest.param(saving(in_state(LedgerState.MAILED)), id="after-mark-sent-before-ack"),
    ],
)
def test_given_a_crash_in_the_mailer_before_the_claim_or_after_the_mark_when_redelivered_then_exactly_one_mail(
    scenario: Scenario, trigger: Trigger
) -> None:
    scenario.crashes.add(trigger)
    scenario.webhook()

    _, mailer = scenario.run()

    assert trigger.fired == 1
    assert mailer.failed == 1
    assert_booked_and_mailed_once(scenario)


def test_given_a_crash_after_ses_sent_before_the_mark_when_redelivered_then_no_second_mail_and_an_uncertain_mail_error(
    scenario: Scenario,
) -> None:
    trigger = scenario.crashes.add(Trigger("mailer", "send", buyer_mail))
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
    trigger = scenario.crashes.add(saving(lambda e: e.mail.status == MailStatus.SENDING))
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
    assert entry.credit.booked_number is not None
    assert scenario.shop.agreement.booked[entry.credit.booked_number]["references"]["other"] == (
        credit_ref
    )
    assert len(scenario.mails()) == 1 + credit_mails
    assert entry.credit_mail.status == MailStatus.SENT


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(
            saving(write_started(WriteStep.CREDIT_DRAFT)),
            id="after-credit-draft-marked-pending-before-post",
        ),
        pytest.param(
            Trigger("books", "create_draft"), id="after-credit-draft-post-before-recording-it"
        ),
        pytest.param(
            saving(lambda e: e.credit.draft_number is not None and e.pending is None),
            id="after-credit-draft-recorded-before-book",
        ),
        pytest.param(
            saving(write_started(WriteStep.CREDIT_BOOK)),
            id="after-credit-book-marked-pending-before-post",
        ),
        pytest.param(Trigger("books", "book_draft"), id="after-credit-book-before-credited"),
        pytest.param(saving(in_state(LedgerState.CREDITED)), id="after-credited-before-mailjob"),
        pytest.param(Trigger("mail_queue", "send"), id="after-credit-mailjob-before-owner-told"),
        pytest.param(Trigger("errors", "record"), id="after-owner-told-before-ack"),
    ],
)
def test_given_a_crash_while_crediting_a_cancelled_order_when_redelivered_then_one_credit_note_and_one_credit_mail(
    scenario: Scenario, trigger: Trigger
) -> None:
    _booked_and_mailed(scenario)
    scenario.crashes.add(trigger)

    scenario.cancel()
    booking, _ = scenario.run()

    assert trigger.fired == 1
    assert booking.failed == 1
    assert_credited_once(scenario)


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(Trigger("books", "create_draft"), id="after-credit-draft-post"),
        pytest.param(Trigger("books", "book_draft"), id="after-credit-book-post"),
    ],
)
def test_given_a_crash_after_a_credit_note_write_and_the_idempotency_cache_expired_when_redelivered_then_no_second_credit_document(
    scenario: Scenario, trigger: Trigger
) -> None:
    _booked_and_mailed(scenario)
    scenario.crashes.add(trigger)
    scenario.cancel()
    first = scenario.drain_booking(max_batches=1)
    assert first.failed == 1
    scenario.shop.agreement.idempotency.clear()  # the redelivery comes after the cache's hour

    scenario.run()

    assert trigger.fired == 1
    assert_credited_once(scenario)
