"""`autobook mappings sync / show / set` against the local stack, for a shop of each
platform: a proposal by name from both systems' live lists, saved only with --accept (and the
orders the old mapping blocked replayed and booked); a changed Dandomain id reported, never
moved; single methods set by hand, checked in both systems."""

import json
import uuid
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorStatus
from autobook.domain.ledger import LedgerState
from autobook.domain.shop import Platform
from autobook.usecases.replay import replay_event
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import FEE_PRODUCT, LocalShop, open_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration


@pytest.fixture(params=[Platform.CLASSIC, Platform.WEBSHOP], ids=str)
def shop(fresh_env: LocalEnvironment, request: pytest.FixtureRequest) -> LocalShop:
    return open_shop(fresh_env, f"map-{uuid.uuid4().hex[:6]}", orders=23, platform=request.param)


def cli(profile: str, *args: str) -> Any:
    return autobook("--profile", profile, *args)


def _unmapped(env: LocalEnvironment, shop: LocalShop) -> None:
    with env.operator() as root:
        economic = shop.config.economic.model_copy(
            update={"payment_methods": {}, "shipping_methods": {}}
        )
        shop.config = shop.config.model_copy(update={"economic": economic})
        root.operations().update_shop(shop.config, actor="test")


def _book(env: LocalEnvironment, shop: LocalShop, order_id: int) -> None:
    with env.operator() as root:
        root.order_queue.send([replay_event(shop.shop_id, str(order_id), root.clock(), actor="t")])
    env.run_until_idle()


def test_given_no_mapping_when_synced_then_proposed_by_name_and_saved_only_when_accepted(
    fresh_env: LocalEnvironment, profile: str, shop: LocalShop
) -> None:
    _unmapped(fresh_env, shop)
    order = shop.order_ids[1]
    _book(fresh_env, shop, order)  # blocked: its payment method is not mapped
    with fresh_env.operator() as root:
        assert root.ledger.get(shop.shop_id, str(order)).error_code == (
            ErrorCode.PAYMENT_METHOD_UNMAPPED
        )

    looked = cli(profile, "mappings", "sync", shop.shop_id, "--json")
    rows = json.loads(looked.stdout)["rows"]
    stored = json.loads(cli(profile, "mappings", "show", shop.shop_id, "--json").stdout)

    assert looked.exit_code == 0, looked.output
    card = next(r for r in rows if r["kind"] == "payment" and r["name"] == "Betalingskort")
    assert (card["status"], card["mapped_to"]) == (
        "proposed",
        f"terms 4 Kreditkort, fee product {FEE_PRODUCT}",
    )
    invoice = next(r for r in rows if r["name"] == "Faktura (kun erhverv)")
    assert invoice["mapped_to"] == f"terms 1 Netto 8 dage, fee product {FEE_PRODUCT}"
    assert {r["mapped_to"] for r in rows if r["kind"] == "shipping"} == {"product FRAGT"}
    assert {r["status"] for r in rows if r["kind"] in ("VAT zone", "countries")} == {"kept"}
    (countries,) = [r for r in rows if r["kind"] == "countries"]
    assert countries["mapped_to"].startswith("1 domestic, ")
    assert stored["economic"]["payment_methods"] == {}  # nothing saved without --accept

    accepted = cli(profile, "mappings", "sync", shop.shop_id, "--accept")
    fresh_env.run_until_idle()

    assert accepted.exit_code == 0, accepted.output
    assert "blocked orders replayed" in accepted.stdout
    stored = json.loads(cli(profile, "mappings", "show", shop.shop_id, "--json").stdout)
    names = {m["name"] for m in stored["economic"]["payment_methods"].values()}
    assert {"Betalingskort", "MobilePay", "ViaBill", "PayPal"} <= names
    with fresh_env.operator() as root:
        assert root.ledger.get(shop.shop_id, str(order)).state == LedgerState.MAILED
        assert root.queries().errors_with(shop.shop_id, ErrorStatus.OPEN) == []
    again = json.loads(cli(profile, "mappings", "sync", shop.shop_id, "--json").stdout)["rows"]
    assert {r["status"] for r in again if r["kind"] in ("payment", "shipping")} == {"kept"}


