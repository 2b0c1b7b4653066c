"""`python -m sandbox.daemon --state-dir DIR`: the whole local stack as one background process.

DynamoDB Local and moto with template.yaml's tables and queues, the e-conomic and Dandomain
sandboxes, the local API in front of the webhook function, a pump that delivers the queues to
the booking and mailer functions (Lambda's event-source mappings) and the reconcile schedule.
`autobook sandbox up` starts it in its own session and talks to it only through files and HTTP:

- `DIR/daemon.pid`  its pid (written by the starter, removed on exit);
- `DIR/state.json`  written once everything answers: `pid`, `instance`, `started_at`,
  `control_url`, `region`, `outputs` (the stack outputs, as CloudFormation would give them),
  `aws` (endpoint variables and the dummy credentials), `services` (name -> URL), `seed`;
- `GET <control_url>/health`  `{"status": "ok", "instance", "pid", "uptime_seconds", "pump",
  "reconcile", "mails_sent"}`.

SIGTERM or SIGINT stop everything and remove state.json and the pid file.
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.environment import STAGE, LocalEnvironment
from sandbox.pump import QueuePump, Schedule, rate_seconds
from sandbox.serving import RunningServer, serve
from sandbox.stack.intrinsics import Resolver, UnresolvableError
from sandbox.stack.resources import ACCOUNT_ID

PID_FILE = "daemon.pid"
STATE_FILE = "state.json"
SEED_SHOP = "demo-shop"

logger = logging.getLogger("sandbox.daemon")


def stack_outputs(env: LocalEnvironment) -> dict[str, str]:
    """template.yaml's Outputs evaluated against the local resources (what describe_stacks
    would answer); the webhook base URL is the local API's."""
    assert env.aws is not None
    stack = env.aws.stack
    refs = {
        **stack.parameters,
        **stack.tables,
        **stack.queues,
        "AWS::Region": stack.region,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::StackName": stack.prefix,
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::Partition": "aws",
    }
    template = env.aws.template
    resolver = Resolver(refs=refs, conditions=template.get("Conditions", {}))
    outputs: dict[str, str] = {}
    for key, output in template.get("Outputs", {}).items():
        try:
            outputs[key] = str(resolver.resolve(output["Value"]))
        except UnresolvableError:
            continue  # resources the local stack does not model (the API id, SNS)
    outputs["WebhookBaseUrl"] = f"{env.api.url}/{STAGE}/webhook/"
    outputs["OwnerPageBaseUrl"] = env.owner_page_base_url()
    return outputs


def _seed(env: LocalEnvironment, state_dir: Path) -> dict[str, Any]:
    """A demo shop's data in both sandboxes and the files to register it — not registered."""
    from autobook.domain.shop import ShopMode
    from sandbox.shopkit import seed_shop

    shop = seed_shop(env, SEED_SHOP, mode=ShopMode.TRIAL)
    seed_dir = state_dir / "seed"
    seed_dir.mkdir(exist_ok=True)
    shop_file = seed_dir / f"{SEED_SHOP}.json"
    secrets_file = seed_dir / f"{SEED_SHOP}.secrets.json"
    shop_file.write_text(shop.config.model_dump_json(indent=2) + "\n")
    secrets_file.write_text(
        json.dumps(
            {
                "dandomain_api_key": shop.secrets.dandomain_api_key,
                "economic_grant_token": shop.secrets.economic_grant_token,
                "webhook_secret": shop.secrets.webhook_secret,
            },
            indent=2,
        )
        + "\n"
    )
    secrets_file.chmod(0o600)
    return {
        "shop_id": SEED_SHOP,
        "dandomain_base_url": env.dandomain.url,
        "dandomain_api_key": shop.secrets.dandomain_api_key,
        "economic_grant_token": shop.secrets.economic_grant_token,
        "order_ids": [shop.order_ids[0], shop.order_ids[-1]] if shop.order_ids else [],
        "shop_file": str(shop_file),
        "secrets_file": str(secrets_file),
    }


