"""What `sam build` deploys: each layer and each function (its code plus its layers), unzipped
and zipped, and each layer's largest packages (bench/README.md, "Deployed sizes").

Reads the build output (`make build` first). Zipped is what Lambda downloads (deflate, as `sam
deploy` packs it); unzipped is what counts against Lambda's 250 MB limit.
"""

import argparse
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sandbox.built_layers import deployed_functions  # noqa: E402 - after the path

SDK = ("boto3", "botocore", "s3transfer")


def _files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


def _unzipped(path: Path) -> int:
    return sum(p.stat().st_size for p in _files(path))


def _zipped(path: Path) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in _files(path):
            archive.write(file, file.relative_to(path))
    return buffer.tell()


def _mb(size: int) -> str:
    return f"{size / 1_000_000:8.3f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", type=Path, default=ROOT / ".aws-sam" / "build")
    parser.add_argument("--top", type=int, default=6, help="largest packages to list per layer")
    args = parser.parse_args()
    build: Path = args.build_dir
    if not (build / "template.yaml").is_file():
        sys.exit(f"no build output in {build}: run `make build` first")
    functions = deployed_functions(build)
    layers = sorted({layer for function in functions for layer in function.layers})
    # Each part measured once: a layer counts towards every function that has it.
    sizes = {
        part: (_unzipped(part), _zipped(part)) for f in functions for part in (f.code, *f.layers)
    }

    print(f"{'layer':28s} {'unzipped':>11s} {'zipped':>11s}")
    for layer in layers:
        print(f"{layer.name:28s} {_mb(sizes[layer][0])} {_mb(sizes[layer][1])}")
    for layer in layers:
        site = layer / "python"
        packages = {
            p.name: _unzipped(p) if p.is_dir() else p.stat().st_size for p in site.iterdir()
        }
        largest = sorted(packages.items(), key=lambda item: -item[1])[: args.top]
        print(f"{layer.name} largest: " + ", ".join(f"{n} {s / 1e6:.1f}" for n, s in largest))
        shipped_sdk = [name for name in SDK if name in packages]
        sources = sum(1 for p in site.rglob("*.py"))
        bytecode = sum(1 for p in site.rglob("*.pyc"))
        print(
            f"{layer.name} runtime SDK: {', '.join(shipped_sdk) or 'none'}; "
            f"modules as bytecode: {bytecode}, of which with their source: {sources}"
        )

    print(f"{'function (code + its layers)':28s} {'unzipped':>11s} {'zipped':>11s}  layers")
    totals = []
    for function in functions:
        parts = [function.code, *function.layers]
        unzipped = sum(sizes[part][0] for part in parts)
        zipped = sum(sizes[part][1] for part in parts)
        totals.append(unzipped)
        names = ", ".join(layer.name for layer in function.layers)
        print(f"{function.name:28s} {_mb(unzipped)} {_mb(zipped)}  {names}")
    largest_layer = max(sizes[layer][0] for layer in layers)
    print(f"largest_layer_mb={largest_layer / 1e6:.2f} largest_function_mb={max(totals) / 1e6:.2f}")


if __name__ == "__main__":
    main()
