"""The whole pipeline over real loopback HTTP: Dandomain webhooks -> local API -> webhook
function -> orders queue -> booking function -> e-conomic sandbox -> invoices queue -> mailer
function -> SES (moto). One run per module; each test checks one promise of the design."""

import email
import email.policy
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

import pytest
from pypdf import PdfReader

from autobook.domain.errors import ErrorCode, ErrorRecord, ErrorStatus
from autobook.domain.ledger import LedgerEntry, LedgerState, MailStatus
from sandbox.dandomain import WebhookSender, classic_order_change, webshop_order_body
from sandbox.shopkit import BOOKING_STATE, LocalShop, economic_number, open_shop

pytestmark = pytest.mark.e2e

MISSING_SKU = "UDGAAET-4711"
ORDERS = 30


@dataclass
class PipelineRun:
    shop: LocalShop
    statuses: list[int]
    entries: dict[int, LedgerEntry | None]
    errors: list[ErrorRecord]
    mails: list[EmailMessage]
    late_mails: int
    late_booked: int

    @property
    def orders(self) -> dict[int, dict[str, Any]]:
        return self.shop.dandomain.orders

    @property
    def missing_product_order(self) -> int:
        (order_id,) = [
            oid
            for oid, order in self.orders.items()
            if any(line["productId"] == MISSING_SKU for line in order["orderLines"])
        ]
        return order_id

    @property
    def incomplete_order(self) -> int:
        (order_id,) = [oid for oid, order in self.orders.items() if order["incomplete"]]
        return order_id

    @property
    def bookable(self) -> list[int]:
        return [
            oid
            for oid, order in sorted(self.orders.items())
            if order["orderState"]["id"] == BOOKING_STATE
            and not order["incomplete"]
            and oid != self.missing_product_order
        ]

    def reference(self, order_id: int) -> str:
        return self.shop.config.order_reference(str(order_id))

    def booked_by_reference(self) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for invoice in self.shop.agreement.booked.values():
            found.setdefault(invoice["references"]["other"], []).append(invoice)
        return found


@pytest.fixture(scope="module")
def run(local_env: Any) -> PipelineRun:
    local_env.reset()
    env = local_env
    shop_id = f"t-{uuid4().hex[:8]}"
    shop = open_shop(env, shop_id, orders=ORDERS)
    url = env.webhook_url(shop_id)
    secret = shop.secrets.webhook_secret
    statuses: list[int] = []
    with WebhookSender() as sender:
        for order_id in shop.order_ids:
            change = classic_order_change(order_id, 1, BOOKING_STATE)
            statuses.append(sender.send(url, change, hmac_secret=secret).status_code)
        # Dandomain delivers some webhooks twice, and a Webshop-style trigger for the same order
        for order_id in shop.order_ids[:3]:
            change = classic_order_change(order_id, 1, BOOKING_STATE)
            statuses.append(sender.send(url, change, hmac_secret=secret).status_code)
        statuses.append(
            sender.send(url, webshop_order_body(shop.order_ids[3]), token=secret).status_code
        )
        env.run_until_idle()
        mails_after_first_run = len(env.buyer_mails())
        booked_after_first_run = len(shop.agreement.booked)
        # a late duplicate, after everything was booked and mailed
        for order_id in shop.order_ids[:2]:
            change = classic_order_change(order_id, 2, BOOKING_STATE)
            statuses.append(sender.send(url, change, hmac_secret=secret).status_code)
    env.run_until_idle()
    with env.operator() as root:
        entries = {oid: root.ledger.get(shop_id, str(oid)) for oid in shop.order_ids}
        errors = [r for s in ErrorStatus for r in root.queries().errors_with(shop_id, s)]
    mails = [
        email.message_from_bytes(raw, policy=email.policy.default) for raw in env.buyer_mails()
    ]
    return PipelineRun(
        shop=shop,
        statuses=statuses,
        entries=entries,
        errors=errors,
        mails=mails,  # type: ignore[arg-type]
        late_mails=len(env.buyer_mails()) - mails_after_first_run,
        late_booked=len(shop.agreement.booked) - booked_after_first_run,
    )


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _pdf(message: EmailMessage) -> tuple[str | None, str]:
    (attachment,) = [
        a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"
    ]
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return attachment.get_filename(), "\n".join(page.extract_text() for page in reader.pages)


def test_given_every_webhook_when_posted_then_each_accepted(run: PipelineRun) -> None:
    assert set(run.statuses) == {202}
    assert len(run.statuses) == ORDERS + 3 + 1 + 2


def test_given_the_seed_when_inspected_then_the_special_orders_exist(run: PipelineRun) -> None:
    assert len(run.orders) == ORDERS
    assert run.missing_product_order != run.incomplete_order
    assert len(run.bookable) == ORDERS - 2


