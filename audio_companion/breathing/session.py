"""The two things a caller does with a pattern: render it to a file, or play it live.

These join patterns, cues, schedule, render and live with the defaults the
CLI wants; each piece stays usable on its own for anything else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from audio_companion import DEFAULT_AUTHOR
from audio_companion.breathing.cues import CueBank, CueStyle, render_cues
from audio_companion.breathing.live import CueSink, LivePlayer, LiveReport, Poll
from audio_companion.breathing.patterns import Pattern
from audio_companion.breathing.render import (
    DEFAULT_ALBUM,
    WrittenSession,
    render_session,
    write_session,
)
from audio_companion.breathing.schedule import Cue, Length, LiveSchedule, plan
from audio_companion.media.encode import EncodeSettings
from audio_companion.tts.base import Synthesizer
from audio_companion.tts.prompts import PromptCache


def session_title(pattern: Pattern, minutes: float | None = None, cycles: int | None = None) -> str:
    """'Box breathing, 4 minutes' / '4-2-6-0 breathing, 30 breaths'."""
    length = Length.of(minutes, cycles)
    name = pattern.name[0].upper() + pattern.name[1:]
    if length.cycles is not None:
        return f"{name} breathing, {length.cycles} breath{'s' if length.cycles != 1 else ''}"
    assert length.minutes is not None
    m = length.minutes
    return f"{name} breathing, {m:g} minute{'s' if m != 1 else ''}"


def prepare(
    pattern: Pattern,
    speech: Synthesizer | PromptCache,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    style: CueStyle | None = None,
) -> tuple[CueBank, list[Cue]]:
    """Render the cue sounds and plan the session with their intro and close spans."""
    style = style or CueStyle()
    Length.of(minutes, cycles)  # a bad length fails before any synthesis
    bank = render_cues(pattern, speech, style)
    return bank, plan(_schedule(pattern, minutes, cycles, bank, style))


def render_file(
    pattern: Pattern,
    dest: Path,
    speech: Synthesizer | PromptCache,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    style: CueStyle | None = None,
    title: str | None = None,
    artist: str = DEFAULT_AUTHOR,
    album: str = DEFAULT_ALBUM,
    encode: EncodeSettings | None = None,
) -> WrittenSession:
    """`breathe --render FILE.mp3`: the whole session as a tagged, chaptered MP3."""
    bank, cues = prepare(pattern, speech, minutes=minutes, cycles=cycles, style=style)
    rendered = render_session(cues, bank)
    return write_session(
        rendered,
        dest,
        title or session_title(pattern, minutes, cycles),
        artist=artist,
        album=album,
        encode=encode,
    )


def run_live(
    pattern: Pattern,
    sink: CueSink,
    speech: Synthesizer | PromptCache,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    style: CueStyle | None = None,
    poll: Poll | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> LiveReport:
    """`breathe` on the speakers: `sink` is an open SpeakerSink; `poll` listens for commands."""
    player = live_player(
        pattern, sink, speech, minutes=minutes, cycles=cycles, style=style, clock=clock
    )
    player.poll = poll
    player.sleep = sleep
    return player.run()


def live_player(
    pattern: Pattern,
    sink: CueSink,
    speech: Synthesizer | PromptCache,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    style: CueStyle | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LivePlayer:
    """A LivePlayer ready to `run()`, for callers that want its safe windows while it runs."""
    style = style or CueStyle()
    bank = render_cues(pattern, speech, style)
    schedule = _schedule(pattern, minutes, cycles, bank, style, clock)
    return LivePlayer(schedule, bank, sink, clock=clock)


def _schedule(
    pattern: Pattern,
    minutes: float | None,
    cycles: int | None,
    bank: CueBank,
    style: CueStyle,
    clock: Callable[[], float] = time.monotonic,
) -> LiveSchedule:
    """The session's schedule, with room for the bank's intro and close."""
    return LiveSchedule(
        pattern,
        minutes,
        cycles,
        intro_seconds=bank.intro_seconds,
        close_seconds=bank.close_seconds,
        count=style.count,
        clock=clock,
    )
