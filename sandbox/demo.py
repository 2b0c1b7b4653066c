"""`autobook demo`: the whole pipeline on this machine, on real local parts.

Dandomain sandbox --webhook--> local API --> webhook function --> orders queue (FIFO)
--> booking function --> e-conomic sandbox --> invoices queue --> mailer function --> SES (moto)
"""

import email
import os
import email.policy
import secrets
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from autobook.domain.ledger import LedgerEntry
from autobook.domain.shop import (
    DandomainSettings,
    EconomicMapping,
    PaymentMapping,
    ShippingMapping,
    ShopConfig,
    ShopMode,
    ShopSecrets,
)
from autobook.store.error_log import ErrorRecord
from sandbox.dandomain import WebhookSender, classic_order_change, demo_catalogue, demo_methods, seed_demo_orders
from sandbox.environment import LocalEnvironment

DEMO_SHOP = "demo-shop"
BOOKING_STATE = 3
FEE_PRODUCT = "GEBYR"
SHIPPING_PRODUCT = "FRAGT"
EXTRA_PRODUCTS = {
    FEE_PRODUCT: "Betalingsgebyr",
    SHIPPING_PRODUCT: "Fragt",
    "RABAT": "Rabat",
    "GAVEKORT": "Gavekort",
    "AFRUNDING": "Øreafrunding",
}


def economic_number(sku: str) -> str:
    """The operator's mapping for SKUs longer than e-conomic's 25 characters."""
    return sku if len(sku) <= 25 else sku.replace("-", "")[:25]


def demo_shop_config(base_url: str, skus: list[str]) -> ShopConfig:
    methods = demo_methods()
    invoice_terms = {62: 1, 63: 1}  # bank transfer and B2B invoice: net 8 days; cards: prepaid
    return ShopConfig(
        shop_id=DEMO_SHOP,
        name="Demo Webshop ApS",
        mode=ShopMode.ACTIVE,
        dandomain=DandomainSettings(base_url=base_url),
        booking_state_ids=frozenset({BOOKING_STATE}),
        cancel_state_ids=frozenset({4, 5}),
        reference_prefix="DEMO-",
        economic=EconomicMapping(
            payment_methods={
                m.id: PaymentMapping(
                    name=m.name,
                    payment_terms_number=invoice_terms.get(m.id, 4),
                    fee_product=FEE_PRODUCT,
                )
                for m in methods.payment
            },
            shipping_methods={
                m.id: ShippingMapping(name=m.name, product=SHIPPING_PRODUCT) for m in methods.shipping
            },
            product_overrides={sku: economic_number(sku) for sku in skus if len(sku) > 25},
            discount_product="RABAT",
            gift_card_product="GAVEKORT",
            rounding_product="AFRUNDING",
        ),
    )


@dataclass
class DemoResult:
    orders: list[int]
    entries: dict[str, LedgerEntry | None]
    errors: list[ErrorRecord]
    mails: list[bytes]
    rejected: dict[str, int]


def run_demo(out_dir: Path, *, count: int = 36, out: TextIO = sys.stdout) -> DemoResult:
    # The functions' metrics and logs are for CloudWatch; the demo prints a summary instead.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    with LocalEnvironment(log_level="ERROR") as env:
        shop_data = env.dandomain_state.add_shop(api_key := secrets.token_hex(18))
        order_ids = seed_demo_orders(shop_data, count=count)
        agreement = env.economic_state.add_agreement(grant := secrets.token_hex(16))
        catalogue = demo_catalogue(shop_data)
        for product in catalogue:
            group = 1 if product.vat_pct != "0" else 2
            agreement.add_product(economic_number(product.sku), product.name, group=group)
        for number, name in EXTRA_PRODUCTS.items():
            agreement.add_product(number, name, group=2 if number == "GAVEKORT" else 1)
        webhook_secret = secrets.token_urlsafe(24)
        env.register_shop(
            demo_shop_config(env.dandomain.url, [p.sku for p in catalogue]),
            ShopSecrets(dandomain_api_key=api_key, economic_grant_token=grant, webhook_secret=webhook_secret),
        )
        url = env.webhook_url(DEMO_SHOP)
        rejected = _send_webhooks(url, order_ids, webhook_secret, out)
        env.run_until_idle()
        with env.operator() as deps:
            entries = {str(i): deps.ledger.get(DEMO_SHOP, str(i)) for i in order_ids}
            errors = deps.errors.for_shop(DEMO_SHOP)
        mails = env.sent_mails()
        _write_mails(out_dir, mails)
        result = DemoResult(order_ids, entries, errors, mails, rejected)
        print_summary(result, out_dir, out)
        return result


