"""Audiobook: one real .m4b built with ffmpeg, read back by ffprobe and mutagen."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from audio_companion.audio.chunk import AudioChunk
from audio_companion.errors import BuildError, InputError
from audio_companion.media.tags import Chapter
from audio_companion.podcast.audiobook import BookPart, book_chapters, write_audiobook

RATE = 22050
GAP = 0.5
needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None, reason="needs ffmpeg"
)


def tone(seconds: float, freq: float, rate: int = RATE) -> AudioChunk:
    t = np.arange(round(seconds * rate)) / rate
    return AudioChunk.from_int16((np.sin(2 * np.pi * freq * t) * 8000).astype(np.int16), rate)


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buf, format="PNG")
    return buf.getvalue()


PARTS = (
    BookPart("Why sleep matters", tone(1.3, 330)),
    BookPart(
        "Wind down",
        tone(1.9, 440),
        (Chapter("Wind down", 0.0, 0.7), Chapter("Dim the lights", 0.7, 1.9)),
    ),
    BookPart("A = B; #3", tone(0.9, 550), (Chapter("only one", 0.0, 0.9),)),
)
EXPECTED = [
    Chapter("Why sleep matters", 0.0, 1.8),
    Chapter("Wind down", 1.8, 2.5),  # same title as the part: not "Wind down: Wind down"
    Chapter("Wind down: Dim the lights", 2.5, 4.2),
    Chapter("A = B; #3", 4.2, 5.1),  # a single chapter of its own: the part's title
]


def ffprobe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Chapter]]:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("needs ffmpeg")
    dest = tmp_path_factory.mktemp("book") / "Sleep.m4b"
    chapters = write_audiobook(
        PARTS, dest, title="Sleep, better", author="A. Narrator", cover_png=png(), gap_s=GAP
    )
    return dest, chapters


def test_chapter_list_tiles_the_book() -> None:
    assert book_chapters(PARTS, round(GAP * RATE)) == EXPECTED


@needs_ffmpeg
def test_returns_the_chapters_it_wrote(book: tuple[Path, list[Chapter]]) -> None:
    path, chapters = book
    assert chapters == EXPECTED
    probed = ffprobe(path)["chapters"]
    assert [c["tags"]["title"] for c in probed] == [c.title for c in chapters]
    for got, want in zip(probed, chapters, strict=True):
        assert abs(float(got["start_time"]) - want.start) < 0.030
        assert abs(float(got["end_time"]) - want.end) < 0.030


@needs_ffmpeg
def test_duration_is_the_parts_plus_the_gaps(book: tuple[Path, list[Chapter]]) -> None:
    path, _ = book
    expected = sum(p.audio.duration for p in PARTS) + GAP * (len(PARTS) - 1)
    # The muxer's edit list hides the encoder's 1024 priming samples, so the container
    # duration is exact (measured: 5.100000 s for 5.1 s with ffmpeg 5.1).
    assert abs(float(ffprobe(path)["format"]["duration"]) - expected) < 0.010
    # Decoding trims the priming but not the padding of the last AAC frame (measured:
    # +185 samples, 8 ms), so the decoded length is only good to one frame.
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-f", "s16le", "-"],
        check=True,
        capture_output=True,
    )
    assert decoded.stderr == b""  # still decodes cleanly after mutagen rewrote moov
    assert abs(len(decoded.stdout) / 2 / RATE - expected) < 1024 / RATE


@needs_ffmpeg
def test_tags_and_cover(book: tuple[Path, list[Chapter]]) -> None:
    from mutagen.mp4 import MP4, MP4Cover

    path, _ = book
    fmt = ffprobe(path)["format"]
    assert fmt["tags"]["title"] == "Sleep, better"
    assert fmt["tags"]["artist"] == "A. Narrator"
    assert fmt["tags"]["genre"] == "Audiobook"
    assert fmt["tags"]["major_brand"].strip() == "M4B"
    tags: Any = MP4(str(path)).tags
    assert tags["©nam"] == ["Sleep, better"] and tags["©ART"] == ["A. Narrator"]
    assert tags["stik"] == [2]
    (cover,) = tags["covr"]
    assert bytes(cover) == png() and cover.imageformat == MP4Cover.FORMAT_PNG
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temp files


def test_parts_must_share_one_format(tmp_path: Path) -> None:
    parts = [BookPart("a", tone(0.2, 440)), BookPart("b", tone(0.2, 440, rate=44100))]
    with pytest.raises(ValueError, match="resample"):
        write_audiobook(parts, tmp_path / "x.m4b", title="t", author="a")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["book.mp3", "book", "book.m4b.wav"])
def test_other_file_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match=r"\.m4b"):
        write_audiobook([BookPart("a", tone(0.2, 440))], tmp_path / name, title="t", author="a")


def test_chapters_outside_their_part_are_refused(tmp_path: Path) -> None:
    part = BookPart("a", tone(0.5, 440), (Chapter("x", 0.0, 0.2), Chapter("y", 0.7, 0.9)))
    with pytest.raises(ValueError, match="outside the part"):
        write_audiobook([part], tmp_path / "x.m4b", title="t", author="a")


@needs_ffmpeg
def test_ffmpeg_failure_is_a_build_error_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"ffmpeg could not encode x\.m4b: .+"):
        write_audiobook(
            [BookPart("a", tone(0.2, 440))], tmp_path / "x.m4b", title="t", author="a",
            bitrate="lots",
        )  # fmt: skip
    assert not list(tmp_path.iterdir())
