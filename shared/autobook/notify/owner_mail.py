"""The owner mails: one layout (HTML with its CSS inlined for mail clients, and a plain-text
alternative) for five kinds of content, in the owner's language, from the deployment's sender.

`present` turns a view into the words of the mail; the templates only lay them out (Jinja2,
autoescaped HTML), so hostile text from a shop or a buyer stays text.
"""

import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict

from autobook.domain.errors import ErrorCode, describe
from autobook.domain.fix_steps import Remedy, fix_steps, merged_parameters, title
from autobook.domain.shop import Language
from autobook.notify.owner_format import day, moment, money
from autobook.notify.owner_mail_texts import MAIL_TEXTS, counted
from autobook.notify.owner_views import (
    DigestMail,
    ErrorAppearedMail,
    ErrorsGroupedMail,
    ErrorView,
    OwnerMail,
    PauseView,
    ShopPausedMail,
    ShopResumedMail,
    ShopView,
)

SENDER_NAME = "autobook"
_TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# The stylesheet is in the template; nothing is fetched.
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class OrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: str
    buyer: str
    amount: str
    cause: str
    since: str = ""


class MailSection(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    cause: str = ""
    orders: tuple[OrderLine, ...] = ()
    steps: tuple[str, ...] = ()
    afterwards: str = ""


class MailContent(BaseModel):
    """Every word of one mail, ready for the templates."""

    model_config = ConfigDict(frozen=True)

    language: Language
    subject: str
    heading: str
    intro: str
    sections: tuple[MailSection, ...]
    page_url: str
    labels: dict[str, str]
    page_note: str
    footer: str


def _cause(code: ErrorCode, parameters: dict[str, str], language: Language) -> str:
    text = describe(code, parameters)
    return text.da if language == Language.DA else text.en


def _order_line(error: ErrorView, language: Language, *, with_since: bool) -> OrderLine:
    texts = MAIL_TEXTS[language]
    order = error.order
    since = texts["since"].format(since=moment(error.first_seen, language)) if with_since else ""
    return OrderLine(
        number=order.order_id if order else "–",
        buyer=(order.buyer_name.strip() if order else "") or texts["unknown_buyer"],
        amount=money(order.amount, order.currency, language) if order else "–",
        cause=_cause(error.code, error.parameters, language),
        since=since,
    )


def _error_section(
    code: ErrorCode, errors: Sequence[ErrorView], language: Language, *, with_since: bool
) -> MailSection:
    steps = fix_steps(code, merged_parameters([e.parameters for e in errors]), language)
    return MailSection(
        title=title(code, language),
        orders=tuple(_order_line(e, language, with_since=with_since) for e in errors),
        steps=steps.steps,
        afterwards=steps.afterwards,
    )


def _pause_section(pause: PauseView, language: Language) -> MailSection:
    texts = MAIL_TEXTS[language]
    steps = fix_steps(pause.code, pause.parameters, language)
    waiting = texts["waiting_orders"].format(
        orders=counted("order", pause.waiting_orders, language)
    )
    return MailSection(
        title=texts["paused_title"].format(title=title(pause.code, language)),
        cause=f"{_cause(pause.code, pause.parameters, language)} {waiting}",
        steps=steps.steps,
        afterwards=steps.afterwards,
    )


def _subject(shop: ShopView, heading: str) -> str:
    return f"[{shop.name}] {heading}"


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _content(
    shop: ShopView, subject: str, heading: str, intro: str, sections: Sequence[MailSection]
) -> MailContent:
    language = shop.language
    texts = MAIL_TEXTS[language]
    return MailContent(
        language=language,
        subject=_one_line(subject),
        heading=heading,
        intro=intro,
        sections=tuple(sections),
        page_url=shop.page.url,
        labels={k: texts[k] for k in ("cause", "steps", "order", "buyer", "amount", "open_page")},
        page_note=texts["page_note"].format(expires=moment(shop.page.expires_at, language)),
        footer=texts["footer"].format(shop=shop.name),
    )


def _error_appeared(mail: ErrorAppearedMail) -> MailContent:
    language = mail.shop.language
    texts = MAIL_TEXTS[language]
    error = mail.error
    heading = title(error.code, language)
    informational = fix_steps(error.code, error.parameters, language).remedy == Remedy.NONE
    order = error.order.order_id if error.order else "–"
    subject = texts["subject_info" if informational else "subject_error"].format(
        shop=mail.shop.name, order=order, title=heading
    )
    intro = texts["intro_info" if informational else "intro_waiting"]
    section = _error_section(error.code, [error], language, with_since=False)
    return _content(mail.shop, subject, heading, intro, [section])


def _errors_grouped(mail: ErrorsGroupedMail) -> MailContent:
    language = mail.shop.language
    texts = MAIL_TEXTS[language]
    heading = title(mail.code, language)
    orders = counted("order", len(mail.errors), language)
    subject = texts["subject_grouped"].format(shop=mail.shop.name, orders=orders, title=heading)
    intro = texts["intro_grouped"].format(orders=orders)
    section = _error_section(mail.code, mail.errors, language, with_since=False)
    return _content(mail.shop, subject, heading, intro, [section])


def _paused(mail: ShopPausedMail) -> MailContent:
    language = mail.shop.language
    texts = MAIL_TEXTS[language]
    pause = mail.pause
    heading = title(pause.code, language)
    subject = texts["subject_paused"].format(shop=mail.shop.name, title=heading)
    intro = texts["intro_paused"].format(
        shop=mail.shop.name,
        since=moment(pause.since, language),
        orders=counted("order", pause.waiting_orders, language),
    )
    steps = fix_steps(pause.code, pause.parameters, language)
    section = MailSection(
        title=heading,
        cause=_cause(pause.code, pause.parameters, language),
        steps=steps.steps,
        afterwards=steps.afterwards,
    )
    return _content(mail.shop, subject, heading, intro, [section])


def _resumed(mail: ShopResumedMail) -> MailContent:
    language = mail.shop.language
    texts = MAIL_TEXTS[language]
    heading = texts["heading_resumed"]
    key = "intro_resumed" if mail.resumed_orders else "intro_resumed_none"
    intro = texts[key].format(
        shop=mail.shop.name,
        since=moment(mail.paused_since, language),
        until=moment(mail.resumed_at, language),
        title=title(mail.code, language),
        orders=counted("order", mail.resumed_orders, language),
    )
    return _content(mail.shop, _subject(mail.shop, heading), heading, intro, [])


def _digest(mail: DigestMail) -> MailContent:
    language = mail.shop.language
    texts = MAIL_TEXTS[language]
    by_code: dict[ErrorCode, list[ErrorView]] = {}
    for error in sorted(mail.errors, key=lambda e: e.first_seen):
        by_code.setdefault(error.code, []).append(error)
    sections = [_pause_section(p, language) for p in mail.pauses] + [
        _error_section(code, errors, language, with_since=True) for code, errors in by_code.items()
    ]
    when = day(mail.day, language)
    items = counted("item", len(mail.pauses) + len(mail.errors), language)
    heading = texts["heading_digest"].format(day=when, items=items)
    intro = texts["intro_digest"].format(day=when)
    return _content(mail.shop, _subject(mail.shop, heading), heading, intro, sections)


def present(mail: OwnerMail) -> MailContent:
    match mail:
        case ErrorAppearedMail():
            return _error_appeared(mail)
        case ErrorsGroupedMail():
            return _errors_grouped(mail)
        case ShopPausedMail():
            return _paused(mail)
        case ShopResumedMail():
            return _resumed(mail)
        case DigestMail():
            return _digest(mail)


def render_owner_mail(mail: OwnerMail, *, sender: str) -> EmailMessage:
    """The mail to the shop's owner addresses, from `sender` (the deployment's verified
    SES identity): multipart/alternative, plain text first, then inlined HTML."""
    content = present(mail)
    text = _ENV.get_template("owner_mail.txt").render(c=content)
    html = _INLINER.inline(_ENV.get_template("owner_mail.html").render(c=content))
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, sender))
    message["To"] = ", ".join(mail.shop.owner.addresses)
    message["Subject"] = content.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # RFC 3834: a notice, so vacation responders stay quiet.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = str(content.language)  # after set_content, which clears it
    return message
