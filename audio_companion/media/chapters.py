"""Chapters of a rendered episode: where each sub-section starts, as a listener skips.

Chapters come straight from the rendered placement (`RenderedEpisode.placed`),
so their times are exactly where the heading lines landed in the audio. They
can be written two ways a podcast app reads: Podcasting 2.0 JSON chapters
(`json_chapters`) and ID3v2.3 CHAP/CTOC frames inside the MP3 (`write_id3`).
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion.fsutil import atomic_path
from audio_companion.narration.layout import Placed

JSON_CHAPTERS_VERSION = "1.2.0"
TOC_ELEMENT_ID = "toc"


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds from the start of the episode audio
    end: float


def episode_chapters(
    placed: Sequence[Placed], duration: float, intro_title: str = "Introduction"
) -> list[Chapter]:
    """One chapter for the opening, then one per sub-section heading.

    The opening runs from 0 to the first heading (it is left out when a heading
    starts at 0); each sub-section runs from its heading line's start to the
    next chapter's start; the last ends at `duration`. Without sub-sections the
    whole episode is a single chapter titled `intro_title`.
    """
    if duration < 0:
        raise ValueError(f"duration must not be negative, got {duration}")
    marks: list[tuple[str, float]] = [(intro_title, 0.0)]
    for p in placed:
        if p.line.chapter:
            if p.start == 0.0 and len(marks) == 1 and marks[0][1] == 0.0:
                marks[0] = (p.line.chapter, p.start)
            else:
                marks.append((p.line.chapter, p.start))
    for (_, a), (title, b) in itertools.pairwise(marks):
        if b < a:
            raise ValueError(f"chapter {title!r} starts at {b}s, before the one before it")
    if marks[-1][1] > duration:
        raise ValueError(f"chapter {marks[-1][0]!r} starts after the end ({duration}s)")
    ends = [start for _, start in marks[1:]] + [duration]
    return [Chapter(title, start, end) for (title, start), end in zip(marks, ends, strict=True)]


def shift(chapters: Sequence[Chapter], seconds: float) -> list[Chapter]:
    """Move every chapter by `seconds` (negative when the start of the audio was trimmed).

    Times are clamped at 0; a chapter that ends up empty (wholly trimmed away)
    is dropped.
    """
    out: list[Chapter] = []
    for c in chapters:
        start = max(0.0, c.start + seconds)
        end = max(0.0, c.end + seconds)
        if end > start:
            out.append(Chapter(c.title, start, end))
    return out


def _seconds(t: float) -> float:
    return round(t, 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def json_chapters(chapters: Sequence[Chapter], title: str | None = None) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0), times in seconds to the millisecond."""
    doc: dict[str, Any] = {"version": JSON_CHAPTERS_VERSION}
    if title is not None:
        doc["title"] = title
    doc["chapters"] = [
        {"startTime": _seconds(c.start), "endTime": _seconds(c.end), "title": c.title}
        for c in chapters
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2)


def chapter_id(index: int) -> str:
    """The ID3 element id of the chapter at `index`: chp0, chp1, …"""
    return f"chp{index}"


def write_id3(
    path: Path,
    *,
    title: str,
    artist: str,
    album: str,
    track: int,
    date: str,
    chapters: list[Chapter],
    cover_png: bytes | None = None,
) -> None:
    """Replace the MP3's tags with ID3v2.3: text frames, optional cover, CTOC and CHAPs.

    Any tags already in the file (ffmpeg, pydub) are dropped, ID3v1 included.
    The tagged copy is written beside the file and renamed over it, so a
    failure leaves the original untouched.
    """
    import mutagen.id3

    id3: Any = mutagen.id3  # untyped; Any keeps mypy strict elsewhere
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=3, text=[title]))
    tags.add(id3.TPE1(encoding=3, text=[artist]))
    tags.add(id3.TALB(encoding=3, text=[album]))
    tags.add(id3.TRCK(encoding=3, text=[str(track)]))
    tags.add(id3.TDRC(encoding=3, text=[date]))  # saved as TYER/TDAT in v2.3
    if cover_png is not None:
        tags.add(
            id3.APIC(
                encoding=3,
                mime="image/png",
                type=id3.PictureType.COVER_FRONT,
                desc="Cover",
                data=cover_png,
            )
        )
    tags.add(
        id3.CTOC(
            element_id=TOC_ELEMENT_ID,
            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=[chapter_id(i) for i in range(len(chapters))],
            sub_frames=[id3.TIT2(encoding=3, text=["Chapters"])],
        )
    )
    for i, c in enumerate(chapters):
        tags.add(
            id3.CHAP(
                element_id=chapter_id(i),
                start_time=round(c.start * 1000),
                end_time=round(c.end * 1000),
                sub_frames=[id3.TIT2(encoding=3, text=[c.title])],
            )
        )
    with atomic_path(path) as tmp:
        shutil.copyfile(path, tmp)
        id3.delete(str(tmp))  # every old ID3v1/v2 tag goes
        tags.save(str(tmp), v1=0, v2_version=3)
