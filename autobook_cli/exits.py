"""What the CLI's exit codes mean. Scripts may rely on them; README lists them."""

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    # A check failed or something blocks: the order would not book, the sandbox is not running.
    FAILED = 1
    # Bad input: a wrong option or argument, an unreadable or invalid file.
    USAGE = 2
    # What was asked for does not exist: an unknown shop, order or dead letter.
    NOT_FOUND = 3
    # No usable stack: none configured, a missing output, unreachable, or AWS refused the call.
    UNREACHABLE = 4
    # A bug: something failed that autobook does not expect (--debug shows the traceback).
    INTERNAL = 5
    # Ctrl-C.
    INTERRUPTED = 130


class CliError(Exception):
    """An expected failure: one line for the operator and the exit code that classifies it."""

    def __init__(self, message: str, code: Exit = Exit.FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def not_found(message: str) -> CliError:
    return CliError(message, Exit.NOT_FOUND)


def bad_input(message: str) -> CliError:
    return CliError(message, Exit.USAGE)


def unreachable(message: str) -> CliError:
    return CliError(message, Exit.UNREACHABLE)
