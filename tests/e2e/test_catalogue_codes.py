"""Nine known-error catalogue codes end to end on the local stack (signed webhooks or order
events, the real booking and mailer functions, DynamoDB Local, moto, the Dandomain Classic and
e-conomic sandboxes). Each test provokes its code with an order whose shape fits it and proves:

1. the error log holds one open error of that code for that order, whose Danish and English
   texts carry the order's own values (method id, country, amounts, currency, ...);
2. the owner got one Danish mail, to the shop owner's address, naming the order, with the same
   cause and the numbered fix steps for those values;
3. fixing the cause the way the catalogue promises (`domain.resume`) books the order: a saved
   mapping (MAPPING), the scheduled recheck after a fix in e-conomic (RECHECK), the order saved
   again in Dandomain (DANDOMAIN), or the owner's retry (OWNER). ORDER_NOT_FOUND has nothing to
   retry (NONE).

"""

import email
import email.policy
import uuid
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage
from typing import Any

import pytest

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.events import EventSource, OrderEvent
from autobook.domain.fix_steps import fix_steps, title
from autobook.domain.ledger import LedgerState
from autobook.domain.resume import RESUMES, Resume
from autobook.domain.shop import EconomicMapping, Language
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.economic import invoices as economic_invoices
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, OWNER_ADDRESS, LocalShop, open_shop

pytestmark = pytest.mark.e2e

CENT = Decimal("0.01")


# -- helpers ---------------------------------------------------------------------------------
def _shop(env: LocalEnvironment) -> LocalShop:
    return open_shop(env, f"cat-{uuid.uuid4().hex[:6]}", orders=21)


def _webhook(env: LocalEnvironment, shop: LocalShop, body: list[dict[str, Any]]) -> None:
    with WebhookSender() as sender:
        answer = sender.send(
            env.webhook_url(shop.shop_id), body, hmac_secret=shop.secrets.webhook_secret
        )
    assert answer.status_code == 202
    env.run_until_idle()


def _shipped(env: LocalEnvironment, shop: LocalShop, order: int) -> None:
    """Dandomain says the order moved to the booking state."""
    _webhook(env, shop, classic_order_change(order, 1, BOOKING_STATE))


def _saved_again(env: LocalEnvironment, shop: LocalShop, order: int, field: str) -> None:
    """Dandomain says the order was saved with `field` changed (another delivery's bytes)."""
    ids = {"ObjectIdentifier": order}
    change = {"ObjectType": "Order", "PropertiesChanged": [field], "OldValues": ids}
    _webhook(env, shop, [{**change, "NewValues": ids}])


def _event(env: LocalEnvironment, shop: LocalShop, order: int) -> None:
    with env.operator() as root:
        root.order_queue.send(
            [
                OrderEvent(
                    shop_id=shop.shop_id,
                    order_id=str(order),
                    source=EventSource.WEBHOOK,
                    received_at=root.clock(),
                    event_id=f"test:{uuid.uuid4()}",
                )
            ]
        )
    env.run_until_idle()


def _save_mapping(env: LocalEnvironment, shop: LocalShop, economic: EconomicMapping) -> list[str]:
    """The operator saves the shop's mapping; the order ids it replayed."""
    with env.operator() as root:
        config = root.shops.get(shop.shop_id)
        assert config is not None
        changed = config.model_copy(update={"economic": economic})
        return root.operations().update_shop(changed, actor="operator:test")


def _owner_retries(env: LocalEnvironment, shop: LocalShop, order: int) -> None:
    with env.operator() as root:
        root.operations().replay_order(shop.shop_id, str(order), actor="owner")
    env.run_until_idle()


def _recheck(env: LocalEnvironment, shop: LocalShop, order: int) -> None:
    with env.operator() as root:
        (probe,) = root.recheck().run_shop(shop.shop_id, root.clock())
    assert probe.order_id == str(order)
    env.run_until_idle()


def _the_open_error(
    env: LocalEnvironment, shop: LocalShop, order: int, code: ErrorCode
) -> ErrorRecord:
    """The shop's only open error: `code`, for `order`, with its ledger entry failed on it."""
    with env.operator() as root:
        records = root.queries().errors_with(shop.shop_id, ErrorStatus.OPEN)
        entry = root.ledger.get(shop.shop_id, str(order))
    assert [(r.code, r.order_id) for r in records] == [(code, str(order))]
    (record,) = records
    assert record.status == ErrorStatus.OPEN
    assert f"Ordre {order}" in record.da
    assert f"Order {order}" in record.en
    assert entry is not None
    assert entry.state == LedgerState.FAILED
    assert entry.error_code == code
    return record


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None, kind
    return str(part.get_content())  # type: ignore[attr-defined]


