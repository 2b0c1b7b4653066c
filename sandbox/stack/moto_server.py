"""An in-process moto server on a loopback port (SQS, SES/SESv2, Secrets Manager, ...).

moto keeps its state in process-wide backends: one MotoServer per process, and no ``mock_aws``
in the same process while it runs (entering/leaving ``mock_aws`` resets those backends).
"""

import logging
from types import TracebackType
from typing import Self

from moto.server import ThreadedMotoServer


class MotoServer:
    """moto's ThreadedMotoServer bound to 127.0.0.1 on an OS-chosen port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> None:
        if quiet:  # werkzeug logs every request at INFO
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._started = False
        self.endpoint_url = ""

    def start(self) -> Self:
        if not self._started:
            self._server.start()
            host, port = self._server.get_host_and_port()
            self.endpoint_url = f"http://{host}:{port}"
            self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._server.stop()
            self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
