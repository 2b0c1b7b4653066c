"""The global options of one `autobook` run, reachable from every command."""

import os

import typer

from autobook_cli.stack import Stack, discover


class AppState:
    """The global options; the stack is discovered on first use (offline commands never do)."""

    def __init__(
        self, *, profile: str | None, stack: str | None, region: str | None, debug: bool
    ) -> None:
        self.profile = profile
        self.stack_name = stack
        self.region = region
        self.debug = debug
        self._stack: Stack | None = None

    def stack(self) -> Stack:
        if self._stack is None:
            self._stack = discover(
                profile=self.profile, stack=self.stack_name, region=self.region, environ=os.environ
            )
        return self._stack

    @property
    def source(self) -> str:
        return self._stack.source if self._stack else "the stack"


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    if not isinstance(obj, AppState):  # a command run without the root callback (a bug)
        raise RuntimeError("autobook's global options were not parsed")
    return obj
