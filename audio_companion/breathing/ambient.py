"""An ambient bed under a session: generated noise that fades in and out and ducks under cues.

Pure and deterministic: the bed is a function of (kind, rate, length, seed),
made block by block with filter state carried across blocks, so a two-hour
bed costs linear time and one block of memory, and the same seed gives the
same file. No sample files.

- brown: white noise through a leaky integrator (-6 dB/octave above ~18 Hz):
  a low, soft rumble, like distant surf.
- pink: white noise through Paul Kellet's 1/f filter (-3 dB/octave): even,
  like steady wind.
- rain-like: pink hiss above ~800 Hz plus sparse droplets (resonant clicks at
  random times and strengths): rain on a window.

The bed's level is set by its RMS, BED_RMS of full scale (-32 dBFS), about
14 dB under the cue tones and the spoken words; under every cue it ducks a
further DUCK_DB, ramping down DUCK_RAMP ahead of the cue's first sample, so a
cue is never masked. tests/breathing/test_ambient.py measures the bed's
short-term RMS against the cues'.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from typing import Literal, get_args

import numpy as np
from scipy import signal

from audio_companion.audio import dsp
from audio_companion.breathing.errors import BreathingError

AmbientKind = Literal["brown", "pink", "rain-like"]
AMBIENT_KINDS: tuple[str, ...] = get_args(AmbientKind)
BED_RMS = 0.025  # of full scale: -32 dBFS
DUCK_DB = 8.0
DUCK_RAMP = 0.15  # seconds of ramp before and after a cue
FADE_SECONDS = 6.0  # the bed fades in at the start and out at the end over this long
BLOCK = 1 << 15  # samples generated at a time
CALIBRATION_SECONDS = 4.0
CALIBRATION_SEED = 0
DROPS_PER_SECOND = 25.0

_BROWN = (np.array([1.0]), np.array([1.0, -0.995]))
# Paul Kellet's economy pink filter (b, a).
_PINK = (
    np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786]),
    np.array([1.0, -2.494956002, 2.017265875, -0.522189400]),
)


class _Noise:
    """One kind of raw noise as a stream of blocks (unnormalised, filter state kept)."""

    def __init__(self, kind: str, rate: int, seed: int) -> None:
        if kind not in AMBIENT_KINDS:
            known = ", ".join(AMBIENT_KINDS)
            raise BreathingError(f"unknown ambient bed '{kind}'; use one of: {known}")
        self.kind = kind
        self.rate = rate
        self.rng = np.random.default_rng(seed)
        self.filters: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        if kind == "brown":
            self._add(*_BROWN)
            self._add(*signal.butter(1, 20.0, "highpass", fs=rate))  # no DC wander
        else:
            self._add(*_PINK)
        if kind == "rain-like":
            self._add(*signal.butter(2, 800.0, "highpass", fs=rate))
            # Each droplet: an impulse ringing in a resonator around 2.5 kHz for ~10 ms.
            r = math.exp(-1.0 / (0.004 * rate))
            w = 2 * math.pi * 2500.0 / rate
            self.drop = (np.array([1.0 - r]), np.array([1.0, -2 * r * math.cos(w), r * r]))
            self.drop_state = np.zeros(2)

    def _add(self, b: np.ndarray, a: np.ndarray) -> None:
        self.filters.append((b, a, np.zeros(max(len(a), len(b)) - 1)))

    def take(self, n: int) -> dsp.Samples:
        x = self.rng.standard_normal(n)
        for i, (b, a, zi) in enumerate(self.filters):
            x, zf = signal.lfilter(b, a, x, zi=zi)
            self.filters[i] = (b, a, zf)
        if self.kind == "rain-like":
            hits = np.zeros(n)
            count = int(self.rng.poisson(DROPS_PER_SECOND * n / self.rate))
            where = self.rng.integers(0, n, size=count)
            np.add.at(hits, where, self.rng.uniform(0.2, 1.0, size=count) * 12.0)
            drops, self.drop_state = signal.lfilter(*self.drop, hits, zi=self.drop_state)
            x = x + drops
        return np.asarray(x, dtype=np.float64)


def _scale(kind: str, rate: int) -> float:
    """Gain that brings a kind's raw noise to BED_RMS, measured on a fixed calibration stream."""
    probe = _Noise(kind, rate, CALIBRATION_SEED)
    probe.take(rate)  # let the filters settle
    rms = float(np.sqrt(np.mean(probe.take(round(CALIBRATION_SECONDS * rate)) ** 2)))
    return BED_RMS * 32767.0 / rms


