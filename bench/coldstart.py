"""Cold start of each function as deployed, against bare boto3, measured in one run
(bench/README.md, "Cold start"). Needs `make build` first.

A cold start imports everything anew, so every sample is a fresh interpreter without
site-packages (`-I -S`) whose path is what Lambda gives the function: its code from `sam
build`'s output, its layers (built again for this machine by the same `shared/Makefile`
targets, `sandbox/built_layers.py`: bytecode only, as shipped) and the runtime's SDK. Per
function it times two steps in that one process:

- `import app`: the handler module, as Lambda's init phase runs it;
- `+ AWS clients`: the boto3 clients the function's first request builds (its adapters create
  them lazily), so a function cannot look fast by only moving work into its first request.

The reference, sampled round-robin with the functions so that drift hits all alike, is a
module that imports boto3 (the runtime's, nothing else on its path) and creates one SQS
client. Figures are medians over `--runs`, and ratios to that reference.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sandbox.built_layers import (  # noqa: E402 - after the path
    BUILD,
    ENVIRONMENT,
    deployed_functions,
    loadable_layers,
    runtime_sdk,
)

REFERENCE = "import boto3; boto3.client('sqs')"

# The clients each function's first request creates (what its adapters build on first use).
CLIENTS = {
    "webhook": ("dynamodb", "secretsmanager", "sqs"),
    "booking": ("dynamodb", "secretsmanager", "sqs"),
    "mailer": ("dynamodb", "secretsmanager", "sesv2"),
    "reconcile": ("dynamodb", "secretsmanager", "sqs"),
    "owner_page": ("dynamodb", "secretsmanager", "sqs"),
}


@dataclass(frozen=True)
class Target:
    label: str
    paths: tuple[str, ...]
    function: str | None  # None: the reference


def _program(target: Target) -> str:
    lines = [f"import sys, time; sys.path[:0] = {list(target.paths)!r}"]
    if target.function is None:
        return "\n".join(
            [*lines, "t=time.perf_counter()", REFERENCE, "print(time.perf_counter()-t, 0)"]
        )
    clients = "; ".join(f"boto3.client({name!r})" for name in CLIENTS[target.function])
    clients = clients.replace("boto3.client('dynamodb')", "boto3.resource('dynamodb')")
    return "\n".join(
        [
            *lines,
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
        [sys.executable, "-I", "-S", "-c", _program(target)],
        check=False,
        capture_output=True,
        text=True,
        cwd=target.paths[0],
        env=ENVIRONMENT,
    )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"{target.label}: the import failed: {last}")
    imported, clients = out.stdout.split()[-2:]
    return float(imported), float(clients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    functions = deployed_functions()
    if not functions:
        sys.exit(f"no build output in {BUILD}: run `make build` first")

    with tempfile.TemporaryDirectory() as scratch:
        sdk = str(runtime_sdk(Path(scratch, "sdk")))
        layers = loadable_layers({layer for f in functions for layer in f.layers}, Path(scratch))
        targets = [Target("reference (boto3 + SQS client)", (sdk,), None)]
        for function in functions:
            paths = [
                str(function.code),
                *(str(layers[layer] / "python") for layer in function.layers),
            ]
            targets.append(Target(function.source.name, (*paths, sdk), function.source.name))
        for target in targets:  # warm-up: fills the page cache
            _sample(target)
        samples: dict[str, list[tuple[float, float]]] = {t.label: [] for t in targets}
        for _ in range(args.runs):
            for target in targets:
                samples[target.label].append(_sample(target))

    reference = statistics.median(s[0] for s in samples[targets[0].label])
    print(f"runs={args.runs} python={sys.version.split()[0]} reference={reference * 1000:.1f} ms")
    print(f"{'':16s} {'import app':>16s} {'+ AWS clients':>16s}")
    ratios = {}
    for target in targets[1:]:
        imported = statistics.median(s[0] for s in samples[target.label])
        total = statistics.median(s[0] + s[1] for s in samples[target.label])
        ratios[target.label] = imported / reference
        print(
            f"{target.label:16s} {imported * 1000:7.1f} ms x{imported / reference:.2f}"
            f" {total * 1000:7.1f} ms x{total / reference:.2f}"
        )
    others = max(ratio for label, ratio in ratios.items() if label != "webhook")
    print(f"webhook_import_ratio={ratios['webhook']:.2f} largest_other_import_ratio={others:.2f}")


if __name__ == "__main__":
    main()
