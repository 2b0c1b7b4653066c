"""The CLI's commands against the local stack, reached through a profile exactly as
`autobook sandbox up` writes it (the stack's outputs and the local AWS endpoints)."""

import os
from pathlib import Path

import pytest

from autobook_cli.commands.sandbox import environment
from autobook_cli.stack import Profile, profile_path, write_profile
from sandbox.daemon import stack_outputs
from sandbox.environment import LocalEnvironment
from tests.cli_support import isolate


@pytest.fixture
def profile(fresh_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    isolate(monkeypatch, tmp_path)
    assert fresh_env.aws is not None
    state = {"outputs": stack_outputs(fresh_env), "aws": fresh_env.aws.aws_env()}
    write_profile(profile_path("local", os.environ), Profile(environment=environment(state)))
    return "local"
