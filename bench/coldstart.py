"""Cold start of each function against bare boto3, measured in one run (bench/README.md,
"Cold start").

A cold start imports everything anew, so every sample is a fresh interpreter. Per function it
times two steps in that one process:

- `import app`: the handler module, as Lambda's init phase runs it (with .pyc: a warm-up run
  compiles the sources first, as `sam build` output is run);
- `+ AWS clients`: the boto3 clients the function's first request builds (its adapters create
  them lazily), so a function cannot look fast by only moving work into its first request.

The reference, sampled round-robin with the functions so that drift hits all alike, is a
module that imports boto3 and creates one SQS client. Figures are medians over `--runs`, and
ratios to that reference. `--before REV` measures another revision (a temporary git worktree)
in the same run, e.g. the code before the ports redesign, `031eaf4`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REFERENCE = "import boto3; boto3.client('sqs')"

# The clients each function's first request creates (what its adapters build on first use).
CLIENTS = {
    "webhook": ("dynamodb", "secretsmanager", "sqs"),
    "booking": ("dynamodb", "secretsmanager", "sqs"),
    "mailer": ("dynamodb", "secretsmanager", "sesv2"),
    "reconcile": ("dynamodb", "secretsmanager", "sqs"),
    "owner_page": ("dynamodb", "secretsmanager", "sqs"),
}

# What template.yaml gives the functions (values do not matter: nothing is called); a superset
# of what every measured revision's settings require.
ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "autobook",
    "POWERTOOLS_METRICS_NAMESPACE": "autobook",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "SHOPS_TABLE": "shops",
    "LEDGER_TABLE": "ledger",
    "ERRORS_TABLE": "errors",
    "IDEMPOTENCY_TABLE": "idempotency",
    "ORDERS_QUEUE_URL": "https://sqs.invalid/orders.fifo",
    "INVOICES_QUEUE_URL": "https://sqs.invalid/invoices",
    "SECRETS_PREFIX": "autobook/bench/",
    "SENDER_ADDRESS": "bench@example.invalid",
    "OWNER_PAGE_URL": "https://owner.invalid/",
}


@dataclass(frozen=True)
class Target:
    label: str
    tree: Path
    function: str | None  # None: the reference


def _program(target: Target) -> str:
    if target.function is None:
        return f"import time\nt=time.perf_counter()\n{REFERENCE}\nprint(time.perf_counter()-t, 0)"
    paths = [str(target.tree / "functions" / target.function), str(target.tree / "shared")]
    clients = "; ".join(f"boto3.client({name!r})" for name in CLIENTS[target.function])
    clients = clients.replace("boto3.client('dynamodb')", "boto3.resource('dynamodb')")
    return "\n".join(
        [
            f"import sys, time; sys.path[:0] = {paths!r}",
            "t = time.perf_counter()",
            "import app",
            "imported = time.perf_counter() - t",
            "t = time.perf_counter()",
            f"import boto3; {clients}",
            "print(imported, time.perf_counter() - t)",
        ]
    )


def _sample(target: Target) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _program(target)],
        check=False,
        capture_output=True,
        text=True,
        cwd=target.tree,
        env={**os.environ, **ENVIRONMENT},
    )
    if out.returncode != 0:  # e.g. an older revision needs a library this venv lacks
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"{target.label}: the import failed: {last}")
    imported, clients = out.stdout.split()[-2:]
    return float(imported), float(clients)


def _targets(tree: Path, label: str) -> list[Target]:
    return [
        Target(f"{label}{name}", tree, name)
        for name in CLIENTS
        if (tree / "functions" / name / "app.py").exists()
    ]


def _worktree(rev: str, into: Path) -> Path:
    path = into / rev
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(path), rev],
        check=True,
        capture_output=True,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", metavar="REV", help="also measure this revision")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        targets = [Target("reference (boto3 + SQS client)", ROOT, None), *_targets(ROOT, "")]
        if args.before:
            before = _worktree(args.before, Path(scratch))
            targets += _targets(before, f"{args.before}: ")
        try:
            for target in targets:  # warm-up: compiles .pyc, fills the page cache
                _sample(target)
            samples: dict[str, list[tuple[float, float]]] = {t.label: [] for t in targets}
            for _ in range(args.runs):
                for target in targets:
                    samples[target.label].append(_sample(target))
        finally:
            if args.before:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                    check=False,
                    capture_output=True,
                )

    reference = statistics.median(s[0] for s in samples[targets[0].label])
    print(f"runs={args.runs} python={sys.version.split()[0]} reference={reference * 1000:.1f} ms")
    print(f"{'':40s} {'import app':>16s} {'+ AWS clients':>16s}")
    for target in targets[1:]:
        imported = statistics.median(s[0] for s in samples[target.label])
        total = statistics.median(s[0] + s[1] for s in samples[target.label])
        print(
            f"{target.label:40s} {imported * 1000:7.1f} ms x{imported / reference:.2f}"
            f" {total * 1000:7.1f} ms x{total / reference:.2f}"
        )


if __name__ == "__main__":
    main()
