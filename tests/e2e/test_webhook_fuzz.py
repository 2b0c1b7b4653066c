"""Hypothesis against the webhook door over HTTP, in every `make test` (a smaller run of
`bench/fuzz_webhook.py`): no 5xx, nothing invalid enqueued, no genuine delivery lost."""

import pytest

from sandbox import webhook_fuzz
from sandbox.environment import LocalEnvironment

pytestmark = pytest.mark.e2e


def test_given_generated_requests_with_genuine_ones_mixed_in_then_no_5xx_nothing_invalid_none_lost(
    fresh_env: LocalEnvironment,
) -> None:
    webhook_fuzz.open_fuzz_shop(fresh_env)
    report = webhook_fuzz.run(fresh_env, requests=400)
    print(report.line())
    assert report.requests == 400
    assert report.genuine > 40  # the mix is real
    assert len(report.statuses) >= 5  # and so are the refusals
    assert (report.server_errors, report.invalid_enqueued, report.lost) == (0, 0, 0)
    assert report.statuses[503] == 0  # nothing was down
