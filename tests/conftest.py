"""Shared fixtures. One local environment per test session (DynamoDB Local starts once, ~3 s);
`fresh_env` empties it for a test that needs a clean slate."""

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def local_env() -> Iterator["LocalEnvironment"]:
    from sandbox.environment import LocalEnvironment

    with LocalEnvironment() as env:
        yield env


@pytest.fixture
def fresh_env(local_env: "LocalEnvironment") -> "LocalEnvironment":
    local_env.reset()
    return local_env


@pytest.fixture(scope="session")
def local_aws(local_env: "LocalEnvironment") -> "LocalAws":
    assert local_env.aws is not None
    return local_env.aws


if False:  # typing only; the imports above stay lazy so unit tests never start services
    from sandbox.environment import LocalEnvironment
    from sandbox.stack.local_aws import LocalAws
