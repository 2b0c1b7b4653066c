"""`autobook backfill SHOP --from DATE --to DATE`: book the orders placed before the shop went
live, with a progress bar and ETA, paced by the agreement's call budget, resumable, and a
report at the end."""

import time
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from autobook_cli import core, output
from autobook_cli.commands.common import JsonOption, ShopArgument, check_shop_id, require_shop
from autobook_cli.context import state
from autobook_cli.exits import CliError, Exit, bad_input
from autobook_cli.helptext import STACK_PANEL, command

if TYPE_CHECKING:
    from autobook.usecases.backfill import Backfill, BackfillRow

ATTEMPTS = 4  # per order, when e-conomic or Dandomain do not answer or ask to slow down
_LABELS = {
    "booked": "booked (not mailed)",
    "drafted": "drafted (trial)",
    "in_economic": "already in e-conomic (left alone)",
    "already": "already handled by autobook",
    "not_bookable": "not in a booking state",
    "failed": "failed (in the error log)",
}


def add_to(app: typer.Typer) -> None:
    command(
        app,
        "backfill",
        "autobook backfill my-shop --from 2026-01-01 --to 2026-03-31",
        "autobook backfill my-shop --from 2026-01-01 --to 2026-03-31 --json > backfill.json",
        panel=STACK_PANEL,
    )(backfill)


def backfill(
    ctx: typer.Context,
    shop_id: ShopArgument,
    first: Annotated[
        str, typer.Option("--from", metavar="DATE", help="First day (YYYY-MM-DD, Danish time).")
    ],
    last: Annotated[
        str, typer.Option("--to", metavar="DATE", help="Last day, included (YYYY-MM-DD).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Book the orders placed from DATE to DATE (in a booking state) that autobook has not
    handled, one by one through the normal booking, paced by the agreement's shared call
    budget. An order already in e-conomic under its reference is left alone. Backfilled
    invoices are not mailed: the buyers were invoiced when they bought. Ctrl-C (or a crash)
    stops it; the same command continues where it stopped.

    Exit 1 when an order failed (its error is in the error log with the fix), 3 for an
    unknown shop, 130 when interrupted."""
    check_shop_id(shop_id)
    start, end = _date(first, "--from"), _date(last, "--to")
    if end < start:
        raise bad_input("--to is before --from")
    stack = state(ctx).stack()
    stack.require("SHOPS_TABLE", "LEDGER_TABLE", "ERRORS_TABLE", "SECRETS_PREFIX")
    rows: list[BackfillRow] = []
    with core.connected(stack):
        require_shop(stack, shop_id)
        work = core.backfill()
        order_ids = work.plan(shop_id, start, end)
        try:
            _run(work, shop_id, order_ids, rows, quiet=as_json)
        except KeyboardInterrupt:
            output.error(
                f"interrupted after {len(rows)} of {len(order_ids)} orders; run the same "
                "command again to continue"
            )
            raise typer.Exit(Exit.INTERRUPTED) from None
    _report(shop_id, rows, as_json=as_json)
    failed = [r for r in rows if r.result == "failed"]
    if failed:
        raise CliError(
            f"{len(failed)} orders failed; `autobook errors {shop_id}` says what to fix, then "
            "run the backfill again"
        )


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_input(f"{option} takes a date like 2026-01-31, not {value[:20]!r}") from None


def _run(
    work: "Backfill", shop_id: str, order_ids: list[str], rows: "list[BackfillRow]", *, quiet: bool
) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("backfill"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    console = output.stderr()
    with Progress(*columns, console=console, disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task("orders", total=len(order_ids))
        for order_id in order_ids:
            rows.append(_one(work, shop_id, order_id))
            progress.advance(task)


def _one(work: "Backfill", shop_id: str, order_id: str) -> "BackfillRow":
    """One order, waiting out e-conomic's throttling and retrying what did not answer."""
    from autobook.domain.errors import ErrorCode, RateLimitedError, TransientError
    from autobook.usecases.backfill import BackfillRow, Result

    for attempt in range(1, ATTEMPTS + 1):
        try:
            return work.book(shop_id, order_id, last_attempt=attempt == ATTEMPTS)
        except RateLimitedError as slow_down:
            time.sleep(min(slow_down.retry_after_seconds or 1.0, 60.0))
        except TransientError:
            if attempt < ATTEMPTS:
                time.sleep(2.0**attempt)
    # The last attempt recorded SERVICE_UNAVAILABLE for the owner; the next run retries it.
    return BackfillRow(
        order_id=order_id, result=Result.FAILED, error_code=ErrorCode.SERVICE_UNAVAILABLE
    )


def _report(shop_id: str, rows: "list[BackfillRow]", *, as_json: bool) -> None:
    counts = Counter(str(r.result) for r in rows)
    if as_json:
        output.emit_json(
            {
                "shop": shop_id,
                "counts": dict(counts),
                "rows": [r.model_dump(mode="json") for r in rows],
            }
        )
        return
    table = output.table("result", "orders", title=f"Backfill of {shop_id}: {len(rows)} orders")
    output.rows(table, ((_LABELS[k], n) for k, n in sorted(counts.items())))
    console = output.stdout()
    console.print(table)
    failed = [r for r in rows if r.result == "failed"]
    if failed:
        detail = output.table("order", "error", title="Failed")
        output.rows(detail, ((r.order_id, r.error_code) for r in failed))
        console.print(detail)
