"""Time as the use cases see it: injected, so tests and the demo control it."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]
SHOP_ZONE = ZoneInfo("Europe/Copenhagen")


def utc_now() -> datetime:
    return datetime.now(UTC)


def shop_date(now: datetime) -> date:
    """Invoice dates are Danish calendar dates."""
    return now.astimezone(SHOP_ZONE).date()
