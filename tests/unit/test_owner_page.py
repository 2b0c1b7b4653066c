"""The owner page's request logic with a fake OwnerActions: the signed link opens one shop's
page (Danish by default, English on request); every refusal looks the same; buttons are POSTs
that need the link and the CSRF token, and redirect back with a status message."""

import base64
import hashlib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from autobook.domain.errors import ErrorCode
from autobook.domain.owner_link import LINK_LIFETIME, sign_link
from autobook.owner_page import csrf
from autobook.owner_page.page import OwnerPage, PageResponse
from tests.owner_fakes import HOSTILE, NOW, FakeOwnerActions, sample_actions

pytestmark = pytest.mark.disable_socket

KEY = b"owner-page-test-key-of-32-bytes!"
SHOP = "hansens-vin"
NONCE = "n" * 43


def page(actions: FakeOwnerActions) -> OwnerPage:
    return OwnerPage(actions=actions, link_key=lambda: KEY, clock=lambda: NOW, nonce=lambda: NONCE)


def token(shop_id: str = SHOP, lifetime: timedelta = LINK_LIFETIME) -> str:
    return sign_link(KEY, shop_id, NOW + lifetime)


def hidden(body: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', body)
    assert match, name
    return match.group(1)


def post(
    owner_page: OwnerPage,
    action: str,
    fields: dict[str, str],
    *,
    link: str | None = None,
    cookie_nonce: str | None = NONCE,
    csrf_value: str | None = None,
) -> PageResponse:
    link = link or token()
    form = {"t": link, "lang": "da", **fields}
    form["csrf"] = csrf_value if csrf_value is not None else csrf.csrf_token(KEY, link, NONCE)
    cookie = f"{csrf.COOKIE_NAME}={cookie_nonce}" if cookie_nonce else None
    return owner_page.act(SHOP, action, urlencode(form), cookie)


def test_given_a_valid_link_when_opened_then_the_danish_page_shows_errors_and_invoices() -> None:
    answer = page(sample_actions()).show(SHOP, {"t": token()}, None)
    assert answer.status == 200
    body = answer.body
    assert '<html lang="da">' in body
    assert "Hansens Vin: fejl og fakturaer" in body
    assert "Bogføringen er sat på pause: Adgangen til e-conomic er afvist" in body
    assert "Varen findes ikke i e-conomic" in body
    assert "SKU-4711" in body
    assert "Ordre 2002 · Køber: Mette Sørensen · Beløb: 1.250,25 DKK" in body
    for button in (
        "Prøv igen",
        "Prøv igen for alle med denne fejl",
        "Send faktura igen",
        "Ignorer",
    ):
        assert f">{button}</button>" in body
    assert ">Krediter og bogfør igen</button>" in body
    assert "Bogført og mailet" in body
    assert "faktura 20401" in body
    assert "kreditnota 20403" in body
    assert "Mailen til køberen fejlede." in body
    assert 'href="https://secure.e-conomic.com/sales/invoicing/archive"' in body
    assert ">English</a>" in body


def test_given_lang_en_when_opened_then_the_page_is_english() -> None:
    body = page(sample_actions()).show(SHOP, {"t": token(), "lang": "en"}, None).body
    assert '<html lang="en">' in body
    assert "Hansens Vin: errors and invoices" in body
    assert ">Retry all with this error</button>" in body
    assert ">Resend invoice</button>" in body
    assert "Order 2002 · Buyer: Mette Sørensen · Amount: 1,250.25 DKK" in body
    assert ">Dansk</a>" in body
    assert "Prøv igen" not in body


def test_given_a_page_then_security_headers_and_a_strict_csrf_cookie_are_set() -> None:
    answer = page(sample_actions()).show(SHOP, {"t": token()}, None)
    headers = answer.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    (cookie,) = answer.set_cookies
    assert cookie.startswith(f"{csrf.COOKIE_NAME}={NONCE};")
    for attribute in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    assert "<script" not in answer.body
    assert " style=" not in answer.body
    assert hidden(answer.body, "csrf") == csrf.csrf_token(KEY, token(), NONCE)


def test_given_the_page_then_its_only_style_is_allowed_by_the_csp_hash() -> None:
    answer = page(sample_actions()).show(SHOP, {"t": token()}, None)
    (style,) = re.findall(r"<style>(.*?)</style>", answer.body, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in answer.headers["Content-Security-Policy"]


def test_given_a_returning_browser_when_opened_then_its_csrf_nonce_is_kept() -> None:
    other_nonce = "m" * 43
    answer = page(sample_actions()).show(SHOP, {"t": token()}, f"{csrf.COOKIE_NAME}={other_nonce}")
    assert answer.set_cookies[0].startswith(f"{csrf.COOKIE_NAME}={other_nonce};")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"t": ""},
        {"t": token()[:-2] + "xx"},
        {"t": token(lifetime=timedelta(seconds=-1))},
        {"t": token("other-shop")},
    ],
    ids=["missing", "empty", "forged", "expired", "other-shop"],
)
def test_given_a_bad_link_when_opened_then_403_reveals_nothing(query: dict[str, str]) -> None:
    good = page(sample_actions()).show("unknown-shop", {"t": token("unknown-shop")}, None)
    answer = page(sample_actions()).show(SHOP, query, None)
    assert answer.status == 403 == good.status
    assert answer.body == good.body
    assert not answer.set_cookies
    assert "Hansens" not in answer.body
    assert "SKU" not in answer.body
    assert answer.headers["Cache-Control"] == "no-store"


