"""Which autobook stack a command talks to, and how to reach it.

A stack is known by the variables template.yaml gives the functions (SHOPS_TABLE, ...) plus the
dead-letter queues and the webhook base URL, and for a local stack the standard boto3
AWS_ENDPOINT_URL_* variables. They come from one of:

1. `--stack NAME` (or AUTOBOOK_STACK): the CloudFormation stack's outputs (describe_stacks);
2. `--profile NAME|PATH` (or AUTOBOOK_PROFILE): a profile file, by name under
   ~/.config/autobook/profiles/NAME.json — `autobook sandbox up` writes `sandbox` — or a path;
3. the environment, as exported by hand.

While a command runs the stack's variables are set in the process environment, so the core's
adapters find their tables, queues and endpoints exactly as they do inside a Lambda.
"""

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from autobook_cli.configfile import ConfigFileError, read_object, validate
from autobook_cli.exits import CliError, Exit, unreachable

# Stack output -> the variable the functions (and this CLI) read it from.
OUTPUT_VARIABLES = {
    "Stage": "STAGE",
    "ShopsTableName": "SHOPS_TABLE",
    "LedgerTableName": "LEDGER_TABLE",
    "ErrorsTableName": "ERRORS_TABLE",
    "CallBudgetTableName": "CALL_BUDGET_TABLE",
    "OrdersQueueUrl": "ORDERS_QUEUE_URL",
    "OrdersDeadLetterQueueUrl": "ORDERS_DLQ_URL",
    "InvoicesQueueUrl": "INVOICES_QUEUE_URL",
    "InvoicesDeadLetterQueueUrl": "INVOICES_DLQ_URL",
    "SecretsPrefix": "SECRETS_PREFIX",
    "SenderAddress": "SENDER_ADDRESS",
    "EconomicBaseUrl": "ECONOMIC_BASE_URL",
    "WebhookBaseUrl": "WEBHOOK_BASE_URL",
    # What the owner mails link to: a command that books (backfill) tells the owner too.
    "OwnerPageBaseUrl": "OWNER_PAGE_URL",
}
STACK_VARIABLES = tuple(OUTPUT_VARIABLES.values())
_AWS_VARIABLES = re.compile(r"^AWS_[A-Z_]+$")
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

HOW_TO_CONFIGURE = (
    "point autobook at a stack with --stack NAME (its CloudFormation outputs), "
    "--profile NAME (e.g. --profile sandbox after `autobook sandbox up`), "
    "or export the stack outputs (README: Operating)"
)


class Profile(BaseModel):
    """A profile file: variables to set, and/or a CloudFormation stack to read them from."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    environment: dict[str, str] = {}
    stack: str | None = None
    region: str | None = None
    aws_profile: str | None = None  # the AWS named profile (credentials) for this stack
    sandbox_state_dir: str | None = None  # set by `autobook sandbox up`: whose sandbox this is


@dataclass(frozen=True)
class Stack:
    """A discovered stack: `source` says where it came from (for messages)."""

    source: str
    environment: Mapping[str, str]

    def value(self, name: str) -> str | None:
        return self.environment.get(name) or None

    def require(self, *names: str) -> None:
        missing = [name for name in names if not self.value(name)]
        if missing:
            raise unreachable(
                f"{self.source} does not give {', '.join(missing)}: {HOW_TO_CONFIGURE}"
            )

    @contextmanager
    def applied(self) -> Iterator[None]:
        """The stack's variables in os.environ for the block (the old values come back)."""
        saved = {key: os.environ.get(key) for key in self.environment}
        os.environ.update(self.environment)
        try:
            yield
        finally:
            for key, old in saved.items():
                if old is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = old


def environment_from_outputs(outputs: Mapping[str, str]) -> dict[str, str]:
    """Stack outputs (OutputKey -> value) as the variables the code reads."""
    return {OUTPUT_VARIABLES[k]: v for k, v in outputs.items() if k in OUTPUT_VARIABLES}


def config_dir(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autobook"


def profile_path(name_or_path: str, environ: Mapping[str, str]) -> Path:
    if os.sep in name_or_path or name_or_path.endswith(".json"):
        return Path(name_or_path).expanduser()
    if not _PROFILE_NAME.match(name_or_path):
        raise CliError(f"{name_or_path!r} is not a profile name or a path", Exit.USAGE)
    return config_dir(environ) / "profiles" / f"{name_or_path}.json"


def read_profile(path: Path) -> Profile:
    try:
        return validate(read_object(path), Profile)
    except ConfigFileError as exc:
        if not path.exists():
            raise unreachable(
                f"no profile {path} (`autobook sandbox up` writes the `sandbox` profile)"
            ) from None
        raise unreachable(f"bad profile: {exc.message}") from None


def write_profile(path: Path, profile: Profile) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(profile.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    temporary.chmod(0o600)
    temporary.replace(path)


def discover(
    *,
    profile: str | None,
    stack: str | None,
    region: str | None,
    environ: Mapping[str, str],
) -> Stack:
    if stack and profile:
        raise CliError(
            "use --stack or --profile (AUTOBOOK_STACK / AUTOBOOK_PROFILE), not both", Exit.USAGE
        )
    if stack:
        return _from_cloudformation(stack, region, aws_profile=None, extra={})
    if profile:
        return _from_profile(profile, environ)
    known = {k: v for k, v in environ.items() if k in STACK_VARIABLES or _AWS_VARIABLES.match(k)}
    return Stack(source="the environment", environment=known)


def _from_profile(name_or_path: str, environ: Mapping[str, str]) -> Stack:
    path = profile_path(name_or_path, environ)
    profile = read_profile(path)
    label = f"profile {name_or_path}"
    if profile.sandbox_state_dir:
        from autobook_cli import sandbox_control

        sandbox_control.require_running(Path(profile.sandbox_state_dir), label)
    if profile.stack:
        return _from_cloudformation(
            profile.stack,
            profile.region,
            aws_profile=profile.aws_profile,
            extra=profile.environment,
            label=label,
        )
    environment = dict(profile.environment)
    if profile.aws_profile:
        environment["AWS_PROFILE"] = profile.aws_profile
    if profile.region:
        environment.setdefault("AWS_REGION", profile.region)
        environment.setdefault("AWS_DEFAULT_REGION", profile.region)
    return Stack(source=label, environment=environment)


def _from_cloudformation(
    name: str,
    region: str | None,
    *,
    aws_profile: str | None,
    extra: Mapping[str, str],
    label: str | None = None,
) -> Stack:
    from autobook_cli.cloudformation import describe_outputs

    outputs, stack_region = describe_outputs(name, region=region, aws_profile=aws_profile)
    environment = {
        **environment_from_outputs(outputs),
        "AWS_REGION": stack_region,
        "AWS_DEFAULT_REGION": stack_region,
        **({"AWS_PROFILE": aws_profile} if aws_profile else {}),
        **extra,
    }
    source = f"stack {name} ({stack_region})"
    return Stack(source=f"{label}: {source}" if label else source, environment=environment)
