"""The layer build's rules (shared/build_layer.py), on small made-up site directories: the
second layer holds only what the shared one lacks, at the same versions; an unused part of a
dependency goes only while nothing else mentions it; third-party code ships as bytecode only
and still imports; autobook keeps its sources."""

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.disable_socket


def _build_layer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_layer", ROOT / "shared" / "build_layer.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_layer = _build_layer()


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_given_both_resolutions_when_split_then_the_second_layer_holds_only_what_the_first_lacks(
    tmp_path: Path,
) -> None:
    shared = _site(
        tmp_path / "shared", {"pydantic/__init__.py": "", "pydantic-2.1.dist-info/M": ""}
    )
    full = _site(
        tmp_path / "full",
        {
            "pydantic/__init__.py": "",
            "pydantic-2.1.dist-info/M": "",
            "zeep/__init__.py": "",
            "zeep-4.3.dist-info/M": "",
        },
    )

    build_layer._without(full, shared, tmp_path / "site")

    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["zeep", "zeep-4.3.dist-info"]


def test_given_another_version_in_the_full_resolution_when_split_then_the_build_fails(
    tmp_path: Path,
) -> None:
    shared = _site(tmp_path / "shared", {"idna-3.1.dist-info/M": ""})
    full = _site(tmp_path / "full", {"idna-3.2.dist-info/M": "", "zeep-4.3.dist-info/M": ""})

    with pytest.raises(SystemExit, match=r"different versions of: idna-3\.1"):
        build_layer._without(full, shared, tmp_path / "site")


def test_given_an_unused_part_nothing_mentions_when_pruned_then_it_is_gone(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "lxml/etree.py": "",
            "lxml/html/__init__.py": "from lxml import etree",
            "lxml/doctestcompare.py": "import lxml.html",  # lxml's own optional module
            "zeep/loader.py": "from lxml import etree",
        },
    )

    build_layer._drop_unused_parts(site)

    assert not (site / "lxml" / "html").exists()
    assert (site / "lxml" / "etree.py").exists()


def test_given_an_unused_part_another_package_imports_when_pruned_then_the_build_fails(
    tmp_path: Path,
) -> None:
    site = _site(
        tmp_path,
        {
            "lxml/objectify.cpython-313-aarch64-linux-gnu.so": "",
            "zeep/x.py": "import lxml.objectify",
        },
    )

    with pytest.raises(SystemExit, match="objectify"):
        build_layer._drop_unused_parts(site)
    assert (site / "lxml" / "objectify.cpython-313-aarch64-linux-gnu.so").exists()


def test_given_build_inputs_and_a_stub_only_package_when_pruned_then_neither_is_left(
    tmp_path: Path,
) -> None:
    site = _site(
        tmp_path,
        {
            "pydantic_core/_pydantic_core/__init__.pyi": "",
            "pydantic_core/__init__.py": "",
            "lxml/includes/tree.h": "",
            "lxml/etree.pyx": "",
            "zeep-4.3.dist-info/RECORD": "",
            "zeep-4.3.dist-info/METADATA": "",
            "zeep/__pycache__/x.cpython-313.pyc": "",
        },
    )

    build_layer._prune(site)

    left = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert left == ["pydantic_core/__init__.py", "zeep-4.3.dist-info/METADATA"]
    assert not (site / "pydantic_core" / "_pydantic_core").exists()


def test_given_a_layer_when_compiled_then_third_party_is_bytecode_only_and_still_imports(
    tmp_path: Path,
) -> None:
    site = _site(
        tmp_path,
        {
            "vendored/__init__.py": "from vendored.inner import VALUE",
            "vendored/inner.py": "VALUE = 42",
            "single.py": "NAME = 'single'",
            "autobook/__init__.py": "OURS = True",
        },
    )

    build_layer._compile(site, keep_sources={"autobook"})

    assert sorted(str(p.relative_to(site)) for p in site.rglob("*.py")) == ["autobook/__init__.py"]
    assert list((site / "autobook" / "__pycache__").glob("__init__.cpython-313.pyc"))
    program = "import vendored, single, autobook; print(vendored.VALUE, single.NAME, autobook.OURS)"
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(site)!r}); {program}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["42", "single", "True"]
