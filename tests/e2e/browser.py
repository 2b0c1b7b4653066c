"""Headless Chromium for the page tests (`sandbox.browser`: the system's Chromium, driven by
Selenium), axe-core (bundled with axe-selenium-python, works offline) for accessibility, and a
phone-width viewport."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from sandbox.browser import (
    PHONE_WIDTH,
    as_desktop,
    as_phone,
    chromium_driver,
    full_page_screenshot,
    missing_browser,
    scroll_width,
)

__all__ = [
    "PHONE_WIDTH",
    "as_desktop",
    "as_phone",
    "chromium",
    "full_page_screenshot",
    "scroll_width",
    "serious_violations",
]


def require_browser() -> None:
    """Skip with the reason where Chromium is not installed; in CI (which installs it in
    .ci/run) a missing browser is a failure, so the browser tests cannot silently not run."""
    missing = missing_browser()
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    require_browser()
    with chromium_driver() as driver:
        yield driver


def serious_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    assert results["passes"], "axe-core checked nothing: the page or the injection is broken"
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
