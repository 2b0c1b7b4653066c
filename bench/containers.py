"""Lambda containers for the benchmarks: the booking and mailer functions as separate
processes, as many as the template's MaximumConcurrency allows, each importing its handler
cold and then polling its queue like the event-source mapping, against a running local stack.

Used by bench/throttled.py and bench/throughput.py; not a benchmark itself.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.environment import LocalEnvironment

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ("BookingFunction", "MailerFunction")


@dataclass(frozen=True)
class Worker:
    function: str
    code_dir: str
    environment: dict[str, str]
    queue_url: str
    queue_arn: str
    region: str
    batch_size: int


def memory_line(containers: Containers) -> str:
    return " ".join(
        f"{function}={containers.imported_rss_mb.get(function, 0):.0f}/"
        f"{containers.first_batch_rss_mb.get(function, 0):.0f}/"
        f"{containers.peak_rss_mb.get(function, 0):.0f}MB"
        for function in FUNCTIONS
    )


@dataclass
class Containers:
    workers: list[Worker]
    cold_seconds: float = 0.0
    # Resident memory per function, MB, the most over its containers: after the cold import,
    # after the first batch (a cold container's first invocation) and at the end.
    imported_rss_mb: dict[str, float] = field(default_factory=dict)
    first_batch_rss_mb: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: on Linux that
    keeps the forking parent's peak across exec, i.e. the whole local stack's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _work(worker: Worker, ready: Any, go: Any, stop: Any, results: Any) -> None:
    """One container: import the handler cold, say so, wait for the start, then deliver
    batches until stopped. Failed records keep the visibility the handler gave them (e-conomic's
    Retry-After), as on AWS."""
    os.environ.update(worker.environment)
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    import importlib.util

    import boto3

    # Light modules only: the peak memory measured is the function's, not the sandbox's.
    from sandbox.local.context import LocalLambdaContext
    from sandbox.local.events import sqs_event

    spec = importlib.util.spec_from_file_location("app", Path(worker.code_dir) / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler = module.lambda_handler
    sqs = boto3.client("sqs")
    imported_kb = _peak_kb()
    ready.put(worker.function)
    go.wait()
    batches, first_batch_kb = 0, 0
    while not stop.is_set():
        messages = sqs.receive_message(
            QueueUrl=worker.queue_url,
            MaxNumberOfMessages=worker.batch_size,
            AttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            stop.wait(0.05)
            continue
        event = sqs_event(messages, worker.queue_arn, worker.region)
        batches += 1
        try:
            answer = handler(event, LocalLambdaContext(function_name=worker.function)) or {}
            failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        except Exception:  # the invocation failed: the whole batch comes back
            failed = {m["MessageId"] for m in messages}
        if batches == 1:
            first_batch_kb = _peak_kb()
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(
                    QueueUrl=worker.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
    peak_kb = _peak_kb()
    results.put((worker.function, imported_kb / 1024, first_batch_kb / 1024, peak_kb / 1024))


def _event_source(template: dict[str, Any], function: str) -> dict[str, Any]:
    events = template["Resources"][function]["Properties"]["Events"].values()
    (sqs,) = [e["Properties"] for e in events if e["Type"] == "SQS"]
    return sqs


def _workers(env: LocalEnvironment) -> list[Worker]:
    assert env.aws is not None
    template = env.aws.template
    workers = []
    for function in FUNCTIONS:
        source = _event_source(template, function)
        (queue_id,) = env.aws.stack.event_sources[function]
        worker = Worker(
            function=function,
            code_dir=str(ROOT / template["Resources"][function]["Properties"]["CodeUri"]),
            environment=env.aws.env_for(function),
            queue_url=env.aws.stack.queues[queue_id],
            queue_arn=env.aws.stack.queue_arns[queue_id],
            region=env.aws.region,
            batch_size=int(source["BatchSize"]),
        )
        workers += [worker] * int(source["ScalingConfig"]["MaximumConcurrency"])
    return workers


@contextmanager
def running(env: LocalEnvironment) -> Iterator[Containers]:
    """Start the containers, wait until every one has started cold (not counted), and yield;
    they stop when the block ends, reporting their peak memory."""
    context = multiprocessing.get_context("spawn")
    ready, go, stop, results = context.Queue(), context.Event(), context.Event(), context.Queue()
    containers = Containers(_workers(env))
    processes = [
        context.Process(target=_work, args=(w, ready, go, stop, results))
        for w in containers.workers
    ]
    spawned = time.monotonic()
    for process in processes:
        process.start()
    try:
        for _ in processes:
            ready.get(timeout=300)
        containers.cold_seconds = time.monotonic() - spawned
        go.set()
        yield containers
    finally:
        go.set()
        stop.set()
        for _ in processes:
            function, imported_mb, first_mb, peak_mb = results.get(timeout=120)
            cold = containers.imported_rss_mb
            cold[function] = max(cold.get(function, 0), imported_mb)
            first = containers.first_batch_rss_mb
            first[function] = max(first.get(function, 0), first_mb)
            containers.peak_rss_mb[function] = max(containers.peak_rss_mb.get(function, 0), peak_mb)
        for process in processes:
            process.join(timeout=30)
