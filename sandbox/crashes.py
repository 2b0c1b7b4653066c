"""Crash injection for the crash tests and the soak: a Lambda worker that dies right after one
of its ports answered (so the write that call made has happened), before the next step.

The handler modules hold their composition root (`module.root`); while `crashing` is active,
every handler module the local Lambdas load (a cold start) gets its root's ports replaced by
proxies that ask `decide` after each call whether the worker dies there. The ports: the ledger,
the error log, the mail queue, SES (buyer and owner mails) and the e-conomic `Books` that
`root.books.for_shop` hands out. A crash is a `SimulatedCrash`, not a known error: the record
fails and the queue redelivers it, as Lambda + SQS would.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from autobook.composition import Root
from sandbox.local.lambdas import LocalLambdas

# (port, method, args, kwargs) of the call that just returned -> does the worker die now?
Decide = Callable[[str, str, tuple[Any, ...], dict[str, Any]], bool]

WRAPPED_PORTS = ("ledger", "errors", "mail_queue", "mailer")
CRASHING_FUNCTIONS = ("BookingFunction", "MailerFunction")


class SimulatedCrash(Exception):
    """The worker died (not a KnownError: the record fails and SQS redelivers it)."""


class _CrashAfter:
    """Lets every call of the wrapped port happen, then dies when `decide` says so."""

    def __init__(self, port: str, target: Any, decide: Decide) -> None:
        self._port = port
        self._target = target
        self._decide = decide

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if self._decide(self._port, name, args, kwargs):
                raise SimulatedCrash(f"crash after {self._port}.{name}")
            return result

        return call


class _CrashingBooks:
    """The books factory whose agreements crash like the other ports."""

    def __init__(self, factory: Any, decide: Decide) -> None:
        self._factory = factory
        self._decide = decide

    def for_shop(self, shop_id: str) -> Any:
        return _CrashAfter("books", self._factory.for_shop(shop_id), self._decide)


def wrap_root(root: Root, decide: Decide) -> None:
    """Replace the root's ports by crash-injecting proxies. Before any use case is built:
    `root.notices` is built on first use from the (then wrapped) error log and mailer."""
    for name in WRAPPED_PORTS:
        setattr(root, name, _CrashAfter(name, getattr(root, name), decide))
    root.books = _CrashingBooks(root.books, decide)  # type: ignore[misc,assignment]


@contextmanager
def crashing(
    lambdas: LocalLambdas, decide: Decide, *, functions: tuple[str, ...] = CRASHING_FUNCTIONS
) -> Iterator[None]:
    """Inside the block the `functions` start cold with crash-injecting roots; after it, cold
    again with plain ones."""
    load = lambdas.module
    wrapped: list[Root] = []

    def module(function_logical_id: str) -> ModuleType:
        handler = load(function_logical_id)
        root = handler.root
        if function_logical_id in functions and not any(r is root for r in wrapped):
            wrap_root(root, decide)
            wrapped.append(root)
        return handler

    lambdas.forget_environment()
    lambdas.module = module  # type: ignore[method-assign]
    try:
        yield
    finally:
        del lambdas.module
        lambdas.forget_environment()
