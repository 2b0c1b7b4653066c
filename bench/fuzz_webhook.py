"""Fuzz the webhook door: generated requests (hypothesis on the raw body, headers and path,
one in five a genuine Dandomain delivery) over HTTP against the local API, then the orders
queue checked. Exit code 1 unless 5xx, invalid_enqueued and lost are all 0.

    .venv/bin/python -W ignore bench/fuzz_webhook.py --requests 10000
"""

import argparse
import sys
import time

from sandbox import webhook_fuzz
from sandbox.environment import LocalEnvironment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args(argv)
    with LocalEnvironment(log_level="CRITICAL") as env:
        webhook_fuzz.open_fuzz_shop(env)
        started = time.perf_counter()
        report = webhook_fuzz.run(env, requests=args.requests)
        seconds = time.perf_counter() - started
    print(report.line())
    print(f"seconds={seconds:.1f} requests_per_second={report.requests / seconds:.1f}")
    clean = (report.server_errors, report.invalid_enqueued, report.lost) == (0, 0, 0)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
