"""`autobook shops add` against the local stack: credentials tried live before anything is
saved (a wrong Dandomain key or e-conomic token refused with the reason, nothing stored), the
secrets never printed, the webhook URL printed and the Dandomain settings written to a file
only the operator can read; bad input refused as such."""

import json
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.shop import Platform
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, seed_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration


def _seeded(env: LocalEnvironment, platform: Platform, tmp_path: Path) -> tuple[LocalShop, Path]:
    shop = seed_shop(env, f"add-{uuid.uuid4().hex[:6]}", orders=0, platform=platform)
    base = tmp_path / "mapping.json"
    base.write_text(shop.config.model_dump_json())
    return shop, base


def _add(
    profile: str, shop: LocalShop, base: Path, tmp_path: Path, stdin: str, **flags: str
) -> Any:
    options = {
        "--name": "Min Butik ApS",
        "--platform": str(shop.platform),
        "--dandomain-url": shop.config.dandomain.base_url,
        "--booking-states": ",".join(str(s) for s in sorted(shop.config.booking_state_ids)),
        "--owner-mail": "ejer@min-butik.dk",
        "--config": str(base),
        "--settings-file": str(tmp_path / "settings.txt"),
        **flags,
    }
    args = [part for pair in options.items() for part in pair]
    return autobook("--profile", profile, "shops", "add", shop.shop_id, *args, stdin=stdin)


def _stdin(shop: LocalShop, *, grant: str | None = None, key: str | None = None) -> str:
    s = shop.secrets
    token = grant or s.economic_grant_token
    if shop.platform == Platform.CLASSIC:
        return f"{key or s.dandomain_api_key}\n{token}\n"
    return f"{s.webshop_username}\n{key or s.webshop_password}\n{token}\n{s.webhook_secret}\n"


@pytest.mark.parametrize("platform", [Platform.CLASSIC, Platform.WEBSHOP], ids=str)
def test_given_good_credentials_when_added_then_checked_saved_in_trial_and_the_settings_written(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path, platform: Platform
) -> None:
    shop, base = _seeded(fresh_env, platform, tmp_path)

    result = _add(profile, shop, base, tmp_path, _stdin(shop))

    assert result.exit_code == 0, result.output
    assert "✓ Dandomain: 3 sites" in result.stdout
    assert "✓ e-conomic: agreement answers, base currency DKK" in result.stdout
    url = f"{fresh_env.api.url}/dev/webhook/{shop.shop_id}"
    assert f"Webhook URL: {url}" in result.stdout
    for secret in (shop.secrets.economic_grant_token, shop.secrets.webhook_secret):
        assert secret not in result.output
    settings = tmp_path / "settings.txt"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    with fresh_env.operator() as root:
        stored = root.secrets.shop(shop.shop_id)
    if platform == Platform.CLASSIC:
        assert f"{url}?token={stored.webhook_secret}" in settings.read_text()
        assert stored.webhook_secret != shop.secrets.webhook_secret  # a new one, generated
    else:
        assert "orders/created" in settings.read_text()
        assert stored.webhook_secret == shop.secrets.webhook_secret  # the shop's key
    shown = json.loads(
        autobook("--profile", profile, "shops", "show", shop.shop_id, "--json").stdout
    )
    assert shown["mode"] == "trial"
    assert shown["owner"]["addresses"] == ["ejer@min-butik.dk"]
    assert shown["economic"] == json.loads(shop.config.model_dump_json())["economic"]


@pytest.mark.parametrize("wrong", ["grant", "key"])
def test_given_a_wrong_credential_when_added_then_refused_with_the_reason_and_nothing_saved(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path, wrong: str
) -> None:
    shop, base = _seeded(fresh_env, Platform.CLASSIC, tmp_path)
    stdin = _stdin(shop, **{wrong: "0" * 32})

    result = _add(profile, shop, base, tmp_path, stdin)

    assert result.exit_code == 1
    message = one_error_line(result)
    assert message.startswith("error: The shop was not saved. ")
    assert (
        "e-conomic refused the credentials (HTTP 401"
        if wrong == "grant"
        else "Dandomain refused the credentials ("
    ) in message
    assert "0" * 32 not in result.output
    assert autobook("--profile", profile, "shops", "show", shop.shop_id).exit_code == 3
    assert not (tmp_path / "settings.txt").exists()


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        ({"--owner-mail": "not-an-address"}, "owner.addresses"),
        ({"--platform": "magento"}, "--platform must be classic or webshop"),
        ({"--booking-states": "sent"}, "--booking-states takes state ids"),
        ({"--invoice-from": "post"}, "invoice_source: "),
    ],
)
def test_given_bad_input_when_added_then_exit_2_saying_what(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path, flags: dict[str, str], says: str
) -> None:
    shop, base = _seeded(fresh_env, Platform.CLASSIC, tmp_path)

    result = _add(profile, shop, base, tmp_path, _stdin(shop), **flags)

    assert result.exit_code == 2
    assert says in one_error_line(result)


def test_given_a_shop_that_exists_when_added_again_then_refused(
    fresh_env: LocalEnvironment, profile: str, tmp_path: Path
) -> None:
    shop, base = _seeded(fresh_env, Platform.CLASSIC, tmp_path)
    assert _add(profile, shop, base, tmp_path, _stdin(shop)).exit_code == 0

    again = _add(profile, shop, base, tmp_path, _stdin(shop))

    assert again.exit_code == 1
    assert "already exists" in one_error_line(again)
