"""Contract: every Webshop seed order, fetched through the SOAP order source from the Webshop
sandbox and mapped by the real engine, posts to the e-conomic sandbox as a draft whose
grossAmount is what the buyer owes to the øre — or the engine refuses it with the expected
known error. Run for each reading of the unconfirmed Webshop facts (docs/webshop.md).

Products are created in the product group that carries the VAT the engine planned for each
line, as a correctly set-up shop has them.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from autobook.dandomain.sources import WebshopOrderSource
from autobook.dandomain.webshop_client import WebshopClient
from autobook.domain.errors import ErrorCode, KnownError
from autobook.domain.mapping import (
    MappedInvoice,
    ReferenceData,
    map_order,
    skip_reason,
    verify_economic_gross,
)
from autobook.domain.rejections import translate
from autobook.domain.shop import ShopConfig, ShopMode, WebshopSettings
from autobook.economic.errors import parse_rejection
from autobook.economic.models import invoice_from_json
from sandbox.economic.server import start_economic_sandbox
from sandbox.economic.state import EconomicState
from sandbox.shopkit import webshop_config
from sandbox.webshop import (
    MISSING_SKU,
    RunningWebshopSandbox,
    WebshopShop,
    WebshopState,
    demo_catalogue,
    seed_demo_orders,
    start_webshop_sandbox,
)
from sandbox.webshop.orders import Basis

GROUP_BY_VAT = {Decimal(25): 1, Decimal(0): 2}
CUSTOMER = 1042
ORDERS = 36
UNPAID = ("b2b_invoice", "guest_bank", "pickup_bank")


@dataclass(frozen=True)
class Variant:
    basis: Basis  # what the sandbox shop's prices are
    settings: WebshopSettings  # how autobook reads them
    zero_vat_rates: bool = False  # the sandbox reports VatRate 0 on every line
    refused: dict[str, ErrorCode] = field(default_factory=dict)


_ALWAYS: dict[str, ErrorCode] = {}
_NO_CAPTURE = dict.fromkeys(UNPAID, ErrorCode.TOTALS_MISMATCH)

VARIANTS = {
    "net-prices-read-net": Variant("net", WebshopSettings(price_basis="net"), refused=_ALWAYS),
    "net-prices-read-auto": Variant("net", WebshopSettings(), refused=_ALWAYS | _NO_CAPTURE),
    "gross-prices-read-gross": Variant(
        "gross", WebshopSettings(price_basis="gross"), refused=_ALWAYS
    ),
    "gross-prices-read-auto": Variant("gross", WebshopSettings(), refused=_ALWAYS | _NO_CAPTURE),
    # The probe's API-made orders: VatRate 0 on every line, the owner sets the shop's rate.
    # A genuinely VAT-free line (the gift card sold) then cannot be told apart: refused.
    "zero-vat-rates-read-25": Variant(
        "net",
        WebshopSettings(price_basis="net", zero_vat_rate=Decimal(25)),
        zero_vat_rates=True,
        refused=_ALWAYS | {"gift_card_sold": ErrorCode.TOTALS_MISMATCH},
    ),
}


@dataclass
class Prepared:
    shop: WebshopShop
    source: WebshopOrderSource
    config: ShopConfig
    ref: ReferenceData
    ids: list[int]


@pytest.fixture(scope="module")
def economic() -> Iterator[tuple[EconomicState, str]]:
    state = EconomicState()
    with start_economic_sandbox(state) as running:
        yield state, running.url


@pytest.fixture(scope="module")
def webshop() -> Iterator[tuple[WebshopState, RunningWebshopSandbox, httpx.Client]]:
    state = WebshopState()
    with start_webshop_sandbox(state) as running, httpx.Client(timeout=10) as http:
        yield state, running, http


_prepared: dict[str, Prepared] = {}


def _prepare(
    name: str, webshop: tuple[WebshopState, RunningWebshopSandbox, httpx.Client]
) -> Prepared:
    if name in _prepared:
        return _prepared[name]
    state, running, http = webshop
    variant = VARIANTS[name]
    shop = state.add_shop(
        f"user-{name}", "pw", basis=variant.basis, zero_vat_rates=variant.zero_vat_rates
    )
    ids = seed_demo_orders(shop, count=ORDERS)
    client = WebshopClient(
        endpoint=running.endpoint, username=shop.username, password="pw", http=http
    )
    source = WebshopOrderSource(client, variant.settings)
    skus = [p.sku for p in demo_catalogue(shop)]
    config = webshop_config(
        "webshop-contract", running.endpoint, skus, mode=ShopMode.ACTIVE, settings=variant.settings
    )
    ref = ReferenceData(
        customer_number=CUSTOMER,
        invoice_date=date(2026, 5, 14),
        country_codes=source.country_codes(),
    )
    _prepared[name] = Prepared(shop, source, config, ref, ids)
    return _prepared[name]


def _post(economic: tuple[EconomicState, str], mapped: MappedInvoice, name: str) -> httpx.Response:
    """The draft on an agreement with every product of it but the one e-conomic lacks."""
    state, url = economic
    agreement = state.add_agreement(name)
    agreement.add_customer("Køber", customer_number=CUSTOMER)
    for line in mapped.priced_lines:
        if line.product_number != MISSING_SKU:
            agreement.add_product(line.product_number, "Vare", group=GROUP_BY_VAT[line.vat_percent])
    headers = {"X-AppSecretToken": state.app_secret_token, "X-AgreementGrantToken": name}
    answer = httpx.post(f"{url}/invoices/drafts", json=mapped.draft.to_body(), headers=headers)
    del state.agreements[name]
    return answer


@pytest.mark.parametrize("index", range(ORDERS))
@pytest.mark.parametrize("variant", VARIANTS)
def test_given_a_webshop_seed_order_when_mapped_and_posted_then_gross_is_what_the_buyer_owes(
    variant: str,
    index: int,
    webshop: tuple[WebshopState, RunningWebshopSandbox, httpx.Client],
    economic: tuple[EconomicState, str],
) -> None:
    prepared = _prepare(variant, webshop)
    order_id = prepared.ids[index]
    scenario = prepared.shop.scenarios[order_id]
    owed = prepared.shop.amounts[order_id]
    order = prepared.source.fetch(str(order_id))

    if scenario == "credit_note":
        assert order.credits_order_id == str(prepared.ids[0])
        assert order.total_gross == owed.paid < 0
        return
    if scenario == "not_completed":
        assert skip_reason(order) == "incomplete"
        return
    expected_error = VARIANTS[variant].refused.get(scenario)
    if expected_error is not None:
        with pytest.raises(KnownError) as caught:
            map_order(order, prepared.config, prepared.ref)
        assert caught.value.code == expected_error
        return

    mapped = map_order(order, prepared.config, prepared.ref)
    answer = _post(economic, mapped, f"{variant}-{order_id}")

    if scenario == "missing_product":
        rejection = parse_rejection(
            answer.status_code, answer.json(), operation="POST /invoices/drafts"
        )
        error = translate(
            rejection,
            order_id=order.order_id,
            product_numbers=[line.product_number for line in mapped.priced_lines],
            invoice_date="2026-05-14",
        )
        assert error.code == ErrorCode.PRODUCT_MISSING
        assert MISSING_SKU in error.parameters["products"]
        return
    assert answer.status_code == 201, answer.text
    draft: dict[str, Any] = answer.json(parse_float=Decimal)
    assert Decimal(str(draft["grossAmount"])) == owed.payable
    verify_economic_gross(mapped, invoice_from_json(draft))
