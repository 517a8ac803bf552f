"""The whole article as one chaptered AAC file (`.m4b`), for audiobook players.

A podcast feed suits listening an episode at a time; an audiobook player wants
one file it can resume in, with chapters to skip by. The parts are joined in
memory (their exact sample counts give the chapter times), encoded once by
ffmpeg with the chapters and tags from an ffmetadata file, and the cover is
added afterwards with mutagen, which ffmpeg's MP4 muxer cannot do for audio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_companion import __version__
from audio_companion.audio.chunk import AudioChunk, concatenate
from audio_companion.errors import InputError
from audio_companion.fsutil import atomic_path
from audio_companion.media import ffmpeg
from audio_companion.media.tags import Chapter

# The muxer for each accepted name: "ipod" is ffmpeg's iTunes-flavoured MP4
# (M4A/M4B brands, the ilst tags Apple players read); both write chapters.
MUXERS = {".m4b": "ipod", ".m4a": "ipod", ".mp4": "mp4"}
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class BookPart:
    title: str
    audio: AudioChunk
    chapters: tuple[Chapter, ...] = ()  # relative to the part's start; may be empty


def book_chapters(parts: Sequence[BookPart], gap_frames: int) -> list[Chapter]:
    """The flat chapter list of the book, in whole milliseconds as ffmetadata stores them.

    One chapter per part, titled with the part title; a part with more than
    one chapter of its own gives those instead, titled "Part: Chapter". The
    chapters tile the book: the gap after a part belongs to its last chapter,
    a part's first chapter starts with the part and its last ends where the
    next part starts (the last of all at the end of the book).
    """
    if not parts:
        return []
    marks: list[tuple[str, int]] = []  # (title, start frame)
    frame = 0
    for part in parts:
        rate = part.audio.rate
        if len(part.chapters) > 1:
            prev = 0.0
            for i, c in enumerate(part.chapters):
                if not prev <= c.start <= part.audio.duration:
                    raise ValueError(
                        f"chapter {c.title!r} of part {part.title!r} starts at {c.start}s, "
                        f"outside the part (0–{part.audio.duration:.3f}s) or before "
                        "the chapter before it"
                    )
                prev = c.start
                title = part.title if c.title == part.title else f"{part.title}: {c.title}"
                marks.append((title, frame + (0 if i == 0 else round(c.start * rate))))
        else:
            marks.append((part.title, frame))
        frame += part.audio.frames + gap_frames
    rate = parts[0].audio.rate
    end = frame - gap_frames
    bounds = [round(start * 1000 / rate) for _, start in marks] + [round(end * 1000 / rate)]
    return [
        Chapter(title, a / 1000, b / 1000)
        for (title, _), a, b in zip(marks, bounds, bounds[1:], strict=False)
        if b > a  # sub-chapters that round to the same millisecond: keep the later one
    ]


def _meta_escape(value: str) -> str:
    """ffmetadata quoting: backslash before = ; # \\ and newlines."""
    for ch in "\\=;#\n":
        value = value.replace(ch, "\\" + ch)
    return value


def ffmetadata(chapters: Sequence[Chapter], tags: dict[str, str]) -> str:
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_meta_escape(value)}" for key, value in tags.items()]
    for c in chapters:
        lines += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(c.start * 1000)}",
            f"END={round(c.end * 1000)}",
            f"title={_meta_escape(c.title)}",
        ]
    return "\n".join(lines) + "\n"


def write_audiobook(
    parts: Sequence[BookPart],
    dest: Path,
    *,
    title: str,
    author: str,
    cover_png: bytes | None = None,
    bitrate: str = "64k",
    gap_s: float = 1.0,
) -> list[Chapter]:
    """Encode `parts` as one chaptered AAC file at `dest`; return the chapters written.

    `gap_s` seconds of silence go between parts. The file appears at `dest`
    only when complete (written beside it, then renamed). Raises InputError
    for a name that is not .m4b/.m4a/.mp4, ValueError for parts that are
    empty or of different formats, BuildError when ffmpeg fails.
    """
    muxer = MUXERS.get(dest.suffix.lower())
    if muxer is None:
        raise InputError(
            f"cannot write an audiobook to {dest.name!r}: name it with .m4b "
            "(or .m4a / .mp4 for players that do not know .m4b)"
        )
    if not parts:
        raise ValueError("an audiobook needs at least one part")
    first = parts[0].audio
    for part in parts:
        if not part.audio.same_format(first):
            raise ValueError(
                f"part {part.title!r} is {part.audio.rate} Hz/{part.audio.width} B/"
                f"{part.audio.channels} ch, the first is {first.rate} Hz/{first.width} B/"
                f"{first.channels} ch; resample the parts to one format first"
            )
        if part.audio.frames == 0:
            raise ValueError(f"part {part.title!r} has no audio")
    if gap_s < 0:
        raise ValueError(f"gap_s must not be negative, got {gap_s}")
    if cover_png is not None and not cover_png.startswith(_PNG_MAGIC):
        raise ValueError("cover_png is not a PNG image")
    ffmpeg.require_ffmpeg()  # fail before the parts are joined

    gap = AudioChunk.silence(gap_s, first.rate, first.width, first.channels)
    chunks: list[AudioChunk] = []
    for i, part in enumerate(parts):
        if i:
            chunks.append(gap)
        chunks.append(part.audio)
    book = concatenate(chunks)
    chapters = book_chapters(parts, gap.frames)
    tags = {
        "title": title,
        "artist": author,
        "album_artist": author,
        "album": title,
        "genre": "Audiobook",
        "comment": f"Narrated by audio-companion {__version__}",
    }

    with atomic_path(dest) as tmp:
        meta = tmp.with_name(tmp.name + ".ffmeta")
        try:
            meta.write_text(ffmetadata(chapters, tags), encoding="utf-8")
            # +faststart puts the index first so players can start before the download ends.
            args = [
                *("-f", "ffmetadata", "-i", str(meta)),
                *("-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"),
                *("-c:a", "aac", "-b:a", bitrate, "-movflags", "+faststart"),
                *(("-brand", "M4B ") if dest.suffix.lower() == ".m4b" else ()),
                *("-f", muxer),
            ]
            ffmpeg.encode(book, tmp, args, name=dest.name)
        finally:
            meta.unlink(missing_ok=True)
        _tag_mp4(tmp, cover_png)
    return chapters


def _tag_mp4(path: Path, cover_png: bytes | None) -> None:
    """Mark the file as an audiobook for Apple players and add the cover."""
    import mutagen.mp4

    mp4mod: Any = mutagen.mp4  # untyped; Any keeps mypy strict elsewhere
    mp4 = mp4mod.MP4(str(path))
    mp4["stik"] = [2]  # iTunes media kind 2: audiobook (bookmarkable, in the Books list)
    if cover_png is not None:
        mp4["covr"] = [mp4mod.MP4Cover(cover_png, imageformat=mp4mod.MP4Cover.FORMAT_PNG)]
    mp4.save()
