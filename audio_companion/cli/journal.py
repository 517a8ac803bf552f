"""`journal`: the private check-in journal: list, show, export, trend, recall, paces, and
import (encrypt, decrypt and passphrase are in `cli.journal_crypto`).

No reading command creates a journal that does not exist yet: reading must never leave an
empty diary file behind (or an empty folder) where none was asked for. Only `import` writes,
and only once the whole file has been read without a mistake.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from audio_companion.cli import DATE, main

if TYPE_CHECKING:
    from audio_companion.journal.store import Journal

F = TypeVar("F", bound=Callable[..., Any])


def journal_option(f: F) -> F:
    return click.option(
        "--journal",
        "journal_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Journal file (default: $AUDIO_COMPANION_JOURNAL, else "
        "$XDG_DATA_HOME/audio-companion/journal.sqlite3).",
    )(f)


def _path(journal_path: Path | None) -> Path:
    from audio_companion.journal.store import default_journal_path

    return journal_path if journal_path is not None else default_journal_path()


def _open_existing(path: Path) -> Journal | None:
    """The journal at *path*, or None when there is none yet (nothing is created)."""
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.store import Journal

    if not path.expanduser().exists():
        return None
    return Journal.open(path, passphrase_for(path))


def _empty(path: Path) -> str:
    return f"no check-ins yet (journal: {path})"


@main.group()
def journal() -> None:
    """The private check-in journal: list sessions, show one, export, import, mood trend,
    recall, resonance paces; encrypt it with a passphrase, decrypt it, change the passphrase."""


@journal.command("list")
@journal_option
@click.option("--limit", default=20, show_default=True, help="Show at most this many; 0 shows all.")
def journal_list(journal_path: Path | None, limit: int) -> None:
    """List check-in sessions, newest first, with answer count and mean mood."""
    path = _path(journal_path)
    j = _open_existing(path)
    if j is None:
        click.echo(_empty(path))
        return
    with j:
        rows = j.sessions(None if limit <= 0 else limit + 1)
    if not rows:
        click.echo(_empty(path))
        return
    more = limit > 0 and len(rows) > limit
    rows = rows[:limit] if limit > 0 else rows
    click.echo(f"{'id':>5}  {'when':16}  {'partners':20} {'answers':>7}  {'mood':>4}  ended")
    for s in rows:
        when = f"{datetime.fromtimestamp(s.started_at):%a %d %b %H:%M}"
        mood = f"{s.mean_mood:.1f}" if s.mean_mood is not None else "-"
        partners = ", ".join(s.partners) or "-"
        click.echo(
            f"{s.id:>5}  {when:16}  {partners:20} {s.answer_count:>7}  {mood:>4}  "
            f"{s.end_reason or 'unfinished'}"
        )
    if more:
        click.echo(f"(newest {limit} shown; --limit 0 shows all)")


@journal.command("show")
@click.argument("session_id", metavar="ID", type=int)
@journal_option
def journal_show(session_id: int, journal_path: Path | None) -> None:
    """Show one check-in session with every prompt and answer, as a diary entry."""
    from audio_companion.errors import JournalError
    from audio_companion.journal.export import markdown_session

    path = _path(journal_path)
    j = _open_existing(path)
    if j is None:
        raise JournalError(f"no session {session_id}; {_empty(path)}")
    with j:
        record = j.session(session_id)
    click.echo(markdown_session(record).rstrip("\n"))


@journal.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "md"]),
    required=True,
    help="csv: a row per answer; json: sessions with answers, and resonance paces (the only "
    "format that keeps them); md: a readable diary.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (private, mode 0600) instead of standard output.",
)
@journal_option
def journal_export(fmt: str, output: Path | None, journal_path: Path | None) -> None:
    """Export every check-in as CSV, JSON or a Markdown diary; recordings are never exported.

    JSON also carries the resonance paces `breathe --find-resonance` kept, so that `journal
    import` rebuilds the whole journal from it; CSV and the diary leave them out, and say so.
    """
    from audio_companion.journal.export import to_csv, to_json, to_markdown
    from audio_companion.journal.paces import PaceRecord
    from audio_companion.journal.private import write_private
    from audio_companion.journal.store import SessionRecord

    path = _path(journal_path)
    j = _open_existing(path)
    records: list[SessionRecord] = []
    paces: list[PaceRecord] = []
    if j is not None:
        with j:
            records, paces = j.records(), j.paces()
    if fmt == "json":
        text = to_json(records, None, paces)
    else:
        text = {"csv": to_csv, "md": to_markdown}[fmt](records)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            write_private(output, text.encode("utf-8"))
        except OSError as exc:
            from audio_companion.errors import InputError

            raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from exc
        kept = f" and {_paces(len(paces))}" if fmt == "json" and paces else ""
        click.echo(f"Wrote {len(records)} check-ins{kept} to {output}")
    if paces and fmt != "json":  # on standard error: the export on standard output stays whole
        click.echo(
            f"{_paces(len(paces))} not in this export; only --format json carries them",
            err=True,
        )


def _paces(n: int) -> str:
    return f"{n} resonance pace{'s' if n != 1 else ''}"


@journal.command("trend")
@click.option(
    "--weeks", default=4, show_default=True, type=click.IntRange(1, 104), help="Weeks to show."
)
@click.option(
    "--png",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also draw the chart into this PNG file (needs the 'charts' extra: matplotlib).",
)
@click.option(
    "--until",
    type=DATE,
    help="Last day of the chart, YYYY-MM-DD, and the night the streak is counted to "
    "(default: today; the streak's night, like recall's, lasts until 4 am).",
)
@journal_option
def journal_trend(
    weeks: int, png: Path | None, until: date | None, journal_path: Path | None
) -> None:
    """Show mood per day over the last weeks and the current check-in streak.

    The streak counts check-in nights, as the spoken recall does: a check-in before 4 am
    belongs to the evening before.
    """
    from audio_companion.journal.nights import night_of
    from audio_companion.journal.trend import daily_moods, png_chart, streak, text_chart

    path = _path(journal_path)
    today = until or date.today()
    tonight = until or night_of(datetime.now())
    start = today - timedelta(days=weeks * 7 - 1)
    since = time.mktime(start.timetuple())  # local midnight at the start of the window
    j = _open_existing(path)
    if j is None:
        click.echo(_empty(path))
        points, nights = [], set()
    else:
        with j:
            points, nights = j.moods(since=since), j.checkin_nights()
    daily = daily_moods(points)
    click.echo(text_chart(daily, weeks, today).rstrip("\n"))
    run = streak(nights, tonight)
    click.echo(f"Streak: {run} night{'s' if run != 1 else ''}")
    if png is not None:
        try:
            png_chart(daily, png, title=f"Mood, last {weeks} weeks")
        except OSError as exc:
            from audio_companion.errors import InputError

            raise InputError(f"{png}: cannot write ({exc.strerror or exc})") from exc
        click.echo(f"Wrote {png}")


_OFFSET = re.compile(r"(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


class ZoneParam(click.ParamType):  # type: ignore[type-arg]  # generic only since click 8.2
    """A time zone: an IANA name ("Europe/Berlin"), "UTC", or a fixed offset ("+02:00")."""

    name = "ZONE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tzinfo:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if isinstance(value, tzinfo):
            return value
        text = str(value).strip()
        if text.upper() in ("UTC", "Z"):
            return timezone.utc
        m = _OFFSET.fullmatch(text)
        if m and int(m[2]) < 24 and int(m[3] or 0) < 60:
            offset = timedelta(hours=int(m[2]), minutes=int(m[3] or 0))
            return timezone(-offset if m[1] == "-" else offset)
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"{text!r} is not a time zone; give a name such as Europe/Berlin, or +02:00"
            self.fail(message, param, ctx)


class MoodNameParam(click.ParamType):  # type: ignore[type-arg]  # generic only since click 8.2
    """A mood of one's own in Daylio and its place on the scale: NAME=N."""

    name = "NAME=N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, int]:
        from audio_companion.journal.mood import MOOD_MAX, MOOD_MIN, MOOD_RANGE

        if isinstance(value, tuple):
            return value
        name, sep, number = str(value).rpartition("=")
        if sep and name.strip() and number.strip() in {str(n) for n in MOOD_RANGE}:
            return name.strip().casefold(), int(number)
        message = f'{value!r}: write NAME={MOOD_MIN}..{MOOD_MAX}, e.g. --mood "sleepy=3"'
        self.fail(message, param, ctx)


