"""Serve an ASGI app on loopback in a daemon thread (the sandboxes and the local API)."""

import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn

STARTUP_TIMEOUT_S = 10.0


class RunningServer:
    """A started server; ``url`` is its root without a trailing slash."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, url: str) -> None:
        self._server = server
        self._thread = thread
        self.url = url

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


def serve[S: RunningServer](
    app: Any,
    *,
    name: str,
    host: str = "127.0.0.1",
    port: int = 0,
    running: type[S] = RunningServer,  # type: ignore[assignment]
) -> S:
    """Bind ``host:port`` (0 = a free port), serve in a daemon thread, return once it listens."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted sockets (else ~40 ms per call).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=1
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

    thread = threading.Thread(target=run, name=f"{name}-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if failed or not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} failed to start") from (failed[0] if failed else None)
        thread.join(0.005)  # poll for readiness; not a fixed wait
    host_part = f"[{host}]" if ":" in host else host
    return running(server, thread, f"http://{host_part}:{bound_port}")