def test_given_hostile_buyer_and_shop_names_when_shown_then_they_are_escaped() -> None:
    actions = sample_actions(name=f"Vin {HOSTILE}")
    body = page(actions).show(SHOP, {"t": token()}, None).body
    assert "<script" not in body
    assert "Køber: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "Vin &lt;script&gt;" in body


def test_given_a_valid_post_when_retry_is_pressed_then_the_order_is_replayed_and_303_back() -> None:
    actions = sample_actions()
    answer = post(page(actions), "replay", {"order": "2003", "code": "PAYMENT_METHOD_UNMAPPED"})
    assert answer.status == 303
    assert actions.calls == [("replay", SHOP, "2003", actions.calls[0][3])]
    assert str(actions.calls[0][3]).startswith("owner (link ")
    location = urlsplit(answer.headers["Location"])
    assert location.path == f"../../{SHOP}"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["done"] == "replay"
    assert query["n"] == "1"
    assert query["order"] == "2003"
    shown = page(actions).show(SHOP, query, None).body
    assert '<p class="status" role="status">Ordre 2003 er sendt til bogføring igen.</p>' in shown


@pytest.mark.parametrize(
    ("action", "fields", "call", "message"),
    [
        (
            "replay-code",
            {"code": "PRODUCT_MISSING"},
            ("replay_code", SHOP, ErrorCode.PRODUCT_MISSING),
            "2 ordrer med fejlen »Varen findes ikke i e-conomic« er sendt til bogføring igen.",
        ),
        (
            "resend",
            {"order": "2004", "code": "MAIL_FAILED"},
            ("resend_mail", SHOP, "2004"),
            "Fakturaen til ordre 2004 bliver sendt igen.",
        ),
        (
            "ignore",
            {"order": "2002", "code": "PRODUCT_MISSING", "reason": "  Udgået   vare "},
            ("ignore", SHOP, "2002", ErrorCode.PRODUCT_MISSING, "Udgået vare"),
            "Fejlen på ordre 2002 er ignoreret.",
        ),
        (
            "rebook",
            {"order": "2005", "code": "ORDER_CHANGED_AFTER_BOOKING"},
            ("credit_and_rebook", SHOP, "2005"),
            "Fakturaen til ordre 2005 krediteres, og ordren bogføres igen.",
        ),
    ],
)
def test_given_each_button_when_pressed_then_its_action_runs_and_the_page_says_so(
    action: str, fields: dict[str, str], call: tuple[object, ...], message: str
) -> None:
    actions = sample_actions()
    answer = post(page(actions), action, fields)
    assert answer.status == 303
    (made,) = actions.calls
    assert made[: len(call)] == call
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}
    assert message in page(actions).show(SHOP, query, None).body