def _the_owner_mail(env: LocalEnvironment, order: int, record: ErrorRecord) -> str:
    """The one owner mail: to the owner, in Danish, naming the order, with the error's cause
    and its fix steps for the error's own values. Its plain text."""
    (raw,) = env.owner_mails()
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(mail, EmailMessage)
    assert str(mail["To"]) == OWNER_ADDRESS
    assert str(mail["Content-Language"]) == "da"
    subject = str(mail["Subject"])
    assert f"Ordre {order}" in subject
    assert title(record.code, Language.DA) in subject
    plain, html = _body(mail, "plain"), _body(mail, "html")
    assert f"Ordre {order}" in plain
    assert f"Ordre {order}" in html
    assert record.da in plain
    assert record.en not in plain
    steps = fix_steps(record.code, record.parameters, Language.DA)
    assert steps.steps
    for number, step in enumerate(steps.steps, start=1):
        assert f"{number}. {step}" in plain
    assert steps.afterwards in plain
    return plain


def _booked_once(env: LocalEnvironment, shop: LocalShop, order: int, code: ErrorCode) -> None:
    """The order went through: mailed, one invoice under its reference, its error resolved,
    and the owner was not told anything more."""
    with env.operator() as root:
        entry = root.ledger.get(shop.shop_id, str(order))
        resolved = root.queries().errors_with(shop.shop_id, ErrorStatus.RESOLVED)
        still_open = root.queries().errors_with(shop.shop_id, ErrorStatus.OPEN)
    assert entry is not None
    assert entry.state == LedgerState.MAILED
    reference = shop.config.order_reference(str(order))
    booked = [i for i in shop.agreement.booked.values() if i["references"]["other"] == reference]
    assert len(booked) == 1
    assert not shop.agreement.drafts
    assert not still_open
    assert (code, str(order)) in [(r.code, r.order_id) for r in resolved]
    assert len(env.buyer_mails()) == 1
    assert len(env.owner_mails()) == 1


def _wire(shop: LocalShop, order: int) -> dict[str, Any]:
    assert shop.dandomain is not None
    return shop.dandomain.orders[order]


# -- FEE_UNMAPPED (MAPPING) ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("order", "kind_da", "kind_en"),
    [(1001, "forsendelse", "shipping"), (1002, "betalingsgebyr", "payment fee")],
    ids=["shipping", "payment-fee"],
)
def test_given_a_fee_without_a_product_when_booking_then_fee_unmapped_and_booked_once_mapped(
    fresh_env: LocalEnvironment, order: int, kind_da: str, kind_en: str
) -> None:
    assert RESUMES[ErrorCode.FEE_UNMAPPED] == Resume.MAPPING
    shop = _shop(fresh_env)
    mapping = shop.config.economic
    info = _wire(shop, order)["shippingInfo" if kind_en == "shipping" else "paymentInfo"]
    method_id, name = info["id"], info["name"]
    assert Decimal(str(info["fee"])) > 0
    if kind_en == "shipping":
        gap = {
            "shipping_methods": {
                k: v for k, v in mapping.shipping_methods.items() if k != method_id
            }
        }
    else:
        no_fee = mapping.payment_methods[method_id].model_copy(update={"fee_product": None})
        gap = {"payment_methods": {**mapping.payment_methods, method_id: no_fee}}
    assert _save_mapping(fresh_env, shop, mapping.model_copy(update=gap)) == []

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.FEE_UNMAPPED)
    assert f"'{name}' ({kind_da}, metode-id {method_id})" in record.da
    assert f"'{name}' ({kind_en}, method id {method_id})" in record.en
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"Kobl metode-id {method_id} til varen" in plain
    assert not shop.agreement.drafts

    assert _save_mapping(fresh_env, shop, mapping) == [str(order)]
    fresh_env.run_until_idle()

    _booked_once(fresh_env, shop, order, ErrorCode.FEE_UNMAPPED)


