"""The owner page in a real headless Chromium, through the local API and the real
OwnerPageFunction handler (link key from Secrets Manager on moto), with a fake OwnerActions:
Danish by default, English on request, refusals, every button, axe-core and a 375 px phone."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from autobook.domain.shop import Language
from autobook.owner_page.page import OwnerPage
from sandbox.environment import LocalEnvironment
from tests.e2e.browser import (
    PHONE_WIDTH,
    as_desktop,
    as_phone,
    chromium,
    full_page_screenshot,
    scroll_width,
    serious_violations,
)
from tests.owner_fakes import FakeOwnerActions, sample_actions

pytestmark = pytest.mark.e2e

SHOP = "hansens-vin"
OUT = Path(__file__).resolve().parents[2] / "out"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture
def actions(local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch) -> FakeOwnerActions:
    fake = sample_actions(SHOP)
    handler = local_env.lambdas.module("OwnerPageFunction")
    page = OwnerPage(
        actions=fake, link_key=lambda: local_env.owner_page_key, clock=lambda: datetime.now(UTC)
    )
    monkeypatch.setattr(handler, "owner_page", lambda: page)
    return fake


@pytest.fixture
def page(browser: Any, local_env: LocalEnvironment, actions: FakeOwnerActions) -> Any:
    as_phone(browser)
    browser.delete_all_cookies()
    browser.get(local_env.owner_page_link(SHOP))
    return browser


def text(driver: Any) -> str:
    return str(driver.find_element("tag name", "body").text)


def click_and_load(driver: Any, element: Any) -> None:
    """Click, then wait (polling, bounded) until the browser has left the page and loaded the
    next one: a click that submits a form returns before the navigation is done. The old page
    is marked with a window property the next page does not have; asking an element whether it
    is stale races the navigation in Chromium ("node does not belong to the document")."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script("window.autobookOldPage = true")
    element.click()
    wait = WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,))
    wait.until(
        lambda d: d.execute_script(
            "return !window.autobookOldPage && document.readyState === 'complete'"
        )
    )


def press(driver: Any, label: str, *, within: str | None = None) -> None:
    scope = driver.find_element("css selector", within) if within else driver
    (button,) = [b for b in scope.find_elements("tag name", "button") if b.text == label][:1]
    click_and_load(driver, button)


def status(driver: Any) -> str:
    return str(driver.find_element("css selector", "[role=status]").text)


def test_given_the_mail_link_when_opened_then_the_danish_page_fits_a_phone_and_passes_axe(
    page: Any,
) -> None:
    assert page.find_element("tag name", "html").get_attribute("lang") == "da"
    assert page.find_element("tag name", "h1").text == "Hansens Vin: fejl og fakturaer"
    body = text(page)
    assert "Bogføringen er sat på pause: Adgangen til e-conomic er afvist" in body
    assert "Ordre 2002 · Køber: Mette Sørensen · Beløb: 1.250,25 DKK" in body
    assert "<script>alert('x')</script>" in body  # a hostile buyer name shown as text
    assert page.execute_script("return window.innerWidth") == PHONE_WIDTH
    assert scroll_width(page) <= PHONE_WIDTH
    assert serious_violations(page) == []
    full_page_screenshot(page, OUT / "owner-page.png")


def test_given_the_language_switch_when_followed_then_the_page_is_english_and_passes_axe(
    page: Any,
) -> None:
    click_and_load(page, page.find_element("link text", "English"))
    assert page.find_element("tag name", "html").get_attribute("lang") == "en"
    assert page.find_element("tag name", "h1").text == "Hansens Vin: errors and invoices"
    assert "Retry all with this error" in text(page)
    assert scroll_width(page) <= PHONE_WIDTH
    assert serious_violations(page) == []
    as_desktop(page)
    assert serious_violations(page) == []
    full_page_screenshot(page, OUT / "owner-page-en-desktop.png")


def test_given_retry_when_pressed_then_the_order_is_replayed_and_the_page_says_so(
    page: Any, actions: FakeOwnerActions
) -> None:
    press(page, "Prøv igen", within="#order-PAYMENT_METHOD_UNMAPPED-2003")
    assert status(page) == "Ordre 2003 er sendt til bogføring igen."
    assert actions.calls[0][:3] == ("replay", SHOP, "2003")
    assert str(actions.calls[0][3]).startswith("owner (link ")
    assert "Betalingsmetoden er ikke koblet" not in text(page)
    assert urlsplit(page.current_url).path == f"/dev/owner/{SHOP}"


