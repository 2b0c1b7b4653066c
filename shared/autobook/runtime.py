"""Per-container wiring for the Lambda handlers: settings from the environment, read once."""

from functools import cache

import boto3
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS

from autobook.messaging import queues
from autobook.notify import ses
from autobook.settings import Settings
from autobook.store import dynamo
from autobook.usecases.dependencies import Dependencies, build_dependencies


@cache
def settings() -> Settings:
    return Settings()  # values come from the environment


@cache
def dependencies() -> Dependencies:
    return build_dependencies(settings())


def reset() -> None:
    """Forget the wiring and every cached AWS client (local runs switch environments)."""
    settings.cache_clear()
    dependencies.cache_clear()
    dynamo.reset_clients()
    queues.reset_clients()
    ses.reset_clients()
    parameters.clear_caches()  # type: ignore[no-untyped-call]
    DEFAULT_PROVIDERS.clear()
    boto3.DEFAULT_SESSION = None
