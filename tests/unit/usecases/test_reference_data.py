"""ReferenceCache: steady state costs no call; a lookup the cached list cannot answer reads
the list again, so a country or rate the owner adds in Dandomain is seen on the next retry."""

from decimal import Decimal

import pytest

from autobook.usecases.reference_data import ReferenceCache
from tests.fakes.stores import FakeShops

pytestmark = pytest.mark.disable_socket


class Fetches:
    def __init__(self, *answers: dict) -> None:  # type: ignore[type-arg]
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> dict:  # type: ignore[type-arg]
        self.calls += 1
        return self.answers[min(self.calls, len(self.answers)) - 1]


def test_given_a_cached_list_that_answers_then_no_second_read() -> None:
    cache = ReferenceCache(FakeShops(), "shop-1")
    fetch = Fetches({2397: "DK"})

    cache.country_codes(fetch, needed={2397})
    assert cache.country_codes(fetch, needed={2397}) == {2397: "DK"}
    assert fetch.calls == 1


def test_given_a_country_the_cached_list_lacks_then_read_again_and_cached() -> None:
    cache = ReferenceCache(FakeShops(), "shop-1")
    fetch = Fetches({2397: "DK"}, {2397: "DK", 2376: "DE"})
    cache.country_codes(fetch)

    assert cache.country_codes(fetch, needed={2376}) == {2397: "DK", 2376: "DE"}
    assert cache.country_codes(fetch, needed={2376}) == {2397: "DK", 2376: "DE"}
    assert fetch.calls == 2


def test_given_a_currency_the_cached_rates_lack_then_read_again() -> None:
    cache = ReferenceCache(FakeShops(), "shop-1")
    fetch = Fetches({"EUR": Decimal("745.81")}, {"EUR": Decimal("745.81"), "NOK": Decimal("64.2")})
    cache.currency_factors(fetch)

    assert cache.currency_factors(fetch, needed=["NOK"])["NOK"] == Decimal("64.2")
    assert fetch.calls == 2
