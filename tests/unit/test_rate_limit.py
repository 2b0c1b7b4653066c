"""Reading e-conomic's X-RateLimiting header and turning it into calls per second."""

import pytest

from autobook.economic.rate_limit import (
    DEFAULT_LIMIT,
    RateLimit,
    agreement_key,
    limit_from_headers,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("token-limit-10000-per-60-seconds: 147/10000", RateLimit(10000, 60.0)),
        ("token-limit-50-per-5-seconds: 50/50", RateLimit(50, 5.0)),
        ("token-limit-3-per-0.5-seconds: 0/3", RateLimit(3, 0.5)),
    ],
)
def test_given_an_announced_limit_when_read_then_capacity_and_window(
    header: str, expected: RateLimit
) -> None:
    assert limit_from_headers({"X-RateLimiting": header}) == expected


@pytest.mark.parametrize(
    "header", [None, "", "token-limit-0-per-60-seconds: 0/0", "token-limit-x-per-60-seconds"]
)
def test_given_no_readable_limit_when_read_then_none(header: str | None) -> None:
    headers = {} if header is None else {"X-RateLimiting": header}
    assert limit_from_headers(headers) is None


@pytest.mark.parametrize(
    ("limit", "per_second"),
    [(DEFAULT_LIMIT, 166), (RateLimit(50, 5.0), 10), (RateLimit(1, 30.0), 1)],
)
def test_given_a_limit_when_paced_then_the_refill_rate_per_second_and_never_zero(
    limit: RateLimit, per_second: int
) -> None:
    assert limit.calls_per_second() == per_second


def test_given_a_grant_token_when_keyed_then_a_digest_that_does_not_contain_it() -> None:
    token = "grant-token-abcdef"
    key = agreement_key(token)
    assert key == agreement_key(token)
    assert key != agreement_key(token + "x")
    assert token not in key
    assert len(key) == 20
