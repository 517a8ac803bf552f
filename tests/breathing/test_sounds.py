"""The generated cue sounds: each phase tells itself apart by ear, none clicks, all are pure."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d

from audio_companion.breathing import sounds
from audio_companion.breathing.onsets import detect_onsets

RATE = 22050


def pitch(x: np.ndarray) -> float:
    """Zero-crossing pitch estimate in Hz (clean sines only)."""
    crossings = np.abs(np.diff(np.signbit(x).astype(int))).sum()
    return float(crossings) * RATE / 2 / len(x)


def quarters(x: np.ndarray) -> tuple[float, float]:
    q = len(x) // 4
    return pitch(x[:q]), pitch(x[-q:])


def test_in_rises_out_falls_and_holds_stay_level() -> None:
    rise = sounds.phase_tone("in", False, 4.0, RATE)
    fall = sounds.phase_tone("out", False, 4.0, RATE)
    hold = sounds.phase_tone("hold", False, 4.0, RATE)
    hold_out = sounds.phase_tone("hold_out", False, 4.0, RATE)
    a, b = quarters(rise)
    assert a < b and b / a > 1.2  # a rise of about a fourth
    a, b = quarters(fall)
    assert a > b and a / b > 1.2
    for level, where in ((hold, sounds.HIGH), (hold_out, sounds.LOW)):
        a, b = quarters(level)
        assert a == pytest.approx(b, rel=0.05)
        assert pitch(level) == pytest.approx(where, rel=0.05)  # where the breath stopped
    # a hold is short and quieter than the breath cues: then silence
    assert len(hold) == round(sounds.HOLD_SECONDS * RATE) < len(rise)
    assert np.abs(hold).max() < np.abs(rise).max()


def test_sounds_never_outlast_half_their_phase() -> None:
    for kind in ("in", "out", "hold", "hold_out"):
        for secs in (1.0, 2.0, 4.0):
            assert len(sounds.phase_tone(kind, False, secs, RATE)) <= round(secs / 2 * RATE)
    assert len(sounds.phase_tone("out", False, 1.0, RATE, double_out=True)) <= round(0.5 * RATE)


def test_double_out_is_two_falling_glides_heard_as_one_cue() -> None:
    x = sounds.phase_tone("out", False, 6.0, RATE, double_out=True)
    loud = maximum_filter1d(np.abs(x), round(0.005 * RATE)) > 100  # envelope, not zero crossings
    edges = np.flatnonzero(np.diff(loud.astype(int)) != 0)
    # two bursts with a gap of about DOUBLE_GAP (the fades widen it a little)
    runs = np.split(np.arange(len(x)), edges + 1)
    bursts = [r for r in runs if loud[r[0]] and len(r) > 0.05 * RATE]
    assert len(bursts) == 2
    gap = (bursts[1][0] - bursts[0][-1]) / RATE
    assert sounds.DOUBLE_GAP <= gap < 0.25  # under the onset detector's gap: one onset
    assert detect_onsets(x, RATE) == [pytest.approx(0.0, abs=0.002)]
    for burst in bursts:
        a, b = quarters(x[burst])
        assert a > b  # each falls


def test_countdown_pip_and_gong() -> None:
    p = sounds.pip(RATE)
    assert len(p) == round(sounds.PIP_SECONDS * RATE)
    assert pitch(p) == pytest.approx(sounds.PIP_HZ, rel=0.05)
    g = sounds.gong(RATE)
    assert len(g) == round(sounds.GONG_SECONDS * RATE)
    assert np.abs(g).max() == pytest.approx(sounds.GONG_GAIN * 32767, rel=1e-6)
    second = [float(np.sqrt(np.mean(g[i * RATE : (i + 1) * RATE] ** 2))) for i in range(5)]
    assert all(a > b for a, b in itertools.pairwise(second))  # it dies away
    # it starts at once (its onset is its first sample) but softly: no click
    assert detect_onsets(g, RATE) == [pytest.approx(0.0, abs=0.002)]
    assert abs(g[0]) < 0.05 * np.abs(g).max()


@pytest.mark.parametrize(
    "make",
    [
        lambda: sounds.phase_tone("in", False, 4.0, RATE),
        lambda: sounds.phase_tone("out", False, 4.0, RATE, double_out=True),
        lambda: sounds.phase_tone("hold", False, 4.0, RATE),
        lambda: sounds.pip(RATE),
        lambda: sounds.gong(RATE),
    ],
)
def test_no_clicks_and_pure(make: object) -> None:
    assert callable(make)
    x = make()
    assert np.array_equal(x, make())  # a pure function: the same samples every time
    peak = float(np.abs(x).max())
    assert abs(x[-1]) < 0.01 * peak  # ends faded out
    # no jump larger than a sine at the highest partial can make in one sample
    top = max(sounds.TOP_UP, sounds.GONG_HZ * sounds.GONG_PARTIALS[-1][0])
    assert np.abs(np.diff(x)).max() <= 2 * math.pi * top / RATE * peak * 1.05
