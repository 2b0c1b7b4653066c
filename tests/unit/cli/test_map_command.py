"""`autobook map ORDER --shop SHOP`: the draft, the known error or the skip; bad files."""

import json
from pathlib import Path
from typing import Any

from tests.cli_support import autobook, one_error_line
from tests.unit.mapping.mapping_builders import REPO_ROOT, classic, fixture_json

EXAMPLE = REPO_ROOT / "docs" / "shop-config.example.jsonc"
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


def files(tmp_path: Path, order: Any, shop: Any) -> tuple[str, str]:
    order_path, shop_path = tmp_path / "order.json", tmp_path / "shop.json"
    order_path.write_text(order if isinstance(order, str) else json.dumps(order))
    shop_path.write_text(shop if isinstance(shop, str) else json.dumps(shop))
    return str(order_path), str(shop_path)


def test_given_the_documented_jsonc_example_as_is_then_the_draft_is_printed(
    tmp_path: Path,
) -> None:
    order, _ = files(tmp_path, fixture_json(), {})

    result = autobook("map", order, "--shop", str(EXAMPLE))

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["lines"][0]["product"] == {"productNumber": "MATTI-12"}  # the override
    assert body["date"] == "2026-05-14"


def test_given_a_shop_file_then_the_draft_json_is_printed(tmp_path: Path) -> None:
    result = autobook("map", *_args(files(tmp_path, fixture_json(), SHOP)), "--json")

    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["customer"] == {"customerNumber": 1042}
    assert [x["unitNetPrice"] for x in body["lines"]] == [103.96, 23.2]


def test_given_an_unmappable_order_then_the_known_error_is_printed_with_exit_1(
    tmp_path: Path,
) -> None:
    order = classic(paymentInfo={"id": 99, "name": "MobilePay"})

    result = autobook("map", *_args(files(tmp_path, order, SHOP)), "--json")

    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["code"] == "PAYMENT_METHOD_UNMAPPED"
    assert body["parameters"]["method_id"] == "99"
    assert "MobilePay" in body["da"]
    assert "MobilePay" in body["en"]


def test_given_an_unmappable_order_without_json_then_both_languages_are_shown(
    tmp_path: Path,
) -> None:
    order = classic(paymentInfo={"id": 99, "name": "MobilePay"})

    result = autobook("map", *_args(files(tmp_path, order, SHOP)))

    assert result.exit_code == 1
    assert "cannot be booked: PAYMENT_METHOD_UNMAPPED" in result.stdout
    assert "  en: " in result.stdout
    assert "  da: " in result.stdout


def test_given_an_incomplete_order_then_it_is_reported_as_skipped(tmp_path: Path) -> None:
    result = autobook("map", *_args(files(tmp_path, classic(incomplete=True), SHOP)), "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"skipped": "incomplete", "order_id": "295591"}


def test_given_no_reference_data_in_collective_mode_then_the_collective_debtor_is_used(
    tmp_path: Path,
) -> None:
    shop = {key: value for key, value in SHOP.items() if key != "reference_data"}
    shop["economic"] = {
        **SHOP["economic"],
        "customer_mode": "collective",
        "collective_customers": {"1": 1000},
    }

    result = autobook("map", *_args(files(tmp_path, fixture_json(), shop)), "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout)["customer"] == {"customerNumber": 1000}


def test_given_broken_jsonc_then_one_line_names_file_and_position(tmp_path: Path) -> None:
    order, shop = files(tmp_path, fixture_json(), '{\n  "shop_id": "a",\n  "name" "b"\n}')

    result = autobook("map", order, "--shop", shop)

    assert result.exit_code == 2
    assert one_error_line(result) == f"error: {shop}:3:10: Expecting ':' delimiter"


def test_given_an_unknown_field_then_the_line_and_the_likely_name_are_given(
    tmp_path: Path,
) -> None:
    shop = json.dumps({**SHOP, "nmae": "x"}, indent=1)
    order, shop_path = files(tmp_path, fixture_json(), shop)

    result = autobook("map", order, "--shop", shop_path)

    assert result.exit_code == 2
    line = one_error_line(result)
    assert line.startswith(f"error: {shop_path}:")
    assert line.endswith("nmae: unknown field; did you mean 'name'?")


def test_given_a_bad_reference_block_then_the_field_is_named_under_reference_data(
    tmp_path: Path,
) -> None:
    shop = {**SHOP, "reference_data": {"invoice_date": "yesterday"}}

    result = autobook("map", *_args(files(tmp_path, fixture_json(), shop)))

    assert result.exit_code == 2
    assert "reference_data.invoice_date: " in one_error_line(result)


def test_given_an_order_that_is_not_an_order_then_its_file_and_field_are_named(
    tmp_path: Path,
) -> None:
    order, shop = files(tmp_path, {"id": "not a number"}, SHOP)

    result = autobook("map", order, "--shop", shop)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert all(line.startswith(f"error: {order}") for line in result.stderr.splitlines())


def test_given_a_missing_file_then_exit_2_and_one_line(tmp_path: Path) -> None:
    order, _ = files(tmp_path, fixture_json(), SHOP)

    result = autobook("map", order, "--shop", str(tmp_path / "nope.json"))

    assert result.exit_code == 2
    assert one_error_line(result) == f"error: {tmp_path / 'nope.json'}: no such file"


def test_given_no_shop_option_then_it_is_a_usage_error(tmp_path: Path) -> None:
    order, _ = files(tmp_path, fixture_json(), SHOP)

    result = autobook("map", order)

    assert result.exit_code == 2
    assert "--shop" in result.output


def _args(paths: tuple[str, str]) -> list[str]:
    return [paths[0], "--shop", paths[1]]
