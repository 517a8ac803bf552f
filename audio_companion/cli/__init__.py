"""Command-line edge: parse options into frozen settings, report errors in one line.

Nothing below this package imports click; every CompanionError raised inside
becomes a single "Error: …" line and its exit code, never a traceback. One
module per family of commands registers its commands on `main`.
"""

from __future__ import annotations

import sys
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


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except CompanionError as exc:
        raise CompanionCommandError(exc) from exc
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written was left behind.", err=True)
        sys.exit(130)


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
    models,
    serve,
    validate,
    voice,
    voices,
)
