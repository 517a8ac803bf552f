"""Episode mastering: trim silence, normalise loudness, limit true peak.

Pure numpy + pyloudnorm, no I/O. The loudness target follows common podcast practice
(-19 LUFS mono, -16 LUFS stereo) with a -1 dBTP true-peak ceiling. True peak is
estimated by 4x oversampling with a windowed-sinc polyphase interpolator, and the
limiter is a smooth look-ahead gain envelope (no hard clipping), built entirely from
vectorised running min/max and cumulative operations so minutes of audio take well
under a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import maximum_filter1d

from audio_companion.audio import dsp
from audio_companion.audio.chunk import AudioChunk

FloatArray = npt.NDArray[np.float64]
Signal = npt.NDArray[np.float32]  # (frames, channels), full scale = 1.0

_FULL_SCALE = 32768.0
_FRAME_S = 0.010  # trimming analysis frame
_LOOKAHEAD_S = 0.005
_RELEASE_S = 0.050
_OVERSAMPLE = 4
_HALF_TAPS = 12  # interpolator taps on each side of the fractional position
_SAFETY_DB = 0.15  # limiter aims this far below the ceiling (estimator + int16 rounding)
_SETTLE = 25  # release time constants after which the limiter has let go
_MIN_LOUDNESS_S = 0.4  # one BS.1770 gating block


@dataclass(frozen=True)
class MasterSettings:
    target_lufs: float = -19.0
    true_peak_dbtp: float = -1.0
    trim_db: float = -50.0  # frames (10 ms) quieter than this are silence for trimming
    keep_s: float = 0.25  # silence kept at each end after trimming


@dataclass(frozen=True)
class MasterReport:
    input_lufs: float
    gain_db: float
    output_lufs: float
    true_peak_dbtp: float
    trimmed_start_s: float
    trimmed_end_s: float


def target_for(channels: int) -> float:
    """Podcast loudness target: -19 LUFS for mono, -16 LUFS for stereo (or more)."""
    return -19.0 if channels == 1 else -16.0


def settings_for(channels: int, **overrides: float) -> MasterSettings:
    """Default settings with the loudness target matched to the channel count."""
    return replace(MasterSettings(target_lufs=target_for(channels)), **overrides)


# --- helpers ---------------------------------------------------------------------------


def _db(x: float) -> float:
    return 20.0 * math.log10(x) if x > 0 else -math.inf


def _interp_taps() -> FloatArray:
    """Polyphase taps, shape (OVERSAMPLE-1, 2*HALF_TAPS), for fractions 1/4, 2/4, 3/4.

    Row p interpolates y(n + f) = sum_k x[n + k] * taps[p, k + HALF_TAPS - 1],
    k = -(HALF_TAPS-1) .. HALF_TAPS.
    """
    k = np.arange(-(_HALF_TAPS - 1), _HALF_TAPS + 1, dtype=np.float64)
    rows = []
    for p in range(1, _OVERSAMPLE):
        t = k - p / _OVERSAMPLE  # distance of tap from the interpolated point
        window = np.kaiser(2 * _HALF_TAPS + 1, 8.0)
        # Sample the (odd-length, centred) Kaiser window at the tap positions.
        w = np.interp(t, np.arange(-_HALF_TAPS, _HALF_TAPS + 1), window)
        taps = np.sinc(t) * w
        rows.append(taps / taps.sum())
    return np.stack(rows)


_TAPS = _interp_taps().astype(np.float32)


_TAPS_L1 = float(np.abs(_TAPS).sum(axis=1).max())  # how far interpolation can exceed its inputs
_BLOCK = 1024  # frames per block when skipping audio too quiet to matter


def _between(x: Signal, a: int, b: int) -> FloatArray:
    """Largest |value| of the 4x-oversampled signal inside each interval (i, i+1), a <= i < b."""
    n = x.shape[0]
    lo, hi = a - (_HALF_TAPS - 1), b + _HALF_TAPS  # the taps' reach
    out = np.zeros(b - a, dtype=np.float32)
    for ch in range(x.shape[1]):
        seg = x[max(0, lo) : min(n, hi), ch]
        padded = np.concatenate(
            [np.zeros(max(0, -lo), np.float32), seg, np.zeros(max(0, hi - n), np.float32)]
        )
        for taps in _TAPS:
            np.maximum(out, np.abs(np.correlate(padded, taps, mode="valid")), out=out)
    return out.astype(np.float64)


def _peak_envelope(x: Signal, floor: float = 0.0) -> FloatArray:
    """Per-sample true-peak envelope (frames,), linked across channels.

    Element n is the largest |value| of the 4x-oversampled signal at sample n or on
    either adjacent inter-sample interval. Interpolation cannot exceed the taps' L1
    norm times the largest nearby sample, so blocks whose neighbourhood stays below
    `floor / L1` keep their sample peaks: exact wherever the envelope can reach `floor`.
    """
    n = x.shape[0]
    env: FloatArray = np.abs(x).max(axis=1).astype(np.float64)
    if n == 0:
        return env
    count = -(-n // _BLOCK)
    block_max = np.zeros(count * _BLOCK)
    block_max[:n] = env
    near = block_max.reshape(count, _BLOCK).max(axis=1)
    near[1:] = np.maximum(near[1:], near[:-1].copy())  # taps reach across block edges
    near[:-1] = np.maximum(near[:-1], near[1:].copy())
    hot = near * _TAPS_L1 > floor
    # Runs of consecutive hot blocks, each as [first, last + 1).
    edges = np.flatnonzero(np.diff(np.concatenate([[0], hot.astype(np.int8), [0]])))
    for first, stop in zip(edges[::2], edges[1::2], strict=True):
        a, b = int(first) * _BLOCK, min(n, int(stop) * _BLOCK)
        between = _between(x, a, b)
        np.maximum(env[a:b], between, out=env[a:b])
        c = min(n, b + 1)
        np.maximum(env[a + 1 : c], between[: c - a - 1], out=env[a + 1 : c])
    return env


def true_peak(x: Signal) -> float:
    """True peak in dBTP of float samples (frames, channels) in [-1, 1] full scale."""
    if x.size == 0:
        return -math.inf
    return _db(float(_peak_envelope(x, floor=float(np.abs(x).max())).max()))


def _segment_gain_db(need: FloatArray, rate: int) -> FloatArray:
    """The limiter's gain for one stretch of audio (see `_limiter_gain_db`)."""
    n = need.shape[0]
    # Release: att[n] = max_k need[k] * a**(n-k), a = exp(-1 / (release * rate)).
    # In logs: log att[n] = max_k (log need[k] + k/tau) - n/tau -> a cumulative max.
    tau = _RELEASE_S * rate
    idx = np.arange(n, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_need = np.log(need)
    att = np.exp(np.maximum.accumulate(log_need + idx / tau) - idx / tau)

    look = max(1, round(_LOOKAHEAD_S * rate))
    # Look-ahead: held[n] = max(att[n : n + look]), the window clipped at the end.
    held = maximum_filter1d(att, look, origin=-(look // 2), mode="constant", cval=0.0)
    # Moving average over held[n - look + 1 .. n] (zeros before the start).
    csum = np.concatenate([np.zeros(look), np.cumsum(held)])
    smooth = (csum[look:] - csum[:-look]) / look
    # Floating-point slack: never less than what this sample needs.
    gain: FloatArray = -np.maximum(smooth, need)
    return gain


def _limiter_gain_db(peaks: FloatArray, ceiling: float, rate: int) -> FloatArray:
    """Smooth gain (dB, <= 0) keeping ``peaks * gain`` at or below ``ceiling``.

    Required attenuation per sample -> exponential release (cumulative max in the log
    domain) -> look-ahead running max -> moving average of the same length. Any window
    averaged for sample n lies within a running-max window containing n, so the
    averaged attenuation is never less than what sample n needs.

    Only stretches around samples over the ceiling are computed: `_SETTLE` release
    time constants after the last of them the attenuation is below 1e-10 dB.
    """
    n = peaks.shape[0]
    with np.errstate(divide="ignore"):
        need = np.maximum(0.0, 20.0 * np.log10(np.maximum(peaks, 1e-12) / ceiling))
    gain = np.zeros(n)
    over = np.flatnonzero(need > 0)
    if over.size == 0:
        return gain
    look = max(1, round(_LOOKAHEAD_S * rate))
    tail = round(_SETTLE * _RELEASE_S * rate) + 2 * look
    # Group over-ceiling samples whose stretches would touch.
    breaks = np.flatnonzero(np.diff(over) > tail)
    starts = np.concatenate([[over[0]], over[breaks + 1]])
    ends = np.concatenate([over[breaks], [over[-1]]])
    for first, last in zip(starts, ends, strict=True):
        a = max(0, int(first) - 2 * look)
        b = min(n, int(last) + tail)
        gain[a:b] = _segment_gain_db(need[a:b], rate)
    return gain


def _trim_bounds(x: Signal, rate: int, settings: MasterSettings) -> tuple[int, int] | None:
    """(start, end) frame indices keeping ``keep_s`` around the non-silent part."""
    n = x.shape[0]
    frame = max(1, round(_FRAME_S * rate))
    count = -(-n // frame)
    power = np.zeros(count * frame)
    power[:n] = np.mean(np.square(x, dtype=np.float64), axis=1)
    rms = np.sqrt(power.reshape(count, frame).mean(axis=1))
    loud = np.repeat(rms > 10.0 ** (settings.trim_db / 20.0), frame)[:n]  # per sample
    keep = round(settings.keep_s * rate)
    return dsp.loud_span(loud, keep, keep)


def _loudness(x: Signal, rate: int) -> float:
    if x.shape[0] < round(_MIN_LOUDNESS_S * rate):
        return -math.inf
    meter = pyloudnorm.Meter(rate)
    data = x[:, 0] if x.shape[1] == 1 else x
    return float(meter.integrated_loudness(data))


def _unchanged(chunk: AudioChunk, peak: float) -> tuple[AudioChunk, MasterReport]:
    return chunk, MasterReport(-math.inf, 0.0, -math.inf, peak, 0.0, 0.0)


# --- public ----------------------------------------------------------------------------


def master(
    chunk: AudioChunk, settings: MasterSettings | None = None
) -> tuple[AudioChunk, MasterReport]:
    """Trim, loudness-normalise and true-peak-limit a 16-bit chunk.

    Silent, empty or too-short (< 0.4 s after trimming) input is returned unchanged
    with input/output loudness -inf and 0 dB gain.
    """
    if settings is None:
        settings = settings_for(chunk.channels)
    rate = chunk.rate
    x = chunk.to_int16().astype(np.float32) / np.float32(_FULL_SCALE)
    if x.shape[0] == 0:
        return _unchanged(chunk, -math.inf)

    bounds = _trim_bounds(x, rate, settings)
    if bounds is None:
        return _unchanged(chunk, true_peak(x))
    start, end = bounds
    y = x[start:end]

    input_lufs = _loudness(y, rate)
    if not math.isfinite(input_lufs):
        return _unchanged(chunk, true_peak(x))
    gain_db = settings.target_lufs - input_lufs
    y = y * np.float32(10.0 ** (gain_db / 20.0))

    # Limit, then measure what will be written (after rounding to 16 bits): that
    # envelope is both the check (another pass if the limiter's own modulation
    # overshot) and the true peak reported, exact down to min(ceiling, peak).
    limit = 10.0 ** (settings.true_peak_dbtp / 20.0)
    ceiling = 10.0 ** ((settings.true_peak_dbtp - _SAFETY_DB) / 20.0)  # aimed at
    peaks = _peak_envelope(y, floor=ceiling)
    for _ in range(3):
        if peaks.max() > ceiling:
            y = (
                y
                * (10.0 ** (_limiter_gain_db(peaks, ceiling, rate) / 20.0)).astype(np.float32)[
                    :, None
                ]
            )
        out = np.clip(np.round(y * _FULL_SCALE), -32768, 32767).astype("<i2")
        out_f = out.astype(np.float32) / np.float32(_FULL_SCALE)
        peaks = _peak_envelope(out_f, floor=min(ceiling, float(np.abs(out_f).max())))
        if peaks.max() <= limit:
            break
        y = out_f
    report = MasterReport(
        input_lufs=input_lufs,
        gain_db=gain_db,
        output_lufs=_loudness(out_f, rate),
        true_peak_dbtp=_db(float(peaks.max())),
        trimmed_start_s=start / rate,
        trimmed_end_s=(x.shape[0] - end) / rate,
    )
    mastered = AudioChunk(rate, 2, chunk.channels, out.tobytes(), chunk.timestamp)
    return mastered, report
