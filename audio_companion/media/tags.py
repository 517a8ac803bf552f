"""Chapters and ID3 tags of an MP3: the one `Chapter` type and the one CHAP/CTOC writer.

Podcast episodes and breathing sessions are tagged the same way: ID3v2.3 text
frames, an optional cover, and a CTOC listing one CHAP per chapter (element
ids chp0, chp1, …), which podcast apps show as chapters to skip by.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion.errors import BuildError
from audio_companion.fsutil import atomic_path

TOC_ELEMENT_ID = "toc"


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds from the start of the audio
    end: float


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

    Any tags already in the file (ffmpeg's) are dropped, ID3v1 included. The
    tagged copy is written beside the file and renamed over it, so a failure
    leaves the original untouched; mutagen's errors become a BuildError.
    """
    import mutagen
    import mutagen.id3

    id3: Any = mutagen.id3  # untyped; Any keeps mypy strict elsewhere
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
    except mutagen.MutagenError as exc:
        raise BuildError(f"cannot write ID3 tags to {path.name}: {exc}") from exc
