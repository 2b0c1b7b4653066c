"""The CLI's one door into the autobook core: every command reaches the use cases through the
composition root built here, inside `connected(stack)` — the same root, adapters and rules the
Lambdas use."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from autobook_cli.stack import Stack

if TYPE_CHECKING:
    from email.message import EmailMessage

    from autobook.composition import Root
    from autobook.domain.errors import ErrorRecord
    from autobook.domain.events import DeadLetter
    from autobook.domain.ledger import LedgerEntry
    from autobook.domain.mapping_proposal import MappingProposal
    from autobook.domain.shop import ShopConfig, ShopSecrets
    from autobook.usecases.backfill import Backfill
    from autobook.usecases.doctor import Checkup
    from autobook.usecases.trial import TrialReport

OPERATOR = "operator:cli"
_roots: list["Root"] = []


@contextmanager
def connected(stack: Stack) -> Iterator[None]:
    """The stack's variables applied, and a composition root (fresh clients) that reads them."""
    import boto3

    from autobook.composition import Root
    from autobook.settings import Settings

    with stack.applied():
        boto3.DEFAULT_SESSION = None
        _roots.append(Root(Settings.from_environment()))
        try:
            yield
        finally:
            _roots.pop()


def root() -> "Root":
    return _roots[-1]


def shop(shop_id: str) -> "ShopConfig | None":
    return root().shops.get(shop_id)


def errors(shop_id: str, *, include_closed: bool) -> "list[ErrorRecord]":
    from autobook.domain.errors import ErrorStatus

    queries = root().queries()
    if not include_closed:
        return queries.open_errors(shop_id)
    return [r for status in ErrorStatus for r in queries.errors_with(shop_id, status)]


def ledger_entry(shop_id: str, order_id: str) -> "LedgerEntry | None":
    return root().ledger.get(shop_id, order_id)


def dead_letters(queue_url: str, *, limit: int, wait_seconds: int) -> "list[DeadLetter]":
    letters = root().dead_letters(dlq_url=queue_url, target_url="", fifo=False)
    return letters.peek(max_messages=limit, wait_seconds=wait_seconds)


def redrive(dlq_url: str, target_url: str, *, fifo: bool, limit: int, wait_seconds: int) -> int:
    letters = root().dead_letters(dlq_url=dlq_url, target_url=target_url, fifo=fifo)
    return letters.redrive(max_messages=limit, now=root().clock(), wait_seconds=wait_seconds)


def register(config: "ShopConfig", secrets: "ShopSecrets") -> "ShopConfig":
    current = root()
    return current.operations().register_shop(
        config, secrets, current.secret_writer, actor=OPERATOR
    )


def replay(shop_id: str, order_ids: Sequence[str]) -> None:
    operations = root().operations()
    for order_id in order_ids:
        operations.replay_order(shop_id, order_id, actor=OPERATOR)


def shops() -> "list[ShopConfig]":
    return root().queries().all_shops()


def trial_report(shop_id: str) -> "TrialReport":
    return root().trial().report(shop_id)


def activate(shop_id: str, *, force: bool, reason: str) -> "ShopConfig":
    """Trial -> active through the use case; a refusal is a `CliError` saying what is missing."""
    from autobook.usecases.operations import ActionError
    from autobook_cli.exits import CliError

    try:
        return root().trial().activate(shop_id, actor=OPERATOR, force=force, reason=reason)
    except ActionError as refused:
        raise CliError(refused.en) from None


def checkup(shop_id: str, *, days: int) -> "Checkup":
    return root().doctor().examine(shop_id, days=days)


def add_shop(config: "ShopConfig", secrets: "ShopSecrets") -> "tuple[ShopConfig, list[str]]":
    """The use case's refusal (a credential refused, the shop exists) is a `CliError`."""
    from autobook.usecases.operations import ActionError
    from autobook_cli.exits import CliError

    try:
        return root().add_shop()(config, secrets, actor=OPERATOR)
    except ActionError as refused:
        raise CliError(refused.en) from None


def _refusals_as_cli_errors[T](call: "Callable[[], T]") -> T:
    from autobook.usecases.operations import ActionError
    from autobook_cli.exits import CliError

    try:
        return call()
    except ActionError as refused:
        raise CliError(refused.en) from None


def mapping_proposal(shop_id: str) -> "MappingProposal":
    return root().mapping_work().propose(shop_id)


def accept_mapping(shop_id: str) -> "tuple[MappingProposal, list[str]]":
    return root().mapping_work().accept(shop_id, actor=OPERATOR)


def set_payment_mapping(
    shop_id: str, method_id: int, *, terms: int, fee_product: str | None, site_id: int | None
) -> list[str]:
    work = root().mapping_work()
    return _refusals_as_cli_errors(
        lambda: work.set_payment(
            shop_id,
            method_id,
            terms=terms,
            fee_product=fee_product,
            site_id=site_id,
            actor=OPERATOR,
        )
    )


def set_shipping_mapping(
    shop_id: str, method_id: int, *, product: str, site_id: int | None
) -> list[str]:
    work = root().mapping_work()
    return _refusals_as_cli_errors(
        lambda: work.set_shipping(
            shop_id, method_id, product=product, site_id=site_id, actor=OPERATOR
        )
    )


def backfill() -> "Backfill":
    return root().backfill()


def mail_preview(shop_id: str, order_id: str, *, credit_note: bool) -> "tuple[EmailMessage, bytes]":
    current = root()
    return _refusals_as_cli_errors(
        lambda: current.mail_invoice().preview(shop_id, order_id, credit_note=credit_note)
    )


def update_shop(config: "ShopConfig") -> list[str]:
    """Save a shop's changed configuration; the order ids its mapping change replayed."""
    operations = root().operations()
    return _refusals_as_cli_errors(lambda: operations.update_shop(config, actor=OPERATOR))
