"""Everything autobook needs, on this machine: DynamoDB Local and moto (with the resources of
template.yaml), the e-conomic and the two Dandomain sandboxes (Classic WEBAPI, Webshop SOAP),
the handlers behind a local API."""

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import boto3

from autobook.composition import Root
from autobook.domain.owner_link import LINK_LIFETIME, page_url, sign_link
from autobook.domain.shop import Language, ShopConfig, ShopSecrets
from autobook.settings import Settings
from autobook.usecases.clock import Clock, utc_now
from sandbox.dandomain import DandomainState, start_dandomain_sandbox
from sandbox.economic.server import start_economic_sandbox
from sandbox.economic.state import EconomicState
from sandbox.local.api_gateway import create_api
from sandbox.local.lambdas import DrainReport, LocalLambdas
from sandbox.serving import RunningServer, serve
from sandbox.stack._net import free_port
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
        # The deployment's owner-page link key (Secrets Manager autobook/<stage>/owner-page).
        self.owner_page_key = secrets.token_urlsafe(32).encode()

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        try:
            self.economic = start_economic_sandbox(self.economic_state)
            self._servers.append(self.economic)
            self.dandomain = start_dandomain_sandbox(self.dandomain_state)
            self._servers.append(self.dandomain)
            self.webshop: RunningWebshopSandbox = start_webshop_sandbox(self.webshop_state)
            self._servers.append(self.webshop)
            api_port = free_port()
            self.aws = LocalAws(
                stage=STAGE,
                parameters={
                    "EconomicBaseUrl": self.economic.url,
                    "LogLevel": self._log_level,
                    "OwnerPageBaseUrl": f"http://127.0.0.1:{api_port}/{STAGE}/owner/",
                    **self._parameters,
                },
            ).start()
            self.lambdas = LocalLambdas(self.aws)
            self.api: RunningServer = serve(
                create_api(self.lambdas, stage=STAGE), name="local-api", port=api_port
            )
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
        self.lambdas.forget_environment()

    # -- operator actions -----------------------------------------------------------------
    @contextmanager
    def operator(self, *, clock: Clock | None = None) -> Iterator[Root]:
        """The composition root as the operator CLI would have it, against local AWS (use it
        inside the block: its clients are made there, with the local endpoints); `clock`
        lets a walk-through run days later."""
        assert self.aws is not None
        with self.aws.apply_env("BookingFunction"):
            boto3.DEFAULT_SESSION = None
            yield Root(Settings.from_environment(), clock=clock or utc_now)

    def register_shop(self, config: ShopConfig, secrets: ShopSecrets) -> ShopConfig:
        with self.operator() as root:
            return root.operations().register_shop(
                config, secrets, root.secret_writer, actor="operator:sandbox"
            )

    def webhook_url(self, shop_id: str) -> str:
        return f"{self.api.url}/{STAGE}/webhook/{shop_id}"

    def owner_page_base_url(self) -> str:
        """What the stack's OwnerPageBaseUrl output is on AWS."""
        return f"{self.api.url}/{STAGE}/owner/"

    def owner_page_link(
        self,
        shop_id: str,
        *,
        language: Language = Language.DA,
        expires_at: datetime | None = None,
    ) -> str:
        """A signed owner-page link, as the owner mails carry it."""
        expiry = expires_at or datetime.now(UTC) + LINK_LIFETIME
        token = sign_link(self.owner_page_key, shop_id, expiry)
        return page_url(self.owner_page_base_url(), shop_id, token, language)

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

    def buyer_mails(self) -> list[bytes]:
        """The invoice and credit-note mails (those with the PDF attached)."""
        return [m for m in self.sent_mails() if b"application/pdf" in m]

    def owner_mails(self) -> list[bytes]:
        """The mails that told the shop owner something."""
        return [m for m in self.sent_mails() if b"application/pdf" not in m]

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
        client = self.aws.client("secretsmanager")
        client.create_secret(Name=name, SecretString=value)
        client.create_secret(
            Name=f"autobook/{STAGE}/owner-page",
            SecretString=json.dumps({"link_key": self.owner_page_key.decode()}),
        )
