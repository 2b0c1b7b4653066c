"""The one place that creates the DynamoDB resource — lazily, on first use."""

from functools import cache
from typing import Any

import boto3


@cache
def _resource() -> Any:
    return boto3.resource("dynamodb")


def table(name: str) -> Any:
    """A boto3 Table; endpoints come from the standard AWS_ENDPOINT_URL_DYNAMODB when set."""
    return _resource().Table(name)


def reset_clients() -> None:
    """Forget cached clients (tests that switch endpoints between runs)."""
    _resource.cache_clear()