# -- DISCOUNT_UNMAPPED (MAPPING) -------------------------------------------------------------
@pytest.mark.parametrize(
    ("order", "field", "line_name", "product_da", "product_en"),
    [
        (1013, "discount_product", "Rabatkode: SOMMER10", "rabatvare", "discount product"),
        (1015, "gift_card_product", "Gavekort GK-7F3A-22B9", "gavekortvare", "gift-card product"),
    ],
    ids=["discount-line", "gift-card"],
)
def test_given_a_discount_without_a_product_when_booking_then_discount_unmapped_and_booked_once_mapped(
    fresh_env: LocalEnvironment,
    order: int,
    field: str,
    line_name: str,
    product_da: str,
    product_en: str,
) -> None:
    assert RESUMES[ErrorCode.DISCOUNT_UNMAPPED] == Resume.MAPPING
    shop = _shop(fresh_env)
    mapping = shop.config.economic
    _save_mapping(fresh_env, shop, mapping.model_copy(update={field: None}))

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.DISCOUNT_UNMAPPED)
    assert f"rabat eller gavekort '{line_name}' har ingen vare" in record.da
    assert f"Når en {product_da} er koblet" in record.da
    assert f"discount or gift card '{line_name}' has no e-conomic product" in record.en
    assert f"Once a {product_en} is mapped" in record.en
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"Vælg en {product_da} i e-conomic til linjen '{line_name}'" in plain

    assert _save_mapping(fresh_env, shop, mapping) == [str(order)]
    fresh_env.run_until_idle()

    _booked_once(fresh_env, shop, order, ErrorCode.DISCOUNT_UNMAPPED)


# -- VAT_ZONE_UNKNOWN (DANDOMAIN) ------------------------------------------------------------
def test_given_a_misspelt_country_when_booking_then_vat_zone_unknown_and_booked_once_corrected(
    fresh_env: LocalEnvironment,
) -> None:
    assert RESUMES[ErrorCode.VAT_ZONE_UNKNOWN] == Resume.DANDOMAIN
    shop = _shop(fresh_env)
    assert shop.dandomain is not None
    order = 1001
    misspelt = {"country": "Tysklnd", "countryId": 2999}  # no such id in the shop's list
    shop.dandomain.update_order(order, customerInfo=misspelt, deliveryInfo=misspelt)

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.VAT_ZONE_UNKNOWN)
    assert "landet 'Tysklnd' kan ikke knyttes til en momszone" in record.da
    assert "the country 'Tysklnd' maps to no VAT zone" in record.en
    plain = _the_owner_mail(fresh_env, order, record)
    assert "Kontroller landet 'Tysklnd' på ordren i Dandomain" in plain
    assert not shop.agreement.drafts

    # Corrected in Dandomain: the saved order's webhook retries it.
    germany = {"country": "Tyskland", "countryId": 2376}
    shop.dandomain.update_order(order, customerInfo=germany, deliveryInfo=germany)
    _saved_again(fresh_env, shop, order, "DeliveryCountry")

    _booked_once(fresh_env, shop, order, ErrorCode.VAT_ZONE_UNKNOWN)


# -- TOTALS_MISMATCH (OWNER) -----------------------------------------------------------------
def test_given_a_product_in_a_vat_free_group_when_booking_then_totals_mismatch_and_booked_once_retried(
    fresh_env: LocalEnvironment,
) -> None:
    assert RESUMES[ErrorCode.TOTALS_MISMATCH] == Resume.OWNER
    shop = _shop(fresh_env)
    order = 1001
    wire = _wire(shop, order)
    (line,) = wire["orderLines"]
    sku = line["productId"]
    shop.agreement.products[sku].product_group = 2  # "Varer u/moms"
    shop_total = Decimal(str(wire["totalPrice"])).quantize(CENT)
    line_vat = (Decimal(str(line["totalPrice"])) * Decimal("0.25")).quantize(CENT, ROUND_HALF_UP)
    economic_total = shop_total - line_vat

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.TOTALS_MISMATCH)
    assert (
        f"e-conomic beregner {economic_total} DKK, men webshoppen opkrævede {shop_total} DKK"
        in record.da
    )
    assert f"e-conomic computes {economic_total} DKK but the shop charged {shop_total} DKK" in (
        record.en
    )
    assert f"varen {sku} ligger i en momsfri varegruppe" in record.da
    assert f"product {sku} is in a VAT-free product group" in record.en
    (draft,) = shop.agreement.drafts
    assert record.parameters["draft_invoice_number"] == str(draft)
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"en forskel på {line_vat} DKK" in plain
    assert f"(kladde {draft})" in plain
    assert not shop.agreement.booked

    shop.agreement.products[sku].product_group = 1  # the owner fixes the group, then retries
    _owner_retries(fresh_env, shop, order)

    _booked_once(fresh_env, shop, order, ErrorCode.TOTALS_MISMATCH)  # the stale draft is gone


