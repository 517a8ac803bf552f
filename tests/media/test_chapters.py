from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from audio_companion.media.chapters import json_chapters, shift
from audio_companion.media.tags import Chapter, Id3Tags, write_id3
from audio_companion.narration.layout import Placed, episode_chapters
from audio_companion.narration.script import Line

# Deliberately awkward floats: the chapters must carry them through unrounded.
INTRO = Placed(Line("Show. Episode one: Sleep.", 1.0, "intro"), 0.0, 2.123456789)
PARA = Placed(Line("Some words.", 0.6, "paragraph"), 3.123456789, 7.5)
HEAD1 = Placed(Line("Why it matters.", 0.7, "heading", "Why it matters"), 8.1000001, 9.3)
PARA1 = Placed(Line("More words.", 0.6, "paragraph"), 10.0, 20.25)
HEAD2 = Placed(Line("What to do.", 0.7, "heading", "What to do"), 20.8512345678, 22.0)
PARA2 = Placed(Line("Even more.", 0.6, "paragraph"), 22.7, 30.0)
OUTRO = Placed(Line("That was Sleep.", 0.5, "outro"), 30.6, 32.0)
PLACED = (INTRO, PARA, HEAD1, PARA1, HEAD2, PARA2, OUTRO)
DURATION = 32.5


def test_chapters_start_exactly_at_the_heading_lines() -> None:
    chapters = episode_chapters(PLACED, DURATION)
    assert chapters == [
        Chapter("Introduction", 0.0, HEAD1.start),
        Chapter("Why it matters", HEAD1.start, HEAD2.start),
        Chapter("What to do", HEAD2.start, DURATION),
    ]


def test_intro_title_can_be_the_episode_title() -> None:
    chapters = episode_chapters(PLACED, DURATION, intro_title="Sleep")
    assert chapters[0].title == "Sleep"


def test_without_subsections_one_chapter() -> None:
    assert episode_chapters((INTRO, PARA, OUTRO), DURATION, "Sleep") == [
        Chapter("Sleep", 0.0, DURATION)
    ]


def test_heading_at_zero_has_no_empty_intro() -> None:
    head = Placed(Line("Start.", 0.7, "heading", "Start"), 0.0, 1.0)
    assert episode_chapters((head, PARA, HEAD1), 12.0) == [
        Chapter("Start", 0.0, HEAD1.start),
        Chapter("Why it matters", HEAD1.start, 12.0),
    ]


def test_duration_before_last_chapter_is_an_error() -> None:
    with pytest.raises(ValueError):
        episode_chapters(PLACED, 15.0)


def test_shift_moves_and_trims() -> None:
    chapters = episode_chapters(PLACED, DURATION)
    later = shift(chapters, 5.0)
    assert [(c.start, c.end) for c in later] == [
        (5.0, HEAD1.start + 5.0),
        (HEAD1.start + 5.0, HEAD2.start + 5.0),
        (HEAD2.start + 5.0, DURATION + 5.0),
    ]
    trimmed = shift(chapters, -10.0)
    assert [c.title for c in trimmed] == ["Why it matters", "What to do"]
    assert trimmed[0].start == 0.0
    assert trimmed[1].start == HEAD2.start - 10.0
    assert chapters == episode_chapters(PLACED, DURATION)  # the input is untouched


def test_json_chapters_round_trip() -> None:
    chapters = episode_chapters(PLACED, DURATION)
    text = json_chapters(chapters, title="Sleep — Episode 1")
    assert "—" in text  # ensure_ascii=False
    doc = json.loads(text)
    assert list(doc) == ["version", "title", "chapters"]
    assert doc["version"] == "1.2.0"
    assert doc["title"] == "Sleep — Episode 1"
    assert [c["startTime"] for c in doc["chapters"]] == [0.0, 8.1, 20.851]
    assert [c["endTime"] for c in doc["chapters"]] == [8.1, 20.851, 32.5]
    assert [c["title"] for c in doc["chapters"]] == [c.title for c in chapters]
    assert all(list(c) == ["startTime", "endTime", "title"] for c in doc["chapters"])