def test_given_a_method_whose_id_changed_when_synced_then_reported_not_moved(
    fresh_env: LocalEnvironment, profile: str, shop: LocalShop
) -> None:
    methods = dict(shop.config.economic.payment_methods)
    method_id = sorted(methods)[0]
    moved = methods.pop(method_id)
    with fresh_env.operator() as root:
        economic = shop.config.economic.model_copy(
            update={"payment_methods": {**methods, 9999: moved}}
        )
        root.operations().update_shop(
            shop.config.model_copy(update={"economic": economic}), actor="test"
        )

    result = cli(profile, "mappings", "sync", shop.shop_id, "--accept", "--json")

    assert result.exit_code == 1
    row = next(r for r in json.loads(result.stdout)["rows"] if r["name"] == moved.name)
    assert row["status"] == "id_changed"
    assert "9999" in row["note"]
    assert "need a decision" in one_error_line(result)
    stored = json.loads(cli(profile, "mappings", "show", shop.shop_id, "--json").stdout)
    assert str(method_id) not in stored["economic"]["payment_methods"]  # never moved by itself


def test_given_one_method_when_set_then_checked_in_both_systems_and_saved(
    fresh_env: LocalEnvironment, profile: str, shop: LocalShop
) -> None:
    method_id = sorted(shop.config.economic.payment_methods)[0]
    site = (
        ["--site", str(_first_site(fresh_env, shop))] if shop.platform == Platform.CLASSIC else []
    )
    shop.agreement.products[FEE_PRODUCT].barred = True

    no_terms = cli(
        profile, "mappings", "set", "payment", shop.shop_id, str(method_id), "--terms", "99", *site
    )
    no_method = cli(
        profile, "mappings", "set", "payment", shop.shop_id, "777", "--terms", "1", *site
    )
    barred = cli(
        profile,
        "mappings",
        "set",
        "payment",
        shop.shop_id,
        str(method_id),
        "--terms",
        "1",
        "--fee-product",
        FEE_PRODUCT,
        *site,
    )
    done = cli(
        profile, "mappings", "set", "payment", shop.shop_id, str(method_id), "--terms", "1", *site
    )
    shipped = cli(
        profile,
        "mappings",
        "set",
        "shipping",
        shop.shop_id,
        str(sorted(shop.config.economic.shipping_methods)[0]),
        "--product",
        "FRAGT",
        *site,
    )

    assert (no_terms.exit_code, one_error_line(no_terms)) == (
        1,
        "error: e-conomic has no payment terms 99.",
    )
    assert no_method.exit_code == 1
    assert "Dandomain has no payment method 777" in one_error_line(no_method)
    assert (barred.exit_code, one_error_line(barred)) == (
        1,
        f"error: Product {FEE_PRODUCT} is barred in e-conomic.",
    )
    assert done.exit_code == 0, done.output
    assert shipped.exit_code == 0, shipped.output
    stored = json.loads(cli(profile, "mappings", "show", shop.shop_id, "--json").stdout)
    mapped = stored["economic"]["payment_methods"][str(method_id)]
    assert mapped["payment_terms_number"] == 1
    assert mapped["fee_product"] is None


def _first_site(env: LocalEnvironment, shop: LocalShop) -> int:
    with env.operator() as root:
        return root.sources.for_shop(shop.config).sites()[0].id


def test_given_e_conomic_refusing_access_when_synced_then_one_line_saying_so(
    fresh_env: LocalEnvironment, profile: str, shop: LocalShop
) -> None:
    del fresh_env.economic_state.agreements[shop.secrets.economic_grant_token]

    result = cli(profile, "mappings", "sync", shop.shop_id)

    assert result.exit_code == 1
    assert one_error_line(result).startswith("error: ECONOMIC_ACCESS: refused (HTTP 401")
