"""Guided paced breathing: patterns, a drift-free schedule, cue sounds, files and live play.

pattern = resolve_pattern("box")              # or "4-2-6-0", or a .toml file
render_file(BreathingSession(pattern, minutes=5), Path("box.mp3"), synth)
with SpeakerSink() as sink:
    report = run_live(BreathingSession(pattern), sink, synth, poll=listen_for_commands)
"""

from __future__ import annotations

from audio_companion.breathing.cues import CueBank, CueStyle, render_cues
from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.live import LivePlayer, LiveReport
from audio_companion.breathing.patterns import (
    BUILTINS,
    Pattern,
    Phase,
    known_names,
    load_pattern_file,
    parse_pattern,
    resolve_pattern,
)
from audio_companion.breathing.render import (
    RenderedSession,
    WrittenSession,
    render_session,
    write_session,
)
from audio_companion.breathing.schedule import Cue, Length, LiveSchedule, plan, plan_duration
from audio_companion.breathing.session import (
    BreathingSession,
    live_player,
    prepare,
    render_file,
    run_live,
    session_title,
)

__all__ = [
    "BUILTINS",
    "BreathingError",
    "BreathingSession",
    "Cue",
    "CueBank",
    "CueStyle",
    "Length",
    "LivePlayer",
    "LiveReport",
    "LiveSchedule",
    "Pattern",
    "Phase",
    "RenderedSession",
    "WrittenSession",
    "known_names",
    "live_player",
    "load_pattern_file",
    "parse_pattern",
    "plan",
    "plan_duration",
    "prepare",
    "render_cues",
    "render_file",
    "render_session",
    "resolve_pattern",
    "run_live",
    "session_title",
    "write_session",
]
