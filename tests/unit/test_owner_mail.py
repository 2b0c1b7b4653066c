"""Owner mails: every kind in both languages, as multipart/alternative (plain text + inlined
HTML without images), naming the order's values, with numbered fix steps and the page link;
hostile shop and buyer text stays text."""

import re
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
from pydantic import ValidationError

from autobook.domain.errors import ErrorCode
from autobook.domain.shop import Language, OwnerContact
from autobook.notify.owner_mail import render_owner_mail
from autobook.notify.owner_views import (
    DigestMail,
    ErrorAppearedMail,
    ErrorsGroupedMail,
    OwnerMail,
    PageLink,
    ShopPausedMail,
    ShopResumedMail,
    ShopView,
)
from tests.owner_fakes import HOSTILE, NOW, error_view, pause_view

pytestmark = pytest.mark.disable_socket

SENDER = "faktura@autobook.example"
PAGE = "https://api.example/dev/owner/hansens-vin?t=1774000000.abc"
LANGUAGES = [Language.DA, Language.EN]


def shop(language: Language, *, name: str = "Hansens Vin") -> ShopView:
    return ShopView(
        shop_id="hansens-vin",
        name=name,
        owner=OwnerContact(
            addresses=("ejer@hansens.example", "bogholder@hansens.example"), language=language
        ),
        page=PageLink(url=PAGE, expires_at=NOW + timedelta(days=14)),
    )


def mails(language: Language) -> dict[str, OwnerMail]:
    view = shop(language)
    return {
        "error": ErrorAppearedMail(shop=view, error=error_view(ErrorCode.PRODUCT_MISSING)),
        "grouped": ErrorsGroupedMail(
            shop=view,
            code=ErrorCode.PAYMENT_METHOD_UNMAPPED,
            errors=tuple(
                error_view(ErrorCode.PAYMENT_METHOD_UNMAPPED, order_id=str(3000 + i))
                for i in range(3)
            ),
        ),
        "paused": ShopPausedMail(shop=view, pause=pause_view(ErrorCode.ECONOMIC_ACCESS, waiting=7)),
        "resumed": ShopResumedMail(
            shop=view,
            code=ErrorCode.ECONOMIC_ACCESS,
            paused_since=NOW - timedelta(hours=3),
            resumed_at=NOW,
            resumed_orders=7,
        ),
        "digest": DigestMail(
            shop=view,
            day=date(2026, 3, 2),
            pauses=(pause_view(ErrorCode.ACCOUNTING_YEAR_MISSING, waiting=2),),
            errors=(
                error_view(ErrorCode.MAIL_FAILED),
                error_view(ErrorCode.PRODUCT_MISSING, order_id="4001"),
                error_view(ErrorCode.PRODUCT_MISSING, order_id="4002"),
            ),
        ),
    }


def parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    return plain.get_content(), html.get_content()


EXPECTED_SUBJECT = {
    Language.DA: {
        "error": "[Hansens Vin] Ordre 1002 venter: Varen findes ikke i e-conomic",
        "grouped": "[Hansens Vin] 3 ordrer venter: Betalingsmetoden er ikke koblet",
        "paused": "[Hansens Vin] Bogføringen er sat på pause: Adgangen til e-conomic er afvist",
        "resumed": "[Hansens Vin] Bogføringen kører igen",
        "digest": "[Hansens Vin] Oversigt 2. marts 2026: 4 sager åbne",
    },
    Language.EN: {
        "error": "[Hansens Vin] Order 1002 is waiting: Product missing in e-conomic",
        "grouped": "[Hansens Vin] 3 orders waiting: Payment method not mapped",
        "paused": "[Hansens Vin] Booking is paused: e-conomic access refused",
        "resumed": "[Hansens Vin] Booking has resumed",
        "digest": "[Hansens Vin] Summary 2 March 2026: 4 items open",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["error", "grouped", "paused", "resumed", "digest"])
def test_given_each_kind_when_rendered_then_it_is_a_complete_mail_in_the_language(
    kind: str, language: Language
) -> None:
    message = render_owner_mail(mails(language)[kind], sender=SENDER)
    text, html = parts(message)
    assert message["From"] == f"autobook <{SENDER}>"
    assert message["To"] == "ejer@hansens.example, bogholder@hansens.example"
    assert message["Subject"] == EXPECTED_SUBJECT[language][kind]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == language.value
    assert f'<html lang="{language.value}">' in html
    for part in (text, html):
        assert PAGE in part
        assert ("Åbn ejersiden" if language == Language.DA else "Open the owner page") in part
    assert "…" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["error", "grouped", "paused", "resumed", "digest"])
def test_given_each_kind_when_rendered_then_the_html_is_inlined_and_needs_no_images(
    kind: str, language: Language
) -> None:
    _, html = parts(render_owner_mail(mails(language)[kind], sender=SENDER))
    assert "<style" not in html
    assert 'class="card"' in html
    assert "max-width: 600px" in html
    assert re.search(r'<h1 style="[^"]*font-size', html)
    assert "<img" not in html
    assert "url(" not in html
    assert "<script" not in html


@pytest.mark.parametrize(
    ("language", "amount", "steps_heading"),
    [
        (Language.DA, "1.250,25 DKK", "Sådan retter du det"),
        (Language.EN, "1,250.25 DKK", "How to fix it"),
    ],
)
def test_given_an_error_mail_then_it_names_the_order_cause_and_numbered_steps(
    language: Language, amount: str, steps_heading: str
) -> None:
    text, html = parts(render_owner_mail(mails(language)["error"], sender=SENDER))
    for part in (text, html):
        assert "1002" in part
        assert "Jens Hansen" in part
        assert amount in part
        assert "SKU-4711" in part
        assert steps_heading in part
    assert re.search(r"^1\. .*SKU-4711", text, re.MULTILINE)
    assert re.search(r"^2\. ", text, re.MULTILINE)
    assert "<ol" in html
    assert html.count("<li") >= 3


