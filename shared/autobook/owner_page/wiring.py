"""The owner page as its Lambda runs it: the link key from Secrets Manager, the operator use
cases behind the buttons, the clock. Built once per container, on first use."""

from datetime import UTC, datetime
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from autobook.owner_page.page import OwnerPage
from autobook.owner_page.ports import OwnerActions
from autobook.store.page_key import PageKeyStore


class PageSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    secrets_prefix: str

    @property
    def page_secret_name(self) -> str:
        return f"{self.secrets_prefix}owner-page"


def owner_actions() -> OwnerActions:
    """The operator use cases (replay, replay a code, resend, ignore, credit and rebook) and the
    page's reads, from the core's composition root."""
    raise NotImplementedError(
        "OwnerActions comes from the core's composition root (issue 10, phase 2)"
    )


def _now() -> datetime:
    return datetime.now(UTC)


@cache
def owner_page() -> OwnerPage:
    keys = PageKeyStore(PageSettings().page_secret_name)
    return OwnerPage(actions=owner_actions(), link_key=keys.link_key, clock=_now)


def reset() -> None:
    owner_page.cache_clear()