def test_given_retry_all_when_pressed_then_every_order_with_the_code_is_replayed(
    page: Any, actions: FakeOwnerActions
) -> None:
    press(page, "Prøv igen for alle med denne fejl", within="#error-PRODUCT_MISSING")
    assert status(page) == (
        "2 ordrer med fejlen »Varen findes ikke i e-conomic« er sendt til bogføring igen."
    )
    assert [c[:3] for c in actions.calls] == [("replay_code", SHOP, "PRODUCT_MISSING")]


def test_given_resend_and_rebook_when_pressed_then_each_runs_once(
    page: Any, actions: FakeOwnerActions
) -> None:
    press(page, "Send faktura igen", within="#order-MAIL_FAILED-2004")
    assert status(page) == "Fakturaen til ordre 2004 bliver sendt igen."
    press(page, "Krediter og bogfør igen", within="#order-ORDER_CHANGED_AFTER_BOOKING-2005")
    assert status(page) == "Fakturaen til ordre 2005 krediteres, og ordren bogføres igen."
    assert [c[0] for c in actions.calls] == ["resend_mail", "credit_and_rebook"]


def test_given_ignore_with_a_reason_when_pressed_then_the_error_is_ignored_with_it(
    page: Any, actions: FakeOwnerActions
) -> None:
    row = page.find_element("css selector", "#order-PRODUCT_MISSING-2002")
    row.find_element("tag name", "summary").click()
    row.find_element("css selector", "input[name=reason]").send_keys("Varen er udgået")
    press(page, "Ignorer", within="#order-PRODUCT_MISSING-2002")
    assert status(page) == "Fejlen på ordre 2002 er ignoreret."
    (call,) = actions.calls
    assert call[:5] == ("ignore", SHOP, "2002", "PRODUCT_MISSING", "Varen er udgået")


def test_given_ignore_without_a_reason_then_the_browser_asks_for_one_and_nothing_is_done(
    page: Any, actions: FakeOwnerActions
) -> None:
    page.find_element("css selector", "#order-PRODUCT_MISSING-2002 summary").click()
    # The browser refuses to submit: no navigation to wait for.
    page.find_element("css selector", "#order-PRODUCT_MISSING-2002 button.secondary").click()
    reason = page.find_element("css selector", "#order-PRODUCT_MISSING-2002 input[name=reason]")
    assert page.execute_script("return arguments[0].validity.valueMissing", reason) is True
    assert actions.calls == []


def test_given_bad_links_when_opened_then_each_gets_the_same_403_and_nothing_else(
    browser: Any, local_env: LocalEnvironment, actions: FakeOwnerActions
) -> None:
    good = local_env.owner_page_link(SHOP)
    expired = local_env.owner_page_link(SHOP, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    other_shop = local_env.owner_page_link("other-shop").replace("/other-shop?", f"/{SHOP}?")
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    bodies = set()
    for url in (expired, other_shop, forged, good.split("?")[0]):
        answer = httpx.get(url)
        assert answer.status_code == 403, url
        assert answer.headers["cache-control"] == "no-store"
        assert "set-cookie" not in answer.headers
        bodies.add(answer.text)
    assert len(bodies) == 1
    browser.get(forged)
    assert "Linket virker ikke" in text(browser)
    assert "Hansens" not in text(browser)


def test_given_a_post_from_outside_the_page_then_403_and_nothing_is_done(
    local_env: LocalEnvironment, actions: FakeOwnerActions
) -> None:
    link = local_env.owner_page_link(SHOP)
    token = link.split("t=")[1]
    url = f"{local_env.owner_page_base_url()}{SHOP}/actions/replay"
    answer = httpx.post(url, data={"t": token, "order": "2003", "csrf": "0" * 64})
    assert answer.status_code == 403
    assert actions.calls == []


def test_given_the_page_then_its_security_headers_are_sent(
    local_env: LocalEnvironment, actions: FakeOwnerActions
) -> None:
    answer = httpx.get(local_env.owner_page_link(SHOP, language=Language.EN))
    assert answer.status_code == 200
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in answer.headers["content-security-policy"]
    assert "SameSite=Strict" in answer.headers["set-cookie"]
