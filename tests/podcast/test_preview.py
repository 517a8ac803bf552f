"""podcast/preview.py: the first ~30 s of the first episode, cut between sentences."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FakeSynth

from audio_companion.article import parse_text
from audio_companion.audio.chunk import AudioChunk
from audio_companion.narration.script import Line
from audio_companion.podcast.preview import (
    TAIL,
    cut_after_sentences,
    opening_lines,
    write_preview,
)
from audio_companion.podcast.settings import BuildSettings


def test_opening_lines_take_enough_and_at_least_one() -> None:
    words = " ".join(["word"] * 40)  # about 15 s at the estimate's pace
    lines = tuple(Line(words, 0.5) for _ in range(10))
    taken = opening_lines(lines, 30.0)
    assert 2 < len(taken) < 10
    assert opening_lines(lines[:1], 300.0) == list(lines[:1])


def test_the_cut_falls_after_the_last_sentence_that_fits() -> None:
    audio = AudioChunk.silence(40.0, 1000)
    assert cut_after_sentences(audio, [10.0, 25.0, 32.0], 30.0).duration == 25.0 + TAIL
    # A first sentence longer than the preview is kept whole.
    assert cut_after_sentences(audio, [35.0, 39.0], 30.0).duration == 35.0 + TAIL


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_write_preview_makes_one_file_and_nothing_else(tmp_path: Path, sample_text: str) -> None:
    from audio_companion.media.encode import mp3_duration

    out = tmp_path / "feed"
    settings = BuildSettings(out_dir=out, speech_cache=tmp_path / "cache")
    dest = tmp_path / "preview.mp3"
    synth = FakeSynth(seconds_per_char=0.06)  # about as long as speech
    preview = write_preview([parse_text(sample_text, "text")], settings, synth, dest, 10.0)
    assert preview.path == dest and dest.is_file()
    assert 1.0 < preview.seconds <= 10.0 + TAIL
    assert mp3_duration(dest) == pytest.approx(preview.seconds, abs=0.2)
    assert not out.exists()
    assert any((tmp_path / "cache").rglob("*.wav"))  # the build will reuse the sentences