def test_given_a_hundred_failures_of_one_kind_when_grouped_then_one_mail_lists_them_all() -> None:
    errors = tuple(
        error_view(ErrorCode.PRODUCT_MISSING, order_id=str(5000 + i)) for i in range(100)
    )
    mail = ErrorsGroupedMail(shop=shop(Language.DA), code=ErrorCode.PRODUCT_MISSING, errors=errors)
    text, html = parts(render_owner_mail(mail, sender=SENDER))
    assert "100 ordrer" in str(render_owner_mail(mail, sender=SENDER)["Subject"])
    for i in range(100):
        assert f"Ordre {5000 + i} · Køber" in text
        assert f"Ordre {5000 + i} · Køber" in html
    assert text.count("Sådan retter du det") == 1


def test_given_orders_with_different_values_when_grouped_then_the_steps_name_each_value() -> None:
    first = error_view(ErrorCode.PRODUCT_MISSING, order_id="1")
    second = first.model_copy(update={"parameters": {"order_id": "2", "products": "SKU-9"}})
    mail = ErrorsGroupedMail(
        shop=shop(Language.EN), code=ErrorCode.PRODUCT_MISSING, errors=(first, second)
    )
    text, _ = parts(render_owner_mail(mail, sender=SENDER))
    assert "product number SKU-4711, SKU-9 on the order" in text


@pytest.mark.parametrize(
    ("language", "paused", "waiting"),
    [
        (Language.DA, "sat bogføringen for Hansens Vin på pause", "7 ordrer venter"),
        (Language.EN, "paused booking for Hansens Vin", "7 orders waiting"),
    ],
)
def test_given_a_shop_wide_error_when_mailed_then_it_says_the_shop_is_paused(
    language: Language, paused: str, waiting: str
) -> None:
    text, html = parts(render_owner_mail(mails(language)["paused"], sender=SENDER))
    for part in (text, html):
        assert paused in part
        assert waiting in part
        assert "HTTP 401" in part


@pytest.mark.parametrize(
    ("language", "resumed"),
    [
        (Language.DA, "autobook bogfører nu 7 ordrer"),
        (Language.EN, "autobook is now booking 7 orders"),
    ],
)
def test_given_the_pause_cleared_when_mailed_then_it_says_booking_resumed(
    language: Language, resumed: str
) -> None:
    text, _ = parts(render_owner_mail(mails(language)["resumed"], sender=SENDER))
    assert resumed in text


def test_given_a_digest_then_it_lists_pauses_and_errors_grouped_by_code() -> None:
    text, _ = parts(render_owner_mail(mails(Language.DA)["digest"], sender=SENDER))
    assert "Sat på pause: Regnskabsåret mangler" in text
    assert "2 ordrer venter." in text
    assert text.count("Varen findes ikke i e-conomic") == 1
    assert "Ordre 4001" in text
    assert "Ordre 4002" in text
    assert "Ordre 1012" in text
    assert "siden 2. marts 2026 kl. 12.05" in text  # first seen 11:05 UTC, Copenhagen time


def test_given_nothing_open_when_a_digest_is_made_then_it_is_refused() -> None:
    with pytest.raises(ValidationError, match="only sent when something is open"):
        DigestMail(shop=shop(Language.DA), day=date(2026, 3, 2))


def test_given_errors_of_two_codes_when_grouped_then_it_is_refused() -> None:
    with pytest.raises(ValidationError, match="one code"):
        ErrorsGroupedMail(
            shop=shop(Language.DA),
            code=ErrorCode.PRODUCT_MISSING,
            errors=(error_view(ErrorCode.PRODUCT_MISSING), error_view(ErrorCode.MAIL_FAILED)),
        )


def test_given_an_order_error_when_a_pause_is_made_of_it_then_it_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not pause a shop"):
        pause_view(ErrorCode.PRODUCT_MISSING)


@pytest.mark.parametrize("language", LANGUAGES)
def test_given_hostile_shop_and_buyer_names_when_rendered_then_the_html_escapes_them(
    language: Language,
) -> None:
    mail = ErrorAppearedMail(
        shop=shop(language, name=f"Vin {HOSTILE}\r\nBcc: victim@example.com"),
        error=error_view(ErrorCode.PRODUCT_MISSING, buyer=HOSTILE),
    )
    message = render_owner_mail(mail, sender=SENDER)
    text, html = parts(message)
    assert "<script" not in html
    assert "Køber: &lt;script&gt;alert('x')&lt;/script&gt;" in html or (
        "Buyer: &lt;script&gt;alert('x')&lt;/script&gt;" in html
    )
    assert "Vin &lt;script&gt;" in html
    assert "\n" not in str(message["Subject"])
    assert message["Bcc"] is None
    assert HOSTILE in text  # plain text is not markup


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_given_any_code_when_it_first_appears_then_a_mail_with_its_steps_renders(
    code: ErrorCode, language: Language
) -> None:
    text, _ = parts(
        render_owner_mail(
            ErrorAppearedMail(shop=shop(language), error=error_view(code)), sender=SENDER
        )
    )
    assert re.search(r"^1\. ", text, re.MULTILINE)
