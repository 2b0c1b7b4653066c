"""Run the Webshop SOAP sandbox on loopback."""

from sandbox.serving import RunningServer, serve
from sandbox.webshop.app import create_app
from sandbox.webshop.state import WebshopState


class RunningWebshopSandbox(RunningServer):
    @property
    def endpoint(self) -> str:
        """The SOAP endpoint (what a shop's `dandomain.base_url` is)."""
        return f"{self.url}/service.php"

    @property
    def wsdl_url(self) -> str:
        return f"{self.url}/service.wsdl"


def start_webshop_sandbox(
    state: WebshopState, host: str = "127.0.0.1", port: int = 0
) -> RunningWebshopSandbox:
    return serve(
        create_app(state),
        name="webshop-sandbox",
        host=host,
        port=port,
        running=RunningWebshopSandbox,
    )
