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
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from audio_companion import DEFAULT_AUTHOR
from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.cues import RATE
from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.schedule import Cue, plan_duration
from audio_companion.errors import BuildError
from audio_companion.fsutil import atomic_path
from audio_companion.media.encode import EncodeSettings, encode_mp3
from audio_companion.publish import feed

CUT_FADE = 0.005  # fade applied when a sound is cut short by the next cue
CHAPTER_SECONDS = 60.0
MIN_LAST_CHAPTER = 5.0  # a shorter final chapter joins the one before it
DEFAULT_ALBUM = "Paced breathing"
GUID_NAMESPACE = uuid.UUID("0b5e7c2a-8f0e-4d53-a2a8-3f4b7c9d1e60")


@dataclass(frozen=True)
class RenderedSession:
    audio: AudioChunk
    onsets: list[float]  # seconds: start sample / rate of each cue, in plan order
    cues: tuple[Cue, ...]

    @property
    def duration(self) -> float:
        return self.audio.duration


@dataclass(frozen=True)
class Chapter:
    element_id: str
    title: str
    start: float  # seconds
    end: float


@dataclass(frozen=True)
class WrittenSession:
    path: Path
    size_bytes: int
    duration_s: float  # of the audio as rendered (the file's own header adds padding)
    chapters: tuple[Chapter, ...]


def render_session(plan: Sequence[Cue], cues: Mapping[str, AudioChunk]) -> RenderedSession:
    """Place every cue's sound at its planned sample; a sound still playing when
    the next cue is due is cut (with a short fade) so that onsets stay exact."""
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
    for i, (cue, start) in enumerate(zip(ordered, starts, strict=True)):
        parts.append(bytes(2 * (start - pos)))
        limit = (starts[i + 1] if i + 1 < len(starts) else total) - start
        sound = cues[cue.sound]
        if sound.frames <= limit:
            parts.append(sound.audio)
            pos = start + sound.frames
        else:
            cut = sound.to_int16()[:limit, 0].astype(np.float64)
            n = min(fade, len(cut))
            if n:
                cut[-n:] *= 0.5 + 0.5 * np.cos(np.linspace(0.0, math.pi, n))
            parts.append(np.rint(cut).astype("<i2").tobytes())
            pos = start + limit
    parts.append(bytes(2 * (total - pos)))
    audio = AudioChunk(rate, 2, 1, b"".join(parts))
    onsets = [start / rate for start in starts]
    return RenderedSession(audio, onsets, tuple(ordered))


def minute_chapters(duration: float, every: float = CHAPTER_SECONDS) -> list[Chapter]:
    """One chapter per `every` seconds: 'Minute 1', 'Minute 2', …"""
    n = max(1, math.ceil(duration / every))
    if n > 1 and duration - (n - 1) * every < MIN_LAST_CHAPTER:
        n -= 1
    return [
        Chapter(
            f"chp{i}", f"Minute {i + 1}", i * every, duration if i == n - 1 else (i + 1) * every
        )
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

    Tags: TIT2 title, TPE1 artist, TALB album, and a CTOC with one CHAP per
    minute (element ids chp0, chp1, …). Nothing is left at `path` on failure.
    """
    fmt = encode or EncodeSettings()
    chapters = minute_chapters(rendered.duration)
    with atomic_path(path) as tmp:
        encode_mp3(rendered.audio, tmp, fmt, {"title": title, "artist": artist, "album": album})
        try:
            _tag(tmp, title, artist, album, chapters)
        except Exception as exc:  # mutagen raises its own error types
            raise BuildError(f"cannot write ID3 tags to {path.name}: {exc}") from exc
    return WrittenSession(path, path.stat().st_size, rendered.duration, tuple(chapters))


def _tag(path: Path, title: str, artist: str, album: str, chapters: list[Chapter]) -> None:
    import mutagen.id3

    id3: Any = mutagen.id3  # untyped; Any keeps mypy strict elsewhere
    TIT2 = id3.TIT2
    try:
        tags = id3.ID3(str(path))
    except id3.ID3NoHeaderError:
        tags = id3.ID3()
    for frame_id in ("TIT2", "TPE1", "TALB", "CHAP", "CTOC"):
        tags.delall(frame_id)
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(id3.TPE1(encoding=3, text=[artist]))
    tags.add(id3.TALB(encoding=3, text=[album]))
    tags.add(
        id3.CTOC(
            element_id="toc",
            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=[c.element_id for c in chapters],
            sub_frames=[TIT2(encoding=3, text=["Minutes"])],
        )
    )
    for c in chapters:
        tags.add(
            id3.CHAP(
                element_id=c.element_id,
                start_time=round(c.start * 1000),
                end_time=round(c.end * 1000),
                sub_frames=[TIT2(encoding=3, text=[c.title])],
            )
        )
    tags.save(str(path), v2_version=3)


def feed_episode(
    written: WrittenSession,
    *,
    title: str,
    description: str,
    base_url: str,
    number: int,
    published: datetime,
    season: int = 1,
    guid: str | None = None,
) -> feed.Episode:
    """The feed entry for a written session (render_feed takes a list of these).

    The guid defaults to one derived from the file name, so re-rendering a
    session under the same name does not show up as a new episode.
    """
    return feed.Episode(
        guid=guid or str(uuid.uuid5(GUID_NAMESPACE, written.path.name)),
        title=title,
        description=description,
        url=base_url + written.path.name,
        length_bytes=written.size_bytes,
        duration_s=written.duration_s,
        number=number,
        season=season,
        published=published,
    )