def test_given_pipeline_idle_when_counted_then_one_booked_invoice_per_bookable_order(
    run: PipelineRun,
) -> None:
    by_reference = run.booked_by_reference()
    expected = {run.reference(oid) for oid in run.bookable}
    assert set(by_reference) == expected
    assert {
        ref: len(invoices) for ref, invoices in by_reference.items() if len(invoices) != 1
    } == {}
    assert run.shop.agreement.drafts == {}
    assert run.late_booked == 0


def test_given_booked_invoices_when_compared_then_gross_equals_the_shop_total_to_the_ore(
    run: PipelineRun,
) -> None:
    by_reference = run.booked_by_reference()
    wrong = {}
    for oid in run.bookable:
        (invoice,) = by_reference[run.reference(oid)]
        order = run.orders[oid]
        if _dec(invoice["grossAmount"]) != _dec(order["totalPrice"]):
            wrong[oid] = (invoice["grossAmount"], order["totalPrice"])
        assert invoice["currency"] == order["currencyCode"]
    assert wrong == {}


def test_given_booked_invoices_when_compared_then_lines_carry_product_numbers_and_quantities(
    run: PipelineRun,
) -> None:
    overrides = run.shop.config.economic.product_overrides
    by_reference = run.booked_by_reference()
    problems = {}
    for oid in run.bookable:
        (invoice,) = by_reference[run.reference(oid)]
        lines = Counter(
            (line["product"]["productNumber"], _dec(line["quantity"])) for line in invoice["lines"]
        )
        wanted = Counter(
            (overrides.get(line["productId"], line["productId"]), _dec(line["quantity"]))
            for line in run.orders[oid]["orderLines"]
            if line["productId"]
        )
        missing = wanted - lines
        if missing:
            problems[oid] = dict(missing)
    assert problems == {}
    # the long SKU of the seed is booked under its operator mapping
    assert overrides
    for sku, number in overrides.items():
        assert len(number) <= 25
        assert number == economic_number(sku)


def test_given_pipeline_idle_when_mails_counted_then_one_mail_per_booked_invoice(
    run: PipelineRun,
) -> None:
    booked_numbers = sorted(run.shop.agreement.booked)
    mailed = sorted(int(re.sub(r"\D", "", _pdf(m)[0] or "")) for m in run.mails)
    assert mailed == booked_numbers
    assert run.late_mails == 0


def test_given_each_mail_when_opened_then_pdf_names_its_invoice_and_goes_to_the_buyer(
    run: PipelineRun,
) -> None:
    by_number = {n: inv for n, inv in run.shop.agreement.booked.items()}
    order_by_reference = {run.reference(oid): oid for oid in run.orders}
    for message in run.mails:
        filename, text = _pdf(message)
        number = int(re.sub(r"\D", "", filename or ""))
        assert re.search(rf"Faktura {number}\b", text), (filename, text[:200])
        invoice = by_number[number]
        order = run.orders[order_by_reference[invoice["references"]["other"]]]
        assert str(message["To"]) == order["customerInfo"]["email"]
        assert run.shop.config.name in str(message["From"])


def test_given_pipeline_idle_when_ledger_read_then_booked_orders_are_mailed(
    run: PipelineRun,
) -> None:
    booked_numbers = set()
    for oid in run.bookable:
        entry = run.entries[oid]
        assert entry is not None, oid
        assert entry.state == LedgerState.MAILED, (oid, entry.state, entry.error_code)
        assert entry.mail.status == MailStatus.SENT
        assert entry.mail.message_id
        assert _dec(entry.invoice.gross) == _dec(run.orders[oid]["totalPrice"])
        booked_numbers.add(entry.invoice.booked_number)
    assert booked_numbers == set(run.shop.agreement.booked)


def test_given_order_with_missing_product_when_ledger_read_then_failed_product_missing(
    run: PipelineRun,
) -> None:
    entry = run.entries[run.missing_product_order]
    assert entry is not None
    assert entry.state == LedgerState.FAILED
    assert entry.error_code == ErrorCode.PRODUCT_MISSING
    assert entry.invoice.booked_number is None
    assert run.reference(run.missing_product_order) not in run.booked_by_reference()


def test_given_incomplete_order_when_ledger_read_then_no_entry(run: PipelineRun) -> None:
    assert run.entries[run.incomplete_order] is None
    assert run.reference(run.incomplete_order) not in run.booked_by_reference()


def test_given_known_error_when_error_log_read_then_recorded_once(run: PipelineRun) -> None:
    (record,) = run.errors
    assert record.code == ErrorCode.PRODUCT_MISSING
    assert record.order_id == str(run.missing_product_order)
    assert record.status == "open"
    assert record.occurrences == 1
    assert MISSING_SKU in record.en
    assert MISSING_SKU in record.da
