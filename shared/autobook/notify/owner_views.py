"""What an owner mail is about: view models the core's `OwnerNotices` fills and
`owner_mail.render_owner_mail` turns into a message. They carry the values only (codes,
parameters, the order as the owner knows it); every word of text is made from them in the
owner's language.

Buyer names live here only in memory, on their way into a mail to the shop's owner: never
log a view or store it.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autobook.domain.errors import SHOP_WIDE, ErrorCode
from autobook.domain.shop import Language, OwnerContact


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrderRef(_View):
    """An order as the owner knows it from Dandomain."""

    order_id: str = Field(min_length=1)
    buyer_name: str = ""  # "" when not known
    amount: Decimal | None = None  # the order's gross total
    currency: str = ""


class ErrorView(_View):
    """One open catalogue error. `order` is None for a shop-wide error."""

    code: ErrorCode
    parameters: dict[str, str] = Field(default_factory=dict)
    order: OrderRef | None = None
    first_seen: datetime
    occurrences: int = Field(default=1, ge=1)


class PageLink(_View):
    """The signed owner-page link (`owner_link.sign_link` + `page_url`) and when it expires."""

    url: str = Field(pattern=r"^https?://")
    expires_at: datetime


class ShopView(_View):
    shop_id: str
    name: str
    owner: OwnerContact
    page: PageLink

    @property
    def language(self) -> Language:
        return self.owner.language


class PauseView(_View):
    """A shop-wide error that has the shop paused since `since`."""

    code: ErrorCode
    parameters: dict[str, str] = Field(default_factory=dict)
    since: datetime
    waiting_orders: int = Field(ge=0)

    @model_validator(mode="after")
    def _shop_wide(self) -> Self:
        if self.code not in SHOP_WIDE:
            raise ValueError(f"{self.code} does not pause a shop")
        return self


class ErrorAppearedMail(_View):
    """(a) An error appeared for one order (sent once, never again on retries of it)."""

    kind: Literal["error"] = "error"
    shop: ShopView
    error: ErrorView


class ErrorsGroupedMail(_View):
    """(b) One code hit many orders in a short time: one mail lists them all."""

    kind: Literal["grouped"] = "grouped"
    shop: ShopView
    code: ErrorCode
    errors: tuple[ErrorView, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_code(self) -> Self:
        if any(e.code != self.code for e in self.errors):
            raise ValueError("a grouped mail lists errors of one code")
        return self


class ShopPausedMail(_View):
    """(c) A shop-wide error paused the shop."""

    kind: Literal["paused"] = "paused"
    shop: ShopView
    pause: PauseView


class ShopResumedMail(_View):
    """(d) The shop-wide error cleared; the waiting orders are on their way."""

    kind: Literal["resumed"] = "resumed"
    shop: ShopView
    code: ErrorCode
    paused_since: datetime
    resumed_at: datetime
    resumed_orders: int = Field(ge=0)


class DigestMail(_View):
    """(e) The daily digest of what is still open; only sent when something is."""

    kind: Literal["digest"] = "digest"
    shop: ShopView
    day: date
    pauses: tuple[PauseView, ...] = ()
    errors: tuple[ErrorView, ...] = ()

    @model_validator(mode="after")
    def _something_open(self) -> Self:
        if not self.pauses and not self.errors:
            raise ValueError("a digest is only sent when something is open")
        return self


OwnerMail = Annotated[
    ErrorAppearedMail | ErrorsGroupedMail | ShopPausedMail | ShopResumedMail | DigestMail,
    Field(discriminator="kind"),
]
