"""Transcripts of an episode as WebVTT and SubRip, the two formats `podcast:transcript` takes.

The narrator knows exactly where each sentence landed in the audio, so cue
times are exact rather than aligned after the fact. What is left to get right
is presentation: long sentences become several short cues (a caption a
listener can read at a glance), and every time is rounded to the millisecond
the same way, so that cues which touch in seconds never overlap once written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_CUE_CHARS = 84  # two caption lines of 42
LINE_CHARS = 42  # the usual caption line width (BBC, Netflix guidelines)
_BREAK_AFTER = (",", ";", ":", "—", "–")  # a cue boundary reads best after these


@dataclass(frozen=True)
class Subtitle:
    """One timed piece of a transcript: a WebVTT/SubRip cue (breathing's `Cue` is another thing)."""

    start: float  # seconds from the start of the audio
    end: float
    text: str

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)):
            raise ValueError(f"cue times must be finite, got {self.start}..{self.end}")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad cue span {self.start}..{self.end} for {self.text!r}")


def cues_from_sentences(
    sentences: Sequence[tuple[float, float, str]], max_chars: int = MAX_CUE_CHARS
) -> list[Subtitle]:
    """One cue per `(start, end, text)` sentence; long ones split into several.

    A sentence longer than `max_chars` is cut at word boundaries into as few
    parts as fit (a single word longer than `max_chars` stays whole), as even
    as possible and preferably after , ; : or a dash. Its time span is shared
    between the parts in proportion to their lengths, so they are contiguous
    and stay within the sentence. Whitespace inside a sentence collapses to
    single spaces; whitespace-only sentences are skipped. Raises ValueError
    when a sentence ends before it starts or starts before the previous ends.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    cues: list[Subtitle] = []
    prev_end = 0.0
    for s, e, text in sentences:
        start, end = float(s), float(e)
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0:
            raise ValueError(f"sentence {text!r} has bad times {start}..{end}")
        if end < start:
            raise ValueError(f"sentence {text!r} ends ({end}s) before it starts ({start}s)")
        if start < prev_end:
            raise ValueError(
                f"sentence {text!r} starts at {start}s, before the previous one ends ({prev_end}s)"
            )
        prev_end = end
        words = text.split()
        if not words:
            continue
        parts = [" ".join(p) for p in _split_words(words, max_chars)]
        total = sum(len(p) for p in parts)
        done = 0
        t0 = start
        for i, part in enumerate(parts):
            done += len(part)
            t1 = end if i == len(parts) - 1 else start + (end - start) * done / total
            cues.append(Subtitle(t0, t1, part))
            t0 = t1
    return cues


def _split_words(words: list[str], max_chars: int) -> list[list[str]]:
    """The fewest runs of words that each fit `max_chars`, as even as possible.

    The fewest is what greedy filling gives; a dynamic programme then chooses,
    among splits into that many parts, the one closest to equal lengths, with
    a break after punctuation counting as if it were `max_chars / 6` closer.
    """
    n = len(words)
    lengths = [len(w) for w in words]
    total = sum(lengths) + n - 1
    if total <= max_chars:
        return [words]
    target = total / _greedy_count(lengths, max_chars)
    penalty = 2 * (max_chars / 6) ** 2  # moving one break by d costs about 2·d²
    inf = (n + 1, math.inf)
    best: list[tuple[int, float]] = [(0, 0.0)] + [inf] * n  # (parts, cost) for words[:i]
    back = [0] * (n + 1)
    for b in range(1, n + 1):
        pause = b == n or words[b - 1].endswith(_BREAK_AFTER)
        width = -1  # characters of words[a:b] joined by spaces
        for a in range(b - 1, -1, -1):
            width += lengths[a] + 1
            if width > max_chars and b - a > 1:
                break  # a single over-long word may stand alone, but nothing more
            cost = (width - target) ** 2 + (0.0 if pause else penalty)
            cand = (best[a][0] + 1, best[a][1] + cost)
            if cand < best[b]:
                best[b], back[b] = cand, a
    out: list[list[str]] = []
    b = n
    while b > 0:
        out.append(words[back[b] : b])
        b = back[b]
    return out[::-1]


def _greedy_count(lengths: list[int], max_chars: int) -> int:
    count, line = 1, -1
    for n in lengths:
        if line >= 0 and line + 1 + n > max_chars:
            count, line = count + 1, n
        else:
            line = n if line < 0 else line + 1 + n
    return count


def _wrap(text: str) -> list[str]:
    """One line if it fits LINE_CHARS, else two split at the space nearest the middle.

    When any split gives two lines within LINE_CHARS, the one nearest the
    middle does too, so this is also the most even split that fits. Text too
    long for that still gets two lines: players wrap a long line themselves,
    but a third line covers the picture (or the cover art).
    """
    text = " ".join(text.split())
    if len(text) <= LINE_CHARS:
        return [text] if text else []
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1 :]]


def _millis(t: float) -> int:
    # One monotonic rounding for every time: if a.end <= b.start then
    # _millis(a.end) <= _millis(b.start), so rounding never makes cues overlap.
    return round(t * 1000)


def _timestamp(t: float, sep: str) -> str:
    ms = _millis(t)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{ms:03d}"


def _escape_vtt(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Sequence[Subtitle]) -> str:
    """WebVTT (`text/vtt`), cues numbered from 1; cues without text are left out."""
    blocks = ["WEBVTT\n"]
    number = 0
    for c in cues:
        lines = _wrap(c.text)
        if not lines:
            continue
        number += 1
        timing = f"{_timestamp(c.start, '.')} --> {_timestamp(c.end, '.')}"
        blocks.append("\n".join([str(number), timing, *map(_escape_vtt, lines)]) + "\n")
    return "\n".join(blocks)


def to_srt(cues: Sequence[Subtitle]) -> str:
    """SubRip (`application/x-subrip`), numbered from 1; cues without text are left out."""
    blocks: list[str] = []
    for c in cues:
        lines = _wrap(c.text)
        if not lines:
            continue
        timing = f"{_timestamp(c.start, ',')} --> {_timestamp(c.end, ',')}"
        blocks.append("\n".join([str(len(blocks) + 1), timing, *lines]) + "\n")
    return "\n".join(blocks)


def shift(cues: Sequence[Subtitle], offset: float, duration: float | None = None) -> list[Subtitle]:
    """Move every cue by `offset` seconds (negative after leading silence was trimmed).

    Times are clamped to [0, duration] (no upper bound when `duration` is None);
    a cue left empty by the clamping is dropped.
    """
    if duration is not None and not duration >= 0:
        raise ValueError(f"duration must not be negative, got {duration}")
    hi = math.inf if duration is None else duration
    out: list[Subtitle] = []
    for c in cues:
        start = min(hi, max(0.0, c.start + offset))
        end = min(hi, max(0.0, c.end + offset))
        if end > start:
            out.append(Subtitle(start, end, c.text))
    return out
