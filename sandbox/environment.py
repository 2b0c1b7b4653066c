"""Everything autobook needs, on this machine: DynamoDB Local and moto (with the resources of
template.yaml), the e-conomic and the two Dandomain sandboxes (Classic WEBAPI, Webshop SOAP),
the handlers behind a local API."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

from autobook import runtime
from autobook.domain.shop import ShopConfig, ShopSecrets
from autobook.store.secrets import SecretWriter
from autobook.usecases.dependencies import Dependencies
from autobook.usecases.onboarding import register_shop
from sandbox.dandomain import DandomainState, start_dandomain_sandbox
from sandbox.economic.server import start_economic_sandbox
from sandbox.economic.state import EconomicState
from sandbox.local.api_gateway import create_api
from sandbox.local.lambdas import DrainReport, LocalLambdas
from sandbox.serving import RunningServer, serve
from sandbox.stack.local_aws import LocalAws
from sandbox.webshop import RunningWebshopSandbox, WebshopState, start_webshop_sandbox

STAGE = "dev"


class LocalEnvironment:
    def __init__(
        self, *, log_level: str = "INFO", parameters: dict[str, str] | None = None
    ) -> None:
        self.economic_state = EconomicState()
        self.dandomain_state = DandomainState()
        self.webshop_state = WebshopState()
        self._log_level = log_level
        self._parameters = parameters or {}
        self._servers: list[Any] = []
        self.aws: LocalAws | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        try:
            self.economic = start_economic_sandbox(self.economic_state)
            self._servers.append(self.economic)
            self.dandomain = start_dandomain_sandbox(self.dandomain_state)
            self._servers.append(self.dandomain)
            self.webshop: RunningWebshopSandbox = start_webshop_sandbox(self.webshop_state)
            self._servers.append(self.webshop)
            self.aws = LocalAws(
                stage=STAGE,
                parameters={
                    "EconomicBaseUrl": self.economic.url,
                    "LogLevel": self._log_level,
                    **self._parameters,
                },
            ).start()
            self.lambdas = LocalLambdas(self.aws)
            self.api: RunningServer = serve(create_api(self.lambdas, stage=STAGE), name="local-api")
            self._servers.append(self.api)
            self._store_app_secret()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in reversed(self._servers):
            server.stop()
        self._servers.clear()
        if self.aws is not None:
            self.aws.stop()
            self.aws = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Empty tables, queues, secrets and sent mail (the sandboxes keep their state: tests
        use fresh shops and agreements there)."""
        assert self.aws is not None
        self.aws.reset()
        self._store_app_secret()
        runtime.reset()
        self.lambdas.forget_environment()

    # -- operator actions -----------------------------------------------------------------
    @contextmanager
    def operator(self) -> Iterator[Dependencies]:
        """The autobook dependencies as the operator CLI would have them, against local AWS."""
        assert self.aws is not None
        with self.aws.apply_env("BookingFunction"):
            runtime.reset()
            yield runtime.dependencies()
            runtime.reset()

    def register_shop(self, config: ShopConfig, secrets: ShopSecrets) -> None:
        with self.operator() as deps:
            settings = runtime.settings()
            writer = SecretWriter(shop_secret_name=settings.shop_secret_name)
            register_shop(config, secrets, shops=deps.shops, writer=writer)
            if secrets.webshop_username or secrets.webshop_password:
                self._store_webshop_user(settings.shop_secret_name(config.shop_id), secrets)

    def _store_webshop_user(self, name: str, secrets: ShopSecrets) -> None:
        # Stopgap: SecretWriter.put_shop (store/secrets.py, the core's) stores only the Classic
        # key, the grant and the webhook secret, so a Webshop shop's API user would be lost.
        # Until it stores every ShopSecrets field, the local environment writes the whole set.
        assert self.aws is not None
        value = json.dumps(secrets.model_dump())
        self.aws.client("secretsmanager").put_secret_value(SecretId=name, SecretString=value)

    def webhook_url(self, shop_id: str) -> str:
        return f"{self.api.url}/{STAGE}/webhook/{shop_id}"

    # -- running the pipeline -------------------------------------------------------------
    def run_until_idle(self, *, max_rounds: int = 50) -> list[DrainReport]:
        """Deliver the queues to their functions until nothing is left (booking, then mail)."""
        reports: list[DrainReport] = []
        for _ in range(max_rounds):
            booking = self.lambdas.drain("BookingFunction")
            mailer = self.lambdas.drain("MailerFunction")
            reports += [booking, mailer]
            if booking.invocations == 0 and mailer.invocations == 0:
                return reports
        raise RuntimeError(f"queues still busy after {max_rounds} rounds")

    def sent_mails(self) -> list[bytes]:
        """Raw MIME of every mail SES accepted (moto runs in this process)."""
        from moto.ses.models import ses_backends

        from sandbox.stack.resources import ACCOUNT_ID

        assert self.aws is not None
        backend = ses_backends[ACCOUNT_ID][self.aws.region]
        return [
            m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data
            for m in backend.sent_messages
            if hasattr(m, "raw_data")
        ]

    def _store_app_secret(self) -> None:
        assert self.aws is not None
        name = f"autobook/{STAGE}/economic-app"
        value = json.dumps({"app_secret_token": self.economic_state.app_secret_token})
        self.aws.client("secretsmanager").create_secret(Name=name, SecretString=value)
