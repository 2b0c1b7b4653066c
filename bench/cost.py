"""What autobook costs on AWS (bench/README.md, "Cost").

Pushes `--orders` orders of one active shop through the local pipeline (one webhook each, no
faults: the steady state) and counts what AWS would bill: every API call the functions and the
event-source mappings make (by service and operation, from botocore), each invocation's
duration at the template's memory, mails, webhook requests. It also counts the reads autobook's
caches saved (the shop's secrets kept 5 minutes, the webhook's shop config 60 s): what the same
volume would cost without them. The counts become list-price cost per 1,000 orders and per shop
per month at 20, 200 and 2,000 orders; the deployment's fixed monthly cost (the app's secrets,
the scheduled checks, the queues' idle polling) is printed apart. The key figure last.

Prices are AWS list prices for us-east-1 (PRICES below, the one place to change them for
another region); DynamoDB items are counted as one request unit per call (autobook's items are
under 1 KB written and 4 KB read).

    .venv/bin/python -W ignore bench/cost.py --orders 200
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import workload

SHOP = "cost-shop"
MONTH_SECONDS = 30 * 24 * 3600

# USD, us-east-1 list prices.
PRICES = {
    "lambda_gb_second": 0.0000133334,  # arm64
    "lambda_request": 0.20 / 1e6,
    "api_request": 3.50 / 1e6,  # REST API
    "sqs_fifo_request": 0.50 / 1e6,
    "sqs_request": 0.40 / 1e6,
    "dynamodb_write": 0.625 / 1e6,  # on-demand, per write request unit
    "dynamodb_read": 0.125 / 1e6,  # on-demand, per read request unit
    "ses_mail": 0.10 / 1000,
    "secrets_call": 0.05 / 10_000,
    "secret_month": 0.40,
}
DYNAMODB_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}
DYNAMODB_READS = {"GetItem", "Query", "Scan"}
# The Lambda poller long-polls each queue with 20 s waits (at least this many receives a month
# with no traffic at all); two queues and two dead-letter queues have no poller.
IDLE_RECEIVES_PER_QUEUE_MONTH = MONTH_SECONDS / 20


@contextmanager
def _patched(
    owner: Any, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


class Meter:
    def __init__(self) -> None:
        self.api: Counter[tuple[str, str]] = Counter()
        self.invocations: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.secret_reads = 0  # asked for a secret (cached or not)
        self.config_reads = 0  # the webhook asked for a shop config (cached or not)
        self.config_misses = 0

    def api_call(self, original: Callable[..., Any]) -> Callable[..., Any]:
        meter = self

        def counted(client: Any, operation: str, params: Any) -> Any:
            meter.api[(client.meta.service_model.service_id, operation)] += 1
            return original(client, operation, params)

        return counted

    def invoke(self, original: Callable[..., Any]) -> Callable[..., Any]:
        meter = self

        def timed(lambdas: Any, function: str, event: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(lambdas, function, event)
            finally:
                meter.invocations[function] += 1
                meter.seconds[function] += time.perf_counter() - started

        return timed

    def secret_read(self, original: Callable[..., Any]) -> Callable[..., Any]:
        meter = self

        def counted(secrets: Any, name: str) -> Any:
            meter.secret_reads += 1
            return original(secrets, name)

        return counted

    def config_read(self, original: Callable[..., Any]) -> Callable[..., Any]:
        meter = self

        def counted(configs: Any, shop_id: str) -> Any:
            meter.config_reads += 1
            # A miss stores a new entry (or none): the entry before and after differ.
            kept = configs._kept.get(shop_id)
            result = original(configs, shop_id)
            if kept is None or configs._kept.get(shop_id) is not kept:
                meter.config_misses += 1
            return result

        return counted


def _memory_gb(template: dict[str, Any], function: str) -> float:
    props = template["Resources"][function]["Properties"]
    memory = props.get("MemorySize", template["Globals"]["Function"]["MemorySize"])
    return int(memory) / 1024


def _costs(meter: Meter, template: dict[str, Any], *, with_caches: bool) -> dict[str, float]:
    api = meter.api
    writes = sum(n for (s, op), n in api.items() if s == "DynamoDB" and op in DYNAMODB_WRITES)
    reads = sum(n for (s, op), n in api.items() if s == "DynamoDB" and op in DYNAMODB_READS)
    secrets = sum(n for (s, _), n in api.items() if s == "Secrets Manager")
    if not with_caches:
        reads += meter.config_reads - meter.config_misses
        secrets = max(secrets, meter.secret_reads)
    sqs = sum(n for (s, _), n in api.items() if s == "SQS")
    mails = sum(n for (s, op), n in api.items() if s == "SESv2" and op == "SendEmail")
    gb_seconds = sum(
        seconds * _memory_gb(template, function) for function, seconds in meter.seconds.items()
    )
    return {
        "Lambda": gb_seconds * PRICES["lambda_gb_second"]
        + sum(meter.invocations.values()) * PRICES["lambda_request"],
        "API Gateway": meter.invocations["WebhookFunction"] * PRICES["api_request"],
        "SQS": sqs * PRICES["sqs_fifo_request"],  # the orders queue is FIFO; the upper bound
        "DynamoDB": writes * PRICES["dynamodb_write"] + reads * PRICES["dynamodb_read"],
        "SES": mails * PRICES["ses_mail"],
        "Secrets Manager": secrets * PRICES["secrets_call"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"

    import botocore.client

    from autobook.store.cached_shops import CachedShopConfigs
    from autobook.store.secrets import SecretsManagerSecrets
    from sandbox.environment import LocalEnvironment
    from sandbox.local.lambdas import LocalLambdas
    from sandbox.shopkit import open_shop

    meter = Meter()
    with LocalEnvironment(log_level="CRITICAL") as env:
        assert env.aws is not None
        template = env.aws.template
        shop = open_shop(env, SHOP, orders=max(args.orders, 21))
        orders = shop.order_ids[: args.orders]
        with (
            _patched(botocore.client.BaseClient, "_make_api_call", meter.api_call),
            _patched(LocalLambdas, "invoke", meter.invoke),
            _patched(SecretsManagerSecrets, "_read", meter.secret_read),
            _patched(CachedShopConfigs, "get", meter.config_read),
        ):
            for order_id in orders:
                workload.post_webhook(env, shop, order_id)
            env.run_until_idle()
            mailed = len(env.buyer_mails())
            # One scheduled run of the checks, for the fixed cost.
            before = sum(meter.seconds.values())
            env.lambdas.invoke("ReconcileFunction", {"source": "aws.events", "detail": {}})
            scheduled_seconds = sum(meter.seconds.values()) - before

    cached = _costs(meter, template, with_caches=True)
    uncached = _costs(meter, template, with_caches=False)
    per_order = {k: v / args.orders for k, v in cached.items()}
    per_order_uncached = {k: v / args.orders for k, v in uncached.items()}

    print(f"orders={args.orders} mailed={mailed}")
    calls = ", ".join(f"{s} {op}={n}" for (s, op), n in sorted(meter.api.items()))
    print(f"aws_calls {calls}")
    invocations = ", ".join(
        f"{f}={n} ({meter.seconds[f] / n * 1000:.0f} ms avg)"
        for f, n in sorted(meter.invocations.items())
    )
    print(f"invocations {invocations}")
    secret_calls = sum(n for (s, _), n in meter.api.items() if s == "Secrets Manager")
    print(
        f"cache_saved secret_reads={meter.secret_reads - secret_calls}"
        f" shop_config_reads={meter.config_reads - meter.config_misses}"
    )
    print(f"{'USD per 1,000 orders':24s} {'with caches':>12s} {'without':>12s}")
    for service in cached:
        print(
            f"{service:24s} {per_order[service] * 1000:12.4f} {per_order_uncached[service] * 1000:12.4f}"
        )
    total, total_uncached = sum(per_order.values()), sum(per_order_uncached.values())
    print(f"{'total':24s} {total * 1000:12.4f} {total_uncached * 1000:12.4f}")

    shop_fixed = PRICES["secret_month"]  # the shop's secret
    print(f"{'USD per shop per month':24s} {'with caches':>12s} {'without':>12s}")
    for volume in (20, 200, 2000):
        print(
            f"{f'{volume} orders':24s} {shop_fixed + volume * total:12.4f}"
            f" {shop_fixed + volume * total_uncached:12.4f}"
        )
    runs = MONTH_SECONDS / (15 * 60)  # the template's default schedule: every 15 minutes
    scheduled = runs * (
        scheduled_seconds * _memory_gb(template, "ReconcileFunction") * PRICES["lambda_gb_second"]
        + PRICES["lambda_request"]
    )
    idle_polling = 2 * IDLE_RECEIVES_PER_QUEUE_MONTH * PRICES["sqs_fifo_request"]
    fixed = 2 * PRICES["secret_month"] + scheduled + idle_polling
    print(
        f"deployment_fixed_per_month={fixed:.2f} (app and owner-page secrets 0.80,"
        f" scheduled checks {scheduled:.2f} for one shop, idle queue polling {idle_polling:.2f})"
    )
    print(f"usd_per_1000_orders={total * 1000:.4f} without_caches={total_uncached * 1000:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
