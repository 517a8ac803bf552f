"""`checkin`: the nightly check-in, spoken or typed, kept in the private journal."""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio_companion.cli import DATE, format_option, main, show
from audio_companion.cli.stack import (
    Speaking,
    VoiceOptions,
    VoiceStack,
    open_speaker_if_any,
    open_voice,
    prompt_cache,
    vocabulary_for,
)
from audio_companion.cli.voice import stop_word_option, with_voice_options

if TYPE_CHECKING:
    from audio_companion.checkin.conversation import Conversation
    from audio_companion.checkin.steps import Deck

# The pattern a deck's breathing step uses: slow, even breaths (about 5.5 a minute).
CHECKIN_BREATHING = "resonance"


def _warn(text: str) -> None:
    click.echo(text, err=True)


@main.command()
@click.option(
    "--deck",
    default="nightly",
    show_default=True,
    help="Deck name (see --list-decks) or a .toml file.",
)
@click.option("--list-decks", is_flag=True, help="List the decks and exit.")
@click.option("--partners", help='Names for a couple\'s check-in, e.g. "Sam,Alex".')
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(path_type=Path),
    help="Journal file (default: $AUDIO_COMPANION_JOURNAL or the XDG data folder).",
)
@stop_word_option
@click.option(
    "--minutes", type=click.FloatRange(1, 120), help="Time box in minutes (default: the deck's)."
)
@with_voice_options
@click.option(
    "--text", "text_mode", is_flag=True, help="Type the answers instead of speaking them."
)
@click.option("--mute", is_flag=True, help="With --text: show prompts without speaking them.")
@click.option("--save-audio", is_flag=True, help="Keep the audio of each answer in the journal.")
@click.option(
    "--night",
    type=DATE,
    help="Which night's wordings to use, YYYY-MM-DD (default: tonight; until 4 am it is "
    "still the night before).",
)
@format_option(
    "jsonl",
    "output_format",
    "jsonl: one JSON event per line (say, listen, heard, end) for programs that "
    "drive the check-in.",
)
def checkin(
    deck: str,
    list_decks: bool,
    partners: str | None,
    journal_path: Path | None,
    stop_word: str | None,
    minutes: float | None,
    voice_options: VoiceOptions,
    text_mode: bool,
    mute: bool,
    save_audio: bool,
    night: date | None,
    output_format: str,
) -> None:
    """Talk through tonight's check-in, hands-free; answers go to your private journal.

    Say the stop word at any moment to end kindly (everything said is kept),
    "repeat" to hear a question again, "skip" to move on, "pause" and "resume".
    """
    from audio_companion.checkin.captions import Captions, JsonCaptions, TextCaptions
    from audio_companion.checkin.conversation import Captioned
    from audio_companion.checkin.deck import list_decks as all_decks
    from audio_companion.checkin.deck import load_deck
    from audio_companion.checkin.rehearsal import deck_prompts
    from audio_companion.checkin.session import CheckinSession, CheckinSettings, night_of
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.store import Journal, default_journal_path

    if list_decks:
        for name, title, where in all_decks():
            click.echo(f"{name:16} {title}  ({where})")
        return
    chosen = load_deck(deck)
    names = tuple(n.strip() for n in (partners or "").split(",") if n.strip())
    vocabulary = vocabulary_for(stop_word, names)
    path = journal_path or default_journal_path()
    key = passphrase_for(path)  # an encrypted journal's: asked now, before anything is said
    tonight = night or night_of(datetime.now())
    settings = CheckinSettings(
        night=tonight,
        partners=names,
        time_box_s=minutes * 60 if minutes else None,
        keep_audio=save_audio,
        recall=_recall(path, chosen, tonight, names) if chosen.recall else None,
    )
    speaks = not (text_mode and mute)
    prompts = prompt_cache(announce=speaks)
    if speaks:
        # Every prompt of tonight is rendered before it is needed: the first now,
        # the rest while the first plays (then other nights' wordings, for next time).
        prompts.prepare(deck_prompts(chosen, settings.night, settings.partners))
        if settings.recall:  # made of what was said: rendered ahead, kept in memory only
            prompts.soon(settings.recall)
    captions: Captions = (
        JsonCaptions(show) if output_format == "jsonl" else TextCaptions(show, echo=not text_mode)
    )

    with contextlib.ExitStack() as stack:
        voice: Speaking | None
        conversation: Conversation
        if text_mode:
            from audio_companion.checkin.conversation import TypedConversation

            voice = None
            if not mute:
                voice = stack.enter_context(
                    open_speaker_if_any(voice_options.output_device, prompts, _warn)
                )
            speak = voice.speak if voice is not None else None
            typed = TypedConversation(iter(sys.stdin), vocabulary, speak)
            conversation = Captioned(typed, captions)
            engine_name = "text"
        else:
            voice = stack.enter_context(open_voice(voice_options, prompts, vocabulary))
            conversation = Captioned(voice.loop, captions)
            engine_name = voice.loop.recognizer.name
        journal = stack.enter_context(Journal.open(path, key))
        session_id = journal.start_session(chosen.name, names, engine_name, time.time())

        session = CheckinSession(
            chosen,
            conversation,
            functools.partial(journal.add_answer, session_id),
            settings,
            breathe=_breather(voice, captions.note),
            on_turn=captions.turn,
            on_known=prompts.soon if speaks else None,
        )
        try:
            outcome = session.run()
        except KeyboardInterrupt:
            journal.end_session(session_id, time.time(), "interrupted")
            raise
        journal.end_session(session_id, time.time(), outcome.reason)
    prompts.close()
    captions.ended(outcome.reason, len(outcome.answers), str(path), session_id)


def _recall(path: Path, deck: Deck, tonight: date, names: tuple[str, ...]) -> str | None:
    """Tonight's recall sentence, read from the journal before the session starts (nothing
    is created when there is no journal yet); the session itself never reads the journal."""
    from audio_companion.checkin.deck import load_deck
    from audio_companion.checkin.recall import other_decks, recall
    from audio_companion.cli.journal_crypto import passphrase_for
    from audio_companion.journal.store import Journal

    if not path.expanduser().exists():
        return None
    with Journal.open(path, passphrase_for(path)) as journal:
        records = journal.records()
    return recall(records, tonight, names, deck, decks=other_decks(records, deck, load_deck))


def _breather(
    voice: Speaking | None, note: Callable[[str], None]
) -> Callable[[float], bool] | None:
    """Paced breathing for a deck's breathing step; None where nothing can be heard.

    Spoken commands steer it when the check-in listens (not for typed answers).
    """
    if voice is None:
        return None

    def breathe(minutes: float) -> bool:
        from audio_companion.breathing import resolve_pattern
        from audio_companion.breathing.session import BreathingSession, live_player
        from audio_companion.breathing.voice import VoiceControl

        session = BreathingSession(resolve_pattern(CHECKIN_BREATHING), minutes)
        player = live_player(session, voice.speaker, voice.prompts)
        if isinstance(voice, VoiceStack):
            player.poll = VoiceControl(voice.loop, player, show=note)
        return not player.run().stopped

    return breathe
