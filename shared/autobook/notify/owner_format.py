"""Amounts, dates and times the way a Danish or an English reader writes them. Times are shown
in the shops' time zone (Danish shops: Europe/Copenhagen)."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from autobook.domain.shop import Language

SHOP_TIME_ZONE = ZoneInfo("Europe/Copenhagen")

_MONTHS = {
    Language.DA: [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    Language.EN: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def money(amount: Decimal | None, currency: str, language: Language) -> str:
    """1.234,50 DKK (da) / 1,234.50 DKK (en); "–" when the amount is not known."""
    if amount is None:
        return "–"
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.2f}"
    if language == Language.DA:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {currency}".strip()


def day(value: date, language: Language) -> str:
    """3. februar 2026 (da) / 3 February 2026 (en)."""
    month = _MONTHS[language][value.month - 1]
    if language == Language.DA:
        return f"{value.day}. {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def moment(value: datetime, language: Language) -> str:
    """3. februar 2026 kl. 14.05 (da) / 3 February 2026 at 14:05 (en), in the shop's zone."""
    local = value.astimezone(SHOP_TIME_ZONE)
    if language == Language.DA:
        return f"{day(local.date(), language)} kl. {local:%H.%M}"
    return f"{day(local.date(), language)} at {local:%H:%M}"
