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


def _peak_envelope(x: Signal) -> FloatArray:
    """Per-sample true-peak envelope (frames,), linked across channels.

    Element n is the largest |value| of the 4x-oversampled signal at sample n or on
    either adjacent inter-sample interval.
    """
    n = x.shape[0]
    env: FloatArray = np.abs(x).max(axis=1).astype(np.float64)
    if n == 0:
        return env
    between = np.zeros(n, dtype=np.float32)  # peak on interval (n, n+1)
    for ch in range(x.shape[1]):
        padded = np.concatenate(
            [np.zeros(_HALF_TAPS - 1, np.float32), x[:, ch], np.zeros(_HALF_TAPS, np.float32)]
        )
        for taps in _TAPS:
            np.maximum(between, np.abs(np.correlate(padded, taps, mode="valid")), out=between)
    np.maximum(env, between, out=env)
    env[1:] = np.maximum(env[1:], between[:-1])
    return env


def true_peak(x: Signal) -> float:
    """True peak in dBTP of float samples (frames, channels) in [-1, 1] full scale."""
    if x.size == 0:
        return -math.inf
    return _db(float(_peak_envelope(x).max()))


def _running_max(x: FloatArray, width: int) -> FloatArray:
    """out[n] = max(x[n : n + width]) (window clipped at the end), by doubling."""
    out = x.copy()
    span = 1
    while span < width:
        step = min(span, width - span)
        shifted = np.full_like(out, -np.inf)
        shifted[:-step] = out[step:]
        np.maximum(out, shifted, out=out)
        span += step
    return out


def _limiter_gain_db(peaks: FloatArray, ceiling: float, rate: int) -> FloatArray:
    """Smooth gain (dB, <= 0) keeping ``peaks * gain`` at or below ``ceiling``.

    Required attenuation per sample -> exponential release (cumulative max in the log
    domain) -> look-ahead running max -> moving average of the same length. Any window
    averaged for sample n lies within a running-max window containing n, so the
    averaged attenuation is never less than what sample n needs.
    """
    n = peaks.shape[0]
    with np.errstate(divide="ignore"):
        need = np.maximum(0.0, 20.0 * np.log10(np.maximum(peaks, 1e-12) / ceiling))
    if not np.any(need > 0):
        return np.zeros(n)

    # Release: att[n] = max_k need[k] * a**(n-k), a = exp(-1 / (release * rate)).
    # In logs: log att[n] = max_k (log need[k] + k/tau) - n/tau -> a cumulative max.
    tau = _RELEASE_S * rate
    idx = np.arange(n, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_need = np.log(need)
    att = np.exp(np.maximum.accumulate(log_need + idx / tau) - idx / tau)

    look = max(1, round(_LOOKAHEAD_S * rate))
    held = _running_max(att, look)
    # Moving average over held[n - look + 1 .. n] (zeros before the start).
    csum = np.concatenate([np.zeros(look), np.cumsum(held)])
    smooth = (csum[look:] - csum[:-look]) / look
    # Floating-point slack: never less than what this sample needs.
    gain: FloatArray = -np.maximum(smooth, need)
    return gain


def _trim_bounds(x: Signal, rate: int, settings: MasterSettings) -> tuple[int, int] | None:
    """(start, end) frame indices keeping ``keep_s`` around the non-silent part."""
    n = x.shape[0]
    frame = max(1, round(_FRAME_S * rate))
    count = -(-n // frame)
    power = np.zeros(count * frame)
    power[:n] = np.mean(np.square(x, dtype=np.float64), axis=1)
    rms = np.sqrt(power.reshape(count, frame).mean(axis=1))
    loud = np.flatnonzero(rms > 10.0 ** (settings.trim_db / 20.0))
    if loud.size == 0:
        return None
    keep = round(settings.keep_s * rate)
    start = max(0, int(loud[0]) * frame - keep)
    end = min(n, (int(loud[-1]) + 1) * frame + keep)
    return start, end


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

    # Limit; a second pass catches any overshoot from the envelope's own modulation.
    ceiling = 10.0 ** ((settings.true_peak_dbtp - _SAFETY_DB) / 20.0)
    for _ in range(2):
        peaks = _peak_envelope(y)
        if peaks.max() <= ceiling:
            break
        g = 10.0 ** (_limiter_gain_db(peaks, ceiling, rate) / 20.0)
        y = y * g.astype(np.float32)[:, None]

    out = np.clip(np.round(y * _FULL_SCALE), -32768, 32767).astype("<i2")
    out_f = out.astype(np.float32) / np.float32(_FULL_SCALE)
    report = MasterReport(
        input_lufs=input_lufs,
        gain_db=gain_db,
        output_lufs=_loudness(out_f, rate),
        true_peak_dbtp=true_peak(out_f),
        trimmed_start_s=start / rate,
        trimmed_end_s=(x.shape[0] - end) / rate,
    )
    mastered = AudioChunk(rate, 2, chunk.channels, out.tobytes(), chunk.timestamp)
    return mastered, report
