"""`autobook demo`: the whole pipeline on this machine, on real local parts, for one shop of
each Dandomain platform.

Dandomain sandbox (Classic REST, or Webshop SOAP) --signed webhook--> local API --> webhook
function --> orders queue (FIFO) --> booking function --> e-conomic sandbox --> invoices queue
--> mailer function --> SES (moto); the owner is told by mail and reads the owner page.
"""

import email
import email.policy
import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import TextIO

from autobook.domain.errors import ErrorRecord
from autobook.domain.ledger import LedgerEntry
from autobook.domain.shop import Platform
from sandbox.browser import as_phone, chromium_driver, full_page_screenshot, missing_browser
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, LocalShop, open_shop
from sandbox.webshop.webhooks import send_order_webhook

DEMO_SHOP = "demo-shop"  # Dandomain Classic
DEMO_WEBSHOP = "demo-webshop"  # Dandomain Webshop (HostedShop)
DEMO_TRIAL = "demo-trial"  # a Classic shop walked through its trial to going live
TRIAL_DRAFTS = 12  # the owner books 9 as they are, edits 1, deletes 1, leaves 1
SCREENSHOT = "owner-page.png"


@dataclass
class ShopRun:
    shop_id: str
    platform: Platform
    orders: list[int]
    entries: dict[str, LedgerEntry | None]
    errors: list[ErrorRecord]
    page_link: str


@dataclass
class DemoResult:
    shops: list[ShopRun]
    mails: list[bytes]  # to buyers, with the PDF
    owner_mails: list[bytes]
    rejected: dict[str, int]
    screenshot: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return sum(len(s.orders) for s in self.shops)


def run_demo(
    out_dir: Path, *, count: int = 36, out: TextIO = sys.stdout, screenshot: bool = True
) -> DemoResult:
    # The functions' metrics and logs are for CloudWatch; the demo prints a summary instead.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    with LocalEnvironment(log_level="ERROR") as env:
        classic = open_shop(env, DEMO_SHOP, orders=count)
        webshop = open_shop(env, DEMO_WEBSHOP, orders=count, platform=Platform.WEBSHOP)
        rejected = _send_classic_webhooks(env, classic, out)
        _send_webshop_webhooks(env, webshop, out)
        env.run_until_idle()
        runs = [_read(env, shop) for shop in (classic, webshop)]
        trial_lines = _walk_trial(env, out_dir, count)
        result = DemoResult(runs, env.buyer_mails(), env.owner_mails(), rejected)
        result.notes[:0] = trial_lines
        _write_mails(out_dir, result)
        if screenshot:
            _screenshot(out_dir, runs[0].page_link, result)
        print_summary(result, out_dir, out)
        return result


def _send_classic_webhooks(env: LocalEnvironment, shop: LocalShop, out: TextIO) -> dict[str, int]:
    url, secret = env.webhook_url(shop.shop_id), shop.secrets.webhook_secret
    rejected: dict[str, int] = {}
    with WebhookSender() as sender:
        for order_id in shop.order_ids:
            sender.send(url, classic_order_change(order_id, 1, BOOKING_STATE), hmac_secret=secret)
        # Dandomain delivers some webhooks twice; autobook must not book twice.
        for order_id in shop.order_ids[:3]:
            sender.send(url, classic_order_change(order_id, 1, BOOKING_STATE), hmac_secret=secret)
        # Bad callers get a clear 4xx and enqueue nothing.
        rejected["not JSON"] = sender.send(url, b"not json", hmac_secret=secret).status_code
        rejected["wrong secret"] = sender.send(
            url, classic_order_change(1, 1, 3), hmac_secret="wrong"
        ).status_code
        rejected["unknown shop"] = sender.send(
            url.replace(shop.shop_id, "no-such-shop"),
            classic_order_change(1, 1, 3),
            hmac_secret=secret,
        ).status_code
    print(
        f"{shop.shop_id} (Classic): sent {len(shop.order_ids) + 3} webhooks for "
        f"{len(shop.order_ids)} orders (3 duplicates).",
        file=out,
    )
    return rejected


