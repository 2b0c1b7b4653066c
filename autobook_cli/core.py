"""The CLI's one door into the autobook core: every command reaches tables, queues and secrets
through these functions, inside `connected(stack)`.

They call what the core offers today (repositories, the dead-letter and onboarding use cases);
when the operator use cases land, this module is re-pointed at them and the commands stay."""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from autobook_cli.stack import Stack

if TYPE_CHECKING:
    from autobook.domain.ledger import LedgerEntry
    from autobook.domain.shop import ShopConfig, ShopSecrets
    from autobook.store.error_log import ErrorRecord
    from autobook.usecases.dead_letters import DeadLetter


@contextmanager
def connected(stack: Stack) -> Iterator[None]:
    """The stack's variables applied, with fresh AWS clients that read them."""
    with stack.applied():
        _forget_clients()
        try:
            yield
        finally:
            _forget_clients()


def _forget_clients() -> None:
    # The adapters create their boto3 clients once per process (as in a Lambda container); a
    # process that switches stacks (the tests) must drop them.
    import boto3
    from aws_lambda_powertools.utilities import parameters

    from autobook.messaging import queues
    from autobook.store import dynamo

    dynamo.reset_clients()
    queues.reset_clients()
    parameters.clear_caches()  # type: ignore[no-untyped-call]
    boto3.DEFAULT_SESSION = None


def _env(name: str) -> str:
    return os.environ[name]


def shop(shop_id: str) -> "ShopConfig | None":
    from autobook.store.shops import ShopRepository

    return ShopRepository(_env("SHOPS_TABLE")).get_config(shop_id)


def errors(shop_id: str, *, include_closed: bool) -> "list[ErrorRecord]":
    from autobook.store.error_log import ErrorLogRepository

    return ErrorLogRepository(_env("ERRORS_TABLE")).for_shop(shop_id, only_open=not include_closed)


def ledger_entry(shop_id: str, order_id: str) -> "LedgerEntry | None":
    from autobook.store.ledger import LedgerRepository

    return LedgerRepository(_env("LEDGER_TABLE")).get(shop_id, order_id)


def dead_letters(queue_url: str, *, limit: int, wait_seconds: int) -> "list[DeadLetter]":
    from autobook.usecases.dead_letters import list_dead_letters

    return list_dead_letters(queue_url, max_messages=limit, wait_seconds=wait_seconds)


def redrive(dlq_url: str, target_url: str, *, fifo: bool, limit: int, wait_seconds: int) -> int:
    from autobook.usecases import dead_letters

    return dead_letters.redrive(
        dlq_url, target_url, fifo=fifo, max_messages=limit, wait_seconds=wait_seconds
    )


def register(config: "ShopConfig", secrets: "ShopSecrets") -> None:
    from autobook.store.secrets import SecretWriter
    from autobook.store.shops import ShopRepository
    from autobook.usecases.onboarding import register_shop

    prefix = _env("SECRETS_PREFIX")
    writer = SecretWriter(shop_secret_name=lambda shop_id: f"{prefix}shops/{shop_id}")
    register_shop(config, secrets, shops=ShopRepository(_env("SHOPS_TABLE")), writer=writer)


def replay(shop_id: str, order_ids: Sequence[str]) -> None:
    import uuid

    from autobook.domain.events import EventSource, OrderEvent
    from autobook.messaging.queues import OrderQueue

    queue = OrderQueue(_env("ORDERS_QUEUE_URL"))
    now = datetime.now(UTC)
    for order_id in order_ids:
        queue.send(
            OrderEvent(
                shop_id=shop_id,
                order_id=order_id,
                source=EventSource.REPLAY,
                received_at=now,
                event_id=f"replay:{uuid.uuid4()}",
            )
        )
