"""Run the Dandomain sandbox on loopback."""

from sandbox.dandomain.app import create_app
from sandbox.dandomain.state import DandomainState
from sandbox.serving import RunningServer, serve

API_PATH = "/admin/WEBAPI/Endpoints/v1_0"


class RunningSandbox(RunningServer):
    @property
    def api_base(self) -> str:
        """``<url>/admin/WEBAPI/Endpoints/v1_0`` (no trailing slash)."""
        return f"{self.url}{API_PATH}"


def start_dandomain_sandbox(
    state: DandomainState, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    return serve(
        create_app(state), name="dandomain-sandbox", host=host, port=port, running=RunningSandbox
    )
