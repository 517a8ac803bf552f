"""Onsets with every new sound: phase tones, the doubled out-cue, the countdown, the gong, a bed.

The same check as test_render_mp3 (energy onsets against the plan, ≤ 5 ms),
extended to the countdown and the gong inside the intro and close; with an
ambient bed there is no quiet before a cue, so each cue is found by matching
its own known samples instead (onsets.locate_onsets).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import FakeSynth, needs_media

from audio_companion.audio.wav import read_wav
from audio_companion.breathing import BUILTINS, BreathingSession, CueStyle, prepare
from audio_companion.breathing.cues import RATE, CueBank
from audio_companion.breathing.onsets import detect_onsets, locate_onsets, match_onsets
from audio_companion.breathing.render import RenderedSession, render_session, write_session
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import make_synthesizer

ALL = CueStyle(tones=True, countdown=True, gong=True, double_out=True)
TONES_ONLY = CueStyle(voice=False, tones=True, intro=False, countdown=True, gong=True)


def planned(rendered: RenderedSession) -> list[float]:
    return sorted([*rendered.onsets, *rendered.marks])


def speech_spans(bank: CueBank, rendered: RenderedSession) -> list[tuple[float, float]]:
    """The intro and close sentences (pauses between their words look like onsets)."""
    spans = []
    for cue in rendered.cues:
        if cue.phase_kind in ("intro", "close"):
            first_mark = bank.marks.get(cue.sound, [bank[cue.sound].duration])[0]
            spans.append((cue.offset + 0.001, cue.offset + first_mark - 0.3))
    return spans


@pytest.mark.parametrize("name", ["box", "4-7-8", "sigh"])
@pytest.mark.parametrize("double_out", [False, True])
def test_tones_only_sessions_have_every_onset_on_time(name: str, double_out: bool) -> None:
    style = CueStyle(**{**TONES_ONLY.__dict__, "double_out": double_out})
    bank, cues = prepare(BreathingSession(BUILTINS[name], cycles=4, style=style), FakeSynth())
    rendered = render_session(cues, bank)
    assert len(rendered.marks) == 3 + 1  # the countdown and the gong
    x = rendered.audio.to_int16()[:, 0]
    result = match_onsets(planned(rendered), detect_onsets(x, RATE), window=0.1)
    assert not result.missing and not result.extra, (result.missing, result.extra)
    assert result.max_abs <= 0.002, result.errors
    # the countdown: one second apart, the last one second before the first in-breath
    first_in = min(c.offset for c in rendered.cues if c.phase_kind == "in")
    assert rendered.marks[:3] == pytest.approx([first_in - 3, first_in - 2, first_in - 1], abs=1e-4)


def test_spoken_session_with_every_sound(fake_synth: FakeSynth) -> None:
    bank, cues = prepare(BreathingSession(BUILTINS["box"], cycles=3, style=ALL), fake_synth)
    assert {"three", "two", "one"} <= set(fake_synth.calls)  # a spoken countdown
    rendered = render_session(cues, bank)
    x = rendered.audio.to_int16()[:, 0]
    result = match_onsets(
        planned(rendered), detect_onsets(x, RATE), 0.1, speech_spans(bank, rendered)
    )
    assert not result.missing and not result.extra, (result.missing, result.extra)
    assert result.max_abs <= 0.002
    gong = rendered.marks[-1]
    close = rendered.cues[-1]
    assert close.phase_kind == "close" and gong > close.offset
    assert close.end == pytest.approx(rendered.duration, abs=1 / RATE)


def test_the_bed_moves_no_cue(fake_synth: FakeSynth) -> None:
    bank, cues = prepare(BreathingSession(BUILTINS["box"], cycles=3, style=ALL), fake_synth)
    dry = render_session(cues, bank)
    wet = render_session(cues, bank, ambient="pink", seed=3)
    x = wet.audio.to_int16()[:, 0]
    at, templates = known_sounds(bank, wet)
    found = locate_onsets(x, RATE, at, templates)
    errors = np.abs(np.array(found) - np.array(at))
    assert errors.max() <= 1 / RATE  # the very sample
    # and a shift is seen as one: the finder is not just handing back the plan
    late = np.concatenate([np.zeros(37, dtype=x.dtype), x])
    shifted = np.array(locate_onsets(late, RATE, at, templates)) - np.array(at)
    assert np.allclose(shifted, 37 / RATE, atol=1 / RATE)
    assert wet.onsets == dry.onsets and wet.marks == dry.marks


def known_sounds(bank: CueBank, rendered: RenderedSession) -> tuple[list[float], list[np.ndarray]]:
    """Every onset (cues, countdown, gong) with the samples that start there."""
    at: list[float] = []
    templates: list[np.ndarray] = []
    for cue in rendered.cues:
        x = bank[cue.sound].to_int16()[:, 0]
        for mark in [0.0, *bank.marks.get(cue.sound, [])]:
            at.append(cue.offset + mark)
            templates.append(x[round(mark * RATE) :])
    assert len(at) == len(rendered.onsets) + len(rendered.marks)
    return at, templates


def decode(path: Path, out: Path, rate: int) -> np.ndarray:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(path), "-ac", "1", "-ar", str(rate), str(out)],
        check=True,
    )
    audio = read_wav(out)
    assert audio.rate == rate
    return audio.to_int16()[:, 0]


@pytest.fixture(scope="module")
def espeak_bank() -> tuple[CueBank, list]:  # type: ignore[type-arg]
    synth = make_synthesizer(VoiceSettings())
    return prepare(BreathingSession(BUILTINS["4-7-8"], minutes=2, style=ALL), synth)


@needs_media
@pytest.mark.slow
def test_mp3_with_every_sound_keeps_onsets(espeak_bank: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    bank, cues = espeak_bank
    rendered = render_session(cues, bank)
    written = write_session(rendered, tmp_path / "all.mp3", "All sounds")
    x = decode(written.path, tmp_path / "all.wav", 44100)
    onsets = detect_onsets(x, 44100, hop=0.001, threshold=100, gap=0.25)
    result = match_onsets(planned(rendered), onsets, 0.1, speech_spans(bank, rendered))
    assert not result.missing and not result.extra, (result.missing, result.extra)
    print(f"\nall sounds, MP3: {len(result.errors)} onsets, max {result.max_abs * 1000:.2f} ms")
    assert result.max_abs <= 0.005, result.errors


@needs_media
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["brown", "rain-like"])
def test_mp3_with_a_bed_keeps_onsets(
    espeak_bank: tuple,  # type: ignore[type-arg]
    tmp_path: Path,
    kind: str,
) -> None:
    bank, cues = espeak_bank
    rendered = render_session(cues, bank, ambient=kind, seed=11)
    written = write_session(rendered, tmp_path / "bed.mp3", "With a bed")
    x = decode(written.path, tmp_path / "bed.wav", RATE)
    at, templates = known_sounds(bank, rendered)
    found = locate_onsets(x, RATE, at, templates)
    errors = np.array(found) - np.array(at)
    print(f"\n{kind} bed, MP3: {len(errors)} onsets, max {np.abs(errors).max() * 1000:.2f} ms")
    assert np.abs(errors).max() <= 0.005, errors
