"""The ambient bed: seeded noise of three colours, faded, ducked, and always under the cues."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import FakeSynth

from audio_companion.breathing import BUILTINS, BreathingError, BreathingSession, CueStyle
from audio_companion.breathing import ambient as amb
from audio_companion.breathing.render import RenderedSession, render_session
from audio_companion.breathing.session import prepare

RATE = 22050


def band_share(x: np.ndarray, lo: float, hi: float) -> float:
    """Fraction of the signal's power between lo and hi Hz."""
    power = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / RATE)
    return float(power[(f >= lo) & (f < hi)].sum() / power.sum())


@pytest.mark.parametrize("kind", amb.AMBIENT_KINDS)
def test_a_bed_is_seeded_and_at_its_level(kind: str) -> None:
    x = amb.bed(kind, RATE, 20.0, seed=7)
    assert len(x) == 20 * RATE
    assert np.array_equal(x, amb.bed(kind, RATE, 20.0, seed=7))  # reproducible
    assert not np.array_equal(x[:1000], amb.bed(kind, RATE, 20.0, seed=8)[:1000])
    rms = float(np.sqrt(np.mean(x**2))) / 32767
    assert rms == pytest.approx(amb.BED_RMS, rel=0.15)
    assert abs(float(np.mean(x))) < 0.05 * rms * 32767  # no DC


def test_the_colours_differ_as_named() -> None:
    brown, pink, rain = (amb.bed(k, RATE, 10.0, seed=3) for k in amb.AMBIENT_KINDS)
    assert band_share(brown, 0, 200) > 0.8  # a low rumble
    assert band_share(brown, 0, 200) > band_share(pink, 0, 200) > band_share(rain, 0, 200)
    assert band_share(rain, 1000, 11025) > 0.5  # hiss and droplets

    # droplets: sparse peaks make the rain heavier-tailed than steady (Gaussian) noise
    def kurtosis(x: np.ndarray) -> float:
        return float(np.mean(x**4) / np.mean(x**2) ** 2)

    assert kurtosis(pink) == pytest.approx(3.0, abs=0.15)
    assert kurtosis(rain) > 3.3


def test_unknown_bed_is_one_clear_error() -> None:
    with pytest.raises(BreathingError, match=r"unknown ambient bed 'surf'.*brown, pink, rain-like"):
        BreathingSession(BUILTINS["box"], cycles=1, ambient="surf")
    with pytest.raises(BreathingError, match="unknown ambient bed"):
        amb.bed("surf", RATE, 1.0)


def test_gain_fades_in_and_out_and_ducks_ahead_of_each_cue() -> None:
    total = 60 * RATE
    span = (30 * RATE, 31 * RATE)
    g = amb.gain_curve(0, total, total, [span], RATE)
    fade = round(amb.FADE_SECONDS * RATE)
    assert g[0] == 0.0 and g[-1] < 1e-6
    assert np.all(np.diff(g[:fade]) >= 0) and g[fade] == pytest.approx(1.0)
    duck = 10 ** (-amb.DUCK_DB / 20)
    assert np.allclose(g[span[0] : span[1]], duck)  # down for the whole cue…
    ramp = round(amb.DUCK_RAMP * RATE)
    assert g[span[0] - ramp - 1] == pytest.approx(1.0)  # …and reaching down before it starts
    assert g[span[0] - ramp // 2] < 1.0
    # computed block by block, the curve is the same
    parts = [amb.gain_curve(a, 4096, total, [span], RATE) for a in range(0, total, 4096)]
    assert np.allclose(np.concatenate(parts)[:total], g)


def short_term_rms(x: np.ndarray, seconds: float) -> np.ndarray:
    n = round(seconds * RATE)
    usable = len(x) // n * n
    return np.sqrt((x[:usable].reshape(-1, n) ** 2).mean(axis=1))


def rendered_pair(kind: str) -> tuple[RenderedSession, RenderedSession]:
    style = CueStyle(tones=True, countdown=True, gong=True, double_out=True)
    bank, cues = prepare(BreathingSession(BUILTINS["4-7-8"], minutes=2, style=style), FakeSynth())
    return render_session(cues, bank), render_session(cues, bank, ambient=kind, seed=5)


@pytest.mark.parametrize("kind", amb.AMBIENT_KINDS)
def test_the_bed_stays_under_the_cues(kind: str) -> None:
    """The bed alone (the mix minus the cues) against each cue, by RMS.

    Short-term RMS (3 s windows) and momentary RMS (0.4 s) of the bed never
    reach the quietest cue's RMS over its own sound; under a cue the bed is
    ducked, so there it is further below.
    """
    dry, wet = rendered_pair(kind)
    x_dry = dry.audio.to_int16()[:, 0].astype(np.float64)
    x_wet = wet.audio.to_int16()[:, 0].astype(np.float64)
    assert len(x_dry) == len(x_wet) and wet.onsets == dry.onsets
    bed = x_wet - x_dry
    cue_rms = [float(np.sqrt(np.mean(x_dry[a:b] ** 2))) for a, b in dry.spans]
    quietest = min(cue_rms)
    short, momentary = short_term_rms(bed, 3.0).max(), short_term_rms(bed, 0.4).max()
    db = 20 * np.log10(quietest / max(short, momentary))
    print(
        f"\n{kind}: quietest cue {quietest:.0f}, bed short-term {short:.0f} "
        f"momentary {momentary:.0f} (int16 RMS): {db:.1f} dB under"
    )
    assert max(short, momentary) < quietest
    assert db >= 6.0
    for (a, b), rms in zip(dry.spans, cue_rms, strict=True):
        under = float(np.sqrt(np.mean(bed[a:b] ** 2)))
        assert under < rms / 4, (a / RATE, under, rms)  # ≥ 12 dB under each cue
    # it fades in from silence and out to silence
    assert np.abs(bed[: RATE // 10]).max() < 0.02 * np.abs(bed).max()
    assert np.abs(bed[-(RATE // 10) :]).max() < 0.02 * np.abs(bed).max()


def test_mixing_a_long_bed_is_linear() -> None:
    """Blocks of one size, whatever the length: the work per second of audio is constant."""
    cues = np.zeros(10 * 60 * RATE, dtype="<i2")
    spans = [(s, s + RATE // 2) for s in range(RATE, len(cues) - RATE, 4 * RATE)]
    out = amb.mix_under(cues, "pink", RATE, spans, seed=2)
    assert len(out) == len(cues) and out.dtype == np.dtype("<i2")
    again = amb.mix_under(cues[: 60 * RATE], "pink", RATE, spans[:15], seed=2)
    # the same seed makes the same noise: the first minute's samples agree away from the fades
    lo, hi = round(amb.FADE_SECONDS * RATE), 50 * RATE
    assert np.array_equal(out[lo:hi], again[lo:hi])
