"""Start, find and stop the local sandbox daemon (`python -m sandbox.daemon`).

The CLI never imports the sandbox: it starts the daemon in a session of its own, and knows it
only by the files in the state directory (pid, state.json, log — see sandbox/daemon.py) and
its health endpoint. A daemon that died is recognised (its pid is gone, or no longer the
daemon) and cleaned up, with whatever it left running in its process group."""

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from autobook_cli.exits import CliError, Exit, unreachable

PID_FILE = "daemon.pid"
STATE_FILE = "state.json"
LOG_FILE = "daemon.log"
_LOCK_FILE = "lock"
_MODULE = "sandbox.daemon"
_POLL_SECONDS = 0.1
_HEALTH_TIMEOUT_SECONDS = 3.0
_KILL_WAIT_SECONDS = 10.0


class Condition(StrEnum):
    RUNNING = "running"
    STARTING = "starting"  # the process lives, state.json is not written yet
    STOPPED = "stopped"
    CRASHED = "crashed"  # the pid file names a process that is gone or not the daemon
    UNRESPONSIVE = "unresponsive"  # the process lives but its health endpoint does not answer


@dataclass(frozen=True)
class Status:
    condition: Condition
    state_dir: Path
    pid: int | None = None
    state: dict[str, Any] | None = None
    health: dict[str, Any] | None = None

    @property
    def log(self) -> Path:
        return self.state_dir / LOG_FILE


def default_state_dir(environ: Mapping[str, str]) -> Path:
    explicit = environ.get("AUTOBOOK_SANDBOX_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "autobook" / "sandbox"


# ------------------------------------------------------------------------------ looking


def read_status(state_dir: Path) -> Status:
    pid = _read_pid(state_dir)
    if pid is None:
        return Status(Condition.STOPPED, state_dir)
    if not _is_daemon(pid):
        return Status(Condition.CRASHED, state_dir, pid)
    state = _read_state(state_dir)
    if state is None or state.get("pid") != pid:
        return Status(Condition.STARTING, state_dir, pid)
    health = _health(str(state.get("control_url", "")))
    if health is None or health.get("instance") != state.get("instance"):
        return Status(Condition.UNRESPONSIVE, state_dir, pid, state)
    return Status(Condition.RUNNING, state_dir, pid, state, health)


def require_running(state_dir: Path, label: str) -> Status:
    status = read_status(state_dir)
    if status.condition != Condition.RUNNING:
        raise unreachable(
            f"the sandbox behind {label} is not running ({status.condition}, {state_dir}): "
            "`autobook sandbox up`"
        )
    return status


def _read_pid(state_dir: Path) -> int | None:
    try:
        return int((state_dir / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _read_state(state_dir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((state_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _health(control_url: str) -> dict[str, Any] | None:
    if not control_url.startswith("http://127.0.0.1:"):
        return None  # the daemon serves loopback only; anything else is not ours
    try:
        with urllib.request.urlopen(  # noqa: S310 - a loopback http URL, checked above
            f"{control_url}/health", timeout=_HEALTH_TIMEOUT_SECONDS
        ) as answer:
            health = json.loads(answer.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return health if isinstance(health, dict) else None


def _alive(pid: int) -> bool:
    try:  # our own child (a test, or `up` still waiting) stays a zombie until reaped
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _proc_state(pid) != "Z"


def _proc_state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _is_daemon(pid: int) -> bool:
    """The pid is alive and (where /proc tells) still our daemon, not a reused pid."""
    if not _alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return True  # no /proc: trust the pid file
    return _MODULE.encode() in command


# ------------------------------------------------------------------------------ starting


@contextmanager
def _locked(state_dir: Path) -> Iterator[None]:
    """One `up` or `down` at a time per state directory."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with (state_dir / _LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start(
    state_dir: Path,
    *,
    seed: bool,
    reconcile_every: float | None,
    log_level: str,
    timeout: float,
) -> tuple[Status, bool]:
    """The running sandbox and whether this call started it (False: it already ran)."""
    with _locked(state_dir):
        status = read_status(state_dir)
        if status.condition == Condition.RUNNING:
            return status, False
        if status.condition != Condition.STOPPED:
            _clean_up(status)
        return _spawn(
            state_dir,
            seed=seed,
            reconcile_every=reconcile_every,
            log_level=log_level,
            timeout=timeout,
        ), True


def _spawn(
    state_dir: Path, *, seed: bool, reconcile_every: float | None, log_level: str, timeout: float
) -> Status:
    state_dir.mkdir(parents=True, exist_ok=True)
    scratch = state_dir / "tmp"  # DynamoDB Local's work files; `down` removes them
    scratch.mkdir(exist_ok=True)
    argv = [sys.executable, "-m", _MODULE, "--state-dir", str(state_dir), "--log-level", log_level]
    if seed:
        argv.append("--seed")
    if reconcile_every is not None:
        argv += ["--reconcile-every", str(reconcile_every)]
    with (state_dir / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: `down` stops all of it
            env={**os.environ, "TMPDIR": str(scratch)},
        )
    (state_dir / PID_FILE).write_text(f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while True:
        code = process.poll()
        if code is not None:
            (state_dir / PID_FILE).unlink(missing_ok=True)
            raise CliError(
                f"the sandbox stopped while starting (exit {code}); its log {state_dir / LOG_FILE}"
                f" ends: {_log_tail(state_dir)}",
                Exit.FAILED,
            )
        status = read_status(state_dir)
        if status.condition == Condition.RUNNING:
            return status
        if time.monotonic() > deadline:
            _clean_up(status)
            raise CliError(
                f"the sandbox did not become healthy within {timeout:.0f} s; see "
                f"{state_dir / LOG_FILE}",
                Exit.FAILED,
            )
        time.sleep(_POLL_SECONDS)  # polling a child process for readiness


def _log_tail(state_dir: Path, lines: int = 3) -> str:
    try:
        text = (state_dir / LOG_FILE).read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(line.strip() for line in text[-lines:]) or "(empty)"


# ------------------------------------------------------------------------------ stopping


def stop(state_dir: Path, *, timeout: float = 30.0) -> Status:
    """Stop the daemon (if any) and remove the state directory; the status before."""
    with _locked(state_dir):
        status = read_status(state_dir)
        _clean_up(status, timeout=timeout)
    shutil.rmtree(state_dir, ignore_errors=True)
    return status


def _clean_up(status: Status, *, timeout: float = 30.0) -> None:
    pid = status.pid
    if pid is not None:
        if status.condition == Condition.CRASHED:
            _kill_leftovers(pid)  # the daemon is gone; its children may not be
        else:
            _terminate(pid, timeout)
    for name in (PID_FILE, STATE_FILE):
        (status.state_dir / name).unlink(missing_ok=True)


def _terminate(pid: int, timeout: float) -> None:
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)  # the daemon stops its services, then exits
    _kill_leftovers(pid)


def _signal_group(pid: int, signum: signal.Signals) -> None:
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _kill_leftovers(group: int) -> None:
    """SIGKILL what still runs in the daemon's process group (the daemon first)."""
    if not Path("/proc").is_dir():
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
        _alive(group)
        return
    members = _group_members(group)
    for pid in sorted(members, key=lambda p: p != group):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + _KILL_WAIT_SECONDS
    while any(_alive(pid) for pid in members) and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)  # SIGKILL is delivered asynchronously


def _group_members(group: int) -> list[int]:
    if not Path("/proc").is_dir():  # no process table to read: ask the group as a whole
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [group]
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def group_is_empty(group: int) -> bool:
    """Nothing of the daemon's process group runs any more (for `down` and its test)."""
    return not _group_members(group)
