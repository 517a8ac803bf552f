"""Chapters and ID3 tags of an MP3: the one `Chapter` type and the one CHAP/CTOC writer.

Podcast episodes and breathing sessions are tagged the same way: ID3v2.3 text
frames, an optional cover, and a CTOC listing one CHAP per chapter (element
ids chp0, chp1, … in time order), which podcast apps show as chapters to skip by.

mutagen sorts frames of one kind by size, and FFmpeg-based tools list CHAP
frames in the order they sit in the tag, so after saving, the CHAP frames are
put back in time order (`frames_in_time_order`). Chapter ends are clamped to
the length of the encoded audio, so the last chapter never ends after it.
"""

from __future__ import annotations

import math
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion.errors import BuildError
from audio_companion.fsutil import atomic_path

TOC_ELEMENT_ID = "toc"
ID3_HEADER = 10  # bytes, also the size of an ID3v2.3 frame header


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds from the start of the audio
    end: float


def clamp(chapters: Sequence[Chapter], duration: float) -> list[Chapter]:
    """`chapters` cut to [0, `duration`]: a player cannot seek past the audio, and
    apps show a chapter that ends later as running on after playback stops.

    A chapter left empty (it started at or after the end) is dropped.
    """
    if not duration >= 0:
        raise ValueError(f"duration must not be negative, got {duration}")
    out: list[Chapter] = []
    for c in chapters:
        start, end = min(duration, max(0.0, c.start)), min(duration, max(0.0, c.end))
        if end > start:
            out.append(c if (start, end) == (c.start, c.end) else Chapter(c.title, start, end))
    return out


def chapter_id(index: int) -> str:
    """The ID3 element id of the chapter at `index`: chp0, chp1, …"""
    return f"chp{index}"


@dataclass(frozen=True)
class Id3Tags:
    """What an MP3 is tagged with besides its chapters; an episode carries one to its worker."""

    title: str
    artist: str
    album: str
    track: int | None = None
    date: str | None = None  # YYYY or YYYY-MM-DD
    cover_png: bytes | None = None


def write_id3(
    path: Path, tags: Id3Tags, chapters: Sequence[Chapter], toc_title: str = "Chapters"
) -> None:
    """Replace the MP3's tags with ID3v2.3: text frames, optional cover, CTOC and CHAPs.

    Chapters are clamped to the audio's length as mutagen measures it from the
    MP3 frames (a list computed before the end silence was trimmed ran ~0.2 s
    past it) and written in time order, ids and CHAP frames alike.

    Any tags already in the file (ffmpeg's) are dropped, ID3v1 included. The
    tagged copy is written beside the file and renamed over it, so a failure
    leaves the original untouched; mutagen's errors become a BuildError.
    """
    import mutagen
    import mutagen.id3
    import mutagen.mp3

    id3: Any = mutagen.id3  # untyped; Any keeps mypy strict elsewhere
    try:
        info: Any = mutagen.mp3.MP3(str(path)).info  # type: ignore[no-untyped-call]
    except mutagen.MutagenError as exc:
        raise BuildError(f"cannot read {path.name} as MP3: {exc}") from exc
    # CHAP times are whole milliseconds: floor the length, or rounding could end
    # the last chapter up to half a millisecond after the audio.
    length = math.floor(float(info.length) * 1000) / 1000
    chapters = sorted(clamp(chapters, length), key=lambda c: (c.start, c.end))
    frames = id3.ID3()
    frames.add(id3.TIT2(encoding=3, text=[tags.title]))
    frames.add(id3.TPE1(encoding=3, text=[tags.artist]))
    frames.add(id3.TALB(encoding=3, text=[tags.album]))
    if tags.track is not None:
        frames.add(id3.TRCK(encoding=3, text=[str(tags.track)]))
    if tags.date is not None:
        frames.add(id3.TDRC(encoding=3, text=[tags.date]))  # saved as TYER/TDAT in v2.3
    if tags.cover_png is not None:
        frames.add(
            id3.APIC(
                encoding=3,
                mime="image/png",
                type=id3.PictureType.COVER_FRONT,
                desc="Cover",
                data=tags.cover_png,
            )
        )
    frames.add(
        id3.CTOC(
            element_id=TOC_ELEMENT_ID,
            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=[chapter_id(i) for i in range(len(chapters))],
            sub_frames=[id3.TIT2(encoding=3, text=[toc_title])],
        )
    )
    for i, c in enumerate(chapters):
        frames.add(
            id3.CHAP(
                element_id=chapter_id(i),
                start_time=round(c.start * 1000),
                end_time=round(c.end * 1000),
                sub_frames=[id3.TIT2(encoding=3, text=[c.title])],
            )
        )
    try:
        with atomic_path(path) as tmp:
            shutil.copyfile(path, tmp)
            id3.delete(str(tmp))  # every old ID3v1/v2 tag goes
            frames.save(str(tmp), v1=0, v2_version=3)
            _put_frames_in_time_order(tmp)
    except (mutagen.MutagenError, ValueError) as exc:
        raise BuildError(f"cannot write ID3 tags to {path.name}: {exc}") from exc


