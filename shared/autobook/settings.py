"""Typed settings, read once from the Lambda environment by the composition root (never by
the domain or the use cases).

A plain pydantic model filled from the environment by field name: pydantic-settings would add
a sixth of the webhook's cold start for a lookup this small (bench/README.md, "Cold start")."""

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    """The contract between template.yaml's environment variables and the code: each field is
    the variable of the same name in upper case."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: str = "dev"
    # Empty only for an operator command that does not need it (it names what it needs);
    # a function checks them all at its cold start (`require_all`).
    shops_table: str = ""
    ledger_table: str = ""
    errors_table: str = ""
    # The e-conomic call budget (store/call_budget.py); without it calls are not paced.
    call_budget_table: str = ""
    orders_queue_url: str = ""
    invoices_queue_url: str = ""
    secrets_prefix: str = ""
    sender_address: str = ""
    economic_base_url: str = "https://restapi.e-conomic.com"
    # The owner page's base URL (the stack output OwnerPageBaseUrl): owner mails link to it.
    owner_page_url: str = ""
    # Seconds an HTTP call to e-conomic or Dandomain may take before it counts as an unknown outcome.
    http_timeout_seconds: float = 10.0
    # In-process retries of passing e-conomic failures before the queue takes over.
    retry_attempts: int = 3
    retry_base_seconds: float = 0.2
    # Every AWS call: connect and read timeouts and attempts (the first included). Each
    # function's environment sets them so attempts x (connect + read) fits its timeout.
    aws_connect_timeout_seconds: float = 1.0
    aws_read_timeout_seconds: float = 3.0
    aws_call_attempts: int = 3
    # The queues' maxReceiveCount: the last receive records the failure before the DLQ.
    orders_max_receive_count: int = 5
    invoices_max_receive_count: int = 5

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """The fields whose variable is set; a malformed number fails naming the field."""
        present = {
            name: environ[name.upper()] for name in cls.model_fields if name.upper() in environ
        }
        return cls.model_validate(present)

    def require_all(self) -> "Settings":
        """These settings, or a clear error naming what the environment lacks."""
        missing = [
            name.upper()
            for name in (
                "shops_table",
                "ledger_table",
                "errors_table",
                "orders_queue_url",
                "invoices_queue_url",
                "secrets_prefix",
                "sender_address",
            )
            if not getattr(self, name)
        ]
        if missing:
            raise ValueError(f"the environment lacks {', '.join(missing)}")
        return self

    @property
    def economic_app_secret_name(self) -> str:
        return f"{self.secrets_prefix}economic-app"

    @property
    def owner_page_secret_name(self) -> str:
        return f"{self.secrets_prefix}owner-page"

    def shop_secret_name(self, shop_id: str) -> str:
        return f"{self.secrets_prefix}shops/{shop_id}"