def _send_webshop_webhooks(env: LocalEnvironment, shop: LocalShop, out: TextIO) -> None:
    url, secret = env.webhook_url(shop.shop_id), shop.secrets.webhook_secret
    domain = shop.config.dandomain.base_url
    with WebhookSender() as sender:
        for order_id in shop.order_ids:
            send_order_webhook(
                sender, url, order_id, topic="orders/created", shop_domain=domain, secret=secret
            )
        for order_id in shop.order_ids[:3]:  # the order is sent: a second topic
            send_order_webhook(
                sender, url, order_id, topic="orders/fulfilled", shop_domain=domain, secret=secret
            )
    print(
        f"{shop.shop_id} (Webshop): sent {len(shop.order_ids) + 3} signed webhooks for "
        f"{len(shop.order_ids)} orders (3 a second time, as orders/fulfilled).",
        file=out,
    )


def _walk_trial(env: LocalEnvironment, out_dir: Path, count: int) -> list[str]:
    """A shop through its trial: drafts only; the owner books, edits and deletes some in
    e-conomic; the trial report; activation refused, then (15 days on) accepted; then live."""
    from autobook.domain.ledger import LedgerState
    from autobook.domain.shop import ShopMode
    from autobook.usecases.clock import utc_now
    from autobook.usecases.operations import ActionError
    from autobook.usecases.trial import DraftFate
    from autobook_cli.commands.trial import owner_text
    from sandbox.economic.invoices import book as book_by_hand

    shop = open_shop(env, DEMO_TRIAL, orders=count, mode=ShopMode.TRIAL)
    assert shop.dandomain is not None
    bookable = [
        oid
        for oid, order in sorted(shop.dandomain.orders.items())
        if not order["incomplete"]
        and all(line["productId"] != "UDGAAET-4711" for line in order["orderLines"])
    ]
    url, secret = env.webhook_url(DEMO_TRIAL), shop.secrets.webhook_secret
    with WebhookSender() as sender:
        for order_id in bookable[:TRIAL_DRAFTS]:
            sender.send(url, classic_order_change(order_id, 1, BOOKING_STATE), hmac_secret=secret)
    env.run_until_idle()
    lines = [f"\n{DEMO_TRIAL} (Classic, in its trial): {TRIAL_DRAFTS} orders drafted, none booked."]
    with env.operator() as root:
        trial = root.trial()
        drafts: dict[str, int] = {
            e.order_id: e.invoice.draft_number
            for e in root.queries().orders_in(DEMO_TRIAL, LedgerState.DRAFTED, 100)
            if e.invoice.draft_number is not None
        }
        try:
            trial.activate(DEMO_TRIAL, actor="demo")
        except ActionError as refused:
            lines.append(f"Activate now: {refused.en}")
        ids = sorted(drafts, key=int)
        edited, deleted = ids[0], ids[1]
        draft = shop.agreement.drafts[drafts[edited]]  # the owner adds a line's worth by hand
        for field in ("netAmount", "grossAmount"):
            draft[field] = round(float(draft[field]) + 10, 2)
        del shop.agreement.drafts[drafts[deleted]]
        for booked in [edited, *ids[2:11]]:
            book_by_hand(shop.agreement, {"draftInvoice": {"draftInvoiceNumber": drafts[booked]}})
        report = trial.report(DEMO_TRIAL)
        path = out_dir / f"trial-{DEMO_TRIAL}.txt"
        out_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(owner_text(report, danish=True), encoding="utf-8")
        lines.append(
            f"The owner booked {report.count(DraftFate.BOOKED_UNCHANGED)} drafts unchanged, "
            f"{report.count(DraftFate.BOOKED_CHANGED)} after editing it, deleted "
            f"{report.count(DraftFate.DELETED)}, left {report.count(DraftFate.OPEN)} open; the "
            f"trial report for the owner: {path}"
        )
    with env.operator(clock=lambda: utc_now() + timedelta(days=15)) as root:
        shop_now = root.trial().activate(DEMO_TRIAL, actor="demo")
    lines.append(
        f"15 days on: activated by {shop_now.activation.by if shop_now.activation else ''}."
    )
    with WebhookSender() as sender:
        sender.send(
            url, classic_order_change(bookable[TRIAL_DRAFTS], 1, BOOKING_STATE), hmac_secret=secret
        )
    env.run_until_idle()
    with env.operator() as root:
        entry = root.ledger.get(DEMO_TRIAL, str(bookable[TRIAL_DRAFTS]))
    lines.append(
        f"Live: order {bookable[TRIAL_DRAFTS]} {entry.state if entry else 'not seen'} "
        f"(invoice {entry.invoice.booked_number if entry else ''})."
    )
    return lines


