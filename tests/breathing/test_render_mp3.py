"""A real 5-minute session: espeak-ng cues, encoded to MP3, decoded again, cues found by ear.

The decoded file is what a podcast app plays; every cue must start within
5 ms of its plan and the whole within 50 ms of the rendered length.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers import FakeSynth, needs_media

from audio_companion.audio.wav import read_wav
from audio_companion.breathing import (
    BUILTINS,
    BreathingSession,
    RenderedSession,
    WrittenSession,
    prepare,
    render_file,
    render_session,
    write_session,
)
from audio_companion.breathing.cues import CueBank
from audio_companion.breathing.onsets import detect_onsets, match_onsets
from audio_companion.errors import BuildError
from audio_companion.podcast.season import feed_episode
from audio_companion.tts.base import VoiceSettings
from audio_companion.tts.registry import make_synthesizer

pytestmark = [needs_media, pytest.mark.slow]


def decode(path: Path, out: Path) -> tuple[list[float], float]:
    """Onsets (s) and length (s) of the MP3 as ffmpeg's decoder plays it."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(path), "-ac", "1", "-f", "wav", str(out)],
        check=True,
    )
    audio = read_wav(out)
    assert audio.rate == 44100 and audio.channels == 1
    x = audio.to_int16()[:, 0]
    return detect_onsets(x, audio.rate, hop=0.001, threshold=100, gap=0.25), audio.duration


@pytest.fixture(scope="module")
def box_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CueBank, RenderedSession, WrittenSession]:
    synth = make_synthesizer(VoiceSettings())
    bank, cues = prepare(BreathingSession(BUILTINS["box"], minutes=5), synth)
    rendered = render_session(cues, bank)
    out = tmp_path_factory.mktemp("breathe") / "box.mp3"
    written = write_session(rendered, out, "Box breathing, 5 minutes")
    return bank, rendered, written


def test_decoded_onsets_match_the_plan(
    box_session: tuple[CueBank, RenderedSession, WrittenSession], tmp_path: Path
) -> None:
    bank, rendered, written = box_session
    onsets, length = decode(written.path, tmp_path / "box.wav")
    close = rendered.cues[-1]
    assert close.phase_kind == "close"
    result = match_onsets(
        rendered.onsets,
        onsets,
        window=0.1,
        # the intro and close sentences have pauses between their own words
        ignore=[(0.0, bank.intro_seconds), (close.offset, rendered.duration)],
    )
    assert not result.missing and not result.extra
    assert len(result.errors) == len(rendered.cues) == 1 + 19 * 4 + 1  # 300/16 → 19 cycles
    assert result.max_abs <= 0.005, result.errors
    assert abs(length - rendered.duration) <= 0.05


def test_id3_title_and_chapters(
    box_session: tuple[CueBank, RenderedSession, WrittenSession],
) -> None:
    from mutagen.id3 import ID3

    _, rendered, written = box_session
    tags = ID3(str(written.path))
    assert str(tags["TIT2"]) == "Box breathing, 5 minutes"
    assert str(tags["TPE1"]) == "Audio Companion"
    assert str(tags["TALB"]) == "Paced breathing"
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    minutes = int(rendered.duration // 60)  # 5 min 20 s: six chapters
    assert len(chaps) == minutes + 1 == len(written.chapters)
    assert [c.element_id for c in chaps] == [f"chp{i}" for i in range(len(chaps))]
    assert [c.start_time for c in chaps] == [60_000 * i for i in range(len(chaps))]
    assert chaps[-1].end_time == round(rendered.duration * 1000)
    assert [str(c.sub_frames["TIT2"]) for c in chaps][:2] == ["Minute 1", "Minute 2"]
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [c.element_id for c in chaps]
    assert written.size_bytes == written.path.stat().st_size
    assert not [p for p in written.path.parent.iterdir() if p.name.startswith(".")]


def test_render_file_and_feed_episode(tmp_path: Path) -> None:
    dest = tmp_path / "feed" / "sigh.mp3"
    written = render_file(BreathingSession(BUILTINS["sigh"], cycles=3), dest, FakeSynth())
    assert dest.exists() and written.duration_s > 27
    from mutagen.id3 import ID3

    assert str(ID3(str(dest))["TIT2"]) == "Sigh breathing, 3 breaths"
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    ep = feed_episode(
        written,
        title="Evening sigh",
        description="Three sighs.",
        base_url="http://localhost:8000/",
        number=1,
        published=when,
    )
    assert ep.url == "http://localhost:8000/sigh.mp3"
    assert ep.length_bytes == dest.stat().st_size and ep.duration_s == written.duration_s
    again = feed_episode(written, title="x", description="", base_url="", number=2, published=when)
    assert again.guid == ep.guid  # same file name, same episode identity


def test_failed_tagging_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mutagen.id3

    def broken(*args: object, **kwargs: object) -> None:
        raise mutagen.MutagenError("disk on fire")

    monkeypatch.setattr(mutagen.id3.ID3, "save", broken)
    dest = tmp_path / "box.mp3"
    with pytest.raises(BuildError, match="ID3"):
        render_file(BreathingSession(BUILTINS["box"], cycles=1), dest, FakeSynth())
    assert list(tmp_path.iterdir()) == []
