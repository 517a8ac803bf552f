"""Finding where cues start in audio: to check a rendered file or a recording.

Energy onset detection with a short frame: RMS over 1 ms hops; an onset is
the first frame above the threshold after at least `gap` seconds below it.
Cues are separated by seconds of digital silence, so a low threshold is safe
and lands within a millisecond of the first audible sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def detect_onsets(
    samples: np.ndarray,
    rate: int,
    *,
    hop: float = 0.001,
    threshold: float = 100.0,
    gap: float = 0.25,
) -> list[float]:
    """Onset times in seconds: the first sample above `threshold` after `gap` of quiet frames."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    n = max(1, round(hop * rate))
    frames = len(x) // n
    if frames == 0:
        return []
    blocks = x[: frames * n].reshape(frames, n)
    rms = np.sqrt((blocks**2).mean(axis=1))
    need = max(1, round(gap / hop))
    onsets: list[float] = []
    prev = -need - 1  # the start of the audio counts as after a gap
    for i in np.flatnonzero(rms > threshold):
        if i - prev - 1 >= need:
            # Refine to the first sample above the threshold in this frame or the one before.
            lo = max(0, (int(i) - 1) * n)
            above = np.flatnonzero(np.abs(x[lo : (int(i) + 1) * n]) > threshold)
            onsets.append((lo + (int(above[0]) if len(above) else n)) / rate)
        prev = int(i)
    return onsets


@dataclass(frozen=True)
class OnsetMatch:
    errors: list[float]  # detected - planned, seconds, per planned onset
    missing: list[float]  # planned onsets with no detection within the window
    extra: list[float]  # detections matching no planned onset

    @property
    def max_abs(self) -> float:
        return max((abs(e) for e in self.errors), default=0.0)

    @property
    def mean_abs(self) -> float:
        return float(np.mean(np.abs(self.errors))) if self.errors else 0.0


def match_onsets(
    planned: Sequence[float],
    detected: Sequence[float],
    window: float = 0.1,
    ignore: Sequence[tuple[float, float]] = (),
) -> OnsetMatch:
    """Pair each planned onset with the nearest detection within `window`.

    Detections inside `ignore` intervals (the intro and close sentences, whose
    words have pauses of their own) are not counted as extra.
    """
    det = np.asarray(sorted(detected), dtype=np.float64)
    used = np.zeros(len(det), dtype=bool)
    errors: list[float] = []
    missing: list[float] = []
    for p in planned:
        if len(det) == 0:
            missing.append(p)
            continue
        j = int(np.argmin(np.abs(det - p)))
        if abs(det[j] - p) <= window:
            errors.append(float(det[j] - p))
            used[j] = True
        else:
            missing.append(p)
    extra = [
        float(d)
        for d, u in zip(det, used, strict=True)
        if not u and not any(a <= d <= b for a, b in ignore)
    ]
    return OnsetMatch(errors, missing, extra)


def locate_onsets(
    samples: np.ndarray,
    rate: int,
    planned: Sequence[float],
    templates: Sequence[np.ndarray],
    *,
    window: float = 0.05,
    length: float = 0.3,
) -> list[float]:
    """Where each known sound starts, near its planned time: for audio with a bed under it.

    An energy detector needs quiet before each cue, which an ambient bed takes
    away; but the cue's own samples are known, so each is found by the lag
    (within ±`window`) that best matches the first `length` seconds of its
    template (normalised cross-correlation). Samples and templates share `rate`.
    """
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    reach = round(window * rate)
    found: list[float] = []
    for at, template in zip(planned, templates, strict=True):
        t = np.asarray(template, dtype=np.float64)[: max(1, round(length * rate))]
        start = round(at * rate)
        lo, hi = max(0, start - reach), min(len(x), start + reach + len(t))
        seg = x[lo:hi]
        if len(seg) < len(t) or not np.any(t):
            found.append(float("nan"))
            continue
        dots = np.correlate(seg, t, mode="valid")
        energy = np.convolve(seg**2, np.ones(len(t)), mode="valid")
        score = dots / np.sqrt(np.maximum(energy, 1e-9))
        found.append((lo + int(np.argmax(score))) / rate)
    return found
