"""Each function as Lambda loads it from `sam build`'s output: its own code, only the layers the
template gives it, and the runtime's SDK. `make build` runs this after `sam build`, so a layer
that lacks something a function needs fails the build, not the first order.

The built layers hold arm64 binaries, which this machine cannot load; so each layer is built
again by the same `shared/Makefile` target for this machine's architecture, pinned to the
versions the arm64 build chose, and must then hold the same distributions. Per function, a
fresh interpreter without site-packages (`-I -S`) whose path is the function's build
directory, those layers' `python/` and a directory holding just the SDK the python3.13 runtime
provides (boto3, botocore and their dependencies, linked from this venv) imports the handler
module and then exercises what the layers ship:

- every function: each autobook module imports, or (the webhook) fails only for want of the
  SOAP-and-templates layer it does not get;
- the others: an owner mail is rendered (Jinja2, css-inline) and the Webshop SOAP client is
  built from the shipped WSDL (zeep, lxml), without network.
"""

import json
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from sandbox.stack.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".aws-sam" / "build"
# What the Lambda python3.13 runtime has besides the standard library.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
# The functions that go without the SOAP-and-templates layer, and why they may.
LEAN_FUNCTIONS = {
    "WebhookFunction": "answers from the shop config, its secret and the queue alone",
}
# What template.yaml gives the functions (the values do not matter: nothing is called).
ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "autobook",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "SHOPS_TABLE": "shops",
    "LEDGER_TABLE": "ledger",
    "ERRORS_TABLE": "errors",
    "CALL_BUDGET_TABLE": "call-budget",
    "ORDERS_QUEUE_URL": "https://sqs.invalid/orders.fifo",
    "INVOICES_QUEUE_URL": "https://sqs.invalid/invoices",
    "SECRETS_PREFIX": "autobook/test/",
    "SENDER_ADDRESS": "test@example.invalid",
    "OWNER_PAGE_URL": "https://owner.invalid/",
    "POWERTOOLS_METRICS_NAMESPACE": "autobook",
}


@dataclass(frozen=True)
class DeployedFunction:
    name: str  # the template's logical id
    source: Path  # its CodeUri in the repository
    code: Path  # what sam build made of it
    layers: tuple[Path, ...]


def deployed_functions(build: Path = BUILD) -> list[DeployedFunction]:
    """The template's functions with their build directories and their layers', in order."""
    built: dict[str, Any] = load_template(build / "template.yaml")["Resources"]
    template = load_template(ROOT / "template.yaml")
    glob = template.get("Globals", {}).get("Function", {})
    functions = []
    for name, resource in sorted(built.items()):
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        # SAM concatenates a list in Globals with the function's own.
        layers = [*glob.get("Layers", []), *resource["Properties"].get("Layers", [])]
        functions.append(
            DeployedFunction(
                name=name,
                source=ROOT / template["Resources"][name]["Properties"]["CodeUri"],
                code=build / name,
                layers=tuple(build / layer["Ref"] for layer in layers),
            )
        )
    return functions


_PROBE = """
import json, pkgutil, sys
sys.path[:0] = PATHS
import app
import autobook
missing = {}
for module in pkgutil.walk_packages(autobook.__path__, "autobook."):
    try:
        __import__(module.name)
    except ModuleNotFoundError as error:
        missing[module.name] = error.name
exercised = []
if not missing:
    from datetime import datetime, timedelta, timezone
    from autobook.domain.errors import ErrorCode
    from autobook.domain.shop import Language, OwnerContact
    from autobook.notify.owner_mail import render_owner_mail
    from autobook.notify.owner_views import PageLink, ShopResumedMail, ShopView
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    owner = OwnerContact(addresses=("ejer@example.invalid",), language=Language.DA)
    page = PageLink(url="https://example.invalid/owner/s?t=1", expires_at=now + timedelta(days=14))
    mail = ShopResumedMail(
        shop=ShopView(shop_id="s", name="Butik", owner=owner, page=page),
        code=ErrorCode.ECONOMIC_ACCESS, paused_since=now - timedelta(hours=1),
        resumed_at=now, resumed_orders=1,
    )
    html = render_owner_mail(mail, sender="s@example.invalid").get_body(("html",)).get_content()
    assert "style=" in html, "css-inline did not inline the mail's style"
    exercised.append("owner mail rendered")
    import httpx
    from autobook.dandomain.webshop_client import WebshopClient
    WebshopClient(endpoint="https://x.invalid/service.php", username="u", password="p",
                  http=httpx.Client())
    exercised.append("Webshop SOAP client built")
outside = sorted({
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and not any(module.__file__.startswith(p) for p in PATHS + [sys.base_prefix])
})
print(json.dumps({"missing": missing, "exercised": exercised, "outside": outside}))
"""