_FORMATS = {
    "json": "audio-companion JSON export",
    "csv": "audio-companion CSV export",
    "daylio": "Daylio CSV export",
}


@journal.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--tz",
    "zone",
    type=ZoneParam(),
    help="Zone of Daylio's times, which have none: a name such as Europe/Berlin, or +02:00 "
    "(default: this machine's). Our own exports carry their UTC offsets.",
)
@click.option(
    "--mood",
    "moods",
    type=MoodNameParam(),
    multiple=True,
    help='A Daylio mood of your own and its place on the scale, e.g. --mood "sleepy=3"; '
    "repeat for each. Daylio's own: rad 5, good 4, meh 3, bad 2, awful 1.",
)
@journal_option
def journal_import(
    file: Path, zone: tzinfo | None, moods: tuple[tuple[str, int], ...], journal_path: Path | None
) -> None:
    """Import a journal export (JSON or CSV, from `journal export`) or Daylio's CSV export.

    The format is told by the content. Sessions (and, from JSON, resonance paces) already in
    the journal are skipped, so a file can be imported again; a mistake in the file is
    reported and nothing is written.
    """
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.errors import InputError
    from audio_companion.journal.importer import decode, pace_key, parse, session_key
    from audio_companion.journal.store import Journal

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    found = parse(decode(data, str(file)), str(file), zone, dict(moods))
    path = _path(journal_path)
    with Journal.open(path, passphrase_for(path)) as j:
        added, paces = j.add_import(found.sessions, session_key, found.paces, pace_key)
    present = len(found.sessions) - added
    click.echo(
        f"{added} session{'s' if added != 1 else ''} imported, {present} already present "
        f"(from {file}, {_FORMATS[found.format]}; journal: {path})"
    )
    if found.paces:
        click.echo(f"{_paces(paces)} imported, {len(found.paces) - paces} already present")
    if found.recordings:
        n = found.recordings
        click.echo(
            f"{n} answer{'s' if n != 1 else ''} had a recording where exported; exports never "
            "carry recordings, so none came with them"
        )