def noise_blocks(kind: str, rate: int, n: int, seed: int) -> Iterator[dsp.Samples]:
    """`n` samples of the bed at BED_RMS (int16 units), in blocks of BLOCK."""
    source = _Noise(kind, rate, seed)
    source.take(rate)  # settle the filters, so the start is like the rest
    gain = _scale(kind, rate)
    done = 0
    while done < n:
        m = min(BLOCK, n - done)
        yield source.take(m) * gain
        done += m


def bed(kind: str, rate: int, seconds: float, seed: int = 1) -> dsp.Samples:
    """A whole bed without fades or ducking (for tests and short previews)."""
    n = round(seconds * rate)
    parts = list(noise_blocks(kind, rate, n, seed))
    return np.concatenate(parts) if parts else np.zeros(0)


def _ramp(x: np.ndarray) -> np.ndarray:
    """0 → 1 along x in [0, 1] as half a cosine; clamped outside."""
    return np.asarray(0.5 - 0.5 * np.cos(math.pi * np.clip(x, 0.0, 1.0)), dtype=np.float64)


def gain_curve(
    start: int,
    n: int,
    total: int,
    spans: Sequence[tuple[int, int]],
    rate: int,
    ends: Sequence[int] | None = None,
) -> dsp.Samples:
    """The bed's gain for samples [start, start + n) of a `total`-sample session.

    Fades in over the first FADE_SECONDS and out over the last; within each of
    `spans` (sorted [a, b) sample ranges where a cue sounds) it is DUCK_DB
    lower, with DUCK_RAMP ramps outside the span, so the bed is already down
    when the cue begins. `ends` (the spans' ends, sorted) saves rebuilding
    them for every block of a long session.
    """
    idx = np.arange(start, start + n, dtype=np.float64)
    fade = max(1.0, FADE_SECONDS * rate)
    gain = _ramp(idx / fade) * _ramp((total - idx) / fade)
    ramp = max(1, round(DUCK_RAMP * rate))
    depth = np.zeros(n)
    ends = ends if ends is not None else sorted(b for _, b in spans)
    first = bisect.bisect_left(ends, start - ramp)
    for a, b in spans[first:]:
        if a - ramp >= start + n:
            break
        down = np.minimum(_ramp((idx - (a - ramp)) / ramp), _ramp(((b + ramp) - idx) / ramp))
        np.maximum(depth, down, out=depth)
    duck = 10 ** (-DUCK_DB / 20)
    return np.asarray(gain * (1.0 - (1.0 - duck) * depth), dtype=np.float64)


def mix_under(
    cues: np.ndarray, kind: str, rate: int, spans: Sequence[tuple[int, int]], seed: int = 1
) -> np.ndarray:
    """int16 cue track + the bed (faded, ducked under `spans`), clipped to int16, block by block."""
    total = len(cues)
    out = np.empty(total, dtype="<i2")
    spans = sorted(spans)
    ends = sorted(b for _, b in spans)
    pos = 0
    for block in noise_blocks(kind, rate, total, seed):
        m = len(block)
        level = block * gain_curve(pos, m, total, spans, rate, ends)
        mixed = cues[pos : pos + m].astype(np.float64) + level
        out[pos : pos + m] = np.clip(np.rint(mixed), -32768, 32767)
        pos += m
    return out
