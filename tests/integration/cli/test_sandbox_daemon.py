"""`autobook sandbox up` starts a real background process that outlives the command; other
commands reach it through the profile it writes, exactly as a deployed stack; its queue pump
books what a webhook brings; `down` — also after a crash — leaves nothing running."""

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autobook_cli import sandbox_control
from autobook_cli.stack import profile_path
from sandbox.dandomain import WebhookSender, classic_order_change
from tests.cli_support import autobook, isolate, one_error_line

pytestmark = pytest.mark.integration

STARTUP_LIMIT = "180"  # seconds `up` may wait for health on a loaded machine
BOOKING_STATE = 3


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    isolate(monkeypatch, tmp_path)
    yield tmp_path
    # Whatever a failing test left behind is stopped here, by its pid file.
    sandbox_control.stop(sandbox_control.default_state_dir(os.environ))


def status() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(autobook("sandbox", "status", "--json").stdout)
    return document


def profile_environment() -> dict[str, str]:
    document = json.loads(profile_path("sandbox", os.environ).read_text())
    environment: dict[str, str] = document["environment"]
    return environment


def wait_for_state(shop_id: str, order_id: str, wanted: str, *, limit_s: float = 60) -> str:
    """Poll the ledger through the CLI (each call is a round trip; no sleeping)."""
    deadline = time.monotonic() + limit_s
    state = "unseen"
    while time.monotonic() < deadline:
        shown = autobook("--profile", "sandbox", "orders", "show", shop_id, order_id, "--json")
        if shown.exit_code == 0:
            state = json.loads(shown.stdout)["entry"]["state"]
            if state == wanted:
                break
    return state


def test_given_sandbox_up_then_commands_use_it_through_the_profile_until_down(home: Path) -> None:
    started = autobook("sandbox", "up", "--seed", "--timeout", STARTUP_LIMIT)
    assert started.exit_code == 0, started.output
    pid = status()["pid"]
    again = autobook("sandbox", "up")
    state_dir = sandbox_control.default_state_dir(os.environ)
    seed = json.loads((state_dir / "state.json").read_text())["seed"]

    # A second `up` is harmless: the same daemon answers.
    assert again.exit_code == 0
    assert f"Already running: the sandbox (pid {pid}" in again.stdout
    assert status()["status"] == "running"
    assert "export ORDERS_DLQ_URL=" in started.stdout
    assert seed["dandomain_api_key"] in started.stdout  # the operator types these in

    # Every command reaches it through the profile, as it would a deployed stack.
    unknown = autobook("--profile", "sandbox", "errors", "demo-shop")
    registered = autobook(
        "--profile", "sandbox", "register", seed["shop_file"], "--secrets", seed["secrets_file"]
    )
    errors = autobook("--profile", "sandbox", "errors", "demo-shop", "--json")
    letters = autobook("--profile", "sandbox", "dlq", "list", "--wait", "0", "--json")
    assert unknown.exit_code == 3
    assert registered.exit_code == 0, registered.output
    assert json.loads(errors.stdout) == {"shop_id": "demo-shop", "errors": []}
    assert json.loads(letters.stdout) == {"dead_letters": []}

    # A webhook through the local API is delivered to booking by the pump (trial: a draft).
    secret = json.loads(Path(seed["secrets_file"]).read_text())["webhook_secret"]
    first_order = seed["order_ids"][0]
    with WebhookSender() as sender:
        answer = sender.send(
            profile_environment()["WEBHOOK_BASE_URL"] + "demo-shop",
            classic_order_change(first_order, 1, BOOKING_STATE),
            hmac_secret=secret,
        )
    assert answer.status_code == 202
    # Nothing but the pump invokes the booking function in the daemon.
    assert wait_for_state("demo-shop", str(first_order), "drafted") == "drafted"
    assert status()["health"]["pump"]["running"] is True

    stopped = autobook("sandbox", "down")

    assert stopped.exit_code == 0
    assert f"Stopped the sandbox (pid {pid})" in stopped.stdout
    assert sandbox_control.group_is_empty(pid)
    assert not state_dir.exists()
    assert not profile_path("sandbox", os.environ).exists()
    assert autobook("sandbox", "status").exit_code == 1


def test_given_a_crashed_sandbox_then_it_is_detected_and_down_stops_what_it_left(
    home: Path,
) -> None:
    assert autobook("sandbox", "up", "--timeout", STARTUP_LIMIT).exit_code == 0
    pid = status()["pid"]
    assert not sandbox_control.group_is_empty(pid)

    os.kill(pid, signal.SIGKILL)  # the daemon dies; DynamoDB Local, its child, lives on
    with contextlib.suppress(ChildProcessError):  # started from this process: reap it
        os.waitpid(pid, 0)
    crashed = status()
    used = autobook("--profile", "sandbox", "errors", "demo-shop")
    cleaned = autobook("sandbox", "down")

    assert crashed["status"] == "crashed"
    assert used.exit_code == 4
    assert "is not running (crashed" in one_error_line(used)
    assert cleaned.exit_code == 0
    assert f"Cleaned up after the crashed sandbox (pid {pid})" in cleaned.stdout
    assert sandbox_control.group_is_empty(pid)
