"""Run the Dandomain sandbox app with uvicorn in a daemon thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn

from sandbox.dandomain.app import create_app
from sandbox.dandomain.state import DandomainState

STARTUP_TIMEOUT_S = 10.0


class RunningSandbox:
    """A started sandbox; ``url`` is the server root without a trailing slash."""

    def __init__(
        self, state: DandomainState, server: uvicorn.Server, thread: threading.Thread, url: str
    ) -> None:
        self.state = state
        self.url = url
        self._server = server
        self._thread = thread

    @property
    def api_base(self) -> str:
        """``<url>/admin/WEBAPI/Endpoints/v1_0`` (no trailing slash)."""
        return f"{self.url}/admin/WEBAPI/Endpoints/v1_0"

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_dandomain_sandbox(
    state: DandomainState, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    """Bind ``host:port`` (0 = a free port), serve in a daemon thread, return once it listens."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(state), log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    failed: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # surfaced to the caller below
            failed.append(exc)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name=f"dandomain-sandbox-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if failed or not thread.is_alive():
            raise RuntimeError("Dandomain sandbox failed to start") from (
                failed[0] if failed else None
            )
        if time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError("Dandomain sandbox did not start in time")
        thread.join(0.01)  # wait on the thread, not a fixed sleep
    url_host = f"[{host}]" if ":" in host else host
    return RunningSandbox(state, server, thread, f"http://{url_host}:{bound_port}")
