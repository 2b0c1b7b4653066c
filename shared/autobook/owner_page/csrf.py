"""CSRF protection for the page's buttons: a double-submit cookie bound to the link.

The page sets a random nonce in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict) and puts
HMAC(key, link token, nonce) in every form. A POST is done only when the form's token is the
one derived from the link it carries and the nonce in the cookie: another site can neither
read the cookie nor make the browser send it, and a token from one link is useless with
another.
"""

import hashlib
import hmac
import re
import secrets
from http.cookies import CookieError, SimpleCookie

COOKIE_NAME = "__Host-autobook-csrf"
COOKIE_MAX_AGE_SECONDS = 12 * 3600
_NONCE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(key: bytes, link_token: str, nonce: str) -> str:
    purpose_key = hmac.new(key, b"owner-page csrf", hashlib.sha256).digest()
    return hmac.new(purpose_key, f"{link_token}\n{nonce}".encode(), hashlib.sha256).hexdigest()


def nonce_from_cookies(cookie_header: str | None) -> str | None:
    """The nonce in the request's Cookie header, if there is a well-formed one."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    value = morsel.value if morsel else ""
    return value if _NONCE.match(value) else None


def set_cookie(nonce: str) -> str:
    return (
        f"{COOKIE_NAME}={nonce}; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; Secure; HttpOnly; "
        "SameSite=Strict"
    )


def verify(key: bytes, link_token: str, nonce: str | None, submitted: str | None) -> bool:
    if nonce is None or not submitted:
        return False
    return hmac.compare_digest(csrf_token(key, link_token, nonce), submitted)
