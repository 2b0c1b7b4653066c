"""Soak: push N orders through the local pipeline under faults and count what came out.

Every order gets 1..--max-deliveries webhook deliveries (distinct bodies, so SQS FIFO's
de-duplication does not hide them), pushed in shuffled chunks between pipeline rounds, so repeats
arrive before, during and after the order is handled. A share of orders (--drop-rate) gets no
webhook at all: only the reconcile poll can find them. The e-conomic sandbox fails --fail-rate of
all calls with 500/502/503, half of them after committing the write. The booking and mailer
workers crash (--crash-rate per step) right after a write returned, so the queue redelivers.

Then, per order: drafts and booked invoices in the e-conomic sandbox, mails accepted by SES.

    .venv/bin/python bench/soak.py --orders 1000

prints `orders=N booked=B duplicates=D lost=L mails=M double_mails=X` and exits 1 when
duplicates, lost or double_mails is not 0. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from sandbox.crashes import crashing
from sandbox.dandomain import classic_order_change, sign
from sandbox.dandomain.orders import parse_wire_date
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop

SHOP = "soak-shop"
MISSING_SKU = "UDGAAET-4711"  # the seeded order built to fail with PRODUCT_MISSING
FUNCTIONS = ("BookingFunction", "MailerFunction")
DLQS = {"BookingFunction": "OrdersDeadLetterQueue", "MailerFunction": "InvoicesDeadLetterQueue"}

# Where a worker may die: right after one of these calls of the handler's ports returned (its
# write happened; `sandbox.crashes` wraps the ports of the handler modules' roots). The window
# between the mail claim and SES's answer is left out: there autobook chooses at most once by
# design (a claimed mail is never re-sent), so a crash there loses the mail on purpose and
# reports MAIL_FAILED. A crash right after SES accepted a mail *is* injected.
CRASH_POINTS: dict[str, tuple[str, ...]] = {
    "books": ("create_draft", "book_draft", "booked_pdf", "create_customer"),
    "ledger": ("create_if_absent", "save"),
    "errors": ("record", "for_order", "close"),
    "mail_queue": ("send",),
    "mailer": ("send",),
}


def _claims_a_mail(entry: LedgerEntry) -> bool:
    return MailStatus.SENDING in (entry.mail.status, entry.credit_mail.status)


# ------------------------------------------------------------------------------ config, result


@dataclass(frozen=True)
class SoakConfig:
    orders: int = 1000
    max_deliveries: int = 5
    fail_rate: float = 0.2
    drop_rate: float = 0.05
    crash_rate: float = 0.02
    seed: int = 7
    chunk: int = 100  # webhook deliveries between two pipeline rounds


@dataclass
class SoakResult:
    orders: int
    booked: int
    duplicates: int
    lost: int
    mails: int
    double_mails: int
    seconds: float
    deliveries: int = 0
    dropped_orders: int = 0
    crashes: int = 0
    failed_records: int = 0
    reconciled: int = 0
    redriven: int = 0
    uncertain_mails: int = 0
    expected_failures: dict[str, str] = field(default_factory=dict)
    lost_orders: list[str] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.duplicates == 0 and self.lost == 0 and self.double_mails == 0

    @property
    def calls_per_mailed_order(self) -> float:
        return sum(self.calls.values()) / self.mails if self.mails else 0.0

    def line(self) -> str:
        return (
            f"orders={self.orders} booked={self.booked} duplicates={self.duplicates} "
            f"lost={self.lost} mails={self.mails} double_mails={self.double_mails}"
        )


# ------------------------------------------------------------------------------ crash injection


@dataclass
class CrashInjector:
    """Decides, after each call of a wrapped port, whether the worker dies there."""

    rate: float
    rng: random.Random
    crashes: Counter[str] = field(default_factory=Counter)

    def __call__(self, port: str, method: str, args: tuple[Any, ...], kwargs: Any) -> bool:
        if method not in CRASH_POINTS.get(port, ()):
            return False
        if (port, method) == ("ledger", "save") and _claims_a_mail(args[0]):
            return False  # the at-most-once window: left out on purpose (see above)
        if self.rng.random() >= self.rate:
            return False
        self.crashes[f"{port}.{method}"] += 1
        return True


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


# ------------------------------------------------------------------------------ the pipeline


class Pipeline:
    def __init__(self, env: LocalEnvironment, shop: LocalShop) -> None:
        assert env.aws is not None
        self.env = env
        self.aws = env.aws
        self.shop = shop
        self.sqs = env.aws.client("sqs")
        self.failed_records = 0

    def post(self, order: int, delivery: int) -> None:
        # Distinct bodies per delivery: Dandomain re-sends changes as new events.
        body = json.dumps(classic_order_change(order, delivery, BOOKING_STATE)).encode()
        headers = {"X-Hmac-Sha256": sign(self.shop.secrets.webhook_secret, body)}
        status, answer = self.env.lambdas.post_webhook(SHOP, body, headers=headers)
        if status != 202:
            raise RuntimeError(f"webhook for {order} answered {status}: {answer}")

    def deliver(self, function: str) -> int:
        """Lambda's SQS event-source mapping: a batch per invocation; failed records (or the
        whole batch when the invocation fails) come back at once (time is not simulated)."""
        report = self.env.lambdas.drain(function, max_batches=100_000)
        self.failed_records += report.failed
        return report.invocations

    def run_until_idle(self, *, max_rounds: int = 200) -> None:
        for _ in range(max_rounds):
            if sum(self.deliver(function) for function in FUNCTIONS) == 0:
                return
        raise RuntimeError("queues still busy")

    def redrive_dead_letters(self) -> int:
        """What the operator does on the DLQ alarm (`autobook dlq redrive`)."""
        moved = 0
        with self.env.operator() as root:
            for function, dlq in DLQS.items():
                (queue_id,) = self.aws.stack.event_sources[function]
                target = self.aws.stack.queues[queue_id]
                letters = root.dead_letters(
                    dlq_url=self.aws.stack.queues[dlq],
                    target_url=target,
                    fifo=target.endswith(".fifo"),
                )
                moved += root.operations().redrive(
                    letters, max_messages=100_000, actor="operator:soak"
                )
        return moved

    def reconcile(self, since: datetime, now: datetime) -> int:
        """The scheduled reconcile poll, run at `now` (the seeded orders' clock) from a
        watermark at `since`."""
        with self.env.operator() as root:
            root.shops.set_watermark(SHOP, since)
            summary = root.reconcile().run(now)
        if summary.failed:
            raise RuntimeError(f"reconcile failed for {summary.failed}")
        return summary.enqueued


# ------------------------------------------------------------------------------ the soak


def run_soak(
    config: SoakConfig, *, env: LocalEnvironment | None = None, out: TextIO = sys.stdout
) -> SoakResult:
    if env is None:
        with LocalEnvironment(log_level="CRITICAL") as own:
            return run_soak(config, env=own, out=out)
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    started = time.monotonic()
    rng = random.Random(config.seed)
    shop = open_shop(env, SHOP, orders=max(config.orders, 21), seed=config.seed)
    orders = shop.order_ids[: config.orders]
    pipeline = Pipeline(env, shop)
    injector = CrashInjector(config.crash_rate, random.Random(config.seed + 1))

    # Which orders must end booked, which are built to fail, which are never booked.
    expected_failures: dict[str, str] = {}
    never_booked: set[str] = set()
    for order_id in orders:
        order = shop.dandomain.orders[order_id]
        if order["incomplete"]:
            never_booked.add(str(order_id))
        elif MISSING_SKU in json.dumps(order):
            expected_failures[str(order_id)] = ErrorCode.PRODUCT_MISSING

    deliveries: list[tuple[int, int]] = []
    dropped = 0
    for order_id in orders:
        if rng.random() < config.drop_rate:
            dropped += 1  # every webhook of this order is lost
            continue
        deliveries += [(order_id, n) for n in range(1, rng.randint(1, config.max_deliveries) + 1)]
    rng.shuffle(deliveries)

    env.economic_state.faults.clear()
    env.economic_state.set_transient_failure_rate(config.fail_rate, seed=config.seed)
    try:
        with _environ({"RETRY_BASE_SECONDS": "0.001"}), crashing(env.lambdas, injector):
            for start in range(0, len(deliveries), config.chunk):
                for order_id, n in deliveries[start : start + config.chunk]:
                    pipeline.post(order_id, n)
                pipeline.run_until_idle()
            pipeline.run_until_idle()
            # The schedule: reconcile finds the orders whose webhooks never arrived.
            modified = [parse_wire_date(o["modifiedDate"]) for o in shop.dandomain.orders.values()]
            reconciled = pipeline.reconcile(
                min(modified) - timedelta(days=1), max(modified) + timedelta(hours=1)
            )
            pipeline.run_until_idle()
            # The DLQ alarm: the operator redrives what ended there, until nothing does.
            redriven = 0
            for _ in range(10):
                moved = pipeline.redrive_dead_letters()
                if not moved:
                    break
                redriven += moved
                pipeline.run_until_idle()
    finally:
        env.economic_state.faults.clear()
    seconds = time.monotonic() - started

    result = _count(pipeline, orders, expected_failures, never_booked)
    result.seconds = seconds
    result.deliveries = len(deliveries)
    result.dropped_orders = dropped
    result.crashes = sum(injector.crashes.values())
    result.failed_records = pipeline.failed_records
    result.reconciled = reconciled
    result.redriven = redriven
    _report(result, config, injector, out)
    return result


def _count(
    pipeline: Pipeline,
    orders: list[int],
    expected_failures: dict[str, str],
    never_booked: set[str],
) -> SoakResult:
    shop = pipeline.shop
    agreement = shop.agreement
    reference_of = {shop.config.order_reference(str(o)): str(o) for o in orders}
    drafts = Counter(reference_of.get(d["references"]["other"]) for d in agreement.drafts.values())
    booked = Counter(reference_of.get(d["references"]["other"]) for d in agreement.booked.values())
    mails_per_order: Counter[str | None] = Counter()
    mails = pipeline.env.buyer_mails()
    for raw in mails:
        found = re.search(rb"faktura-(\d+)\.pdf", raw)
        number = int(found.group(1)) if found else -1
        invoice = agreement.booked.get(number)
        mails_per_order[reference_of.get(invoice["references"]["other"]) if invoice else None] += 1

    with pipeline.env.operator() as root:
        entries = {str(o): root.ledger.get(SHOP, str(o)) for o in orders}
        errors = {
            (e.order_id, str(e.code)) for e in root.queries().errors_with(SHOP, ErrorStatus.OPEN)
        }

    duplicates = 0
    lost: list[str] = []
    uncertain = 0
    for order in map(str, orders):
        documents = drafts[order] + booked[order]
        duplicates += max(0, documents - 1)
        entry = entries[order]
        if order in never_booked:
            if documents:
                duplicates += documents  # an invoice that should not exist
            continue
        if order in expected_failures:
            if booked[order] or (order, expected_failures[order]) not in errors:
                lost.append(order)
            continue
        mail_failed = (order, str(ErrorCode.MAIL_FAILED)) in errors
        if entry is not None and entry.mail.status == MailStatus.SENDING and mail_failed:
            uncertain += 1
        if booked[order] != 1 or entry is None or entry.invoice.booked_number is None:
            lost.append(order)
        elif mails_per_order[order] == 0 and not mail_failed:
            lost.append(order)  # booked but never mailed, and nobody was told
        elif entry.state not in (LedgerState.MAILED, LedgerState.BOOKED):
            lost.append(order)
    calls = Counter(
        f"{c.method} {re.sub(r'/\d+', '/{n}', c.path)} {c.status}" for c in agreement.calls
    )
    return SoakResult(
        orders=len(orders),
        booked=sum(1 for order in map(str, orders) if booked[order]),
        duplicates=duplicates,
        lost=len(lost),
        mails=len(mails),
        double_mails=sum(max(0, n - 1) for n in mails_per_order.values()),
        seconds=0.0,
        uncertain_mails=uncertain,
        expected_failures=expected_failures,
        lost_orders=lost,
        calls=calls,
    )


def _report(result: SoakResult, config: SoakConfig, injector: CrashInjector, out: TextIO) -> None:
    print(result.line(), file=out)
    print(
        f"seconds={result.seconds:.1f} deliveries={result.deliveries} "
        f"dropped_orders={result.dropped_orders} reconciled={result.reconciled} "
        f"crashes={result.crashes} failed_records={result.failed_records} "
        f"redriven={result.redriven} uncertain_mails={result.uncertain_mails} "
        f"expected_failures={len(result.expected_failures)}",
        file=out,
    )
    by_call: Counter[str] = Counter()
    for key, n in result.calls.items():
        by_call[key.rsplit(" ", 1)[0]] += n
    total = sum(result.calls.values())
    print(
        f"economic_calls={total} per_mailed_order={result.calls_per_mailed_order:.2f} "
        + " ".join(f"[{k}]={n}" for k, n in by_call.most_common()),
        file=out,
    )
    if injector.crashes:
        print(
            "crashes: " + " ".join(f"{k}={n}" for k, n in sorted(injector.crashes.items())),
            file=out,
        )
    if result.lost_orders:
        print(f"lost orders: {', '.join(result.lost_orders[:50])}", file=out)
    del config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--max-deliveries", type=int, default=5)
    parser.add_argument("--fail-rate", type=float, default=0.2)
    parser.add_argument("--drop-rate", type=float, default=0.05)
    parser.add_argument("--crash-rate", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    config = SoakConfig(
        orders=args.orders,
        max_deliveries=args.max_deliveries,
        fail_rate=args.fail_rate,
        drop_rate=args.drop_rate,
        crash_rate=args.crash_rate,
        seed=args.seed,
    )
    result = run_soak(config)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
