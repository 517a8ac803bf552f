"""ID3 chapters as FFmpeg-based tools read them: in time order, never past the audio.

ffprobe is the oracle: it lists CHAP frames in the order they sit in the tag
and reports the file's duration from the MP3 frames themselves.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from audio_companion.media.tags import (
    Chapter,
    Id3Tags,
    clamp,
    frames_in_time_order,
    write_id3,
)

TAGS = Id3Tags("Sleep", "The Show", "The Album")

# mutagen orders frames of one kind by size, so the long first title would go
# last: exactly what ffprobe showed for s01e01 (38.4, 82.2, 0.0).
BY_SIZE_NOT_TIME = [
    Chapter("A long opening chapter title, longer than the others", 0.0, 1.0),
    Chapter("Middle", 1.0, 2.0),
    Chapter("End bit", 2.0, 3.0),
]


def _silent_mp3(path: Path, seconds: float) -> Path:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg/ffprobe are not installed")
    subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi"),
            *("-i", "anullsrc=r=44100:cl=mono", "-t", str(seconds), "-b:a", "64k"),
            *("-write_xing", "1", str(path)),
        ],
        check=True,
    )
    return path


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    return _silent_mp3(tmp_path / "x.mp3", 3.0)


def _ffprobe(path: Path) -> Any:
    out = subprocess.run(
        [
            *("ffprobe", "-v", "error", "-show_chapters", "-show_format"),
            *("-of", "json", str(path)),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def _probed_chapters(path: Path) -> list[tuple[float, float, str]]:
    return [
        (float(c["start_time"]), float(c["end_time"]), c["tags"]["title"])
        for c in _ffprobe(path)["chapters"]
    ]


def test_ffprobe_lists_the_chapters_in_time_order(mp3: Path) -> None:
    write_id3(mp3, TAGS, BY_SIZE_NOT_TIME)
    assert _probed_chapters(mp3) == [(c.start, c.end, c.title) for c in BY_SIZE_NOT_TIME]


def test_chapters_given_out_of_order_are_written_in_time_order(mp3: Path) -> None:
    import mutagen.id3

    shuffled = [BY_SIZE_NOT_TIME[2], BY_SIZE_NOT_TIME[0], BY_SIZE_NOT_TIME[1]]
    write_id3(mp3, TAGS, shuffled)
    assert [t for _, _, t in _probed_chapters(mp3)] == [c.title for c in BY_SIZE_NOT_TIME]
    id3: Any = mutagen.id3
    tags = id3.ID3(str(mp3))
    # The CTOC says ORDERED, so its children must be the chapters in time order.
    (toc,) = tags.getall("CTOC")
    starts = {f.element_id: f.start_time for f in tags.getall("CHAP")}
    assert [starts[e] for e in toc.child_element_ids] == [0, 1000, 2000]


def test_rewriting_the_tag_keeps_time_order_and_the_audio(mp3: Path) -> None:
    before = _ffprobe(mp3)["format"]["duration"]
    write_id3(mp3, TAGS, BY_SIZE_NOT_TIME[:2])
    write_id3(mp3, TAGS, BY_SIZE_NOT_TIME)
    probed = _ffprobe(mp3)
    assert [float(c["start_time"]) for c in probed["chapters"]] == [0.0, 1.0, 2.0]
    assert probed["format"]["duration"] == before


@pytest.mark.parametrize("seconds", [3.0, 2.5])  # measured: 3.0302 s and 2.5339 s
def test_the_last_chapter_ends_with_the_audio_not_after_it(tmp_path: Path, seconds: float) -> None:
    """A chapter list computed before the end silence was trimmed runs ~0.2 s
    past the audio; the tag never claims more than the file holds, not even by
    the part of a millisecond that rounding would add (2.5339 s is 2533 ms)."""
    mp3 = _silent_mp3(tmp_path / "x.mp3", seconds)
    duration = float(_ffprobe(mp3)["format"]["duration"])
    late = [Chapter("One", 0.0, 1.5), Chapter("Two", 1.5, duration + 0.24)]
    write_id3(mp3, TAGS, late)
    (first, last) = _probed_chapters(mp3)
    assert first == (0.0, 1.5, "One")
    assert last[0] == 1.5 and last[2] == "Two"
    assert duration - 0.001 < last[1] <= duration


def test_a_chapter_starting_after_the_audio_is_left_out(mp3: Path) -> None:
    write_id3(mp3, TAGS, [Chapter("One", 0.0, 2.0), Chapter("Gone", 9.0, 10.0)])
    assert [t for _, _, t in _probed_chapters(mp3)] == ["One"]


# --- the pure parts ----------------------------------------------------------


def test_clamp_cuts_the_end_and_drops_what_lies_beyond() -> None:
    chapters = [Chapter("A", 0.0, 1.0), Chapter("B", 1.0, 2.24), Chapter("C", 2.5, 3.0)]
    assert clamp(chapters, 2.0) == [Chapter("A", 0.0, 1.0), Chapter("B", 1.0, 2.0)]
    assert clamp(chapters, 5.0) == chapters
    with pytest.raises(ValueError):
        clamp(chapters, -1.0)


def _frame(frame_id: bytes, body: bytes) -> bytes:
    return frame_id + struct.pack(">IH", len(body), 0) + body


def _chap(element_id: bytes, start_ms: int, title: bytes) -> bytes:
    body = element_id + b"\0" + struct.pack(">IIII", start_ms, start_ms + 1000, 0, 0)
    return _frame(b"CHAP", body + _frame(b"TIT2", b"\x03" + title))


def _tag(frames: list[bytes], padding: int) -> bytes:
    body = b"".join(frames) + b"\0" * padding
    size = len(body)
    syncsafe = bytes((size >> s) & 0x7F for s in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + body


def test_frames_in_time_order_moves_only_the_chap_frames() -> None:
    title = _frame(b"TIT2", b"\x03Sleep")
    toc = _frame(b"CTOC", b"toc\0\x03\x03chp0\0chp1\0chp2\0")
    c0 = _chap(b"chp0", 0, b"the longest title")
    c1, c2 = _chap(b"chp1", 38400, b"m"), _chap(b"chp2", 82200, b"e")
    tag = _tag([title, c1, c2, toc, c0], padding=32)
    assert frames_in_time_order(tag) == _tag([title, c0, c1, toc, c2], padding=32)


def test_frames_in_time_order_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError):
        frames_in_time_order(b"not a tag at all")
    with pytest.raises(ValueError):  # ID3v2.4 sizes are syncsafe: not what we write
        frames_in_time_order(b"ID3\x04" + _tag([], 4)[4:])
