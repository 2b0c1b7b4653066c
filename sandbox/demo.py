"""`autobook demo`: the whole pipeline on this machine, on real local parts.

Dandomain sandbox --webhook--> local API --> webhook function --> orders queue (FIFO)
--> booking function --> e-conomic sandbox --> invoices queue --> mailer function --> SES (moto)
"""

import email
import email.policy
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from autobook.domain.errors import ErrorRecord
from autobook.domain.ledger import LedgerEntry
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, open_shop

DEMO_SHOP = "demo-shop"


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
        shop = open_shop(env, DEMO_SHOP, orders=count)
        order_ids = shop.order_ids
        url = env.webhook_url(DEMO_SHOP)
        rejected = _send_webhooks(url, order_ids, shop.secrets.webhook_secret, out)
        env.run_until_idle()
        with env.operator() as root:
            entries = {str(i): root.ledger.get(DEMO_SHOP, str(i)) for i in order_ids}
            errors = root.queries().open_errors(DEMO_SHOP)
        mails = env.buyer_mails()
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
        rejected["wrong secret"] = sender.send(
            url, classic_order_change(1, 1, 3), hmac_secret="wrong"
        ).status_code
        rejected["unknown shop"] = sender.send(
            url.replace(DEMO_SHOP, "no-such-shop"),
            classic_order_change(1, 1, 3),
            hmac_secret=secret,
        ).status_code
    print(
        f"Sent {len(order_ids) + 3} webhooks for {len(order_ids)} orders (3 duplicates).", file=out
    )
    return rejected


def _write_mails(out_dir: Path, mails: list[bytes]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.eml"):
        old.unlink()
    for raw in mails:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        subject = str(message["Subject"] or "mail")
        number = (
            subject.split()[1]
            if len(subject.split()) > 1
            else str(len(list(out_dir.glob("*.eml"))))
        )
        (out_dir / f"invoice-{number}.eml").write_bytes(raw)


def print_summary(result: DemoResult, out_dir: Path, out: TextIO) -> None:
    errors_by_order = {e.order_id: e for e in result.errors}
    print(
        f"\n{'order':>6}  {'state':<9} {'invoice':>7} {'gross':>11} {'cur':<4} mail  note", file=out
    )
    booked = 0
    total = Decimal(0)
    for order_id, entry in result.entries.items():
        error = errors_by_order.get(order_id)
        if entry is None:
            print(
                f"{order_id:>6}  {'skipped':<9} {'':>7} {'':>11} {'':<4} {'':<5} not in a booking state (incomplete)",
                file=out,
            )
            continue
        document = entry.invoice
        invoice = str(document.booked_number or "")
        gross = f"{document.gross:.2f}" if document.gross is not None else ""
        mail = "sent" if entry.mail.status == "sent" else "-"
        note = f"{error.code}: {error.en}" if error else ""
        if document.booked_number:
            booked += 1
            if document.currency == "DKK":
                total += document.gross or Decimal(0)
        print(
            f"{order_id:>6}  {entry.state:<9} {invoice:>7} {gross:>11} {document.currency or '':<4} {mail:<5} {note[:140]}",
            file=out,
        )
    print(
        f"\nOrders: {len(result.orders)}  booked: {booked}  mails sent: {len(result.mails)}  "
        f"known errors: {len(result.errors)}  booked DKK total: {total}",
        file=out,
    )
    for label, status in result.rejected.items():
        print(f"Webhook with {label}: HTTP {status}", file=out)
    print(
        f"Mails written to {out_dir}/ ({len(result.mails)} .eml files with the invoice PDF attached)",
        file=out,
    )
