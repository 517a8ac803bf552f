"""Command-line edge: parse options into frozen settings, report errors in one line.

Nothing below this package imports click; every CompanionError raised inside
becomes a single "Error: …" line and its exit code, never a traceback. One
module per family of commands registers its commands on `main`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from audio_companion import __version__
from audio_companion.errors import CompanionError


class CompanionCommandError(click.ClickException):
    def __init__(self, error: CompanionError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it unwinds exactly as Ctrl+C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def reported_errors() -> Iterator[None]:
    """Errors as one line and the README's exit code; Ctrl+C exits 130, SIGTERM 143.

    Both unwind through every `with` and `finally` on the way (staging thrown
    away, workers and encoders stopped), so what is published stays as it was.
    """
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except CompanionError as exc:
        raise CompanionCommandError(exc) from exc
    except KeyboardInterrupt as stop:
        click.echo("Interrupted; nothing half-written was left behind.", err=True)
        code = 143 if isinstance(stop, Terminated) else 130
        if sys.stdout is not sys.__stdout__:
            sys.exit(code)  # in-process (click's test runner): leave the interpreter be
        # Everything to undo is undone by now (staging gone, workers and encoders
        # killed, the lock released with its file). Exiting without joining
        # threads: a process pool whose workers were killed mid-reply can keep
        # its manager thread, and with it a normal exit, waiting forever.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(code)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class DateParam(click.ParamType):  # type: ignore[type-arg]  # generic only since click 8.2
    """A calendar day written YYYY-MM-DD; a mistake names the form to use."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            message = f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-29"
            self.fail(message, param, ctx)


DATE = DateParam()


_Decorated = TypeVar("_Decorated", bound=Callable[..., Any])


def format_option(tools: str, dest: str, help: str) -> Callable[[_Decorated], _Decorated]:
    """--format text|TOOLS, text by default: output for people, or TOOLS for programs."""
    return click.option(
        "--format",
        dest,
        type=click.Choice(["text", tools]),
        default="text",
        show_default=True,
        help=help,
    )


def feed_argument(name: str, metavar: str) -> Callable[[_Decorated], _Decorated]:
    """The built feed a command reads: optional, ./feed (where `build` writes) by default."""
    return click.argument(
        name, metavar=metavar, required=False, default=Path("feed"), type=click.Path(path_type=Path)
    )


def show(line: str) -> None:
    """Print one line at once: captions and live status must not sit in a buffer."""
    click.echo(line)
    sys.stdout.flush()


class CompanionGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        with reported_errors():
            return super().invoke(ctx)


@click.group(cls=CompanionGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audio-companion")
def main() -> None:
    """Offline voice companion for nightly rituals, and a narrated-podcast builder."""


# Importing the command modules registers their commands on `main`.
from audio_companion.cli import (  # noqa: E402, F401
    breathe,
    build,
    cache,
    checkin,
    journal,
    journal_crypto,
    journal_paces,
    models,
    remind,
    serve,
    validate,
    voice,
    voices,
)
