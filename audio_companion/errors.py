"""One error hierarchy; the CLI turns each into one line and an exit code.

Messages say what went wrong *and* how to fix it, because the person reading
them is usually at a terminal with no traceback to dig through.

The exit codes are the README's table, one class (and its subclasses) each:

== ============================================================================
2  ``InputError``: unusable input (a file, an option, an article, a deck, a
   voice or model name)
3  ``MissingDependencyError``, ``MissingModelError``: a system program, Python
   package or speech model is not installed (or could not be downloaded)
4  ``BuildError``: synthesis, encoding or writing the feed failed
5  ``DeviceError``: no usable audio device
1  any other ``CompanionError``
== ============================================================================
"""

from __future__ import annotations

from typing import Any


class CompanionError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(CompanionError):
    """The user's input (file, option, article) cannot be used."""

    exit_code = 2


class ArticleError(InputError):
    """An article was read but has no usable structure."""


class DeckError(InputError):
    """A check-in deck is unknown or malformed; the message says file:line: problem,
    because the fix happens in a text editor."""


class JournalError(InputError):
    """The check-in journal cannot be opened, read or written, or has no such entry."""


class MissingDependencyError(CompanionError):
    """A system program or library is not installed."""

    exit_code = 3

    def __init__(
        self, what: str, debian_package: str = "", extra: str = "", *, install: str = ""
    ) -> None:
        """`install` is the command that fixes it when apt is not the way (a pip extra)."""
        command = install or f"sudo apt-get install {debian_package}"
        super().__init__(f"{what} is not installed; install it with: {command}{extra}")
        self.what, self.debian_package, self.extra, self.install = (
            what,
            debian_package,
            extra,
            install,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors raised in synthesis worker processes are pickled back.
        return (
            _rebuild_missing,
            (type(self), self.what, self.debian_package, self.extra, self.install),
        )


def _rebuild_missing(
    cls: type[MissingDependencyError], what: str, debian: str, extra: str, install: str
) -> MissingDependencyError:
    return cls(what, debian, extra, install=install)


class BuildError(CompanionError):
    """Synthesis, encoding or writing the feed failed."""

    exit_code = 4


class MissingModelError(CompanionError):
    """No speech model is installed (or the one asked for is not, or its download failed)."""

    exit_code = 3


class DeviceError(CompanionError):
    """No usable audio device; the message lists the devices and points at --text."""

    exit_code = 5
