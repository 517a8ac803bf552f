"""`journal paces`: the resonance paces `breathe --find-resonance` kept, read back to check.

The journal keeps every pace a protocol found with each pace tried and how it felt, so that
the choice can be checked later; until now nothing showed them. Reading never creates a
journal. Text is for a person; JSON (`--format json`) gives the very objects `journal export
--format json` writes under "paces", for a script.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli.journal import ZoneParam, _open_existing, _path, journal, journal_option

if TYPE_CHECKING:
    from audio_companion.journal.paces import PaceRecord


@journal.command("paces")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table, newest first; json: every field of every step, newest first, as "
    "`journal export --format json` writes them.",
)
@click.option(
    "--tz",
    "zone",
    type=ZoneParam(),
    help="Zone the times are shown in, e.g. Europe/Berlin or +02:00 (default: this machine's).",
)
@journal_option
def journal_paces(fmt: str, zone: tzinfo | None, journal_path: Path | None) -> None:
    """List the resonance paces `breathe --find-resonance` found, newest first: when, breaths
    a minute, what chose it (comfort or hrv), and each pace tried with its comfort, 1 to 5.
    """
    from audio_companion.journal.export import pace_json
    from audio_companion.journal.paces import pace_table

    path = _path(journal_path)
    j = _open_existing(path)
    paces: list[PaceRecord] = []
    if j is not None:
        with j:
            paces = j.paces()
    newest = paces[::-1]  # the journal reads them oldest first, by time then id
    if fmt == "json":
        click.echo(json.dumps([pace_json(p, zone) for p in newest], ensure_ascii=False, indent=2))
    elif not paces:
        click.echo(
            f"no resonance pace yet (journal: {path}); find yours with: "
            "audio-companion breathe --find-resonance"
        )
    else:
        click.echo(pace_table(newest, zone), nl=False)
