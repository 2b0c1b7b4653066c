"""The owner page's signed link: valid for one shop until it expires; forged, expired, another
shop's or another purpose's tokens give nothing."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from autobook.domain.owner_link import (
    LINK_LIFETIME,
    MAX_LIFETIME,
    page_url,
    sign_link,
    verify_link,
)
from autobook.domain.shop import Language
from tests.owner_fakes import NOW

pytestmark = pytest.mark.disable_socket

KEY = b"k" * 32
SHOP = "hansens-vin"


def test_given_a_fresh_link_when_verified_then_it_grants_its_shop_until_expiry() -> None:
    token = sign_link(KEY, SHOP, NOW + LINK_LIFETIME)
    grant = verify_link(KEY, SHOP, token, NOW)
    assert grant is not None
    assert grant.shop_id == SHOP
    assert grant.expires_at == NOW + LINK_LIFETIME
    assert grant.fingerprint in grant.actor
    assert grant.actor.startswith("owner (link ")
    assert token not in grant.actor


def test_given_an_expired_link_when_verified_then_nothing_is_granted() -> None:
    token = sign_link(KEY, SHOP, NOW + timedelta(seconds=1))
    assert verify_link(KEY, SHOP, token, NOW + timedelta(seconds=1)) is None
    assert verify_link(KEY, SHOP, token, NOW + timedelta(days=1)) is None


def test_given_another_shops_link_when_verified_for_this_shop_then_nothing_is_granted() -> None:
    token = sign_link(KEY, "other-shop", NOW + LINK_LIFETIME)
    assert verify_link(KEY, SHOP, token, NOW) is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character of the MAC
        lambda t: str(int(t.split(".")[0]) + 3600) + "." + t.split(".")[1],  # a later expiry
        lambda t: t.split(".")[0] + "." + "A" * 43,
        lambda t: "",
        lambda t: "garbage",
        lambda t: t + ".x",
    ],
)
def test_given_a_forged_token_when_verified_then_nothing_is_granted(
    forge: Callable[[str], str],
) -> None:
    token = sign_link(KEY, SHOP, NOW + LINK_LIFETIME)
    assert verify_link(KEY, SHOP, forge(token), NOW) is None


def test_given_a_token_signed_with_another_key_or_purpose_then_nothing_is_granted() -> None:
    assert verify_link(KEY, SHOP, sign_link(b"x" * 32, SHOP, NOW + LINK_LIFETIME), NOW) is None
    other_purpose = sign_link(KEY, SHOP, NOW + LINK_LIFETIME, purpose="something-else")
    assert verify_link(KEY, SHOP, other_purpose, NOW) is None


def test_given_a_link_signed_beyond_the_longest_lifetime_then_it_is_refused() -> None:
    token = sign_link(KEY, SHOP, NOW + MAX_LIFETIME + timedelta(days=1))
    assert verify_link(KEY, SHOP, token, NOW) is None


def test_given_a_short_key_or_bad_shop_id_when_signing_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        sign_link(b"short", SHOP, NOW)
    with pytest.raises(ValueError, match="not a shop id"):
        sign_link(KEY, "../other", NOW)
    assert verify_link(KEY, "../other", sign_link(KEY, SHOP, NOW + LINK_LIFETIME), NOW) is None


def test_given_a_token_when_made_into_a_url_then_language_is_added_for_english_only() -> None:
    assert page_url("https://x.example/dev/owner/", SHOP, "1.abc") == (
        "https://x.example/dev/owner/hansens-vin?t=1.abc"
    )
    assert page_url("https://x.example/dev/owner", SHOP, "1.abc", Language.EN).endswith(
        "hansens-vin?t=1.abc&lang=en"
    )