class Daemon:
    def __init__(self, args: argparse.Namespace) -> None:
        self.state_dir: Path = args.state_dir
        self.args = args
        self.instance = uuid.uuid4().hex
        self.started = time.monotonic()
        self.stopping = threading.Event()
        self.env = LocalEnvironment(log_level=args.log_level)
        self.pump: QueuePump | None = None
        self.schedule: Schedule | None = None
        self.control: RunningServer | None = None

    def run(self) -> int:
        try:
            self.env.start()
            seed = _seed(self.env, self.state_dir) if self.args.seed else None
            assert self.env.aws is not None
            every = self.args.reconcile_every or rate_seconds(
                self.env.aws.stack.parameters["ReconcileSchedule"]
            )
            self.pump = QueuePump(self.env.lambdas, ["BookingFunction", "MailerFunction"])
            self.schedule = Schedule(self.env.lambdas, "ReconcileFunction", every_seconds=every)
            self.control = serve(self._control_app(), name="sandbox-control")
            self.pump.start()
            self.schedule.start()
            self._write_state(seed)
            logger.info("sandbox ready")
            self.stopping.wait()
        finally:
            self._stop()
        return 0

    def _stop(self) -> None:
        for part in (self.schedule, self.pump, self.control):
            if part is not None:
                part.stop()
        self.env.stop()
        for name in (STATE_FILE, PID_FILE):
            path = self.state_dir / name
            if name == PID_FILE and path.exists() and path.read_text().strip() != str(os.getpid()):
                continue  # another daemon's file
            path.unlink(missing_ok=True)

    def _write_state(self, seed: dict[str, Any] | None) -> None:
        assert self.env.aws is not None
        assert self.control is not None
        aws = self.env.aws
        state = {
            "pid": os.getpid(),
            "instance": self.instance,
            "started_at": datetime.now(UTC).isoformat(),
            "control_url": self.control.url,
            "region": aws.region,
            "outputs": stack_outputs(self.env),
            "aws": aws.aws_env(),
            "services": {
                "DynamoDB Local": aws.dynamodb.endpoint_url,
                "moto (SQS, SES, Secrets Manager)": aws.moto.endpoint_url,
                "e-conomic sandbox": self.env.economic.url,
                "Dandomain sandbox": self.env.dandomain.url,
                "local API (webhook)": self.env.api.url,
            },
            "seed": seed,
        }
        temporary = self.state_dir / f"{STATE_FILE}.tmp"
        temporary.write_text(json.dumps(state, indent=2, default=str) + "\n")
        temporary.chmod(0o600)
        temporary.replace(self.state_dir / STATE_FILE)

    def health(self) -> dict[str, Any]:
        assert self.pump is not None
        assert self.schedule is not None
        return {
            "status": "stopping" if self.stopping.is_set() else "ok",
            "instance": self.instance,
            "pid": os.getpid(),
            "uptime_seconds": round(time.monotonic() - self.started, 1),
            "pump": self.pump.status(),
            "reconcile": self.schedule.status(),
            "mails_sent": len(self.env.sent_mails()),
        }

    def _control_app(self) -> Starlette:
        async def health(request: Request) -> JSONResponse:
            return JSONResponse(json.loads(json.dumps(self.health(), default=str)))

        return Starlette(routes=[Route("/health", health, methods=["GET"])])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.daemon", description=__doc__)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--seed", action="store_true", help="add a demo shop's data")
    parser.add_argument(
        "--reconcile-every", type=float, default=None, help="seconds (default: the template's)"
    )
    parser.add_argument("--log-level", default="INFO", help="the functions' log level")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.state_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s"
    )
    # The functions' metrics go to CloudWatch on AWS; here they would only fill the log.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    daemon = Daemon(args)

    def stop(signum: int, frame: object) -> None:
        logger.info("signal %s: stopping", signum)
        daemon.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return daemon.run()


if __name__ == "__main__":
    raise SystemExit(main())