# -- CUSTOMER_INVALID (DANDOMAIN) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("order", "field", "bad", "good", "field_da", "field_en", "rule_da"),
    [
        (1003, "ean", "579000123456", "5790001234567", "EAN-nummer", "EAN", "13 cifre"),
        (
            1001,
            "email",
            "karen.lund@example",
            "karen.lund@example.dk",
            "e-mailadresse",
            "e-mail address",
            "E-mailadressen er ugyldig",
        ),
    ],
    ids=["ean", "email"],
)
def test_given_a_buyer_detail_e_conomic_refuses_when_booking_then_customer_invalid_and_booked_once_corrected(
    fresh_env: LocalEnvironment,
    order: int,
    field: str,
    bad: str,
    good: str,
    field_da: str,
    field_en: str,
    rule_da: str,
) -> None:
    assert RESUMES[ErrorCode.CUSTOMER_INVALID] == Resume.DANDOMAIN
    shop = _shop(fresh_env)
    assert shop.dandomain is not None
    shop.dandomain.update_order(order, customerInfo={field: bad})

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.CUSTOMER_INVALID)
    assert f"kundens {field_da} kan ikke bruges i e-conomic" in record.da
    assert rule_da in record.da
    assert f"the buyer's {field_en} cannot be used in e-conomic" in record.en
    assert bad not in record.da + record.en  # buyer data stays out of the error log
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"ret kundens {field_da}" in plain
    assert not shop.agreement.drafts
    assert not shop.agreement.customers

    shop.dandomain.update_order(order, customerInfo={field: good})
    _saved_again(fresh_env, shop, order, "CustomerInfo")

    _booked_once(fresh_env, shop, order, ErrorCode.CUSTOMER_INVALID)


# -- ORDER_NOT_FOUND (NONE) ------------------------------------------------------------------
def test_given_a_webhook_for_an_order_dandomain_does_not_have_then_order_not_found_and_nothing_booked(
    fresh_env: LocalEnvironment,
) -> None:
    assert RESUMES[ErrorCode.ORDER_NOT_FOUND] == Resume.NONE
    shop = _shop(fresh_env)
    order = 4711
    assert order not in shop.order_ids

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.ORDER_NOT_FOUND)
    assert record.da == f"Ordre {order} findes ikke i Dandomain. Kontroller ordrenummeret."
    assert record.en == f"Order {order} does not exist in Dandomain. Check the order number."
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"Søg efter ordre {order} i Dandomain." in plain
    assert "Tryk derefter »Ignorer« med en kort begrundelse, så er fejlen lukket." in plain
    assert not shop.agreement.drafts
    assert not shop.agreement.booked
    assert not fresh_env.buyer_mails()


# -- ECONOMIC_REJECTED (OWNER) ---------------------------------------------------------------
def _barred_buyer(shop: LocalShop) -> tuple[str, Callable[[], None]]:
    """Karen Lund (order 1001) is a barred debtor in e-conomic: the draft is made, booking it
    is refused. The owner lifts the bar."""
    debtor = shop.agreement.add_customer(
        "Karen Lund", email=_wire(shop, 1001)["customerInfo"]["email"], barred=True
    )
    number = debtor["customerNumber"]
    return f"debitoren er spærret i e-conomic ({number})", lambda: debtor.pop("barred")


def _layout_deleted(shop: LocalShop) -> tuple[str, Callable[[], None]]:
    """The mapped layout was deleted in e-conomic: the draft is refused. The owner makes it."""
    number = shop.config.economic.layout_number
    name = shop.agreement.layouts.pop(number)
    return f"layoutet findes ikke i e-conomic ({number})", lambda: shop.agreement.layouts.update(
        {number: name}
    )


