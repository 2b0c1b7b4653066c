"""DynamoDB access shared by the stores: the resource is created on first use, once per
composition root (so a new root — a new Lambda container, a test — starts with new clients)."""

from typing import Any

import boto3
from botocore.exceptions import ClientError


class Dynamo:
    def __init__(self, *, config: Any = None) -> None:
        self._config = config
        self._resource: Any = None

    def table(self, name: str) -> Any:
        """A boto3 Table; endpoints come from the standard AWS_ENDPOINT_URL_DYNAMODB when set."""
        if self._resource is None:
            self._resource = boto3.resource("dynamodb", config=self._config)
        return self._resource.Table(name)


def is_conditional_failure(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")