def _put_frames_in_time_order(path: Path) -> None:
    """Reorder the CHAP frames of the ID3 tag at the start of `path` in place
    (the tag keeps its length, so nothing after it moves)."""
    with path.open("r+b") as f:
        head = f.read(ID3_HEADER)
        tag = head + f.read(_tag_size(head))
        ordered = frames_in_time_order(tag)
        if ordered != tag:
            f.seek(0)
            f.write(ordered)


def _tag_size(header: bytes) -> int:
    """The size after the header of the ID3v2.3 tag `header` opens; ValueError
    for anything else (another version, or flags mutagen does not write for v2.3:
    unsynchronisation, an extended header)."""
    if len(header) < ID3_HEADER or header[:3] != b"ID3" or header[3] != 3:
        raise ValueError("not an ID3v2.3 tag")
    if header[5] != 0:
        raise ValueError(f"ID3 tag flags {header[5]:#04x} are not supported")
    if any(b & 0x80 for b in header[6:10]):
        raise ValueError("ID3 tag size is not syncsafe")
    return sum(b << (7 * (3 - i)) for i, b in enumerate(header[6:10]))


def frames_in_time_order(tag: bytes) -> bytes:
    """`tag`, a whole ID3v2.3 tag, with its CHAP frames sorted by start time.

    The CHAP frames trade places among the slots they already hold (stable for
    equal starts); every other frame, and the padding, stay where they are, so
    the result is exactly as long. FFmpeg lists chapters in tag order, and
    mutagen saves frames of one kind by size, so without this ffprobe showed
    s01e01's chapters as 38.4, 82.2, 0.0. Raises ValueError on a tag it cannot
    read.
    """
    end = ID3_HEADER + _tag_size(tag)
    if len(tag) < end:
        raise ValueError("ID3 tag is cut short")
    frames: list[bytes] = []
    pos = ID3_HEADER
    while pos + ID3_HEADER <= end and tag[pos] != 0:  # a zero byte starts the padding
        size = struct.unpack(">I", tag[pos + 4 : pos + 8])[0]
        if pos + ID3_HEADER + size > end:
            raise ValueError(f"ID3 frame {tag[pos : pos + 4]!r} runs past the tag")
        frames.append(tag[pos : pos + ID3_HEADER + size])
        pos += ID3_HEADER + size
    slots = [i for i, frame in enumerate(frames) if frame[:4] == b"CHAP"]
    by_time = sorted((frames[i] for i in slots), key=_chap_start_ms)
    for i, frame in zip(slots, by_time, strict=True):
        frames[i] = frame
    return tag[:ID3_HEADER] + b"".join(frames) + tag[pos:]


def _chap_start_ms(frame: bytes) -> int:
    """The start time of a CHAP frame: the 4 bytes after its element id."""
    if frame[8:10] != b"\0\0":
        raise ValueError("compressed or encrypted CHAP frames are not supported")
    body = frame[ID3_HEADER:]
    at = body.find(b"\0") + 1
    if at == 0 or at + 4 > len(body):
        raise ValueError("CHAP frame without a start time")
    start: int = struct.unpack(">I", body[at : at + 4])[0]
    return start
