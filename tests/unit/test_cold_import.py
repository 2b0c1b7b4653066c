"""What a cold start loads, read in a fresh interpreter (the figures are in bench/coldstart.py;
this pins the choices behind them): the webhook answers from the shop config, its secret and
the queue, so it loads neither an HTTP client nor the mapping nor a tracer nor Powertools'
REST router; no function loads the X-Ray SDK or the parser."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = sorted(p.name for p in (ROOT / "functions").iterdir() if (p / "app.py").exists())
ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "SHOPS_TABLE": "shops",
    "LEDGER_TABLE": "ledger",
    "ERRORS_TABLE": "errors",
    "ORDERS_QUEUE_URL": "https://sqs.invalid/orders.fifo",
    "INVOICES_QUEUE_URL": "https://sqs.invalid/invoices",
    "SECRETS_PREFIX": "autobook/test/",
    "SENDER_ADDRESS": "test@example.invalid",
}
NEVER_LOADED = ("aws_xray_sdk", "pydantic_settings", "aws_lambda_powertools.utilities.parser")
# Powertools imports the bare `botocore` package (its user agent); the SDK itself is
# `botocore.session` and the clients, built on the first request.
NOT_IN_THE_WEBHOOK = (
    "aws_lambda_powertools.event_handler",
    "httpx",
    "boto3",
    "botocore.session",
    "autobook.domain.mapping",
    "autobook.economic",
    "zeep",
)


def _loaded_by_import(function: str) -> set[str]:
    program = (
        "import sys, json; "
        f"sys.path[:0] = [{str(ROOT / 'functions' / function)!r}, {str(ROOT / 'shared')!r}]; "
        "import app; print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **ENVIRONMENT},
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def _under(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_given_a_function_when_it_starts_cold_then_it_loads_no_tracer_and_no_parser(
    function: str,
) -> None:
    assert _under(_loaded_by_import(function), NEVER_LOADED) == []


def test_given_the_webhook_when_it_starts_cold_then_it_loads_no_http_client_sdk_or_mapping() -> (
    None
):
    assert _under(_loaded_by_import("webhook"), NOT_IN_THE_WEBHOOK) == []
