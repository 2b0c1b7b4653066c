"""What several commands share: shop-id checks, the --json option, time formatting."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from autobook_cli.exits import bad_input, not_found
from autobook_cli.stack import Stack

if TYPE_CHECKING:
    from autobook.domain.shop import ShopConfig

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ShopArgument = Annotated[str, typer.Argument(metavar="SHOP", help="The shop id.")]


def check_shop_id(shop_id: str) -> str:
    from autobook.domain.shop import SHOP_ID_PATTERN

    if not SHOP_ID_PATTERN.match(shop_id):
        raise bad_input(
            f"{shop_id[:60]!r} is not a shop id (lowercase letters, digits and '-', at most 48)"
        )
    return shop_id


def require_shop(stack: Stack, shop_id: str) -> "ShopConfig":
    """The shop's configuration; exit 3 for a shop the stack does not know (inside
    `core.connected`)."""
    from autobook_cli import core

    config = core.shop(shop_id)
    if config is None:
        raise not_found(f"no shop {shop_id!r} in {stack.source}")
    return config


def short_time(value: datetime | str | None) -> str:
    """`2026-05-14 10:02:13` in UTC (the stored times are UTC)."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def first_problem(error: ValueError) -> str:
    """The first of pydantic's problems as `field.path: what is wrong`."""
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
    return str(error)
