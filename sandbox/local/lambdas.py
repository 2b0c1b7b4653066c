"""Invoke the real handlers in-process with the environment template.yaml gives them, and
emulate Lambda's SQS event-source mapping (receive a batch, invoke, delete what succeeded)."""

import importlib.util
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from sandbox.local.context import LocalLambdaContext
from sandbox.local.events import api_gateway_post, sqs_event
from sandbox.stack.local_aws import LocalAws

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DrainReport:
    invocations: int = 0
    processed: int = 0
    failed: int = 0
    outcomes: list[str] = field(default_factory=list)


def load_handler(code_dir: Path, name: str) -> ModuleType:
    """Import functions/<name>/app.py under a unique module name, as Lambda would import app."""
    spec = importlib.util.spec_from_file_location(f"autobook_fn_{name}", code_dir / "app.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"no handler in {code_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class LocalLambdas:
    def __init__(self, aws: LocalAws, *, before_invoke: Callable[[], None] | None = None) -> None:
        self._aws = aws
        self._modules: dict[str, ModuleType] = {}
        self._before_invoke = before_invoke
        # Handlers read os.environ: one invocation at a time, like one Lambda sandbox.
        self._lock = threading.RLock()
        self._envs: dict[str, dict[str, str]] = {}

    def forget_environment(self) -> None:
        """The next invocation of every function starts cold (a new module, a new composition
        root, new clients), as after a redeploy."""
        self._modules.clear()
        self._envs.clear()
        boto3.DEFAULT_SESSION = None

    def module(self, function_logical_id: str) -> ModuleType:
        """The function's handler module, imported (cold start) in the function's environment
        the first time, and again whenever that environment changed."""
        env = self._aws.env_for(function_logical_id)
        if self._envs.get(function_logical_id) != env:
            self._modules.pop(function_logical_id, None)
        if function_logical_id not in self._modules:
            with self._aws.apply_env(function_logical_id):
                props = self._aws.template["Resources"][function_logical_id]["Properties"]
                code_dir = REPO_ROOT / str(props["CodeUri"])
                self._modules[function_logical_id] = load_handler(code_dir, code_dir.name)
            self._envs[function_logical_id] = env
        return self._modules[function_logical_id]

    def invoke(self, function_logical_id: str, event: dict[str, Any]) -> Any:
        with self._lock, self._aws.apply_env(function_logical_id):
            handler = self.module(function_logical_id).lambda_handler
            if self._before_invoke:
                self._before_invoke()
            return handler(event, LocalLambdaContext(function_name=function_logical_id))

    def post_webhook(
        self,
        shop_id: str,
        body: bytes,
        *,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        event = api_gateway_post(
            f"/webhook/{shop_id}",
            body,
            path_parameters={"shop_id": shop_id},
            resource="/webhook/{shop_id}",
            headers={"Content-Type": "application/json", **(headers or {})},
            query=query,
        )
        answer = self.invoke("WebhookFunction", event)
        return int(answer["statusCode"]), json.loads(answer.get("body") or "{}")

    def drain(
        self,
        function_logical_id: str,
        *,
        batch_size: int = 10,
        max_batches: int = 10_000,
        release_failed: bool = True,
    ) -> DrainReport:
        """Deliver the function's queue to it until nothing is receivable, like the event-source
        mapping: records the function reports as failed — or the whole batch, when the
        invocation itself fails — stay on the queue. With `release_failed` (the default) they
        come back at once, as if their visibility timeout had passed; without it they keep the
        visibility the handler gave them (e.g. e-conomic's Retry-After), as on AWS."""
        (queue_id,) = self._aws.stack.event_sources[function_logical_id]
        url = self._aws.stack.queues[queue_id]
        arn = self._aws.stack.queue_arns[queue_id]
        sqs = self._aws.client("sqs")
        report = DrainReport()
        for _ in range(max_batches):
            answer = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=batch_size,
                AttributeNames=["All"],
                MessageSystemAttributeNames=["All"],
            )
            messages = answer.get("Messages", [])
            if not messages:
                return report
            event = sqs_event(messages, arn, self._aws.region)
            try:
                failures = (self.invoke(function_logical_id, event) or {}).get(
                    "batchItemFailures", []
                )
                failed_ids = {f["itemIdentifier"] for f in failures}
            except Exception:  # the invocation failed: Lambda returns the whole batch
                failed_ids = {m["MessageId"] for m in messages}
            report.invocations += 1
            for message in messages:
                handle = message["ReceiptHandle"]
                if message["MessageId"] not in failed_ids:
                    report.processed += 1
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
                    continue
                report.failed += 1
                if release_failed:
                    sqs.change_message_visibility(
                        QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0
                    )
        return report
