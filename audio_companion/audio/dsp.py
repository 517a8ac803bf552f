"""Small sample-level tools shared by every renderer: where the sound is, fades, tones, mixing.

Pure numpy on 1-D float arrays (or boolean masks); no formats, no I/O. The
one silence trimmer of the project is `loud_span`: each caller decides what
counts as loud (an absolute level, a fraction of the peak, a frame's RMS) and
how much quiet to keep around it.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float64]


def loud_span(
    loud: npt.NDArray[np.bool_], before: int = 0, after: int = 0
) -> tuple[int, int] | None:
    """[start, end) around the first and last True of `loud`, widened by `before`
    and `after` samples and clamped to the array; None when nothing is loud."""
    hits = np.flatnonzero(loud)
    if hits.size == 0:
        return None
    start = max(0, int(hits[0]) - before)
    end = min(len(loud), int(hits[-1]) + 1 + after)
    return start, end


def raised_cosine_out(n: int) -> Samples:
    """A gain curve falling from 1 to 0 over `n` samples (half a cosine: no click)."""
    return np.asarray(0.5 + 0.5 * np.cos(np.linspace(0.0, math.pi, n)), dtype=np.float64)


def fade_out(samples: Samples, n: int) -> Samples:
    """Fade the last `n` samples (at most all of them) to silence, in place; returns `samples`."""
    n = min(len(samples), n)
    if n:
        samples[-n:] *= raised_cosine_out(n)
    return samples


def tone(
    f0: float,
    f1: float,
    seconds: float,
    gain: float,
    rate: int,
    fade_in: float = 0.008,
    fade_out: float = 0.12,
) -> Samples:
    """A sine gliding exponentially from f0 to f1 at `gain` × full scale (int16 units),
    with raised-cosine fades of `fade_in` and `fade_out` seconds (no clicks)."""
    n = max(1, round(seconds * rate))
    t = np.arange(n) / rate
    if f0 == f1:
        phase = 2 * math.pi * f0 * t
    else:
        ratio = math.log(f1 / f0)
        phase = 2 * math.pi * f0 * seconds / ratio * (np.exp(ratio * t / seconds) - 1.0)
    env = np.ones(n)
    fin, fout = min(n, round(fade_in * rate)), min(n // 2, round(fade_out * rate))
    if fin:
        env[:fin] = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, fin, endpoint=False))
    if fout:
        env[-fout:] *= raised_cosine_out(fout)
    return np.asarray(gain * 32767.0 * env * np.sin(phase), dtype=np.float64)


def mix(*parts: Samples) -> Samples:
    """The parts added together from their first sample; as long as the longest."""
    n = max(len(p) for p in parts)
    out = np.zeros(n)
    for p in parts:
        out[: len(p)] += p
    return out