def runtime_sdk(into: Path) -> Path:
    """A directory holding only what the python3.13 runtime adds to the standard library."""
    into.mkdir()
    for name in RUNTIME_SDK:
        module = import_module(name)
        source = Path(module.__file__ or "")
        target = source.parent if source.name == "__init__.py" else source
        (into / target.name).symlink_to(target)
    return into


def _top_level(layer: Path) -> set[str]:
    """The importable names a layer provides: `lxml`, `typing_extensions`, …"""
    return {p.name.split(".")[0] for p in (layer / "python").iterdir() if "-" not in p.name}


def _distributions(layer: Path) -> set[str]:
    return {p.name for p in (layer / "python").glob("*.dist-info")}


def _pins(layers: set[Path], into: Path) -> Path:
    """A pip constraints file: every distribution the built layers hold, at its version."""
    pins = sorted(
        "==".join(name.removesuffix(".dist-info").rsplit("-", 1))
        for layer in layers
        for name in _distributions(layer)
    )
    path = into / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def loadable_layers(layers: set[Path], into: Path) -> dict[Path, Path]:
    """Each built layer made again for this machine at the same versions, and checked to hold
    the same distributions."""
    constraints = _pins(layers, into)
    loadable = {}
    for layer in sorted(layers):
        again = into / layer.name
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                *("make", "-s", "-C", str(ROOT / "shared"), f"build-{layer.name}"),
                *(f"ARTIFACTS_DIR={again}", f"PYTHON={sys.executable}"),
                f"LAYER_MACHINE={platform.machine()}",
                f"CONSTRAINTS={constraints}",
            ],
            check=True,
            capture_output=True,
        )
        if _distributions(again) != _distributions(layer):
            differ = sorted(_distributions(again) ^ _distributions(layer))
            sys.exit(f"{layer.name} built for {platform.machine()} differs: {differ}")
        loadable[layer] = again
    return loadable


def probe(function: DeployedFunction, layers: dict[Path, Path], sdk: Path) -> dict[str, Any]:
    paths = [str(function.code), *(str(layers[layer] / "python") for layer in function.layers)]
    paths.append(str(sdk))
    program = f"PATHS = {json.dumps(paths)}\n{_PROBE}"
    done = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-I", "-S", "-c", program],
        capture_output=True,
        text=True,
        env=ENVIRONMENT,
        cwd=function.code,
    )
    if done.returncode != 0:
        return {"failed": done.stderr.strip().splitlines()[-1:] or ["no output"]}
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    functions = deployed_functions()
    if not functions:
        sys.exit(f"no functions in {BUILD}: run `sam build` first")
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        sdk = runtime_sdk(Path(scratch, "sdk"))
        layers = loadable_layers({layer for f in functions for layer in f.layers}, Path(scratch))
        for function in functions:
            result = probe(function, layers, sdk)
            names = ", ".join(layer.name for layer in function.layers)
            if "failed" in result:
                problems.append(f"{function.name}: {result['failed'][0]}")
                continue
            wanting = {name.split(".")[0] for name in result["missing"].values()}
            # Only a lean function may miss anything, and only what a layer it is not given holds.
            elsewhere = {
                name
                for layer in layers.keys() - set(function.layers)
                for name in _top_level(layers[layer])
            }
            if wanting and (function.name not in LEAN_FUNCTIONS or wanting - elsewhere):
                problems.append(f"{function.name} lacks {', '.join(sorted(wanting))}")
            if result["outside"]:
                problems.append(f"{function.name} loaded {result['outside']} from elsewhere")
            done = ", ".join(result["exercised"]) or (
                f"every autobook module but those needing {', '.join(sorted(wanting))}"
            )
            print(f"{function.name:22s} [{names}]: handler and autobook imported; {done}")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()
