"""`remind`: a reminder at a set time that chimes, asks, and starts the check-in.

`set`, `list` and `remove` manage systemd user timers (or crontab lines) through
`audio_companion.remind.install`; `fire` is what they run. Everything that
reaches outside the process (programs, the clock, sleeping) comes from one
`Surroundings`, which tests hand to click as its ``obj``; a real run gets the
real ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli import CompanionCommandError, format_option, main, show
from audio_companion.cli.checkin import checkin as checkin_command
from audio_companion.cli.stack import (
    VoiceOptions,
    VoiceStack,
    open_voice,
    prompt_cache,
    vocabulary_for,
)
from audio_companion.cli.voice import headphones_option, stop_word_option, with_voice_options
from audio_companion.errors import InputError
from audio_companion.remind import flow
from audio_companion.remind.install import Installed, Reminders, Runner
from audio_companion.remind.schedule import ClockTime, Days, parse_partners

if TYPE_CHECKING:
    from audio_companion.checkin.captions import Captions
    from audio_companion.checkin.conversation import Conversation
    from audio_companion.tts.prompts import PromptCache
    from audio_companion.voice.intents import CommandVocabulary
    from audio_companion.voice.loop import Ask, Heard


@dataclass
class Surroundings:
    """What `remind` reaches outside the process: programs, the clock, sleeping."""

    runner: Runner = field(default_factory=Runner)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def _surroundings() -> Surroundings:
    return click.get_current_context().find_object(Surroundings) or Surroundings()


def companion_command() -> tuple[str, ...]:
    """The companion's own command, absolute: a scheduler runs it without the shell's PATH.

    The script this process was started as, else the one installed beside this
    Python (the same virtual environment), else ``python -m audio_companion``.
    Symbolic links are kept: resolving the venv's python would leave the venv.
    """
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "audio-companion" and started.is_file():
        return (os.path.abspath(started),)
    beside = Path(sys.executable).with_name("audio-companion")
    if beside.is_file():
        return (os.path.abspath(beside),)
    return (os.path.abspath(sys.executable), "-m", "audio_companion")


def _deck_for_scheduler(deck: str) -> str:
    """Check the deck now (a typo found tonight is found too late); a deck file is
    kept by its absolute path, because the scheduler starts in another folder."""
    from audio_companion.checkin.deck import load_deck

    load_deck(deck)
    if deck.endswith(".toml") or "/" in deck or os.sep in deck:
        return str(Path(deck).expanduser().absolute())
    return deck


@main.group()
def remind() -> None:
    """Reminders that start the nightly check-in: a soft chime and a question at a set time.

    Set one with `remind set 21:30`; it runs from a systemd user timer (or a
    crontab line where systemd's user instance is not running) until removed.
    """


@remind.command("set")
@click.argument("at", metavar="HH:MM")
@click.option(
    "--days",
    default="daily",
    show_default=True,
    help="mon..sun, ranges (mon-fri), lists (sat,sun), daily, weekdays or weekends.",
)
@click.option(
    "--deck",
    default="nightly",
    show_default=True,
    help="The check-in's deck: a name (see `checkin --list-decks`) or a .toml file.",
)
@click.option("--partners", help='Names for a couple\'s check-in, e.g. "Sam,Alex".')
@click.option(
    "--backend",
    type=click.Choice(["auto", "systemd", "cron"]),
    default="auto",
    show_default=True,
    help="auto: a systemd user timer where systemd's user instance runs, else cron.",
)
@stop_word_option
@headphones_option
def set_reminder(
    at: str,
    days: str,
    deck: str,
    partners: str | None,
    backend: str,
    stop_word: str | None,
    headphones: bool,
) -> None:
    """Ring at HH:MM (24-hour, local time) on the chosen days, every week.

    At that time the companion plays a soft chime and asks "Ready for tonight's
    check-in?": say yes to start it, "not now" to be asked again in 15
    minutes, or nothing at all to let it pass.
    """
    surroundings = _surroundings()
    when, on = ClockTime.parse(at), Days.parse(days)
    names = parse_partners(partners)
    chosen = _deck_for_scheduler(deck)
    vocabulary_for(stop_word, names)  # a stop word that cannot work is said now
    added = Reminders(surroundings.runner).add(
        when,
        on,
        chosen,
        names,
        companion_command(),
        backend,
        (stop_word or "").strip(),
        headphones,
    )
    if added.note:
        show(f"{added.note}; using cron instead.")
    show(f"Reminder {added.reminder.id}: {added.reminder.describe()}.")
    show(f"Installed as {added.where}.")


def _row(entry: Installed) -> dict[str, str | bool]:
    r = entry.reminder
    if r is None:
        return {"id": entry.id, "time": "?", "days": "?", "deck": "?", "partners": "",
                "stop_word": "", "headphones": False, "backend": entry.backend,
                "problem": entry.problem}  # fmt: skip
    return {
        "id": entry.id,
        "time": str(r.time),
        "days": r.days.label(),
        "deck": r.deck,
        "partners": ",".join(r.partners),
        "stop_word": r.stop_word,
        "headphones": r.headphones,
        "backend": entry.backend,
        "problem": "",
    }


@remind.command("list")
@format_option("json", "output_format", "json: a list of objects, one per reminder.")
def list_reminders(output_format: str) -> None:
    """Show every reminder: its id, time, days, deck, partners and where it is installed."""
    rows = [_row(e) for e in Reminders(_surroundings().runner).installed()]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    if not rows:
        click.echo("No reminders. Set one with: audio-companion remind set 21:30")
        return
    columns = ["id", "time", "days", "deck", "partners", "backend"]
    if any(row["headphones"] for row in rows):  # a column only when some reminder has it
        columns.insert(5, "headphones")
    cells = [{c: _cell(row[c]) for c in columns} for row in rows]
    widths = {c: max(len(c), *(len(row[c]) for row in cells)) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row, cell in zip(rows, cells, strict=True):
        line = "  ".join(cell[c].ljust(widths[c]) for c in columns).rstrip()
        click.echo(f"{line}  ({row['problem']})" if row["problem"] else line)


def _cell(value: str | bool) -> str:
    return ("yes" if value else "") if isinstance(value, bool) else value


@remind.command("remove")
@click.argument("reminder_id", metavar="ID", required=False)
@click.option("--all", "remove_all", is_flag=True, help="Remove every reminder.")
def remove_reminder(reminder_id: str | None, remove_all: bool) -> None:
    """Remove a reminder (its timer and service, or its crontab lines) by its id, or --all."""
    if (reminder_id is None) == (not remove_all):
        message = "give one reminder's ID or --all (`audio-companion remind list` shows ids)"
        raise CompanionCommandError(InputError(message))
    reminders = Reminders(_surroundings().runner)
    gone = reminders.remove_all() if remove_all else reminders.remove(reminder_id or "")
    if not gone:
        show("No reminders to remove.")
    for entry in gone:
        what = entry.reminder.describe() if entry.reminder is not None else entry.problem
        show(f"Removed reminder {entry.id} ({what}; {entry.backend}).")


_ENDINGS = {
    flow.Outcome.START: "Starting the check-in.",
    flow.Outcome.DECLINED: "Not tonight, then; the reminder ends.",
    flow.Outcome.SILENT: "No answer; the reminder ends quietly.",
    flow.Outcome.STOPPED: "Stopped; the reminder ends.",
    flow.Outcome.GONE: "Nothing more can be heard; the reminder ends.",
}


@remind.command("fire")
@click.option("--id", "reminder_id", required=True, help="The reminder that rang (for the log).")
@click.option("--deck", default="nightly", show_default=True, help="The check-in's deck.")
@click.option("--partners", help='Names for a couple\'s check-in, e.g. "Sam,Alex".')
@stop_word_option
@with_voice_options
@click.option("--text", "text_mode", is_flag=True, help="Type the answers (to try it out).")
@click.option("--mute", is_flag=True, help="With --text: show prompts without speaking them.")
@click.pass_context
def fire(
    ctx: click.Context,
    reminder_id: str,
    deck: str,
    partners: str | None,
    stop_word: str | None,
    voice_options: VoiceOptions,
    text_mode: bool,
    mute: bool,
) -> None:
    """What a reminder runs: a chime, "Ready for tonight's check-in?", then on yes the check-in.

    "Not now" or "later" asks again once, 15 minutes on; silence, or a second
    "not now", ends quietly. Run it yourself (--text to type) to try a reminder.
    """
    from audio_companion.checkin.deck import load_deck

    surroundings = _surroundings()
    load_deck(deck)  # a deck gone since `set` is reported now, not after "yes"
    _check_the_journal_opens()
    vocabulary = flow.reminder_vocabulary(vocabulary_for(stop_word, parse_partners(partners)))
    settings = flow.FlowSettings()
    speaks = not (text_mode and mute)
    prompts = prompt_cache(announce=speaks)
    if speaks:
        prompts.prepare([flow.QUESTION, flow.NOT_CAUGHT, settings.snoozing, flow.GOOD_NIGHT])
    show(f"Reminder {reminder_id}: asking about tonight's check-in.")
    rounds = (
        _typed_rounds(prompts, vocabulary, voice_options, mute)
        if text_mode
        else _voice_rounds(prompts, vocabulary, voice_options)
    )
    result = flow.run(rounds, settings, surroundings.clock, surroundings.sleep)
    prompts.close()
    show(_ENDINGS[result.outcome])
    if result.outcome is flow.Outcome.START:
        ctx.invoke(
            checkin_command,
            deck=deck,
            partners=partners,
            stop_word=stop_word,
            text_mode=text_mode,
            mute=mute,
            engine=voice_options.engine,
            model=voice_options.model,
            input_device=voice_options.input_device,
            output_device=voice_options.output_device,
            headphones=voice_options.headphones,
        )


class _Round:
    """One round of the question over a conversation (spoken or typed), captioned."""

    def __init__(self, conversation: Conversation, chime: Callable[[], None]) -> None:
        self.conversation = conversation
        self._chime = chime

    def chime(self) -> None:
        self._chime()

    def say(self, text: str) -> None:
        self.conversation.say(text)

    def listen(self, ask: Ask) -> Heard:
        return self.conversation.listen(ask)


def _captions(*, echo: bool) -> Captions:
    from audio_companion.checkin.captions import TextCaptions

    return TextCaptions(show, echo=echo)


def _voice_rounds(
    prompts: PromptCache, vocabulary: CommandVocabulary, options: VoiceOptions
) -> Callable[[], contextlib.AbstractContextManager[flow.Dialogue]]:
    """Each round opens the voice stack (the one `checkin` uses) and closes it after."""
    from audio_companion.checkin.conversation import Captioned

    @contextlib.contextmanager
    def voice_round() -> Iterator[flow.Dialogue]:
        with open_voice(options, prompts, vocabulary) as voice:
            yield _Round(Captioned(voice.loop, _captions(echo=True)), lambda: _chime(voice))

    return voice_round


def _chime(voice: VoiceStack) -> None:
    """The podcast's soft two-note chime, played to its end and marked as our own
    sound, so the microphone's record of it never reaches the recogniser."""
    from audio_companion.podcast.chime import make_chime

    loop = voice.loop
    start = loop.clock()
    playback = voice.speaker.play(make_chime(voice.speaker.rate))
    playback.wait()
    end = playback.end if playback.end is not None else loop.clock()
    if end > loop.clock():
        loop.sleep(end - loop.clock())
    loop.own_sound(playback.start if playback.start is not None else start, end)


def _typed_rounds(
    prompts: PromptCache, vocabulary: CommandVocabulary, options: VoiceOptions, mute: bool
) -> Callable[[], contextlib.AbstractContextManager[flow.Dialogue]]:
    """Answers typed on stdin (an empty line is silence), prompts spoken unless --mute."""
    from audio_companion.checkin.conversation import Captioned, TypedConversation
    from audio_companion.cli.stack import open_speaker_if_any

    lines = iter(sys.stdin)

    @contextlib.contextmanager
    def typed_round() -> Iterator[flow.Dialogue]:
        with contextlib.ExitStack() as stack:
            speak = None
            if not mute:
                warn = lambda text: click.echo(text, err=True)  # noqa: E731
                voice = stack.enter_context(
                    open_speaker_if_any(options.output_device, prompts, warn)
                )
                speak = voice.speak if voice is not None else None
            typed = TypedConversation(lines, vocabulary, speak)
            yield _Round(Captioned(typed, _captions(echo=False)), lambda: None)

    return typed_round


def _check_the_journal_opens() -> None:
    """An encrypted journal's passphrase is found and tried before the chime: a reminder
    that asks "Ready?" and then cannot start the check-in would be a broken promise."""
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.store import Journal, default_journal_path

    path = default_journal_path()
    key = passphrase_for(path)
    if key is not None:
        with Journal.open(path, key):
            pass
