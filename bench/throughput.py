"""Throughput at scale (bench/README.md, "Throughput"): `--orders` orders over `--shops` shops,
`--throttled` of them on an agreement whose bucket is `--capacity` tokens per `--per-seconds`
(the others on e-conomic's observed 10,000 per 60 s), every e-conomic call taking `--latency`
seconds, booked and mailed by the template's concurrency (bench/containers.py) on the local
stack in real time. Every webhook is posted first (round-robin over the shops), then the containers start.

Prints per shop and overall: orders mailed per minute, the agreement's bound (its refill rate
over 3.0 calls per mailed order) and the share of calls answered 429; the overall line last.

    .venv/bin/python -W ignore bench/throughput.py --orders 5000 --shops 20 --throttled 4
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from itertools import zip_longest

import containers
import workload

FLOOR_CALLS_PER_ORDER = 3.0
DEFAULT_BUCKET = (10_000, 60.0)


@dataclass
class ShopRun:
    shop: object
    bookable: int
    refill_per_second: float
    throttled: bool
    done_at: float | None = None
    calls: list[object] = field(default_factory=list)

    @property
    def bound_per_minute(self) -> float:
        return self.refill_per_second / FLOOR_CALLS_PER_ORDER * 60


def _pdfs(agreement: object) -> int:
    calls = agreement.calls  # type: ignore[attr-defined]
    return sum(1 for c in calls if c.status == 200 and c.path.endswith("/pdf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--shops", type=int, default=20)
    parser.add_argument("--throttled", type=int, default=4)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--per-seconds", type=float, default=5.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--timeout-minutes", type=float, default=30.0)
    args = parser.parse_args(argv)

    from sandbox.dandomain import classic_order_change, sign
    from sandbox.environment import LocalEnvironment
    from sandbox.shopkit import BOOKING_STATE, open_shop

    per_shop = args.orders // args.shops
    with LocalEnvironment(log_level="CRITICAL") as env:
        runs: dict[str, ShopRun] = {}
        deliveries: list[list[bytes]] = []
        for n in range(args.shops):
            throttled = n < args.throttled
            shop_id = f"{'slow' if throttled else 'shop'}-{n:02d}"
            shop = open_shop(env, shop_id, orders=per_shop, seed=n + 1)
            orders = shop.order_ids[:per_shop]
            bookable = workload.bookable(shop, orders)
            capacity, per_seconds = (
                (args.capacity, args.per_seconds) if throttled else DEFAULT_BUCKET
            )
            shop.agreement.set_rate_limit(capacity, per_seconds=per_seconds)
            runs[shop_id] = ShopRun(shop, len(bookable), capacity / per_seconds, throttled)
            deliveries.append(
                [json.dumps(classic_order_change(o, 1, BOOKING_STATE)).encode() for o in orders]
            )
        env.economic_state.set_latency(args.latency)
        ids = list(runs)

        # Every webhook first (the queue then holds the whole backlog): the containers, not
        # this process's posting, set the pace.
        posting = time.monotonic()
        for bodies in zip_longest(*deliveries):
            for shop_id, body in zip(ids, bodies, strict=True):
                if body is None:
                    continue
                secret = runs[shop_id].shop.secrets.webhook_secret  # type: ignore[attr-defined]
                status, _ = env.lambdas.post_webhook(
                    shop_id, body, headers={"X-Hmac-Sha256": sign(secret, body)}
                )
                if status != 202:
                    sys.exit(f"webhook for {shop_id} answered {status}")
        posted = time.monotonic() - posting
        with containers.running(env) as fleet:
            started = time.monotonic()
            deadline = started + args.timeout_minutes * 60
            while time.monotonic() < deadline:
                now = time.monotonic() - started
                for run in runs.values():
                    agreement = run.shop.agreement  # type: ignore[attr-defined]
                    if run.done_at is None and _pdfs(agreement) >= run.bookable:
                        run.done_at = now
                if all(run.done_at is not None for run in runs.values()):
                    break
                time.sleep(0.5)
            seconds = time.monotonic() - started

    total_mailed = total_calls = total_429 = 0
    print(
        f"{'shop':10s} {'mailed':>6s} {'minutes':>7s} {'per_min':>8s} {'bound':>8s} {'share':>7s} {'429':>6s}"
    )
    for shop_id, run in runs.items():
        agreement = run.shop.agreement  # type: ignore[attr-defined]
        mailed, calls = _pdfs(agreement), agreement.calls
        throttled = sum(1 for c in calls if c.status == 429)
        minutes = (run.done_at or seconds) / 60
        rate = mailed / minutes
        total_mailed, total_calls, total_429 = (
            total_mailed + mailed,
            total_calls + len(calls),
            total_429 + throttled,
        )
        print(
            f"{shop_id:10s} {mailed:6d} {minutes:7.2f} {rate:8.1f} {run.bound_per_minute:8.0f}"
            f" {rate / run.bound_per_minute:7.1%} {throttled / max(1, len(calls)):6.1%}"
        )
    bookable = sum(run.bookable for run in runs.values())
    print(
        f"containers={len(fleet.workers)} cold={fleet.cold_seconds:.1f}s (not counted)"
        f" webhooks_posted_in={posted:.1f}s rss_mb import/first batch/peak {containers.memory_line(fleet)}"
    )
    print(
        f"overall orders={per_shop * args.shops} bookable={bookable} mailed={total_mailed}"
        f" seconds={seconds:.1f} orders_per_minute={total_mailed / seconds * 60:.1f}"
        f" calls={total_calls} answered_429={total_429} ({total_429 / max(1, total_calls):.2%})"
    )
    return 0 if total_mailed >= bookable else 1


if __name__ == "__main__":
    sys.exit(main())
