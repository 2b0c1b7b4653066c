"""The CLI is not deployed: nothing of it (or of Typer/Rich, or the sandbox) reaches the Lambda
layer, and the CLI reaches the sandbox only by starting it, never by importing it on load."""

import re
from pathlib import Path

from sandbox.stack.cfn_yaml import load_template

REPO_ROOT = Path(__file__).resolve().parents[3]
SANDBOX_IMPORT = re.compile(r"^\s*(?:from|import) sandbox\b", re.M)
TOP_LEVEL_SANDBOX_IMPORT = re.compile(r"^(?:from|import) sandbox\b", re.M)


def test_given_the_layer_then_it_holds_no_cli_and_needs_neither_typer_nor_rich() -> None:
    layer = load_template(REPO_ROOT / "template.yaml")["Resources"]["SharedLayer"]["Properties"]
    content = REPO_ROOT / layer["ContentUri"]
    requirements = "\n".join(p.read_text().lower() for p in content.glob("requirements*.txt"))
    sources = "\n".join(p.read_text() for p in content.rglob("*.py"))

    assert not (content / "autobook" / "cli").exists()
    assert not re.search(r"^(typer|rich)\b", requirements, re.M)
    assert "autobook_cli" not in sources
    assert not SANDBOX_IMPORT.search(sources)


def test_given_the_cli_modules_then_none_imports_the_sandbox_when_loaded() -> None:
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "autobook_cli").rglob("*.py")
        if TOP_LEVEL_SANDBOX_IMPORT.search(path.read_text())
    ]

    assert offenders == []
