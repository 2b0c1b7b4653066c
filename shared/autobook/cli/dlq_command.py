"""`autobook dlq list|redrive`: look at the dead-letter queues and move messages back.

    autobook dlq list    [--queue orders|invoices] [--max N] [--dlq-url URL]
    autobook dlq redrive [--queue orders|invoices] [--max N] [--dlq-url URL] [--target-url URL]

The DLQ URLs come from `--dlq-url` or the environment (ORDERS_DLQ_URL / INVOICES_DLQ_URL, the
stack outputs OrdersDeadLetterQueueUrl / InvoicesDeadLetterQueueUrl); the queue a redrive goes
back to from `--target-url` or ORDERS_QUEUE_URL / INVOICES_QUEUE_URL, as for the functions.
"""

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from autobook.composition import root_from_environment


@dataclass(frozen=True)
class _QueuePair:
    dlq_env: str
    target_env: str
    fifo: bool


QUEUES = {
    "orders": _QueuePair("ORDERS_DLQ_URL", "ORDERS_QUEUE_URL", fifo=True),
    "invoices": _QueuePair("INVOICES_DLQ_URL", "INVOICES_QUEUE_URL", fifo=False),
}
DEFAULT_MAX = {"list": 100, "redrive": 1000}


def add_dlq_parser(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    """Add `dlq list` and `dlq redrive` to the CLI's sub-commands."""
    dlq = commands.add_parser("dlq", help="list or redrive a dead-letter queue")
    actions = dlq.add_subparsers(dest="dlq_command", required=True)
    for name, text in (
        ("list", "print the messages in a DLQ (left in place)"),
        ("redrive", "move messages from a DLQ back to its queue"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--queue", choices=sorted(QUEUES), default="orders")
        action.add_argument("--max", type=int, default=None, help=f"default {DEFAULT_MAX[name]}")
        action.add_argument("--dlq-url", default=None, help="default: $ORDERS_DLQ_URL etc.")
        action.add_argument("--wait", type=int, default=1, help="long-poll seconds per receive")
        if name == "redrive":
            action.add_argument("--target-url", default=None, help="default: $ORDERS_QUEUE_URL")
    return dlq


def run_dlq(
    args: argparse.Namespace, *, out: TextIO | None = None, env: Mapping[str, str] | None = None
) -> int:
    out = out or sys.stdout
    env = os.environ if env is None else env
    command = getattr(args, "dlq_command", None) or "list"
    queue = getattr(args, "queue", None) or "orders"
    pair = QUEUES[queue]
    limit = getattr(args, "max", None) or DEFAULT_MAX[command]
    wait = int(getattr(args, "wait", 1) or 0)
    dlq_url = getattr(args, "dlq_url", None) or env.get(pair.dlq_env)
    if not dlq_url:
        print(f"no DLQ URL: pass --dlq-url or set {pair.dlq_env}", file=sys.stderr)
        return 2
    target_url = getattr(args, "target_url", None) or env.get(pair.target_env)
    if not target_url:
        print(f"no target queue URL: pass --target-url or set {pair.target_env}", file=sys.stderr)
        return 2
    root = root_from_environment()
    letters = root.dead_letters(dlq_url=dlq_url, target_url=target_url, fifo=pair.fifo)
    if command == "list":
        for letter in letters.peek(max_messages=limit, wait_seconds=wait):
            print(letter.model_dump_json(), file=out)
        return 0
    moved = root.operations().redrive(letters, max_messages=limit, actor="operator:cli")
    print(json.dumps({"queue": queue, "redriven": moved}), file=out)
    return 0
