"""How every AWS client autobook creates talks to AWS: timeouts and a retry budget that fit
inside the calling function's timeout, so an outage is answered (the webhook says 503 and
Dandomain retries) instead of the function being killed mid-way."""

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from autobook.domain.errors import TransientError


def client_config(*, connect_seconds: float, read_seconds: float, attempts: int) -> Config:
    # "standard" retries: throttling and 5xx only, with backoff; `total_max_attempts` counts
    # the first call, so the worst case is attempts x (connect + read) seconds.
    return Config(
        connect_timeout=connect_seconds,
        read_timeout=read_seconds,
        retries={"mode": "standard", "total_max_attempts": attempts},
    )


@contextmanager
def unavailable_as_transient(service: str) -> Iterator[None]:
    """For reads that cannot fail for any reason the caller could fix: whatever AWS answers
    (or not), the caller hears "not now, retry" with the service and AWS's error code."""
    try:
        yield
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "unknown")
        raise TransientError(f"{service} {code}", service=service) from exc
    except BotoCoreError as exc:
        raise TransientError(f"{service} {type(exc).__name__}", service=service) from exc
