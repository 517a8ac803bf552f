from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeSynth, broken_synth_factory

from audio_companion.errors import MissingDependencyError
from audio_companion.narration.narrator import Narrator, SpeechStore

TEXTS = ["First sentence here.", "A second one.", "First sentence here.", "Third and last."]


def test_audio_comes_back_in_order_and_each_text_is_spoken_once() -> None:
    synth = FakeSynth()
    out = Narrator(synth).speak(TEXTS)
    assert [round(c.duration, 3) for c in out] == [
        round(c.duration, 3) for c in map(FakeSynth().synthesize, TEXTS)
    ]
    assert synth.calls == ["First sentence here.", "A second one.", "Third and last."]


def test_an_unchanged_rebuild_is_all_cache_hits(tmp_path: Path) -> None:
    store = SpeechStore(tmp_path)
    first = Narrator(FakeSynth(), store=store)
    audio = first.speak(TEXTS)
    assert first.stats.hits == 0 and len(first.stats.synthesized) == 3
    synth = FakeSynth()
    again = Narrator(synth, store=store)
    assert again.speak(TEXTS) == audio
    assert synth.calls == [] and again.stats.hits == 3


def test_only_edited_sentences_are_synthesised_again(tmp_path: Path) -> None:
    store = SpeechStore(tmp_path)
    Narrator(FakeSynth(), store=store).speak(TEXTS)
    synth = FakeSynth()
    edited = [*TEXTS[:3], "Third, and now the last."]
    Narrator(synth, store=store).speak(edited)
    assert synth.calls == ["Third, and now the last."]


def test_the_voice_is_part_of_the_key(tmp_path: Path) -> None:
    store = SpeechStore(tmp_path)
    Narrator(FakeSynth(), store=store).speak(TEXTS)
    other = FakeSynth()
    other.identity = "fake:another-voice"  # type: ignore[misc]
    Narrator(other, store=store).speak(TEXTS)
    assert len(other.calls) == 3


def test_a_damaged_cache_entry_is_synthesised_again(tmp_path: Path) -> None:
    store = SpeechStore(tmp_path)
    Narrator(FakeSynth(), store=store).speak(["Hello there."])
    (entry,) = tmp_path.rglob("*.wav")
    entry.write_bytes(b"RIFF....not a wav")
    synth = FakeSynth()
    Narrator(synth, store=store).speak(["Hello there."])
    assert synth.calls == ["Hello there."]


def test_worker_processes_keep_the_order(tmp_path: Path) -> None:
    texts = [f"Sentence number {i} {'x' * (i % 7)}." for i in range(40)]
    expected = [FakeSynth().synthesize(t) for t in texts]
    with Narrator(FakeSynth(), workers=2, factory=FakeSynth, batch=3) as narrator:
        first = narrator.submit(texts[:25])
        second = narrator.submit(texts[25:])
        assert narrator.result(first) + narrator.result(second) == expected
        assert len(narrator.stats.synthesized) == 40


def test_a_worker_that_cannot_start_reports_the_real_error() -> None:
    narrator = Narrator(FakeSynth(), workers=2, factory=broken_synth_factory)
    with narrator, pytest.raises(MissingDependencyError, match="apt-get install espeak-ng"):
        narrator.speak(["Hello."])
