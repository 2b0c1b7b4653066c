"""`autobook map` with a Webshop shop file: the documented example reads a Webshop order
document (docs/webshop.md) with its `webshop` readings."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from autobook_cli.configfile import read_object
from autobook_cli.exits import Exit
from sandbox.webshop import catalog
from tests.cli_support import autobook
from tests.unit.mapping.mapping_builders import REPO_ROOT
from tests.unit.webshop.builders import built

EXIT_OK, EXIT_KNOWN_ERROR = Exit.OK, Exit.FAILED


def _example() -> dict[str, Any]:
    example = REPO_ROOT / "docs" / "shop-config.webshop.example.jsonc"
    shop: dict[str, Any] = read_object(example).value
    shop["economic"]["shipping_methods"]["2"] = {"name": "PostNord", "product": "FRAGT"}
    shop["economic"]["payment_methods"]["4"] = {
        "name": "Faktura",
        "payment_terms_number": 1,
        "fee_product": "GEBYR",
    }
    return shop


def _run(tmp_path: Path, order: dict[str, Any], shop: dict[str, Any]) -> tuple[int, Any]:
    (tmp_path / "order.json").write_text(json.dumps(order, default=str), encoding="utf-8")
    (tmp_path / "shop.json").write_text(json.dumps(shop), encoding="utf-8")
    result = autobook(
        "map", str(tmp_path / "order.json"), "--shop", str(tmp_path / "shop.json"), "--json"
    )
    return result.exit_code, json.loads(result.output)


def test_given_the_webshop_example_and_a_captured_order_then_the_draft_is_printed(
    tmp_path: Path,
) -> None:
    document, owed = built()

    code, body = _run(tmp_path, document, _example())

    assert code == EXIT_OK, body
    assert body["currency"] == "DKK"
    assert [line["product"]["productNumber"] for line in body["lines"]][:2] == [
        "TS-ORG-001",
        "KRUS-350",
    ]
    net = sum(Decimal(str(line["unitNetPrice"])) * line["quantity"] for line in body["lines"])
    assert net * Decimal("1.25") == owed.payable


def test_given_the_webshop_example_and_an_unpaid_invoice_order_then_auto_refuses(
    tmp_path: Path,
) -> None:
    document, _ = built(paid=False, payment=catalog.PAY_INVOICE_B2B)

    code, body = _run(tmp_path, document, _example())

    assert code == EXIT_KNOWN_ERROR
    assert body["code"] == "TOTALS_MISMATCH"


def test_given_the_basis_set_to_net_and_an_unpaid_invoice_order_then_it_maps(
    tmp_path: Path,
) -> None:
    document, _ = built(paid=False, payment=catalog.PAY_INVOICE_B2B)
    shop = _example()
    shop["dandomain"]["webshop"]["price_basis"] = "net"

    code, body = _run(tmp_path, document, shop)

    assert code == EXIT_OK, body
    assert body["paymentTerms"] == {"paymentTermsNumber": 1}
