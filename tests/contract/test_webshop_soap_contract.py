"""Contract: autobook's Webshop WSDL, its wire model, its projection and the Webshop sandbox's
SOAP answers against the type shapes of dandomain.md §2.3. The field lists are read out of the
reference in this test, so the reference stays the source of truth."""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel

from autobook.dandomain import webshop_model
from autobook.dandomain.webshop_client import ORDER_FIELDS, ORDER_LINE_FIELDS, WSDL_PATH
from sandbox.webshop import (
    RunningWebshopSandbox,
    WebshopShop,
    WebshopState,
    seed_demo_orders,
    start_webshop_sandbox,
)

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "dandomain.md"
XSD = "{http://www.w3.org/2001/XMLSchema}"
ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"


# ------------------------------------------------------------------ the reference, parsed


def _section() -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("### 2.3 Dandomain Webshop: SOAP `Order`")
    return text[start : text.index("### 2.4", start)]


def _names(listing: str) -> list[str]:
    """`Id:int, Amount (= QUANTITY), Currency (rate), …` -> ["Id", "Amount", "Currency"]."""
    listing = re.sub(r"\([^)]*\)", "", listing.replace("**", ""))
    names = []
    for part in listing.replace("\n", " ").split(","):
        name = part.split(":")[0].strip().strip("{}")
        if name and name not in ("…", "..."):
            names.append(name)
    return names


def _shipping_variants(bullet: str) -> list[str]:
    words = re.search(r"plus `Shipping\*` variants of the (.*?) fields", bullet)
    assert words, "the OrderCustomer bullet names its Shipping* variants"
    out: list[str] = []
    for word in re.split(r",\s*|\s+and\s+", " ".join(words.group(1).split())):
        parts = {"name": ["Firstname", "Lastname"], "country code": ["CountryCode"]}
        out += ["Shipping" + p for p in parts.get(word, [word.capitalize()])]
    return out


def reference_types() -> dict[str, list[str]]:
    """SOAP type name -> the fields §2.3 lists for it."""
    section = _section()
    order = re.search(r"The WSDL type `Order` \((\d+) fields\): `([^`]+)`", section)
    assert order is not None
    types = {"Order": _names(order.group(2))}
    assert len(types["Order"]) == int(order.group(1))
    for raw in re.split(r"\n- ", section)[1:]:
        bullet = " ".join(raw.split())
        label, _, rest = bullet.partition(": `")
        named = re.search(r"type `(\w+)`", label) or re.search(r"\*\*`(\w+)`\*\*", label)
        if named is None or not rest:
            continue
        fields = _names(rest.split("`", 1)[0])
        if named.group(1) == "OrderCustomer":
            fields += _shipping_variants(bullet)
            country = re.search(r"`Product_GetDeliveryCountryAll` \(`\{([^}]+)\}`\)", bullet)
            assert country is not None
            types["ProductDeliveryCountry"] = _names(country.group(1))
        types[named.group(1)] = fields
    return types


REFERENCE_TYPES = reference_types()


def test_given_the_reference_when_read_then_every_type_autobook_reads_is_listed() -> None:
    assert set(REFERENCE_TYPES) >= {
        "Order",
        "OrderCustomer",
        "OrderPayment",
        "OrderDelivery",
        "OrderCurrency",
        "OrderLine",
        "OrderTransaction",
        "OrderDiscountCode",
        "OrderStatusCode",
        "PaymentMethod",
        "Delivery",
        "ProductDeliveryCountry",
    }
    assert "ShippingCountryCode" in REFERENCE_TYPES["OrderCustomer"]
    assert "Amount" in REFERENCE_TYPES["OrderTransaction"]


# ------------------------------------------------------------------ autobook's WSDL


def wsdl_types() -> dict[str, set[str]]:
    root = ET.parse(WSDL_PATH).getroot()
    return {
        str(node.get("name")): {str(e.get("name")) for e in node.iter(f"{XSD}element")}
        for node in root.iter(f"{XSD}complexType")
        if node.get("name")
    }


WSDL_TYPES = wsdl_types()


@pytest.mark.parametrize("type_name", sorted(REFERENCE_TYPES))
def test_given_a_reference_type_when_the_wsdl_declares_it_then_every_listed_field_is_there(
    type_name: str,
) -> None:
    assert set(REFERENCE_TYPES[type_name]) <= WSDL_TYPES[type_name]


def test_given_the_order_type_when_declared_then_it_has_exactly_the_35_fields() -> None:
    assert WSDL_TYPES["Order"] == set(REFERENCE_TYPES["Order"])


def test_given_the_projection_when_chosen_then_it_names_only_real_fields() -> None:
    # One unknown name makes Order_SetFields fault and silently keep the old set.
    assert set(ORDER_FIELDS.split(",")) <= WSDL_TYPES["Order"]
    assert set(ORDER_LINE_FIELDS.split(",")) <= WSDL_TYPES["OrderLine"]


def _aliases(model: type[BaseModel]) -> set[str]:
    return {str(field.alias) for field in model.model_fields.values()}


