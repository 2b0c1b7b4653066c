"""`autobook sandbox` without starting one: a stopped or crashed sandbox is recognised, `down`
is harmless, and a pid that is not the daemon is never signalled. (Starting the real daemon is
tests/integration/cli/test_sandbox_daemon.py.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autobook_cli import devtools, sandbox_control
from autobook_cli.exits import Exit
from autobook_cli.stack import Profile, profile_path, write_profile
from tests.cli_support import autobook, one_error_line


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return sandbox_control.default_state_dir(os.environ)


def dead_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_given_the_default_state_dir_then_it_follows_xdg_or_the_explicit_variable() -> None:
    assert sandbox_control.default_state_dir({"XDG_STATE_HOME": "/s"}) == Path(
        "/s/autobook/sandbox"
    )
    assert sandbox_control.default_state_dir({"AUTOBOOK_SANDBOX_DIR": "/x"}) == Path("/x")


def test_given_no_sandbox_when_asking_status_then_it_says_so_with_exit_1() -> None:
    result = autobook("sandbox", "status")

    assert result.exit_code == Exit.FAILED
    assert "The sandbox is not running" in result.stdout


def test_given_no_sandbox_when_asking_status_as_json_then_the_shape_is_stable(
    state_dir: Path,
) -> None:
    result = autobook("sandbox", "status", "--json")

    assert result.exit_code == Exit.FAILED
    assert json.loads(result.stdout) == {
        "status": "stopped",
        "pid": None,
        "state_dir": str(state_dir),
        "log": str(state_dir / "daemon.log"),
        "services": {},
        "health": None,
    }


def test_given_a_pid_file_of_a_dead_daemon_then_status_says_crashed_and_down_cleans_up(
    state_dir: Path,
) -> None:
    state_dir.mkdir(parents=True)
    pid = dead_pid()
    (state_dir / "daemon.pid").write_text(f"{pid}\n")
    (state_dir / "state.json").write_text(json.dumps({"pid": pid}))
    write_profile(profile_path("sandbox", os.environ), Profile(sandbox_state_dir=str(state_dir)))

    status = autobook("sandbox", "status")
    used = autobook("--profile", "sandbox", "errors", "demo-shop")
    down = autobook("sandbox", "down")

    assert status.exit_code == Exit.FAILED
    assert f"The sandbox crashed: pid {pid} is gone" in status.stdout
    assert used.exit_code == Exit.UNREACHABLE
    assert "is not running (crashed" in one_error_line(used)
    assert down.exit_code == 0
    assert f"Cleaned up after the crashed sandbox (pid {pid})" in down.stdout
    assert not state_dir.exists()
    assert not profile_path("sandbox", os.environ).exists()


def test_given_a_pid_file_naming_another_live_process_then_it_is_not_ours_and_not_signalled(
    state_dir: Path,
) -> None:
    state_dir.mkdir(parents=True)
    (state_dir / "daemon.pid").write_text(f"{os.getpid()}\n")  # this test process

    status = sandbox_control.read_status(state_dir)
    autobook("sandbox", "down")

    assert status.condition == sandbox_control.Condition.CRASHED
    assert not state_dir.exists()  # and we are still here to check it


def test_given_no_sandbox_when_stopping_then_it_is_harmless() -> None:
    result = autobook("sandbox", "down")

    assert result.exit_code == 0
    assert result.stdout.strip() == "The sandbox was not running."


def test_given_no_sandbox_when_asking_for_its_environment_then_exit_1() -> None:
    result = autobook("sandbox", "env")

    assert result.exit_code == Exit.FAILED
    assert "the sandbox is stopped" in one_error_line(result)


def test_given_an_installation_without_the_sandbox_when_starting_then_it_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(devtools.importlib.util, "find_spec", lambda name: None)

    result = autobook("sandbox", "up")

    assert result.exit_code == Exit.FAILED
    assert "development tooling" in one_error_line(result)
