"""Cue sounds (rendered once, trimmed, tones without clicks) and sample-exact session audio."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import FakeSynth

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing import (
    BUILTINS,
    BreathingError,
    BreathingSession,
    CueStyle,
    prepare,
    render_cues,
    render_session,
)
from audio_companion.breathing.cues import RATE, number_words, tone, trim
from audio_companion.breathing.schedule import LiveSchedule, plan, plan_duration
from audio_companion.tts.prompts import PromptCache


class PaddedSynth(FakeSynth):
    """Like espeak-ng: some silence before the word and after it, at 16 kHz."""

    identity = "fake:padded"

    def __init__(self, lead: float = 0.03) -> None:
        super().__init__(rate=16000)
        self.lead = lead

    def synthesize(self, text: str) -> AudioChunk:
        word = super().synthesize(text).to_int16()[:, 0]
        pad = np.zeros(round(self.lead * self.rate), dtype="<i2")
        return AudioChunk.from_int16(np.concatenate([pad, word, pad, pad]), self.rate)


def samples(chunk: AudioChunk) -> np.ndarray:
    return chunk.to_int16()[:, 0].astype(np.int64)


def test_each_sound_is_rendered_once(fake_synth: FakeSynth) -> None:
    bank, cues = prepare(BreathingSession(BUILTINS["box"], minutes=4), fake_synth)
    spoken = [c for c in fake_synth.calls if len(c) < 10]
    assert sorted(spoken) == ["hold", "in", "out"]  # hold and hold_out share a word
    assert len(fake_synth.calls) == 5  # three words, the intro and the close
    render_session(cues, bank)
    assert len(fake_synth.calls) == 5
    assert set(bank) == {"in/in", "hold/hold", "out/out", "hold_out/hold", "intro", "close"}
    for chunk in bank.sounds.values():
        assert (chunk.rate, chunk.width, chunk.channels) == (RATE, 2, 1)


def test_prompt_cache_is_reused_across_sessions(fake_synth: FakeSynth) -> None:
    cache = PromptCache(fake_synth)
    render_cues(BUILTINS["box"], cache)
    render_cues(BUILTINS["4-7-8"], cache)
    assert fake_synth.calls.count("in") == 1


def test_leading_silence_is_trimmed_and_recorded() -> None:
    synth = PaddedSynth(lead=0.03)
    bank = render_cues(BUILTINS["sigh"], synth)
    for key in ("in/in", "in/and again", "out/out"):
        assert bank.lead_trimmed[key] == pytest.approx(0.03, abs=1 / RATE)
        x = samples(bank[key])
        assert abs(x[0]) > 0  # the first sample is sound
        # the trailing padding went too (keeping a few ms after the last sound)
        assert bank[key].duration < len(key) * 0.01 + 0.03 + 0.03
    assert bank.intro_seconds == pytest.approx(bank["intro"].duration + 1.5)
    assert bank.close_seconds == pytest.approx(bank["close"].duration + 2.0)


def test_trim_of_silence_only() -> None:
    out, lead = trim(np.zeros(100))
    assert len(out) == 0 and lead == 100


def zero_crossing_rate(x: np.ndarray) -> float:
    return float(np.mean(np.abs(np.diff(np.signbit(x).astype(int)))) * RATE / 2)


def test_tones_rise_fall_and_do_not_click() -> None:
    rising, falling = tone(330, 440, 0.6), tone(440, 330, 0.6)
    q = len(rising) // 4
    assert zero_crossing_rate(rising[:q]) < zero_crossing_rate(rising[-q:])
    assert zero_crossing_rate(falling[:q]) > zero_crossing_rate(falling[-q:])
    for t in (rising, falling, tone(392, 392, 0.3)):
        peak = np.abs(t).max()
        assert abs(t[0]) < 0.01 * peak and abs(t[-1]) < 0.01 * peak  # raised-cosine ends
        # no jump bigger than the sine itself can make in one sample
        assert np.abs(np.diff(t)).max() <= 2 * math.pi * 440 / RATE * peak * 1.05


def test_tones_only_style(fake_synth: FakeSynth) -> None:
    bank = render_cues(BUILTINS["sigh"], fake_synth, CueStyle(voice=False, tones=True))
    assert len(fake_synth.calls) == 2  # only the intro and the close are spoken
    assert bank["in/and again"].duration < bank["in/in"].duration  # the top-up is short
    with pytest.raises(BreathingError):
        CueStyle(voice=False, tones=False)


def test_count_words(fake_synth: FakeSynth) -> None:
    bank = render_cues(BUILTINS["4-7-8"], fake_synth, CueStyle(count=True))
    assert "count/2" in bank and "count/7" in bank and "count/8" in bank
    assert "two" in fake_synth.calls and "seven" in fake_synth.calls
    # quieter than the cue words
    assert np.abs(samples(bank["count/2"])).max() < 0.6 * np.abs(samples(bank["in/in"])).max()
    assert number_words(2) == "two" and number_words(21) == "twenty one"
    assert number_words(40) == "forty"


@pytest.mark.parametrize("name", ["box", "4-7-8", "resonance", "sigh"])
def test_session_cues_start_on_their_exact_sample(name: str) -> None:
    synth = PaddedSynth(lead=0.02)
    pattern = BUILTINS[name]
    bank, cues = prepare(BreathingSession(pattern, minutes=2, style=CueStyle(count=True)), synth)
    rendered = render_session(cues, bank)
    x = samples(rendered.audio)
    assert len(x) == round(plan_duration(cues) * RATE)
    assert len(rendered.onsets) == len(cues)
    for cue, onset in zip(rendered.cues, rendered.onsets, strict=True):
        start = round(cue.offset * RATE)
        assert onset == start / RATE
        assert x[start] != 0, cue  # sound begins exactly here…
        if start:
            assert x[start - 1] == 0  # …after silence


def test_sound_cut_short_by_the_next_cue_keeps_onsets_exact() -> None:
    slow = FakeSynth(seconds_per_char=0.6)  # "hold" lasts 2.4 s, longer than 1-s phases
    pattern = BUILTINS["sigh"]
    bank = render_cues(pattern, slow, CueStyle(intro=False))
    cues = plan(LiveSchedule(pattern, cycles=3))
    rendered = render_session(cues, bank)
    x = samples(rendered.audio)
    for cue in cues:
        start = round(cue.offset * RATE)
        seg = x[start : start + 5]
        assert np.array_equal(seg, samples(bank[cue.sound])[:5])


def test_missing_sound_is_an_error(fake_synth: FakeSynth) -> None:
    bank = render_cues(BUILTINS["box"], fake_synth)
    with pytest.raises(BreathingError, match=r"no rendered sound for cue.*in/and again"):
        render_session(plan(LiveSchedule(BUILTINS["sigh"], cycles=1)), bank)