def test_json_chapters_without_title() -> None:
    doc = json.loads(json_chapters([Chapter("A", 0.0, 1.0)]))
    assert list(doc) == ["version", "chapters"]


# --- ID3 -------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f6c1d80000000049454e44ae426082"
)


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    path = tmp_path / "x.mp3"
    subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi"),
            *("-i", "anullsrc=r=44100:cl=mono", "-t", "3", "-b:a", "64k"),
            *("-metadata", "title=from ffmpeg", "-metadata", "artist=someone else"),
            str(path),
        ],
        check=True,
    )
    return path


def _read(path: Path) -> Any:
    import mutagen.id3

    id3: Any = mutagen.id3
    return id3.ID3(str(path))


CHAPTERS = [
    Chapter("Introduction", 0.0, 0.8123),
    Chapter("Middle — ünïcode", 0.8123, 2.0004),
    Chapter("End", 2.0004, 3.0),
]


def _write(path: Path, chapters: list[Chapter], cover: bytes | None = None) -> None:
    tags = Id3Tags("Sleep", "The Show", "The Album", track=7, date="2024-05-01", cover_png=cover)
    write_id3(path, tags, chapters)


def test_write_id3_tags_and_chapters(mp3: Path) -> None:
    _write(mp3, CHAPTERS, PNG)
    tags = _read(mp3)
    assert tags.version[:2] == (2, 3)
    assert tags["TIT2"].text == ["Sleep"]
    assert tags["TPE1"].text == ["The Show"]
    assert tags["TALB"].text == ["The Album"]
    assert tags["TRCK"].text == ["7"]
    assert str(tags["TDRC"].text[0]).startswith("2024")
    apics = tags.getall("APIC")
    assert len(apics) == 1
    assert apics[0].mime == "image/png"
    assert apics[0].type == 3
    assert apics[0].data == PNG
    (toc,) = tags.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert toc.flags & 0x01 and toc.flags & 0x02  # ORDERED and TOP_LEVEL
    chaps = sorted(tags.getall("CHAP"), key=lambda f: f.element_id)
    assert [c.element_id for c in chaps] == ["chp0", "chp1", "chp2"]
    assert [c.start_time for c in chaps] == [0, 812, 2000]
    assert [c.end_time for c in chaps] == [812, 2000, 3000]
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == [c.title for c in CHAPTERS]


def test_write_id3_replaces_rather_than_duplicates(mp3: Path) -> None:
    _write(mp3, CHAPTERS, PNG)
    _write(mp3, CHAPTERS[:2], None)
    tags = _read(mp3)
    for frame_id in ("TIT2", "TPE1", "TALB", "TRCK", "CTOC"):
        assert len(tags.getall(frame_id)) == 1, frame_id
    assert tags["TIT2"].text == ["Sleep"]
    assert tags.getall("APIC") == []
    assert sorted(c.element_id for c in tags.getall("CHAP")) == ["chp0", "chp1"]
    assert tags.getall("CTOC")[0].child_element_ids == ["chp0", "chp1"]


def test_write_id3_drops_ffmpeg_tags(mp3: Path) -> None:
    assert _read(mp3)["TPE1"].text == ["someone else"]  # ffmpeg did write tags
    _write(mp3, CHAPTERS)
    tags = _read(mp3)
    assert tags["TPE1"].text == ["The Show"]
    assert "TSSE" not in tags  # ffmpeg's encoder frame is gone too
    assert mp3.read_bytes().count(b"ID3") == 1


def test_shift_clamps_to_the_mastered_duration() -> None:
    """Mastering trims silence at both ends; the chapters, computed on the
    unmastered audio, must end where the mastered audio does."""
    chapters = episode_chapters(PLACED, DURATION)
    mastered = DURATION - 0.5 - 0.23
    trimmed = shift(chapters, -0.5, mastered)
    assert [(c.title, c.end) for c in trimmed][-1] == ("What to do", mastered)
    assert [c.start for c in trimmed] == [0.0, HEAD1.start - 0.5, HEAD2.start - 0.5]
    assert shift(chapters, 0.0, HEAD2.start) == chapters[:2]  # nothing left of the last
    with pytest.raises(ValueError):
        shift(chapters, 0.0, -1.0)