@pytest.mark.parametrize(
    ("cookie_nonce", "csrf_value"),
    [(None, None), (NONCE, ""), (NONCE, "0" * 64), ("m" * 43, None)],
    ids=["no-cookie", "no-token", "wrong-token", "other-cookie"],
)
def test_given_a_post_without_the_right_csrf_token_then_403_and_nothing_is_done(
    cookie_nonce: str | None, csrf_value: str | None
) -> None:
    actions = sample_actions()
    answer = post(
        page(actions),
        "replay",
        {"order": "2003"},
        cookie_nonce=cookie_nonce,
        csrf_value=csrf_value,
    )
    assert answer.status == 403
    assert actions.calls == []


def test_given_a_csrf_token_from_another_link_then_403_and_nothing_is_done() -> None:
    actions = sample_actions()
    other_link = token(lifetime=timedelta(days=2))
    answer = post(
        page(actions),
        "replay",
        {"order": "2003"},
        csrf_value=csrf.csrf_token(KEY, other_link, NONCE),
    )
    assert answer.status == 403
    assert actions.calls == []


@pytest.mark.parametrize(
    "link", [token("other-shop"), token(lifetime=timedelta(seconds=-5)), "1.forged"]
)
def test_given_a_post_with_a_bad_link_then_403_and_nothing_is_done(link: str) -> None:
    actions = sample_actions()
    form = {"t": link, "csrf": csrf.csrf_token(KEY, link, NONCE), "order": "2003"}
    answer = page(actions).act(SHOP, "replay", urlencode(form), f"{csrf.COOKIE_NAME}={NONCE}")
    assert answer.status == 403
    assert actions.calls == []


def test_given_an_oversized_form_then_403_and_nothing_is_done() -> None:
    actions = sample_actions()
    answer = post(
        page(actions), "ignore", {"order": "2003", "code": "PRODUCT_MISSING", "reason": "x" * 5000}
    )
    assert answer.status == 403
    assert actions.calls == []


@pytest.mark.parametrize(
    ("action", "fields", "done"),
    [
        ("ignore", {"order": "2002", "code": "PRODUCT_MISSING", "reason": "   "}, "reason-missing"),
        ("ignore", {"order": "2002", "code": "NOT_A_CODE", "reason": "x"}, "invalid"),
        ("replay", {"order": "../../etc"}, "invalid"),
        ("replay-code", {"code": "bogus"}, "invalid"),
        ("delete-everything", {"order": "2002"}, "invalid"),
    ],
)
def test_given_bad_fields_when_posted_then_nothing_is_done_and_the_page_says_why(
    action: str, fields: dict[str, str], done: str
) -> None:
    actions = sample_actions()
    answer = post(page(actions), action, fields)
    assert answer.status == 303
    assert actions.calls == []
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}
    assert query == {"t": query["t"], "done": done}


def test_given_an_action_with_nothing_open_then_the_page_says_there_was_nothing_to_do() -> None:
    actions = sample_actions()
    post(page(actions), "replay", {"order": "2003"})
    again = post(page(actions), "replay", {"order": "2003"})
    query = {k: v[0] for k, v in parse_qs(urlsplit(again.headers["Location"]).query).items()}
    assert query["n"] == "0"
    assert (
        "Ordre 2003 har ingen åben fejl at prøve igen."
        in page(actions).show(SHOP, query, None).body
    )


def test_given_a_shop_with_nothing_open_then_the_page_says_so() -> None:
    actions = sample_actions()
    actions.errors[SHOP] = []
    actions.shops[SHOP] = actions.shops[SHOP].model_copy(update={"pauses": ()})
    actions.invoices[SHOP] = []
    body = page(actions).show(SHOP, {"t": token()}, None).body
    assert "Der er ingen åbne fejl." in body
    assert "Ingen fakturaer endnu." in body
