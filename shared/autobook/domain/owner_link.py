"""The owner page's signed, expiring link: no passwords, one shop per link.

A token is `<expiry as Unix seconds>.<HMAC-SHA256 over (purpose, shop id, expiry)>`, the MAC in
unpadded base64url. The shop id is in the URL path and the purpose is fixed, so a token copied
to another shop's path, or made for another purpose, does not verify. The key is the
deployment's (Secrets Manager `autobook/<stage>/owner-page`), never a shop's.
"""

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict

from autobook.domain.shop import SHOP_ID_PATTERN, Language

PAGE_PURPOSE = "owner-page"
# Long enough for the owner to act on a mail the week after; each mail carries a fresh link.
LINK_LIFETIME = timedelta(days=14)
# The longest a link may have been signed for: a token claiming more is refused as forged.
MAX_LIFETIME = timedelta(days=90)
MIN_KEY_BYTES = 32

_TOKEN = re.compile(r"^(\d{1,12})\.([A-Za-z0-9_-]{43})$")


class LinkGrant(BaseModel):
    """What a verified link allows: this shop's page, until `expires_at`."""

    model_config = ConfigDict(frozen=True)

    shop_id: str
    expires_at: datetime
    fingerprint: str  # names the link in the order history without repeating the token

    @property
    def actor(self) -> str:
        return f"owner (link {self.fingerprint}, valid to {self.expires_at:%Y-%m-%d})"


def _check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the link key must have at least {MIN_KEY_BYTES} bytes")


def _mac(key: bytes, purpose: str, shop_id: str, expiry: int) -> str:
    message = f"{purpose}\n{shop_id}\n{expiry}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_link(
    key: bytes, shop_id: str, expires_at: datetime, *, purpose: str = PAGE_PURPOSE
) -> str:
    """A token for `shop_id`'s page, valid until `expires_at` (to the second)."""
    _check_key(key)
    if not SHOP_ID_PATTERN.match(shop_id):
        raise ValueError(f"{shop_id!r} is not a shop id")
    expiry = int(expires_at.timestamp())
    return f"{expiry}.{_mac(key, purpose, shop_id, expiry)}"


def verify_link(
    key: bytes, shop_id: str, token: str | None, now: datetime, *, purpose: str = PAGE_PURPOSE
) -> LinkGrant | None:
    """The grant a token gives for `shop_id` at `now`, or None: forged, expired, for another
    shop or another purpose all look the same to the caller."""
    _check_key(key)
    match = _TOKEN.match(token or "")
    if match is None or not SHOP_ID_PATTERN.match(shop_id):
        return None
    expiry = int(match.group(1))
    expected = _mac(key, purpose, shop_id, expiry)
    if not hmac.compare_digest(expected, match.group(2)):
        return None
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if not now < expires_at <= now + MAX_LIFETIME:
        return None
    fingerprint = hashlib.sha256(match.group(2).encode()).hexdigest()[:10]
    return LinkGrant(shop_id=shop_id, expires_at=expires_at, fingerprint=fingerprint)


def page_url(base_url: str, shop_id: str, token: str, language: Language = Language.DA) -> str:
    """The address a mail links to: `<base>/<shop id>?t=<token>` (+ `&lang=en`).

    `base_url` is the API's owner path, e.g. `https://<api>/<stage>/owner`."""
    query = {"t": token} | ({"lang": "en"} if language == Language.EN else {})
    return f"{base_url.rstrip('/')}/{shop_id}?{urlencode(query)}"
