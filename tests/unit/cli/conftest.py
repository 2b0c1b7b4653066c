"""The CLI's unit tests: no sockets, and no stack but the one a test sets up."""

from collections.abc import Iterator
from pathlib import Path

import boto3  # noqa: F401 - urllib3 probes for IPv6 with a socket when first imported
import pytest
from pytest_socket import disable_socket, enable_socket

from tests.cli_support import isolate


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=False)
    yield
    enable_socket()


@pytest.fixture(autouse=True)
def _no_stack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
