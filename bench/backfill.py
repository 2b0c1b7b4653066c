"""Backfill of many orders against a throttled e-conomic agreement, interrupted once and run
again (bench/README.md, "Backfill").

One active shop with `--orders` seeded orders that never had a webhook; the agreement's token
bucket is `--capacity` tokens per `--per-seconds` (e-conomic answers 429 when it is empty).
`autobook backfill` runs as the operator runs it (the CLI, through a profile pointing at the
local stack), is interrupted (Ctrl-C) after `--interrupt-after` orders, and is run again.
Counts come from the sandboxes: invoices per order reference, mails, 429 answers, and the
error log's codes. The key figure last: orders backfilled, duplicates, 429s in the error log.

    .venv/bin/python -W ignore bench/backfill.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import workload

SHOP = "backfill-shop"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--capacity", type=int, default=200)
    parser.add_argument("--per-seconds", type=float, default=5.0)
    parser.add_argument("--interrupt-after", type=int, default=500)
    args = parser.parse_args(argv)

    from typer.testing import CliRunner

    from autobook.domain.errors import ErrorStatus
    from autobook.usecases import backfill as backfill_module
    from autobook_cli.app import app
    from autobook_cli.commands.sandbox import environment
    from autobook_cli.stack import Profile, profile_path, write_profile
    from sandbox.daemon import stack_outputs
    from sandbox.environment import LocalEnvironment
    from sandbox.shopkit import open_shop

    home = Path(tempfile.mkdtemp(prefix="autobook-bench-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    with LocalEnvironment(log_level="CRITICAL") as env:
        assert env.aws is not None
        state = {"outputs": stack_outputs(env), "aws": env.aws.aws_env()}
        write_profile(profile_path("bench", os.environ), Profile(environment=environment(state)))
        shop = open_shop(env, SHOP, orders=args.orders)
        shop.agreement.set_rate_limit(args.capacity, per_seconds=args.per_seconds)
        command = ["--profile", "bench", "backfill", SHOP, "--from", "2026-01-01"]
        command += ["--to", "2027-12-31", "--json"]

        real_book = backfill_module.Backfill.book
        calls = {"n": 0}

        def interrupted(self: Any, *a: Any, **k: Any) -> Any:
            calls["n"] += 1
            if calls["n"] > args.interrupt_after:
                raise KeyboardInterrupt
            return real_book(self, *a, **k)

        started = time.monotonic()
        backfill_module.Backfill.book = interrupted  # type: ignore[method-assign]
        first = CliRunner().invoke(app, command)
        backfill_module.Backfill.book = real_book  # type: ignore[method-assign]
        second = CliRunner().invoke(app, command)
        seconds = time.monotonic() - started
        env.run_until_idle()

        report = json.loads(second.stdout)
        references = Counter(i["references"]["other"] for i in shop.agreement.booked.values())
        calls_by = Counter(workload.call_kind(c) for c in shop.agreement.calls)
        throttled = sum(1 for c in shop.agreement.calls if c.status == 429)
        with env.operator() as root:
            codes = Counter(str(e.code) for e in root.queries().errors_with(SHOP, ErrorStatus.OPEN))
        duplicates = sum(n - 1 for n in references.values() if n > 1)
        print(f"first run: exit {first.exit_code} after {args.interrupt_after} orders")
        print(f"second run: exit {second.exit_code} counts={dict(report['counts'])}")
        print(f"seconds={seconds:.1f} economic_calls={len(shop.agreement.calls)} 429={throttled}")
        print(f"calls: {dict(calls_by.most_common())}")
        print(f"open errors: {dict(codes)} buyer_mails={len(env.buyer_mails())}")
        booked = len(references)
        print(
            f"orders={args.orders} backfilled={booked} duplicates={duplicates} "
            f"throttled_in_error_log={codes.get('SERVICE_UNAVAILABLE', 0)}"
        )
        return 0 if duplicates == 0 and not codes.get("SERVICE_UNAVAILABLE") else 1


if __name__ == "__main__":
    sys.exit(main())
