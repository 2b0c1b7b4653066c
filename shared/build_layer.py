"""Builds one Lambda layer's `python/` directory; `shared/Makefile` runs it under `sam build`.

Two layers, so that no function downloads what it never imports:

- `SharedLayer` (every function): autobook and what the webhook needs (Powertools, pydantic,
  httpx, tzdata). Built from `requirements.txt`.
- `SoapAndTemplatesLayer` (all but the webhook): the Webshop SOAP client (zeep, lxml) and the
  mail and page templates (Jinja2, css-inline). Built from `requirements-soap-templates.txt`
  resolved together with `requirements.txt`, keeping only what the shared layer lacks, so a
  package is never in both layers; the build fails if the two resolutions disagree on a
  version.

Both: wheels for the runtime (CPython 3.13, arm64 Amazon Linux 2023, glibc 2.34), never boto3
or botocore (the runtime has them), no build inputs (C headers, Cython sources, type stubs,
scripts), and third-party code as bytecode only. /opt is read-only on Lambda, so sources
without their .pyc would be compiled at every cold start; bytecode without sources loads the
same and halves the size. autobook keeps its sources beside unchecked-hash .pyc, so its
tracebacks in the logs show the failing line.
"""

import argparse
import compileall
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNTIME_SDK = ("boto3", "botocore", "s3transfer")
GLIBC = ("2_34", "2_28", "2_17")
BUILD_INPUTS = ("*.pyx", "*.pxd", "*.pxi", "*.h", "*.c", "*.pyi")
# pip's install records and the wheels' software bills of materials: nothing imports them.
INSTALL_RECORDS = ("*.dist-info/RECORD", "*.dist-info/INSTALLER", "*.dist-info/sboms")
# Parts of a dependency nothing else uses, each with the import (or call) that would need it:
# the build fails if autobook or another package in the layer mentions one. (The dependency's
# own optional modules may: lxml's doctest helpers import lxml.html.)
UNUSED_PARTS = {
    "lxml/objectify.*.so": r"lxml\.objectify|from lxml import .*objectify",  # zeep: etree only
    "lxml/html": r"lxml\.html|from lxml import .*html",
    "lxml/isoschematron": r"isoschematron",
    # Swagger UI's JavaScript and CSS, served only by enable_swagger().
    "aws_lambda_powertools/event_handler/openapi/swagger_ui/*.min.*": r"enable_swagger\(",
}


def _install(
    requirements: list[Path], target: Path, machine: str, constraints: Path | None
) -> None:
    platforms = [arg for glibc in GLIBC for arg in ("--platform", f"manylinux_{glibc}_{machine}")]
    files = [arg for path in requirements for arg in ("-r", str(path))]
    if constraints is not None:
        files += ["-c", str(constraints)]
    subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-warn-conflicts", "--no-compile", "--target", str(target)),
            *("--implementation", "cp", "--python-version", "3.13", "--abi", "cp313"),
            *("--only-binary=:all:", *platforms, *files),
        ],
        check=True,
    )


def _entries(site: Path) -> set[str]:
    return {path.name for path in site.iterdir() if path.name not in ("bin", "__pycache__")}


def _without(full: Path, shared: Path, site: Path) -> None:
    """Moves into `site` what `full` holds beyond `shared`; fails on a differing version."""
    shared_dists = {name for name in _entries(shared) if name.endswith(".dist-info")}
    full_dists = {name for name in _entries(full) if name.endswith(".dist-info")}
    if shared_dists - full_dists:
        differ = ", ".join(sorted(shared_dists - full_dists))
        sys.exit(f"the two layers resolved different versions of: {differ}")
    site.mkdir(parents=True, exist_ok=True)
    for name in sorted(_entries(full) - _entries(shared)):
        shutil.move(full / name, site / name)


def _refuse_runtime_sdk(site: Path) -> None:
    for sdk in RUNTIME_SDK:
        if (site / sdk).exists():
            sys.exit(f"{sdk} is in the layer: the runtime provides it")


def _drop_unused_parts(site: Path) -> None:
    texts = {
        path: path.read_text(errors="replace")
        for path in [*site.rglob("*.py"), *(HERE / "autobook").rglob("*.py")]
    }
    for pattern, needed_by in UNUSED_PARTS.items():
        parts = list(site.glob(pattern))
        owner = site / pattern.split("/")[0]
        users = [
            str(path)
            for path, text in texts.items()
            if parts and not path.is_relative_to(owner) and re.search(needed_by, text)
        ]
        if users:
            sys.exit(f"{pattern} is used by {', '.join(users)}: it must stay in the layer")
        for part in parts:
            shutil.rmtree(part) if part.is_dir() else part.unlink()


def _prune(site: Path) -> None:
    shutil.rmtree(site / "bin", ignore_errors=True)
    shutil.rmtree(site / "lxml" / "includes", ignore_errors=True)
    for pattern in BUILD_INPUTS + INSTALL_RECORDS:
        for path in list(site.rglob(pattern)):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for cache in list(site.rglob("__pycache__")):
        shutil.rmtree(cache)
    # A directory left empty (pydantic_core's stub-only one) would import as a namespace package.
    for directory in sorted(site.rglob("*"), key=lambda p: -len(p.parts)):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def _compile(site: Path, *, keep_sources: set[str]) -> None:
    for entry in sorted(site.iterdir()):
        if entry.name in keep_sources:
            compiled = compileall.compile_dir(
                entry,
                quiet=1,
                workers=1,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            sources = []
        else:
            # legacy=True writes module.pyc beside module.py: what Python loads without a source.
            sources = [entry] if entry.suffix == ".py" else list(entry.rglob("*.py"))
            compiled = all(compileall.compile_file(s, quiet=1, legacy=True) for s in sources)
        if not compiled:
            sys.exit(f"{entry.name} does not compile for this Python")
        for source in sources:
            source.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=Path, required=True)
    parser.add_argument("--beside", type=Path, help="the shared layer's requirements")
    parser.add_argument("--with-autobook", action="store_true")
    parser.add_argument("--site", type=Path, required=True, help="the layer's python/ directory")
    parser.add_argument(
        "--machine",
        default="aarch64",
        help="the wheels' architecture: the runtime's, or this machine's to load the layer here",
    )
    parser.add_argument("--constraints", type=Path, help="pip constraints: the versions to use")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 13):
        sys.exit("build the layers with Python 3.13: the runtime loads only its own bytecode")
    site: Path = args.site
    if args.beside is None:
        _install([args.requirements], site, args.machine, args.constraints)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            shared, full = Path(scratch, "shared"), Path(scratch, "full")
            _install([args.beside], shared, args.machine, args.constraints)
            _install([args.beside, args.requirements], full, args.machine, args.constraints)
            _without(full, shared, site)
    _refuse_runtime_sdk(site)
    _prune(site)
    _drop_unused_parts(site)
    if args.with_autobook:
        shutil.copytree(HERE / "autobook", site / "autobook")
        for cache in list((site / "autobook").rglob("__pycache__")):
            shutil.rmtree(cache)
    _compile(site, keep_sources={"autobook"} if args.with_autobook else set())


if __name__ == "__main__":
    main()
