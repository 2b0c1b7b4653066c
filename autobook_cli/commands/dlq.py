"""`autobook dlq list|show|redrive`: what ended in a dead-letter queue, and moving it back."""

import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption
from autobook_cli.commands.common import short_time as when
from autobook_cli.context import state
from autobook_cli.exits import bad_input, not_found
from autobook_cli.helptext import STACK_PANEL, command, group
from autobook_cli.stack import Stack

if TYPE_CHECKING:
    from autobook.domain.events import DeadLetter


class QueueName(StrEnum):
    ORDERS = "orders"
    INVOICES = "invoices"
    ALL = "all"


@dataclass(frozen=True)
class _Queue:
    name: str
    dlq_variable: str
    target_variable: str
    fifo: bool


_QUEUES = (
    _Queue("orders", "ORDERS_DLQ_URL", "ORDERS_QUEUE_URL", fifo=True),
    _Queue("invoices", "INVOICES_DLQ_URL", "INVOICES_QUEUE_URL", fifo=False),
)

dlq_app = group(
    "The dead-letter queues: order events and mail jobs that failed five times. The queues "
    "are found through the stack (ORDERS_DLQ_URL / INVOICES_DLQ_URL).",
    "autobook dlq list",
    "autobook dlq show MESSAGE_ID",
    "autobook dlq redrive --queue orders",
)

QueueOption = Annotated[
    QueueName, typer.Option("--queue", help="Which dead-letter queue.", case_sensitive=False)
]
WaitOption = Annotated[
    int,
    typer.Option(
        "--wait",
        min=0,
        max=20,
        help="Seconds to long-poll each receive (SQS may hide some messages from a short poll).",
    ),
]


def add_to(app: typer.Typer) -> None:
    app.add_typer(dlq_app, name="dlq", rich_help_panel=STACK_PANEL)


def _selected(stack: Stack, queue: QueueName, *, target: bool = False) -> list[_Queue]:
    chosen = [q for q in _QUEUES if queue in (QueueName.ALL, q.name)]
    stack.require(*(q.dlq_variable for q in chosen))
    if target:
        stack.require(*(q.target_variable for q in chosen))
    return chosen


