"""LocalAws: DynamoDB Local + moto server + the resources of template.yaml, in one context."""

import http.client
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sandbox.stack.cfn_yaml import load_template
from sandbox.stack.dynamodb_local import REPO_ROOT, DynamoDBLocal
from sandbox.stack.moto_server import MotoServer
from sandbox.stack.resources import CREDENTIALS, LocalStack, aws_client, create_resources

DEFAULT_TEMPLATE = REPO_ROOT / "template.yaml"
DEFAULT_PARAMETERS = {"SenderAddress": "faktura@autobook.example"}


class LocalAws:
    """Start DynamoDB Local and moto, create template.yaml's tables and queues, hand out env.

    ``env_for("BookingFunction")`` is what that Lambda would see, pointed at the local servers
    through boto3's service-specific ``AWS_ENDPOINT_URL_*`` variables.
    """

    def __init__(
        self,
        *,
        template: Path | str = DEFAULT_TEMPLATE,
        stage: str = "dev",
        region: str = "eu-west-1",
        parameters: dict[str, str] | None = None,
        prefix: str | None = None,
    ) -> None:
        self.template_path = Path(template)
        self.template: dict[str, Any] = load_template(self.template_path)
        self.stage = stage
        self.region = region
        self.parameters = {**DEFAULT_PARAMETERS, **(parameters or {})}
        self.prefix = prefix or f"autobook-{stage}-{secrets.token_hex(3)}"
        self.dynamodb = DynamoDBLocal(region=region)
        self.moto = MotoServer()
        self._stack: LocalStack | None = None

    @property
    def stack(self) -> LocalStack:
        if self._stack is None:
            raise RuntimeError("LocalAws is not started")
        return self._stack

    def start(self) -> Self:
        if self._stack is not None:
            return self
        try:
            self.moto.start()
            self.dynamodb.start()
            self._stack = self._create()
        except BaseException:
            self.stop()
            raise
        return self

    def _create(self) -> LocalStack:
        return create_resources(
            self.template,
            stage=self.stage,
            prefix=self.prefix,
            dynamodb_endpoint=self.dynamodb.endpoint_url,
            aws_endpoint=self.moto.endpoint_url,
            region=self.region,
            parameters=self.parameters,
        )

    def stop(self) -> None:
        self._stack = None
        self.dynamodb.stop()
        self.moto.stop()

    def reset(self) -> None:
        """Empty everything: drop and recreate the tables, reset moto (queues, FIFO
        deduplication, secrets, sent mail), recreate the queues and the SES identity."""
        ddb = self.client("dynamodb")
        for name in self.stack.tables.values():
            ddb.delete_table(TableName=name)
        host, port = self.moto.endpoint_url.removeprefix("http://").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("POST", "/moto-api/reset")
            if connection.getresponse().status != 200:
                raise RuntimeError("moto reset failed")
        finally:
            connection.close()
        self._stack = self._create()

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` pointed at the right local server."""
        endpoint = self.dynamodb.endpoint_url if service == "dynamodb" else self.moto.endpoint_url
        return aws_client(service, endpoint, self.region)

    def aws_env(self) -> dict[str, str]:
        """Credentials, region and endpoint variables (no function-specific settings)."""
        moto = self.moto.endpoint_url
        return {
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb.endpoint_url,
            "AWS_ENDPOINT_URL_SQS": moto,
            "AWS_ENDPOINT_URL_SES": moto,
            "AWS_ENDPOINT_URL_SESV2": moto,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto,
            "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def env_for(self, function_logical_id: str) -> dict[str, str]:
        """The function's resolved template environment plus the local AWS variables."""
        try:
            function_env = self.stack.function_env[function_logical_id]
        except KeyError:
            known = sorted(self.stack.function_env)
            raise KeyError(
                f"no function {function_logical_id!r} in template; have {known}"
            ) from None
        return {**function_env, **self.aws_env()}

    @contextmanager
    def apply_env(self, function_logical_id: str) -> Iterator[dict[str, str]]:
        """Set env_for(function) in os.environ for the block; restore the old values after."""
        env = self.env_for(function_logical_id)
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            yield env
        finally:
            for key, old in saved.items():
                if old is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = old

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
