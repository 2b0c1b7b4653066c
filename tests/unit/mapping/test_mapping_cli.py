"""`autobook map ORDER.json --shop SHOP.json` (run_map)."""

import io
import json
from pathlib import Path
from typing import Any

from autobook.cli.map_command import EXIT_KNOWN_ERROR, EXIT_OK, run_map
from tests.unit.mapping.mapping_builders import REPO_ROOT, classic, fixture_json

SHOP: dict[str, Any] = {
    "shop_id": "fit4fight",
    "name": "Fit4Fight",
    "dandomain": {"base_url": "https://www.example.dk"},
    "economic": {
        "payment_methods": {"60": {"name": "Betalingskort", "payment_terms_number": 4}},
        "shipping_methods": {"67": {"name": "GLS pakkeshop", "product": "FRAGT"}},
        "rounding_product": "DIFF",
    },
    "reference_data": {
        "customer_number": 1042,
        "invoice_date": "2026-05-14",
        "country_codes": {"2397": "DK"},
    },
}


def _run(tmp_path: Path, order: dict[str, Any], shop: dict[str, Any]) -> tuple[int, Any]:
    order_path = tmp_path / "order.json"
    shop_path = tmp_path / "shop.json"
    order_path.write_text(json.dumps(order), encoding="utf-8")
    shop_path.write_text(json.dumps(shop), encoding="utf-8")
    out = io.StringIO()
    code = run_map(order_path, shop_path, out)
    return code, json.loads(out.getvalue())


def test_given_the_fixture_and_a_shop_file_then_the_draft_json_is_printed(tmp_path: Path) -> None:
    code, body = _run(tmp_path, fixture_json(), SHOP)

    assert code == EXIT_OK
    assert body["date"] == "2026-05-14"
    assert body["customer"] == {"customerNumber": 1042}
    assert [x["unitNetPrice"] for x in body["lines"]] == [103.96, 23.2]


def test_given_an_unmappable_order_then_the_known_error_is_printed_with_exit_2(
    tmp_path: Path,
) -> None:
    code, body = _run(tmp_path, classic(paymentInfo={"id": 99, "name": "MobilePay"}), SHOP)

    assert code == EXIT_KNOWN_ERROR
    assert body["code"] == "PAYMENT_METHOD_UNMAPPED"
    assert body["parameters"]["method_id"] == "99"
    assert "MobilePay" in body["da"]
    assert "MobilePay" in body["en"]


def test_given_an_incomplete_order_then_it_is_reported_as_skipped(tmp_path: Path) -> None:
    code, body = _run(tmp_path, classic(incomplete=True), SHOP)

    assert code == EXIT_OK
    assert body == {"skipped": "incomplete", "order_id": "295591"}


def test_given_no_reference_data_in_collective_mode_then_the_collective_debtor_is_used(
    tmp_path: Path,
) -> None:
    shop = {key: value for key, value in SHOP.items() if key != "reference_data"}
    shop["economic"] = {
        **SHOP["economic"],
        "customer_mode": "collective",
        "collective_customers": {"1": 1000},
    }

    code, body = _run(tmp_path, fixture_json(), shop)

    assert code == EXIT_OK
    assert body["customer"] == {"customerNumber": 1000}


def test_given_the_documented_example_shop_file_then_it_is_a_valid_shop(tmp_path: Path) -> None:
    text = (REPO_ROOT / "docs" / "shop-config.example.jsonc").read_text(encoding="utf-8")
    plain = "\n".join(_strip_comment(x) for x in text.splitlines())

    code, body = _run(tmp_path, fixture_json(), json.loads(plain))

    assert code == EXIT_OK, body
    assert body["lines"][0]["product"] == {"productNumber": "MATTI-12"}  # the override


def _strip_comment(line: str) -> str:
    """Drop a `//` comment that is not inside a string (the example has no `//` in strings)."""
    in_string = False
    for i, char in enumerate(line):
        if char == '"' and (i == 0 or line[i - 1] != "\\"):
            in_string = not in_string
        if not in_string and line.startswith("//", i):
            return line[:i]
    return line
