"""What the Webshop SOAP client (zeep) adds to a booking function's cold start.

Each measurement runs in a fresh interpreter (a cold start imports everything anew), `--runs`
times; the median is reported, and every figure as a ratio to the booking handler's own import
measured in the same run (bench/README.md, "Webshop SOAP client").
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from coldstart import ENVIRONMENT  # what template.yaml gives the functions

ROOT = Path(__file__).resolve().parents[1]

# One fresh interpreter per run does these in order and times each step by itself, so the
# increments are measured in the process that pays them (a cold start of the booking function
# that then books a Webshop order).
# One fresh interpreter per run does these in order and times each step by itself (the
# untimed setup before it), so the increments are measured in the process that pays them: a
# cold start of the booking function that then books a Webshop order. The httpx client is the
# function's shared one, made before (its TLS context is not the SOAP client's cost).
_CLIENT = (
    "w.WebshopClient(endpoint='https://x.invalid/service.php', username='u', password='p', http=h)"
)
STEPS: dict[str, tuple[str, str]] = {
    "booking handler import": ("", "import app"),
    "+ zeep, lxml, requests import": ("", "import zeep, lxml.etree"),
    "+ autobook webshop client import": ("", "import autobook.dandomain.webshop_client as w"),
    "+ WSDL parsed, first client built": ("import httpx; h = httpx.Client()", _CLIENT),
    "+ one more client (another shop)": ("", _CLIENT),
}


def _run() -> list[float]:
    lines = [
        f"import time, sys; sys.path[:0]=[{str(ROOT / 'functions' / 'booking')!r}, "
        f"{str(ROOT / 'shared')!r}]"
    ]
    for setup, code in STEPS.values():
        lines += [setup, "t=time.perf_counter()", code, "print(time.perf_counter()-t)"]
    out = subprocess.run(
        [sys.executable, "-c", "\n".join(lines)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
    )
    return [float(x) for x in out.stdout.split()[-len(STEPS) :]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    samples = [_run() for _ in range(runs)]
    medians = [statistics.median(step) for step in zip(*samples, strict=True)]
    base = medians[0]
    print(f"runs={runs} python={sys.version.split()[0]}")
    for name, seconds in zip(STEPS, medians, strict=True):
        print(f"{name:36s} {seconds * 1000:7.1f} ms  x{seconds / base:.3f}")


if __name__ == "__main__":
    main()
