"""The two things a caller does with a pattern: render it to a file, or play it live.

These join patterns, cues, schedule, render and live with the defaults the
CLI wants; each piece stays usable on its own for anything else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audio_companion import DEFAULT_AUTHOR
from audio_companion.breathing.ambient import AMBIENT_KINDS
from audio_companion.breathing.bed import LiveBed
from audio_companion.breathing.cues import RATE, CueBank, CueStyle, render_cues
from audio_companion.breathing.errors import BreathingError
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


@dataclass(frozen=True)
class BreathingSession:
    """What to breathe: a pattern, for how long (minutes or breaths; default 4 minutes), how cued.

    The one description that preparing, rendering to a file and playing live all
    take, instead of each repeating the pattern, length and style arguments. A
    bad length or an unknown ambient bed fails here, before any synthesis.
    `ambient` names a generated bed under the cues (breathing.ambient), made
    from `seed`, so the same session renders to the same file.
    """

    pattern: Pattern
    minutes: float | None = None
    cycles: int | None = None
    style: CueStyle = field(default_factory=CueStyle)
    ambient: str | None = None
    seed: int = 1

    def __post_init__(self) -> None:
        Length.of(self.minutes, self.cycles)
        if self.ambient is not None and self.ambient not in AMBIENT_KINDS:
            known = ", ".join(AMBIENT_KINDS)
            raise BreathingError(f"unknown ambient bed '{self.ambient}'; use one of: {known}")

    @property
    def title(self) -> str:
        return session_title(self.pattern, self.minutes, self.cycles)


def prepare(
    session: BreathingSession, speech: Synthesizer | PromptCache
) -> tuple[CueBank, list[Cue]]:
    """Render the cue sounds and plan the session with their intro and close spans."""
    bank = render_cues(session.pattern, speech, session.style)
    return bank, plan(_schedule(session, bank))


def render_file(
    session: BreathingSession,
    dest: Path,
    speech: Synthesizer | PromptCache,
    *,
    title: str | None = None,
    artist: str = DEFAULT_AUTHOR,
    album: str = DEFAULT_ALBUM,
    encode: EncodeSettings | None = None,
) -> WrittenSession:
    """`breathe --render FILE.mp3`: the whole session as a tagged, chaptered MP3."""
    bank, cues = prepare(session, speech)
    return write_session(
        render_session(cues, bank, ambient=session.ambient, seed=session.seed),
        dest,
        title or session.title,
        artist=artist,
        album=album,
        encode=encode,
    )


def run_live(
    session: BreathingSession,
    sink: CueSink,
    speech: Synthesizer | PromptCache,
    *,
    poll: Poll | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> LiveReport:
    """`breathe` on the speakers: `sink` is an open SpeakerSink; `poll` listens for commands."""
    player = live_player(session, sink, speech, clock=clock)
    player.poll = poll
    player.sleep = sleep
    return player.run()


def live_player(
    session: BreathingSession,
    sink: CueSink,
    speech: Synthesizer | PromptCache,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> LivePlayer:
    """A LivePlayer ready to `run()`, for callers that want its safe windows while it runs."""
    bank = render_cues(session.pattern, speech, session.style)
    return LivePlayer(_schedule(session, bank, clock), bank, sink, clock=clock)


def live_bed(session: BreathingSession, sink: CueSink, player: LivePlayer) -> LiveBed | None:
    """The session's ambient bed for a second output stream, ducking under `player`'s
    sounds; None when the session has no bed. Call `start()` just before `player.run()`."""
    if session.ambient is None:
        return None
    rate = getattr(sink, "rate", RATE)
    return LiveBed(
        sink,
        session.ambient,
        rate,
        lambda: player.own_sounds,
        seed=session.seed,
        clock=player.clock,
    )


def _schedule(
    session: BreathingSession, bank: CueBank, clock: Callable[[], float] = time.monotonic
) -> LiveSchedule:
    """The session's schedule, with room for the bank's intro and close."""
    return LiveSchedule(
        session.pattern,
        session.minutes,
        session.cycles,
        intro_seconds=bank.intro_seconds,
        close_seconds=bank.close_seconds,
        count=session.style.count,
        clock=clock,
    )


def report_data(
    session: BreathingSession, player: LivePlayer, report: LiveReport
) -> dict[str, Any]:
    """`breathe --report`: every cue's deadline and real start, and every command heard.

    All times are seconds of the player's clock (the machine's monotonic clock
    live), so a listener recording the speaker can check each effect from
    outside: a command's `heard_at` is the end of the utterance, `effect_at`
    when what it did began to sound (or the sound stopped), `delay_s` between.
    """
    return {
        "pattern": session.pattern.name,
        "stopped": report.stopped,
        "mean_s": report.mean,
        "max_s": report.max,
        "drift_s": report.drift_first_vs_last_minute,
        "commands": [
            {
                "heard_at": c.heard_at,
                "handled_at": c.handled_at,
                "text": c.text,
                "command": c.command,
                "done": c.done,
                "effect_at": c.effect_at,
                "delay_s": c.delay,
            }
            for c in report.commands
        ],
        "cues": [
            {
                "kind": r.cue.phase_kind,
                "cycle": r.cue.cycle,
                "deadline": r.deadline,
                "start": r.start,
                "seconds": r.duration,
            }
            for r in player.records
        ],
        "clock": "monotonic seconds of this machine",
    }
