"""A session as one audio file: each cue on its exact sample, silence between.

Every cue starts at sample round(offset × rate) of the plan, so onsets never
drift however long the session is; the audio is joined once from its parts.
The MP3 carries ID3 chapters, one per minute, so a podcast app can skip ahead.

MP3 timing: LAME delays the signal by its encoder delay (576 + 529 samples)
and pads the end; ffmpeg writes both in the Xing/LAME header
(`-write_xing 1`), and decoders that honour it (ffmpeg, Apple's, ExoPlayer)
remove them, so decoded cues land on their planned samples (measured within
0.1 ms by tests/breathing/test_render_mp3.py). A decoder that ignores the
header hears everything ~25 ms late: a constant shift, not drift.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio_companion import DEFAULT_AUTHOR
from audio_companion.audio import dsp
from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.ambient import mix_under
from audio_companion.breathing.cues import RATE, CueBank
from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.schedule import Cue, plan_duration
from audio_companion.fsutil import atomic_path
from audio_companion.media.encode import EncodeSettings, encode_mp3
from audio_companion.media.tags import Chapter, Id3Tags, write_id3

CUT_FADE = 0.005  # fade applied when a sound is cut short by the next cue
CHAPTER_SECONDS = 60.0
MIN_LAST_CHAPTER = 5.0  # a shorter final chapter joins the one before it
DEFAULT_ALBUM = "Paced breathing"


@dataclass(frozen=True)
class RenderedSession:
    audio: AudioChunk
    onsets: list[float]  # seconds: start sample / rate of each cue, in plan order
    cues: tuple[Cue, ...]
    # Seconds: further onsets inside cue sounds (the countdown, the gong), in order.
    marks: tuple[float, ...] = ()
    # [start, end) samples where each cue's sound plays: what the ambient bed ducks under.
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def duration(self) -> float:
        return self.audio.duration


@dataclass(frozen=True)
class WrittenSession:
    path: Path
    size_bytes: int
    duration_s: float  # of the audio as rendered (the file's own header adds padding)
    chapters: tuple[Chapter, ...]


def render_session(
    plan: Sequence[Cue],
    cues: Mapping[str, AudioChunk],
    *,
    ambient: str | None = None,
    seed: int = 1,
) -> RenderedSession:
    """Place every cue's sound at its planned sample; a sound still playing when
    the next cue is due is cut (with a short fade) so that onsets stay exact.

    With `ambient` (a kind of breathing.ambient), the generated bed is mixed
    under the cues afterwards, ducked under each cue's span; the cue samples
    themselves are not moved, so the onsets are the same.
    """
    if not plan:
        raise BreathingError("nothing to render: the plan has no cues")
    missing = sorted({c.sound for c in plan if c.sound not in cues})
    if missing:
        raise BreathingError(f"no rendered sound for cue(s): {', '.join(missing)}")
    rate = RATE
    for c in plan:
        chunk = cues[c.sound]
        if (chunk.rate, chunk.width, chunk.channels) != (rate, 2, 1):
            raise BreathingError(f"cue sound '{c.sound}' is not {rate} Hz mono int16")
    ordered = sorted(plan, key=lambda c: (c.offset, c.index))
    starts = [round(c.offset * rate) for c in ordered]
    total = max(round(plan_duration(list(plan)) * rate), starts[-1] + 1)
    parts: list[bytes] = []
    pos = 0
    fade = round(CUT_FADE * rate)
    inner = cues.marks if isinstance(cues, CueBank) else {}
    marks: list[float] = []
    spans: list[tuple[int, int]] = []
    for i, (cue, start) in enumerate(zip(ordered, starts, strict=True)):
        parts.append(bytes(2 * (start - pos)))
        limit = (starts[i + 1] if i + 1 < len(starts) else total) - start
        sound = cues[cue.sound]
        spans.append((start, start + min(limit, sound.frames)))
        marks.extend(
            (start + round(m * rate)) / rate
            for m in inner.get(cue.sound, [])
            if round(m * rate) < min(limit, sound.frames)
        )
        if sound.frames <= limit:
            parts.append(sound.audio)
            pos = start + sound.frames
        else:
            cut = dsp.fade_out(sound.to_int16()[:limit, 0].astype(np.float64), fade)
            parts.append(np.rint(cut).astype("<i2").tobytes())
            pos = start + limit
    parts.append(bytes(2 * (total - pos)))
    audio = AudioChunk(rate, 2, 1, b"".join(parts))
    if ambient is not None:
        track = np.frombuffer(audio.audio, dtype="<i2")
        bedded = mix_under(track, ambient, rate, spans, seed)
        audio = AudioChunk(rate, 2, 1, bedded.tobytes())
    onsets = [start / rate for start in starts]
    return RenderedSession(audio, onsets, tuple(ordered), tuple(marks), tuple(spans))


def minute_chapters(duration: float, every: float = CHAPTER_SECONDS) -> list[Chapter]:
    """One chapter per `every` seconds: 'Minute 1', 'Minute 2', …"""
    n = max(1, math.ceil(duration / every))
    if n > 1 and duration - (n - 1) * every < MIN_LAST_CHAPTER:
        n -= 1
    return [
        Chapter(f"Minute {i + 1}", i * every, duration if i == n - 1 else (i + 1) * every)
        for i in range(n)
    ]


def write_session(
    rendered: RenderedSession,
    path: Path,
    title: str,
    *,
    artist: str = DEFAULT_AUTHOR,
    album: str = DEFAULT_ALBUM,
    encode: EncodeSettings | None = None,
) -> WrittenSession:
    """Encode to MP3 (44.1 kHz mono 64k by default), tag it, rename it into place.

    Tags (media.tags): TIT2 title, TPE1 artist, TALB album, and a CTOC with one
    CHAP per minute (element ids chp0, chp1, …). Nothing is left at `path` on
    failure; a tagging failure is a BuildError.
    """
    fmt = encode or EncodeSettings()
    chapters = minute_chapters(rendered.duration)
    with atomic_path(path) as tmp:
        encode_mp3(rendered.audio, tmp, fmt, {})
        write_id3(tmp, Id3Tags(title, artist, album), chapters, toc_title="Minutes")
    return WrittenSession(path, path.stat().st_size, rendered.duration, tuple(chapters))