def decode(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


def _summary(queue: str, letter: "DeadLetter") -> dict[str, Any]:
    body = decode(letter.body)
    fields = body if isinstance(body, dict) else {}
    if queue == "orders":
        what = fields.get("source", "")
    else:
        number = fields.get("booked_invoice_number", "")
        what = f"{fields.get('kind', 'invoice')} {number}".strip()
    return {
        "queue": queue,
        "message_id": letter.message_id,
        "group_id": letter.group_id,
        "receive_count": letter.receive_count,
        "sent_at": letter.sent_at,
        "shop_id": fields.get("shop_id"),
        "order_id": fields.get("order_id"),
        "what": what,
        "body": body,
    }


def _letters(stack: Stack, queues: list[_Queue], *, limit: int, wait: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    with core.connected(stack):
        for queue in queues:
            url = stack.value(queue.dlq_variable) or ""
            for letter in core.dead_letters(url, limit=limit, wait_seconds=wait):
                found.append(_summary(queue.name, letter))
    return found


@command(
    dlq_app,
    "list",
    "autobook dlq list",
    "autobook dlq list --queue orders --max 20",
    "autobook dlq list --json | jq '.dead_letters[].order_id'",
)
def list_letters(
    ctx: typer.Context,
    queue: QueueOption = QueueName.ALL,
    limit: Annotated[int, typer.Option("--max", min=1, help="At most this many per queue.")] = 100,
    wait: WaitOption = 1,
    as_json: JsonOption = False,
) -> None:
    """List the messages in the dead-letter queues; they stay where they are.

    SQS has no peek: each message is received for a moment and released, which adds one to its
    receive count."""
    stack = state(ctx).stack()
    letters = _letters(stack, _selected(stack, queue), limit=limit, wait=wait)
    if as_json:
        output.emit_json({"dead_letters": [_without(d, "what") for d in letters]})
        return
    if not letters:
        output.say(
            "The dead-letter queues are empty." if queue == "all" else f"The {queue} DLQ is empty."
        )
        return
    table = output.table(
        "queue",
        "message id",
        "shop",
        "order",
        "what",
        "receives",
        "sent (UTC)",
        title=f"{len(letters)} dead letter(s)",
    )
    output.rows(
        table,
        (
            (
                d["queue"],
                d["message_id"],
                d["shop_id"],
                d["order_id"],
                d["what"],
                d["receive_count"],
                when(d["sent_at"]),
            )
            for d in letters
        ),
    )
    output.stdout().print(table)


@command(
    dlq_app,
    "show",
    "autobook dlq show 5fe1c7a2-7f3e-4c1b-9d0a-2b6f4e8a1c35",
    "autobook dlq show 5fe1c7a2-7f3e-4c1b-9d0a-2b6f4e8a1c35 --json | jq .body",
)
def show_letter(
    ctx: typer.Context,
    message_id: Annotated[str, typer.Argument(metavar="MESSAGE_ID", help="From `dlq list`.")],
    queue: QueueOption = QueueName.ALL,
    limit: Annotated[
        int, typer.Option("--max", min=1, help="How many messages per queue to search.")
    ] = 1000,
    wait: WaitOption = 1,
    as_json: JsonOption = False,
) -> None:
    """Show one dead letter with its decoded body. Exit 3 when no queue holds it."""
    stack = state(ctx).stack()
    letters = _letters(stack, _selected(stack, queue), limit=limit, wait=wait)
    match = next((d for d in letters if d["message_id"] == message_id), None)
    if match is None:
        where = "either dead-letter queue" if queue == QueueName.ALL else f"the {queue} DLQ"
        raise not_found(f"no dead letter {message_id!r} in {where}")
    if as_json:
        output.emit_json(_without(match, "what"))
        return
    console = output.stdout()
    for label in ("queue", "message_id", "group_id", "shop_id", "order_id", "receive_count"):
        if match[label] is not None:
            console.print(f"{label.replace('_', ' '):<14} {output.plain(match[label])}")
    console.print(f"{'sent (UTC)':<14} {when(match['sent_at'])}")
    console.print("body:")
    output.show_json(match["body"])


@command(
    dlq_app,
    "redrive",
    "autobook dlq redrive --queue orders",
    "autobook dlq redrive --yes --json",
)
def redrive_letters(
    ctx: typer.Context,
    queue: QueueOption = QueueName.ALL,
    limit: Annotated[int, typer.Option("--max", min=1, help="At most this many per queue.")] = 1000,
    wait: WaitOption = 1,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Move dead letters back to the queue they came from, once their cause is fixed.

    Order events keep their order per shop+order; booking and mailing are idempotent, so a
    message moved twice does no harm. Asks first unless --yes (required when not on a
    terminal)."""
    stack = state(ctx).stack()
    queues = _selected(stack, queue, target=True)
    waiting = _letters(stack, queues, limit=limit, wait=wait)
    counts = {q.name: sum(1 for d in waiting if d["queue"] == q.name) for q in queues}
    if not any(counts.values()):
        if as_json:
            output.emit_json({"redriven": {name: 0 for name in counts}})
        else:
            output.say("Nothing to redrive: the dead-letter queues are empty.")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise bad_input("redrive changes the queues: pass --yes when not on a terminal")
        listed = ", ".join(f"{n} from the {name} DLQ" for name, n in counts.items() if n)
        typer.confirm(f"Move {listed} back to its queue?", abort=True)
    moved: dict[str, int] = {}
    with core.connected(stack):
        for q in queues:
            moved[q.name] = core.redrive(
                stack.value(q.dlq_variable) or "",
                stack.value(q.target_variable) or "",
                fifo=q.fifo,
                limit=limit,
                wait_seconds=wait,
            )
    if as_json:
        output.emit_json({"redriven": moved})
        return
    for name, count in moved.items():
        output.say(f"Moved {count} message(s) from the {name} DLQ back to the {name} queue.")


def _without(document: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != key}
