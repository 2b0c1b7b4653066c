"""The webhook handler in-process, without the SQS call (bench/README.md, "Webhook handler").

A warm WebhookFunction container on the local stack answers `--requests` signed deliveries,
each a new order change. Per request: the handler's whole time minus the time of its one SQS
call (timed by itself), i.e. what autobook adds. Measured twice in one run, round-robin: as
deployed (the shop config kept in the container for 60 s, the secret for 5 min) and with the
config read from DynamoDB on every request (the code before the cache). Prints p50 / p99 of
each and their ratio; the p99 as deployed last.

    .venv/bin/python -W ignore bench/webhook_latency.py --requests 2000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

SHOP = "latency-shop"


class _TimedQueue:
    """The function's order queue, its send timed by itself."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue
        self.seconds = 0.0

    def send(self, events: Any) -> None:
        started = time.perf_counter()
        try:
            self._queue.send(events)
        finally:
            self.seconds = time.perf_counter() - started


def _quantile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[round(q * 100) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"

    from autobook.store.cached_shops import CachedShopConfigs
    from sandbox.dandomain import classic_order_change, sign
    from sandbox.environment import LocalEnvironment
    from sandbox.local.context import LocalLambdaContext
    from sandbox.local.events import api_gateway_post
    from sandbox.shopkit import BOOKING_STATE, open_shop

    with LocalEnvironment(log_level="CRITICAL") as env:
        assert env.aws is not None
        shop = open_shop(env, SHOP, orders=21)
        module = env.lambdas.module("WebhookFunction")
        root = module.root
        variants = {
            "as deployed (config kept 60 s)": CachedShopConfigs(root.shops),
            "config read every request": CachedShopConfigs(root.shops, max_age_seconds=0.0),
        }
        samples: dict[str, list[float]] = {name: [] for name in variants}
        with env.aws.apply_env("WebhookFunction"):
            queue = _TimedQueue(root.order_queue)
            root.__dict__["order_queue"] = queue
            context = LocalLambdaContext(function_name="WebhookFunction")
            for n in range(args.requests + 20):  # the first 20 rounds warm up, not counted
                for name, configs in variants.items():
                    root.__dict__["webhook_shop_configs"] = configs
                    change = classic_order_change(1000 + n, len(samples[name]) + 1, BOOKING_STATE)
                    body = json.dumps(change).encode()
                    event = api_gateway_post(
                        f"/webhook/{SHOP}",
                        body,
                        path_parameters={"shop_id": SHOP},
                        resource="/webhook/{shop_id}",
                        headers={
                            "Content-Type": "application/json",
                            "X-Hmac-Sha256": sign(shop.secrets.webhook_secret, body),
                        },
                    )
                    started = time.perf_counter()
                    answer = module.lambda_handler(event, context)
                    total = time.perf_counter() - started
                    if answer["statusCode"] != 202:
                        sys.exit(f"answered {answer['statusCode']}: {answer.get('body')}")
                    if n >= 20:
                        samples[name].append(total - queue.seconds)

    deployed, uncached = (samples[name] for name in variants)
    print(f"requests={args.requests} per variant, handler time minus its SQS call")
    for name, values in samples.items():
        print(
            f"{name:32s} p50={_quantile(values, 0.5) * 1000:.2f} ms"
            f" p99={_quantile(values, 0.99) * 1000:.2f} ms"
        )
    ratio = _quantile(deployed, 0.99) / _quantile(uncached, 0.99)
    print(f"p99 as deployed / config read every request = x{ratio:.2f}")
    print(f"p99_as_deployed_ms={_quantile(deployed, 0.99) * 1000:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