@journal.command("recall")
@click.option(
    "--on",
    "night",
    type=DATE,
    help="The night to recall for, YYYY-MM-DD (default: tonight; until 4 am it is still "
    "the night before).",
)
@click.option(
    "--partners",
    help='Who checks in, as for checkin, e.g. "Sam,Alex": only their own words are recalled, '
    "each partner's by name.",
)
@click.option(
    "--deck",
    default="nightly",
    show_default=True,
    help="The check-in's deck (a name or a .toml file): its private steps stay private.",
)
@click.option(
    "--tz",
    "zone",
    type=ZoneParam(),
    help="Zone the journal's times are read in, e.g. Europe/Berlin or +02:00 "
    "(default: this machine's).",
)
@journal_option
def journal_recall(
    night: date | None,
    partners: str | None,
    deck: str,
    zone: tzinfo | None,
    journal_path: Path | None,
) -> None:
    """Print the sentence the check-in says after its greeting: the streak, what you
    appreciated a week ago, or something from this night last year.
    """
    from audio_companion.checkin.deck import load_deck
    from audio_companion.checkin.recall import other_decks, recall
    from audio_companion.journal.nights import night_of

    chosen = load_deck(deck)
    names = tuple(n.strip() for n in (partners or "").split(",") if n.strip())
    tonight = night or night_of(datetime.now(zone))
    path = _path(journal_path)
    j = _open_existing(path)
    records = []
    if j is not None:
        with j:
            records = j.records()
    decks = other_decks(records, chosen, load_deck)
    line = recall(records, tonight, names, chosen, decks=decks, tz=zone)
    if line is None:
        click.echo(f"Nothing to recall tonight (the night of {tonight.isoformat()}).")
        return
    click.echo(line)
    if not chosen.recall:
        click.echo(f'(the deck "{chosen.name}" has recall off: its check-in does not say this)')
