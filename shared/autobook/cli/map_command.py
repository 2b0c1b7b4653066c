"""`autobook map ORDER.json --shop SHOP.json`: the draft invoice that would be sent, or the error.

Pure: reads two files, maps, prints JSON. Exit 0 with the draft body (or `{"skipped": reason}`
for an order that is never booked), exit 2 with `{"code", "parameters", "da", "en"}` for a known
error. The shop file is a `ShopConfig` JSON document plus an optional `"reference_data"` block
(see docs/shop-config.example.jsonc).
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from autobook.dandomain.sources import parse_order
from autobook.domain.errors import KnownError
from autobook.domain.mapping import ReferenceData, customer_lookup, map_order, skip_reason
from autobook.domain.shop import ShopConfig
from autobook.domain.vat_zone import decide_vat_zone

EXIT_OK = 0
EXIT_KNOWN_ERROR = 2


class _ReferenceBlock(BaseModel):
    """The optional `reference_data` block; every field has a default for a dry run."""

    model_config = ConfigDict(extra="forbid")

    customer_number: int | None = None
    base_currency: str = "DKK"
    invoice_date: date | None = None
    country_codes: dict[int, str] = Field(default_factory=dict)
    shop_currency_factor: Decimal | None = None


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def run_map(order_path: Path, shop_path: Path, out: TextIO) -> int:
    shop_doc = _load_json(shop_path)
    block = _ReferenceBlock.model_validate(shop_doc.pop("reference_data", None) or {})
    shop = ShopConfig.model_validate(shop_doc)
    order = parse_order(
        shop.dandomain.platform, _load_json(order_path), webshop=shop.dandomain.webshop
    )
    reason = skip_reason(order)
    if reason is not None:
        _write(out, {"skipped": reason, "order_id": order.order_id})
        return EXIT_OK
    try:
        customer_number = block.customer_number
        if customer_number is None:
            # A dry run has no debtor yet: the collective debtor, else a placeholder 1.
            zone = decide_vat_zone(order, shop, block.country_codes).number
            lookup = customer_lookup(order, shop, zone)
            customer_number = lookup.customer_number or 1
        ref = ReferenceData(
            customer_number=customer_number,
            base_currency=block.base_currency,
            invoice_date=block.invoice_date or datetime.now(UTC).date(),
            country_codes=block.country_codes,
            shop_currency_factor=block.shop_currency_factor,
        )
        mapped = map_order(order, shop, ref)
    except KnownError as error:
        text = error.text
        _write(
            out,
            {"code": str(text.code), "parameters": text.parameters, "da": text.da, "en": text.en},
        )
        return EXIT_KNOWN_ERROR
    _write(out, mapped.draft.to_body())
    return EXIT_OK


def _write(out: TextIO, document: Any) -> None:
    out.write(json.dumps(document, ensure_ascii=False, indent=2))
    out.write("\n")