@pytest.mark.parametrize(
    ("model", "type_name"),
    [
        (webshop_model.Order, "Order"),
        (webshop_model.OrderCustomer, "OrderCustomer"),
        (webshop_model.OrderPayment, "OrderPayment"),
        (webshop_model.OrderDelivery, "OrderDelivery"),
        (webshop_model.OrderCurrency, "OrderCurrency"),
        (webshop_model.OrderLine, "OrderLine"),
        (webshop_model.OrderTransaction, "OrderTransaction"),
        (webshop_model.OrderDiscountCode, "OrderDiscountCode"),
        (webshop_model.OrderStatusCode, "OrderStatusCode"),
        (webshop_model.PaymentMethod, "PaymentMethod"),
        (webshop_model.DeliveryMethod, "Delivery"),
        (webshop_model.DeliveryCountry, "ProductDeliveryCountry"),
        (webshop_model.Currency, "Currency"),
        (webshop_model.Site, "Site"),
    ],
)
def test_given_a_wire_model_when_it_reads_a_type_then_it_uses_exact_soap_names(
    model: type[BaseModel], type_name: str
) -> None:
    assert _aliases(model) <= WSDL_TYPES[type_name]
    assert set(REFERENCE_TYPES.get(type_name, [])) & WSDL_TYPES[type_name] <= (
        _aliases(model)
        | {"User", "Packing", "PacketLines", "FileDownloadId"}
        | set(_unread(type_name))
    )


def _unread(type_name: str) -> list[str]:
    """Listed fields autobook deliberately does not read."""
    return {
        "OrderTransaction": ["SubscriptionId", "SubscriptionIdLong"],
    }.get(type_name, [])


# ------------------------------------------------------------------ the sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[WebshopShop, RunningWebshopSandbox]]:
    state = WebshopState()
    shop = state.add_shop("contract", "pw")
    seed_demo_orders(shop)
    with start_webshop_sandbox(state) as running:
        yield shop, running


_NESTED = {
    "Customer": "OrderCustomer",
    "Payment": "OrderPayment",
    "Delivery": "OrderDelivery",
    "Currency": "OrderCurrency",
}
_ARRAYS = {
    "OrderLines": "OrderLine",
    "Transactions": "OrderTransaction",
    "DiscountCodes": "OrderDiscountCode",
}


def test_given_every_seed_order_when_built_then_it_has_the_reference_shape(
    sandbox: tuple[WebshopShop, RunningWebshopSandbox],
) -> None:
    shop, _ = sandbox
    for order in shop.orders.values():
        assert set(order) == set(REFERENCE_TYPES["Order"])
        for key, type_name in _NESTED.items():
            assert set(REFERENCE_TYPES[type_name]) <= set(order[key]), key
        for key, type_name in _ARRAYS.items():
            for item in order[key]:
                assert set(REFERENCE_TYPES[type_name]) <= set(item), key


def test_given_the_reference_lists_when_built_then_they_have_the_reference_shape(
    sandbox: tuple[WebshopShop, RunningWebshopSandbox],
) -> None:
    shop, _ = sandbox
    for items, type_name in (
        (shop.payment_methods, "PaymentMethod"),
        (shop.delivery_methods, "Delivery"),
        (shop.status_codes, "OrderStatusCode"),
        (shop.countries, "ProductDeliveryCountry"),
    ):
        for item in items:
            assert set(REFERENCE_TYPES[type_name]) <= set(item), type_name


def _soap(
    running: RunningWebshopSandbox, http: httpx.Client, operation: str, body: str
) -> ET.Element:
    envelope = (
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:n="https://api.hostedshop.io/service.php"><s:Body>'
        f"<n:{operation}>{body}</n:{operation}></s:Body></s:Envelope>"
    )
    answer = http.post(running.endpoint, content=envelope.encode())
    assert answer.status_code == 200, answer.text
    found = ET.fromstring(answer.content).find(f"{ENV}Body")
    assert found is not None
    result = found[0].find(f"{operation}Result")
    assert result is not None
    return result


def _items(element: ET.Element) -> list[ET.Element]:
    """An array's elements, whether `<item>`s or (one element) the bare object."""
    items = element.findall("item")
    return items if items else ([element] if len(element) else [])


def test_given_a_full_projection_when_orders_are_answered_then_the_xml_has_the_reference_shape(
    sandbox: tuple[WebshopShop, RunningWebshopSandbox],
) -> None:
    shop, running = sandbox
    with httpx.Client(timeout=10) as http:
        _soap(
            running,
            http,
            "Solution_Connect",
            "<Username>contract</Username><Password>pw</Password>",
        )
        _soap(
            running,
            http,
            "Order_SetFields",
            f"<Fields>{','.join(REFERENCE_TYPES['Order'])}</Fields>",
        )
        _soap(
            running,
            http,
            "Order_SetOrderLineFields",
            f"<Fields>{','.join(sorted(WSDL_TYPES['OrderLine']))}</Fields>",
        )
        for order_id in sorted(shop.orders):
            order = _soap(running, http, "Order_GetById", f"<OrderId>{order_id}</OrderId>")
            assert {child.tag for child in order} == set(REFERENCE_TYPES["Order"])
            for key, type_name in _NESTED.items():
                node = order.find(key)
                assert node is not None
                assert set(REFERENCE_TYPES[type_name]) <= {c.tag for c in node}
            for key, type_name in _ARRAYS.items():
                node = order.find(key)
                assert node is not None
                for item in _items(node):
                    assert set(REFERENCE_TYPES[type_name]) <= {c.tag for c in item}
        for operation, type_name in (
            ("Payment_GetAll", "PaymentMethod"),
            ("Delivery_GetAll", "Delivery"),
            ("OrderStatusCode_GetAll", "OrderStatusCode"),
            ("Product_GetDeliveryCountryAll", "ProductDeliveryCountry"),
        ):
            for item in _items(_soap(running, http, operation, "")):
                assert set(REFERENCE_TYPES[type_name]) <= {c.tag for c in item}, operation