def _send_webhooks(url: str, order_ids: list[int], secret: str, out: TextIO) -> dict[str, int]:
    rejected: dict[str, int] = {}
    with WebhookSender() as sender:
        for order_id in order_ids:
            change = classic_order_change(order_id, 1, BOOKING_STATE)
            sender.send(url, change, hmac_secret=secret)
        # Dandomain delivers some webhooks twice; autobook must not book twice.
        for order_id in order_ids[:3]:
            sender.send(url, classic_order_change(order_id, 1, BOOKING_STATE), hmac_secret=secret)
        # Bad callers get a clear 4xx and enqueue nothing.
        rejected["not JSON"] = sender.send(url, b"not json", hmac_secret=secret).status_code
        rejected["wrong secret"] = sender.send(url, classic_order_change(1, 1, 3), hmac_secret="wrong").status_code
        rejected["unknown shop"] = sender.send(
            url.replace(DEMO_SHOP, "no-such-shop"), classic_order_change(1, 1, 3), hmac_secret=secret
        ).status_code
    print(f"Sent {len(order_ids) + 3} webhooks for {len(order_ids)} orders (3 duplicates).", file=out)
    return rejected


def _write_mails(out_dir: Path, mails: list[bytes]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.eml"):
        old.unlink()
    for raw in mails:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        subject = str(message["Subject"] or "mail")
        number = subject.split()[1] if len(subject.split()) > 1 else str(len(list(out_dir.glob("*.eml"))))
        (out_dir / f"invoice-{number}.eml").write_bytes(raw)


def print_summary(result: DemoResult, out_dir: Path, out: TextIO) -> None:
    errors_by_order = {e.order_id: e for e in result.errors}
    print(f"\n{'order':>6}  {'state':<9} {'invoice':>7} {'gross':>11} {'cur':<4} mail  note", file=out)
    booked = 0
    total = Decimal(0)
    for order_id, entry in result.entries.items():
        error = errors_by_order.get(order_id)
        if entry is None:
            print(f"{order_id:>6}  {'skipped':<9} {'':>7} {'':>11} {'':<4} {'':<5} not in a booking state (incomplete)", file=out)
            continue
        invoice = str(entry.booked_number or "")
        gross = f"{Decimal(entry.gross_amount):.2f}" if entry.gross_amount else ""
        mail = "sent" if entry.mail_status == "sent" else "-"
        note = f"{error.code}: {error.en}" if error else ""
        if entry.booked_number:
            booked += 1
            if entry.currency == "DKK":
                total += Decimal(entry.gross_amount or 0)
        print(f"{order_id:>6}  {entry.state:<9} {invoice:>7} {gross:>11} {entry.currency or '':<4} {mail:<5} {note[:140]}", file=out)
    print(f"\nOrders: {len(result.orders)}  booked: {booked}  mails sent: {len(result.mails)}  "
          f"known errors: {len(result.errors)}  booked DKK total: {total}", file=out)
    for label, status in result.rejected.items():
        print(f"Webhook with {label}: HTTP {status}", file=out)
    print(f"Mails written to {out_dir}/ ({len(result.mails)} .eml files with the invoice PDF attached)", file=out)
