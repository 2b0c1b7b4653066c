"""What `sam build` deploys: each function's code and the shared layer, unzipped and zipped,
and the layer's largest packages (bench/README.md, "Deployed sizes").

Reads the build output (`make build` first). Zipped is what Lambda downloads (deflate, as `sam
deploy` packs it); unzipped is what counts against Lambda's 250 MB limit.
"""

import argparse
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    parser.add_argument("--top", type=int, default=8, help="largest layer packages to list")
    args = parser.parse_args()
    build: Path = args.build_dir
    if not (build / "SharedLayer").is_dir():
        sys.exit(f"no build output in {build}: run `make build` first")

    print(f"{'':28s} {'unzipped':>10s} {'zipped':>10s}")
    for part in sorted(p for p in build.iterdir() if p.is_dir()):
        print(f"{part.name:28s} {_mb(_unzipped(part))} {_mb(_zipped(part))}")

    site = build / "SharedLayer" / "python"
    packages = {p.name: _unzipped(p) if p.is_dir() else p.stat().st_size for p in site.iterdir()}
    print(f"largest in the layer (of {_mb(sum(packages.values())).strip()}):")
    for name, size in sorted(packages.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {name:26s} {_mb(size)}")
    shipped_sdk = [name for name in SDK if name in packages]
    print(f"runtime SDK in the layer: {', '.join(shipped_sdk) or 'none'}")
    bytecode = sum(1 for p in site.rglob("*.pyc"))
    sources = sum(1 for p in site.rglob("*.py"))
    print(f"layer sources={sources} precompiled={bytecode}")


if __name__ == "__main__":
    main()
