"""`autobook map ORDER --shop SHOP`: the draft invoice an order becomes, offline and pure."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autobook_cli import output
from autobook_cli.configfile import ConfigFileError, describe_errors, read_object, validate
from autobook_cli.exits import Exit, bad_input
from autobook_cli.helptext import LOCAL_PANEL, command


class ReferenceBlock(BaseModel):
    """The optional `reference_data` block; every field has a default for a dry run."""

    model_config = ConfigDict(extra="forbid")

    customer_number: int | None = None
    base_currency: str = "DKK"
    invoice_date: date | None = None
    country_codes: dict[int, str] = Field(default_factory=dict)
    shop_currency_factor: Decimal | None = None


def add_to(app: typer.Typer) -> None:
    command(
        app,
        "map",
        "autobook map order-1001.json --shop docs/shop-config.example.jsonc",
        "autobook map order.json --shop shop.json --json | jq .code",
        panel=LOCAL_PANEL,
    )(map_order)


def map_order(
    order_file: Annotated[
        Path, typer.Argument(metavar="ORDER", help="A Dandomain order, as its API returns it.")
    ],
    shop_file: Annotated[
        Path, typer.Option("--shop", metavar="SHOP", help="A shop file (JSON or JSONC).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output (also for errors).")
    ] = False,
) -> None:
    """Print the e-conomic draft invoice a Dandomain order maps to — or why it cannot.

    Reads two files and calls no service. The shop file is a shop configuration (JSON or
    JSONC, as docs/shop-config.example.jsonc) with an optional `reference_data` block standing
    in for what booking would look up (debtor number, base currency, invoice date, country
    ids).

    Exit 0 with the draft (or a note that the order is never booked), 1 with the known error
    that stops it, 2 when a file is missing or invalid."""
    from autobook.dandomain.sources import parse_order
    from autobook.domain.errors import KnownError
    from autobook.domain.mapping import ReferenceData, customer_lookup, map_order, skip_reason
    from autobook.domain.shop import ShopConfig
    from autobook.domain.vat_zone import decide_vat_zone

    shop_doc = read_object(shop_file)
    shop_value = dict(shop_doc.value)
    block = validate(
        shop_doc,
        ReferenceBlock,
        shop_value.pop("reference_data", None) or {},
        at=["reference_data"],
    )
    shop = validate(shop_doc, ShopConfig, shop_value)
    order_doc = read_object(order_file)
    try:
        order = parse_order(
            shop.dandomain.platform, order_doc.value, webshop=shop.dandomain.webshop_settings
        )
    except ValidationError as exc:
        raise ConfigFileError(describe_errors(order_doc, exc, None)) from None
    except ValueError as exc:
        raise bad_input(f"{order_file}: {exc}") from None

    reason = skip_reason(order)
    if reason is not None:
        if as_json:
            output.emit_json({"skipped": reason, "order_id": order.order_id})
        else:
            output.say(f"Order {output.plain(order.order_id)} is not booked: {reason}.")
        return
    try:
        customer_number = block.customer_number
        if customer_number is None:
            # A dry run has no debtor yet: the collective debtor, else a placeholder 1.
            zone = decide_vat_zone(order, shop, block.country_codes).number
            customer_number = customer_lookup(order, shop, zone).customer_number or 1
        reference = ReferenceData(
            customer_number=customer_number,
            base_currency=block.base_currency,
            invoice_date=block.invoice_date or datetime.now(UTC).date(),
            country_codes=block.country_codes,
            shop_currency_factor=block.shop_currency_factor,
        )
        mapped = map_order(order, shop, reference)
    except KnownError as error:
        text = error.text
        if as_json:
            output.emit_json(
                {
                    "code": str(text.code),
                    "parameters": text.parameters,
                    "da": text.da,
                    "en": text.en,
                }
            )
        else:
            output.say(
                f"Order {output.plain(order.order_id)} cannot be booked: [bold]{text.code}[/]\n"
                f"  en: {output.plain(text.en)}\n  da: {output.plain(text.da)}"
            )
        raise typer.Exit(Exit.FAILED) from None
    body = mapped.draft.to_body()
    if as_json:
        output.emit_json(body)
    else:
        output.show_json(body)