def _read(env: LocalEnvironment, shop: LocalShop) -> ShopRun:
    with env.operator() as root:
        entries = {str(i): root.ledger.get(shop.shop_id, str(i)) for i in shop.order_ids}
        errors = root.queries().open_errors(shop.shop_id)
    return ShopRun(
        shop.shop_id,
        shop.platform,
        shop.order_ids,
        entries,
        errors,
        env.owner_page_link(shop.shop_id),
    )


def _message(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _write_mails(out_dir: Path, result: DemoResult) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.eml"):
        old.unlink()
    for index, raw in enumerate(result.mails, start=1):  # each agreement numbers from 1
        words = str(_message(raw)["Subject"] or "").split()
        number = f"-{words[1]}" if len(words) > 1 and words[1].isdigit() else ""
        (out_dir / f"invoice-{index:03d}{number}.eml").write_bytes(raw)
    for index, raw in enumerate(result.owner_mails, start=1):
        (out_dir / f"owner-{index:02d}.eml").write_bytes(raw)


def _screenshot(out_dir: Path, link: str, result: DemoResult) -> None:
    """The owner page as the owner's phone shows it (skipped, saying why, without Chromium)."""
    missing = missing_browser()
    if missing:
        result.notes.append(
            f"No owner-page screenshot: {', '.join(missing)} not installed "
            "(apt-get install chromium chromium-driver)."
        )
        return
    path = out_dir / SCREENSHOT
    with chromium_driver() as driver:
        as_phone(driver)
        driver.get(link)
        full_page_screenshot(driver, path)
    result.screenshot = path


def print_summary(result: DemoResult, out_dir: Path, out: TextIO) -> None:
    print(
        f"\n{'shop':<13} {'platform':<8} {'order':>6}  {'state':<9} {'invoice':>7} "
        f"{'gross':>11} {'cur':<4} mail  note",
        file=out,
    )
    booked = 0
    total = Decimal(0)
    errors = 0
    for run in result.shops:
        errors_by_order = {e.order_id: e for e in run.errors}
        errors += len(run.errors)
        for order_id, entry in run.entries.items():
            error = errors_by_order.get(order_id)
            lead = f"{run.shop_id:<13} {run.platform:<8} {order_id:>6}"
            if entry is None:
                print(f"{lead}  {'skipped':<9} {'':>39} not in a booking state", file=out)
                continue
            document = entry.invoice
            invoice = str(document.booked_number or "")
            gross = f"{document.gross:.2f}" if document.gross is not None else ""
            mail = "sent" if entry.mail.status == "sent" else "-"
            note = f"{error.code}: {error.en}" if error else _note(entry)
            if document.booked_number:
                booked += 1
                if document.currency == "DKK":
                    total += document.gross or Decimal(0)
            print(
                f"{lead}  {entry.state:<9} {invoice:>7} {gross:>11} "
                f"{document.currency or '':<4} {mail:<5} {note[:140]}",
                file=out,
            )
    print(
        f"\nShops: {len(result.shops)}  orders: {result.orders}  booked: {booked}  "
        f"mails to buyers: {len(result.mails)}  open errors: {errors}  "
        f"booked DKK total: {total}",
        file=out,
    )
    for label, status in result.rejected.items():
        print(f"Webhook with {label}: HTTP {status}", file=out)
    print(f"\nOwner mails sent: {len(result.owner_mails)}", file=out)
    for index, raw in enumerate(result.owner_mails, start=1):
        message = _message(raw)
        print(f"  owner-{index:02d}.eml  to {message['To']}: {message['Subject']}", file=out)
    print("\nOwner pages (signed links, valid 14 days; the mails carry the same):", file=out)
    for run in result.shops:
        print(f"  {run.shop_id}: {run.page_link}", file=out)
    if result.screenshot:
        print(f"Owner page screenshot (375 px phone): {result.screenshot}", file=out)
    for note in result.notes:
        print(note, file=out)
    print(
        f"Mails written to {out_dir}/ ({len(result.mails)} invoice-*.eml with the PDF attached, "
        f"{len(result.owner_mails)} owner-*.eml)",
        file=out,
    )


def _note(entry: LedgerEntry) -> str:
    if entry.credited_by_order:
        return f"credited for credit-note order {entry.credited_by_order}"
    if entry.credit.booked_number:
        return f"credit note {entry.credit.booked_number}"
    return entry.history[-1].note if entry.state == "skipped" and entry.history else ""
