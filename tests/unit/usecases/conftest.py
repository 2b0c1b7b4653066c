"""Use cases against the in-memory fakes: every test here runs with sockets disabled."""

from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket

from tests.unit.usecases.world import World


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=False)
    yield
    enable_socket()


@pytest.fixture
def world() -> World:
    return World()
