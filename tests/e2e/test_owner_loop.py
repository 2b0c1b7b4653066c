"""The owner's loop on the real pipeline, in a real headless Chromium: an order cannot be
booked (e-conomic lacks a product), the owner gets one Danish mail naming the order and the
product, follows its link to the owner page, creates the product in e-conomic (the sandbox),
presses "Prøv igen", and the page then shows the order booked and mailed."""

import email
import email.policy
import re
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.ledger import LedgerState
from sandbox.dandomain import WebhookSender, classic_order_change
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import BOOKING_STATE, OWNER_ADDRESS, LocalShop, economic_number, open_shop
from tests.e2e.browser import (
    PHONE_WIDTH,
    as_phone,
    chromium,
    full_page_screenshot,
    scroll_width,
    serious_violations,
)
from tests.e2e.test_owner_page_browser import click_and_load, status, text

pytestmark = pytest.mark.e2e

OUT = Path(__file__).resolve().parents[2] / "out"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        as_phone(driver)
        yield driver


def _owner_mails(env: LocalEnvironment) -> list[EmailMessage]:
    return [
        email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
        for raw in env.owner_mails()
    ]


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None, kind
    return str(part.get_content())  # type: ignore[attr-defined]


def _book(env: LocalEnvironment, shop: LocalShop, order_id: int) -> None:
    with WebhookSender() as sender:
        answer = sender.send(
            env.webhook_url(shop.shop_id),
            classic_order_change(order_id, 1, BOOKING_STATE),
            hmac_secret=shop.secrets.webhook_secret,
        )
    assert answer.status_code == 202
    env.run_until_idle()


def test_given_a_missing_product_when_the_owner_fixes_it_and_retries_then_booked_and_mailed(
    fresh_env: LocalEnvironment, browser: Any
) -> None:
    shop = open_shop(fresh_env, f"loop-{uuid.uuid4().hex[:6]}", orders=21)
    assert shop.dandomain is not None
    order = shop.order_ids[1]
    sku = shop.dandomain.orders[order]["orderLines"][0]["productId"]
    number = economic_number(sku)
    product = shop.agreement.products.pop(number)

    _book(fresh_env, shop, order)

    (mail,) = _owner_mails(fresh_env)
    assert str(mail["To"]) == OWNER_ADDRESS
    plain, html = _body(mail, "plain"), _body(mail, "html")
    for body in (plain, html):
        assert str(order) in body
        assert number in body
    (link,) = set(re.findall(r'href="([^"]*/owner/[^"]*)"', html))
    link = link.replace("&amp;", "&")
    assert link in plain  # the plain-text part carries the same link

    browser.get(link)
    assert browser.find_element("tag name", "html").get_attribute("lang") == "da"
    page = text(browser)
    assert "Varen findes ikke i e-conomic" in page
    assert f"Ordre {order}" in page
    assert number in page

    shop.agreement.products[number] = product  # the owner creates the product in e-conomic
    (retry,) = [
        b
        for b in browser.find_elements("css selector", f"[id$='-{order}'] button")
        if b.text == "Prøv igen"
    ]
    click_and_load(browser, retry)
    assert status(browser) == f"Ordre {order} er sendt til bogføring igen."

    fresh_env.run_until_idle()
    browser.get(link)
    page = text(browser)
    assert "Varen findes ikke i e-conomic" not in page
    assert "Bogført og mailet" in page
    assert scroll_width(browser) <= PHONE_WIDTH
    assert serious_violations(browser) == []
    full_page_screenshot(browser, OUT / "owner-loop-after-retry.png")
    with fresh_env.operator() as root:
        entry = root.ledger.get(shop.shop_id, str(order))
    assert entry is not None
    assert entry.state == LedgerState.MAILED
    assert len(fresh_env.buyer_mails()) == 1
    assert len(_owner_mails(fresh_env)) == 1  # told once; nothing more after the fix
