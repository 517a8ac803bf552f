"""The generated sounds of a session: phase tones, the countdown pip, the end gong.

Every sound here is a pure function of what it is for and the sample rate:
no sample files, nothing random, so a rendered session is the same file
every time. Samples are float64 in int16 units, starting at their first
audible sample (a fade-in of a few milliseconds at most), because a cue's
onset is where its sound starts.

The choices, made for a person following with eyes closed:
- in: a glide up a fourth (330 → 440 Hz), out: the same glide down. Pitch
  direction is the one cue that needs no learning: up is filling, down is
  emptying.
- hold: one short, quiet, level note at the pitch where the breath stopped
  (440 Hz at the top after an in-breath, 330 Hz at the bottom after an
  out-breath), then silence. Silence alone cannot be told from a missed
  cue, and a tone held through the whole hold would mask the next cue's
  start and grow tiring; a short level note says "stay" and leaves the quiet.
- out, doubled (optional): two short falling glides, 80 ms apart, heard as
  one "let go, let go" gesture; distinct from the single in-glide even to
  someone who cannot tell pitch direction well.
- countdown: three soft pips one second apart (or the words, when cues are
  spoken), so the first in-breath is never a surprise.
- gong: inharmonic partials with long exponential decays, like a small
  singing bowl: unmistakably "the end", and soft at the start.
"""

from __future__ import annotations

import math

import numpy as np

from audio_companion.audio import dsp

TONE_GAIN = 0.22
TONE_SECONDS = 0.6
TONE_FADE_IN = 0.008
TONE_FADE_OUT = 0.12
LOW, HIGH = 330.0, 440.0  # the breath's glide: a fourth, E4 to A4
TOP_UP = 554.0  # the sigh's top-up continues upwards from HIGH
HOLD_GAIN = 0.8  # × TONE_GAIN
HOLD_SECONDS = 0.35
DOUBLE_SECONDS = 0.2  # each glide of the doubled out-cue
DOUBLE_GAP = 0.08  # quiet between them: well under the 0.25 s an onset needs before it
COUNT_GAIN = 0.4  # × TONE_GAIN, the count through long phases
PIP_HZ = 523.0
PIP_SECONDS = 0.1
PIP_GAIN = 0.6  # × TONE_GAIN
GONG_HZ = 196.0
GONG_SECONDS = 5.0
GONG_GAIN = 0.3
# Partials of a small bowl: (ratio to the fundamental, relative level, decay time constant s).
GONG_PARTIALS = ((1.0, 1.0, 1.6), (2.76, 0.5, 0.9), (5.4, 0.25, 0.5), (8.93, 0.12, 0.3))
GONG_ATTACK = 0.004


def tone(
    f0: float, f1: float, seconds: float, gain: float = TONE_GAIN, rate: int = 22050
) -> dsp.Samples:
    """A sine gliding exponentially from f0 to f1, with raised-cosine fades (no clicks)."""
    return dsp.tone(f0, f1, seconds, gain, rate, fade_in=TONE_FADE_IN, fade_out=TONE_FADE_OUT)


def phase_tone(
    kind: str, top_up: bool, phase_seconds: float, rate: int, *, double_out: bool = False
) -> dsp.Samples:
    """The tone that starts a phase: rising in, falling out, level hold (see the module doc).

    It lasts at most half the phase, so it has ended well before the next cue.
    """
    secs = min(TONE_SECONDS, phase_seconds * 0.5)
    if kind == "in":
        if top_up:  # the sigh's top-up: continue upwards, briefly
            return tone(HIGH, TOP_UP, min(0.3, secs), rate=rate)
        return tone(LOW, HIGH, secs, rate=rate)
    if kind == "out":
        if double_out:
            return double_glide(min(DOUBLE_SECONDS, secs / 2), rate)
        return tone(HIGH, LOW, secs, rate=rate)
    if kind == "count":
        return tone(660.0, 660.0, 0.06, gain=TONE_GAIN * COUNT_GAIN, rate=rate)
    pitch = HIGH if kind == "hold" else LOW  # where the breath stopped
    return tone(pitch, pitch, min(HOLD_SECONDS, secs), gain=TONE_GAIN * HOLD_GAIN, rate=rate)


def double_glide(seconds: float, rate: int) -> dsp.Samples:
    """Two falling glides DOUBLE_GAP apart: the doubled out-cue."""
    first = dsp.tone(HIGH * 1.12, HIGH * 0.9, seconds, TONE_GAIN, rate, TONE_FADE_IN, seconds / 3)
    second = dsp.tone(HIGH, LOW, seconds, TONE_GAIN, rate, TONE_FADE_IN, seconds / 3)
    gap = np.zeros(round(DOUBLE_GAP * rate))
    return np.concatenate([first, gap, second])


def pip(rate: int) -> dsp.Samples:
    """One countdown pip: short, soft, level."""
    return dsp.tone(PIP_HZ, PIP_HZ, PIP_SECONDS, TONE_GAIN * PIP_GAIN, rate, TONE_FADE_IN, 0.05)


def gong(rate: int, seconds: float = GONG_SECONDS) -> dsp.Samples:
    """A soft bowl-like gong: inharmonic partials decaying at their own pace."""
    n = max(1, round(seconds * rate))
    t = np.arange(n) / rate
    out = np.zeros(n)
    for ratio, level, decay in GONG_PARTIALS:
        f = GONG_HZ * ratio
        if f < rate / 2:
            out += level * np.exp(-t / decay) * np.sin(2 * math.pi * f * t)
    attack = max(1, round(GONG_ATTACK * rate))
    out[:attack] *= 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, attack, endpoint=False) + 0.1)
    dsp.fade_out(out, round(0.5 * rate))
    peak = float(np.abs(out).max()) or 1.0
    return np.asarray(out * (GONG_GAIN * 32767.0 / peak), dtype=np.float64)
