"""`autobook shops export / import / set` against the local stack: a shop's configuration out
to a file (no secrets), back in (its trial untouched), and single settings changed by name,
each checked whole before it is saved."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from autobook.domain.shop import ShopMode
from sandbox.environment import LocalEnvironment
from sandbox.shopkit import LocalShop, open_shop
from tests.cli_support import autobook, one_error_line

pytestmark = pytest.mark.integration


@pytest.fixture
def shop(fresh_env: LocalEnvironment) -> LocalShop:
    return open_shop(fresh_env, f"file-{uuid.uuid4().hex[:6]}", orders=0, mode=ShopMode.TRIAL)


def cli(profile: str, *args: str) -> Any:
    return autobook("--profile", profile, *args)


def _shown(profile: str, shop: LocalShop) -> dict[str, Any]:
    return json.loads(cli(profile, "shops", "show", shop.shop_id, "--json").stdout)


def test_given_a_shop_when_exported_edited_and_imported_then_saved_and_its_trial_kept(
    profile: str, shop: LocalShop, tmp_path: Path
) -> None:
    exported = cli(profile, "shops", "export", shop.shop_id)
    document = json.loads(exported.stdout)
    for secret in (shop.secrets.economic_grant_token, shop.secrets.webhook_secret):
        assert secret not in exported.stdout
    document["name"] = "Nyt Navn ApS"
    document["mode"] = "active"  # not how a shop goes live
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))

    imported = cli(profile, "shops", "import", str(edited))

    assert imported.exit_code == 0, imported.output
    shown = _shown(profile, shop)
    assert shown["name"] == "Nyt Navn ApS"
    assert shown["mode"] == "trial"


def test_given_settings_by_name_when_set_then_saved_and_bad_ones_refused(
    profile: str, shop: LocalShop
) -> None:
    done = cli(
        profile, "shops", "set", shop.shop_id, "owner.language=en", "mail.reply_to=hej@butik.dk"
    )
    unknown = cli(profile, "shops", "set", shop.shop_id, "owner.langauge=en")
    invalid = cli(profile, "shops", "set", shop.shop_id, "owner.language=fr")
    mode = cli(profile, "shops", "set", shop.shop_id, "mode=active")

    assert done.exit_code == 0, done.output
    shown = _shown(profile, shop)
    assert (shown["owner"]["language"], shown["mode"]) == ("en", "trial")
    assert shown["mail"]["reply_to"] == "hej@butik.dk"
    assert unknown.exit_code == 2
    assert one_error_line(unknown) == "error: owner.langauge: no such setting"
    assert invalid.exit_code == 2
    assert one_error_line(invalid).startswith("error: owner.language: ")
    assert mode.exit_code == 2
    assert "shops activate" in one_error_line(mode)


def test_given_an_unknown_shop_when_exported_or_imported_then_exit_3(
    profile: str, shop: LocalShop, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(shop.config.model_copy(update={"shop_id": "no-such-shop"}).model_dump_json())

    assert cli(profile, "shops", "export", "no-such-shop").exit_code == 3
    assert cli(profile, "shops", "import", str(other)).exit_code == 3
