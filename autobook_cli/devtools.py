"""The sandbox (local services, the demo, the daemon) is dev tooling that lives beside the
package in a checkout. The CLI never imports it at module level and says so when it is absent."""

import importlib.util

from autobook_cli.exits import CliError, Exit


def require_sandbox() -> None:
    if importlib.util.find_spec("sandbox") is None:
        raise CliError(
            "the local sandbox is development tooling: run this from an autobook checkout "
            "after `make venv`",
            Exit.FAILED,
        )
