"""The owner page's requests, independent of the HTTP framework: GET shows the page, POST runs
one action and redirects (303) back with a status message.

Every request first proves itself with the signed link (`t`); a POST also with the CSRF token.
Anything that fails either gets the same 403 body, and no action is called.
"""

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from autobook.domain.errors import ErrorCode
from autobook.domain.fix_steps import title
from autobook.domain.owner_link import LinkGrant, verify_link
from autobook.domain.shop import Language
from autobook.owner_page import csrf
from autobook.owner_page.ports import OwnerActions
from autobook.owner_page.texts import FORBIDDEN_TEXTS, PAGE_TEXTS, counted_orders
from autobook.owner_page.view import Action, FormFields, page_view

INVOICE_LIMIT = 20
MAX_FORM_BYTES = 4096
MAX_REASON_CHARS = 500
_ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ACTIONS = frozenset(a.value for a in Action)
_CODES = frozenset(c.value for c in ErrorCode)
_TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# The only style on the page is this stylesheet, allowed by its hash (no inline scripts at all).
_CSS = (_TEMPLATES / "page.css").read_text().strip()
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
_STYLE = Markup(_CSS)  # noqa: S704 - our own stylesheet from the package, never input
SECURITY_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000",
}


@dataclass(frozen=True)
class PageResponse:
    status: int
    body: str
    headers: dict[str, str]
    set_cookies: tuple[str, ...] = field(default=())


def _language(value: str | None) -> Language:
    return Language.EN if value == "en" else Language.DA


def _forbidden() -> PageResponse:
    body = _ENV.get_template("forbidden.html").render(texts=FORBIDDEN_TEXTS, css=_STYLE)
    return PageResponse(403, body, dict(SECURITY_HEADERS))


def _query(token: str, language: Language, **extra: str) -> str:
    lang = {"lang": "en"} if language == Language.EN else {}
    return urlencode({"t": token, **lang, **extra})


class OwnerPage:
    def __init__(
        self,
        *,
        actions: OwnerActions,
        link_key: Callable[[], bytes],
        clock: Callable[[], datetime],
        nonce: Callable[[], str] = csrf.new_nonce,
    ) -> None:
        self._actions = actions
        self._link_key = link_key
        self._clock = clock
        self._nonce = nonce

    def _grant(self, shop_id: str, token: str | None) -> LinkGrant | None:
        return verify_link(self._link_key(), shop_id, token, self._clock())

    # -- GET /owner/{shop_id} --------------------------------------------------------------
    def show(
        self, shop_id: str, query: Mapping[str, str], cookie_header: str | None
    ) -> PageResponse:
        token = query.get("t", "")
        grant = self._grant(shop_id, token)
        shop = self._actions.shop(shop_id) if grant else None
        if grant is None or shop is None:
            return _forbidden()
        language = _language(query.get("lang"))
        nonce = csrf.nonce_from_cookies(cookie_header) or self._nonce()
        other = Language.EN if language == Language.DA else Language.DA
        view = page_view(
            shop=shop,
            errors=self._actions.open_errors(shop_id),
            invoices=self._actions.recent_invoices(shop_id, INVOICE_LIMIT),
            language=language,
            status=self._status(query, language),
            form=FormFields(
                t=token, lang=str(language), csrf=csrf.csrf_token(self._link_key(), token, nonce)
            ),
            switch_url=f"{shop_id}?{_query(token, other)}",
            link_expires=grant.expires_at,
        )
        body = _ENV.get_template("page.html").render(c=view, shop_id=shop_id, css=_STYLE)
        return PageResponse(200, body, dict(SECURITY_HEADERS), (csrf.set_cookie(nonce),))

    def _status(self, query: Mapping[str, str], language: Language) -> str:
        texts = PAGE_TEXTS[language]
        done = query.get("done", "")
        order = query.get("order", "")
        count = int(query["n"]) if query.get("n", "").isdigit() else 0
        if done in ("reason-missing", "invalid"):
            return texts[done.replace("-", "_")]
        if done == Action.REPLAY_CODE and query.get("code") in _CODES:
            error_title = title(ErrorCode(query["code"]), language)
            key = "done_replay_code" if count else "none_replay_code"
            return texts[key].format(orders=counted_orders(count, language), title=error_title)
        if done in _ACTIONS and _ORDER_ID.match(order):
            key = f"{'done' if count else 'none'}_{done.replace('-', '_')}"
            return texts[key].format(order=order)
        return ""

    # -- POST /owner/{shop_id}/actions/{action} --------------------------------------------
    def act(self, shop_id: str, action: str, body: str, cookie_header: str | None) -> PageResponse:
        if len(body.encode()) > MAX_FORM_BYTES:
            return _forbidden()
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        token = form.get("t", "")
        grant = self._grant(shop_id, token)
        if grant is None:
            return _forbidden()
        nonce = csrf.nonce_from_cookies(cookie_header)
        if not csrf.verify(self._link_key(), token, nonce, form.get("csrf")):
            return _forbidden()
        if self._actions.shop(shop_id) is None:
            return _forbidden()
        language = _language(form.get("lang"))
        outcome = self._run(shop_id, action, form, grant.actor)
        location = f"../../{shop_id}?{_query(token, language, **outcome)}"
        headers = {**SECURITY_HEADERS, "Location": location}
        return PageResponse(303, "", headers)

    def _run(
        self, shop_id: str, action: str, form: Mapping[str, str], actor: str
    ) -> dict[str, str]:
        order = form.get("order", "")
        code_value = form.get("code", "")
        code = ErrorCode(code_value) if code_value in _CODES else None
        if action == Action.REPLAY_CODE:
            if code is None:
                return {"done": "invalid"}
            count = self._actions.replay_code(shop_id, code, actor)
            return {"done": action, "n": str(count), "code": code.value}
        if action not in _ACTIONS or not _ORDER_ID.match(order):
            return {"done": "invalid"}
        if action == Action.REPLAY:
            count = self._actions.replay(shop_id, order, actor)
        elif action == Action.RESEND:
            count = self._actions.resend_mail(shop_id, order, actor)
        elif action == Action.REBOOK:
            count = self._actions.credit_and_rebook(shop_id, order, actor)
        else:
            reason = " ".join(form.get("reason", "").split())
            if code is None:
                return {"done": "invalid"}
            if not reason:
                return {"done": "reason-missing"}
            count = self._actions.ignore(shop_id, order, code, reason[:MAX_REASON_CHARS], actor)
        return {"done": action, "n": str(count), "order": order}
