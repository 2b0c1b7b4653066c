"""Run the e-conomic sandbox on loopback."""

from sandbox.economic.app import create_app
from sandbox.economic.state import EconomicState
from sandbox.serving import RunningServer, serve

RunningSandbox = RunningServer


def start_economic_sandbox(
    state: EconomicState, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    return serve(create_app(state), name="economic-sandbox", host=host, port=port)
