"""The layering of docs/architecture.md, read from the source: only adapters touch boto3,
botocore or httpx; nothing deployed imports the sandbox or the CLI; no module reaches for
another module's private names."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = [ROOT / "shared" / "autobook", ROOT / "functions"]
ADAPTER_PACKAGES = ("store", "messaging", "notify", "economic", "dandomain")
OUTSIDE_LIBRARIES = ("boto3", "botocore", "httpx")
NEVER_DEPLOYED = ("sandbox", "autobook_cli", "tests", "bench")


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for top in DEPLOYED:
        for path in sorted(top.rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _type_only(tree: ast.Module) -> set[ast.AST]:
    """The statements under `if TYPE_CHECKING:` (never imported at run time)."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                found.update(ast.walk(statement))
    return found


def _imports(tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
    """(module imported, names taken from it), at any depth (lazy imports count too), except
    the type-only ones."""
    type_only = _type_only(tree)
    for node in ast.walk(tree):
        if node in type_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def _package_of(path: Path) -> str | None:
    """The adapter package a module of shared/autobook lives in, if any."""
    parts = path.relative_to(ROOT).parts
    if parts[:2] == ("shared", "autobook") and len(parts) > 3:
        return parts[2]
    return None


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def test_given_the_deployed_code_then_it_has_modules_to_check() -> None:
    assert len(list(_modules())) > 50


@pytest.mark.parametrize("library", OUTSIDE_LIBRARIES)
def test_given_a_module_outside_the_adapters_then_it_never_imports_an_outside_library(
    library: str,
) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path, tree in _modules()
        if _package_of(path) not in ADAPTER_PACKAGES
        and any(_top(module) == library for module, _ in _imports(tree))
    ]
    assert offenders == []


def test_given_the_deployed_package_then_nothing_imports_what_is_not_deployed() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, tree in _modules()
        for module, _ in _imports(tree)
        if _top(module) in NEVER_DEPLOYED
    ]
    assert offenders == []


def test_given_any_module_then_it_takes_no_private_name_from_another() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: from {module} import {name}"
        for path, tree in _modules()
        for module, names in _imports(tree)
        for name in names
        if _top(module) == "autobook" and name.startswith("_")
    ]
    assert offenders == []
