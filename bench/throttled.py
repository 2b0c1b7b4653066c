"""Booking against a throttled e-conomic agreement (bench/README.md, "Throttled agreement").

One active shop with `--orders` seeded orders, all delivered by webhook; the agreement's token
bucket is `--capacity` tokens per `--per-seconds` (e-conomic answers 429 when it is empty) and
every e-conomic call takes `--latency` seconds. The booking and mailer functions run as
separate processes (one per concurrent Lambda container, as many as the template's
MaximumConcurrency allows), each polling its queue like the event-source mapping, against the
same local stack, in real time. It runs until every bookable order is mailed.

The bound: the agreement's refill rate divided by 3.0 calls per mailed order (draft, book, PDF:
the floor). Prints the orders per minute against it, the calls per mailed order, and the share
of calls answered 429; the key figure last.

    .venv/bin/python -W ignore bench/throttled.py
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import containers
import workload

SHOP = "throttled-shop"
FLOOR_CALLS_PER_ORDER = 3.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--per-seconds", type=float, default=5.0)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--timeout-minutes", type=float, default=10.0)
    args = parser.parse_args(argv)

    from autobook.domain.errors import ErrorCode
    from sandbox.environment import LocalEnvironment
    from sandbox.shopkit import open_shop

    with LocalEnvironment(log_level="CRITICAL") as env:
        assert env.aws is not None
        shop = open_shop(env, SHOP, orders=args.orders)
        orders = shop.order_ids[: args.orders]
        bookable = workload.bookable(shop, orders)
        for order_id in orders:
            workload.post_webhook(env, shop, order_id)

        shop.agreement.set_rate_limit(args.capacity, per_seconds=args.per_seconds)
        env.economic_state.set_latency(args.latency)
        with containers.running(env) as fleet:
            started = time.monotonic()
            deadline = started + args.timeout_minutes * 60
            mailed = 0
            while time.monotonic() < deadline:
                mailed = len(env.buyer_mails())
                if mailed >= len(bookable):
                    break
                time.sleep(0.2)
            seconds = time.monotonic() - started

        calls = list(shop.agreement.calls)
        statuses = Counter(c.status for c in calls)
        throttled = statuses.get(429, 0)
        spent = len(calls) - throttled  # a 429 costs no token
        with env.operator() as root:
            errors = root.queries().open_errors(SHOP)  # what the owner would be told
        unexpected = [e for e in errors if e.code != ErrorCode.PRODUCT_MISSING]

    refill = args.capacity / args.per_seconds
    bound = refill / FLOOR_CALLS_PER_ORDER * 60
    rate = mailed / seconds * 60
    print(
        f"orders={len(orders)} bookable={len(bookable)} mailed={mailed} seconds={seconds:.1f}"
        f" containers={len(fleet.workers)} (cold in {fleet.cold_seconds:.1f}s, not counted)"
        f" bucket={args.capacity}/{args.per_seconds:g}s"
        f" latency={args.latency:g}s"
    )
    print(
        f"calls={len(calls)} answered_429={throttled} ({throttled / max(1, len(calls)):.1%})"
        f" calls_per_mailed_order={len(calls) / max(1, mailed):.2f}"
        f" token_calls_per_mailed_order={spent / max(1, mailed):.2f}"
        f" unexpected_owner_errors={len(unexpected)}"
    )
    # Where the calls beyond the floor go: a first-time buyer's look-up and creation, and the
    # agreement's base currency, read once per container; anything else would be waste.
    kinds = Counter(workload.call_kind(c) for c in calls if c.status != 429)
    invoice_calls = sum(n for kind, n in kinds.items() if " /invoices/" in kind)
    customer_calls = sum(n for kind, n in kinds.items() if kind.endswith("/customers"))
    print(
        f"invoice_calls_per_mailed_order={invoice_calls / max(1, mailed):.2f}"
        f" first_time_buyers={kinds.get('POST /customers', 0)}"
        f" customer_calls={customer_calls} other_calls={spent - invoice_calls - customer_calls}"
        f" calls: {dict(kinds.most_common())}"
    )
    print(f"rss_mb import/first batch/peak {containers.memory_line(fleet)}")
    print(f"orders_per_minute={rate:.1f} bound={bound:.1f} share_of_bound={rate / bound:.1%}")
    complete = mailed >= len(bookable) and not unexpected
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