@pytest.mark.parametrize(
    ("break_it", "drafted"),
    [(_barred_buyer, True), (_layout_deleted, False)],
    ids=["barred-debtor", "layout"],
)
def test_given_e_conomic_refusing_the_invoice_when_booking_then_economic_rejected_and_booked_once_retried(
    fresh_env: LocalEnvironment,
    break_it: Callable[[LocalShop], tuple[str, Callable[[], None]]],
    drafted: bool,
) -> None:
    assert RESUMES[ErrorCode.ECONOMIC_REJECTED] == Resume.OWNER
    shop = _shop(fresh_env)
    order = 1001
    detail_da, fix = break_it(shop)

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.ECONOMIC_REJECTED)
    assert f"e-conomic afviste fakturaen: {detail_da}." in record.da
    assert "e-conomic rejected the invoice:" in record.en
    assert detail_da.rsplit(" ", 1)[1] in record.en  # the number in parentheses
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"Læs e-conomics besked: {detail_da}." in plain
    assert len(shop.agreement.drafts) == (1 if drafted else 0)
    assert not shop.agreement.booked

    fix()  # the owner fixes it in e-conomic, then presses "Prøv igen"
    _owner_retries(fresh_env, shop, order)

    _booked_once(fresh_env, shop, order, ErrorCode.ECONOMIC_REJECTED)


# -- CURRENCY_UNKNOWN (RECHECK) --------------------------------------------------------------
def test_given_a_currency_e_conomic_lacks_when_booking_then_currency_unknown_and_booked_once_rechecked(
    fresh_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert RESUMES[ErrorCode.CURRENCY_UNKNOWN] == Resume.RECHECK
    shop = _shop(fresh_env)
    assert shop.dandomain is not None
    order = 1006  # the Norwegian buyer, now paying in NOK
    shop.dandomain.update_order(order, currencyCode="NOK")
    rate = economic_invoices.DKK_PER_100["NOK"]
    monkeypatch.delitem(economic_invoices.DKK_PER_100, "NOK")  # not set up in e-conomic

    _event(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.CURRENCY_UNKNOWN)
    assert "valutaen 'NOK' kan ikke bruges i e-conomic (valutaen findes ikke i e-conomic)" in (
        record.da
    )
    assert "the currency 'NOK' cannot be used in e-conomic (the currency does not exist" in (
        record.en
    )
    plain = _the_owner_mail(fresh_env, order, record)
    assert "Kontroller, at valutaen NOK er oprettet i e-conomic" in plain
    assert not shop.agreement.drafts

    monkeypatch.setitem(economic_invoices.DKK_PER_100, "NOK", rate)  # the owner adds NOK
    _recheck(fresh_env, shop, order)

    _booked_once(fresh_env, shop, order, ErrorCode.CURRENCY_UNKNOWN)
    (invoice,) = shop.agreement.booked.values()
    assert invoice["currency"] == "NOK"


# -- CUSTOMER_UNMAPPED (MAPPING) -------------------------------------------------------------
def test_given_a_vat_zone_without_a_customer_group_when_booking_then_customer_unmapped_and_booked_once_mapped(
    fresh_env: LocalEnvironment,
) -> None:
    assert RESUMES[ErrorCode.CUSTOMER_UNMAPPED] == Resume.MAPPING
    shop = _shop(fresh_env)
    order = 1018  # the British buyer: VAT zone 3 (abroad)
    assert _wire(shop, order)["customerInfo"]["country"] == "Storbritannien"
    mapping = shop.config.economic
    abroad = mapping.vat_zones.abroad
    groups = {zone: group for zone, group in mapping.customer_groups.items() if zone != abroad}
    _save_mapping(fresh_env, shop, mapping.model_copy(update={"customer_groups": groups}))

    _shipped(fresh_env, shop, order)

    record = _the_open_error(fresh_env, shop, order, ErrorCode.CUSTOMER_UNMAPPED)
    assert f"momszone {abroad} har ingen kundegruppe i opsætningen" in record.da
    assert f"VAT zone {abroad} has no customer group configured" in record.en
    plain = _the_owner_mail(fresh_env, order, record)
    assert f"som kunder i momszone {abroad} skal have" in plain
    assert not shop.agreement.customers

    assert _save_mapping(fresh_env, shop, mapping) == [str(order)]
    fresh_env.run_until_idle()

    _booked_once(fresh_env, shop, order, ErrorCode.CUSTOMER_UNMAPPED)
    (debtor,) = shop.agreement.customers.values()
    assert debtor["customerGroup"]["customerGroupNumber"] == mapping.customer_groups[abroad]
