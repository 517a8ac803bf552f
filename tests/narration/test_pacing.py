"""narration/pacing.py: each engine's pauses, and that scripts and layouts use them."""

from __future__ import annotations

import pytest
from helpers import FakeSynth

from audio_companion.article.model import Block, BlockKind, Section
from audio_companion.narration.layout import assemble, script_sentences
from audio_companion.narration.pacing import LINE_PAUSES, PACING, Pacing, pacing_for
from audio_companion.narration.script import episode_script
from audio_companion.tts.base import VOICE_ENGINES

SECTION = Section("Rest", (Block(BlockKind.PARAGRAPH, "Sleep helps. It heals."),))


def test_every_engine_has_its_pacing_and_espeak_keeps_its_old_one() -> None:
    assert set(PACING) == set(VOICE_ENGINES)
    assert pacing_for("espeak") == Pacing(0.35, LINE_PAUSES)
    assert pacing_for("hibari").sentence_pause != pacing_for("espeak").sentence_pause
    assert pacing_for("no-such-engine") == pacing_for("espeak")


def test_the_script_takes_its_line_pauses_from_the_pacing() -> None:
    slow = Pacing(0.5, {**LINE_PAUSES, "paragraph": 1.5, "intro": 2.0})
    lines = episode_script("Show", 1, SECTION, pacing=slow)
    assert [ln.pause_after for ln in lines[:2]] == [2.0, 1.5]
    assert episode_script("Show", 1, SECTION) == episode_script(
        "Show", 1, SECTION, pacing=pacing_for("espeak")
    )


def test_the_layout_puts_the_sentence_pause_between_sentences() -> None:
    lines = episode_script("Show", 1, SECTION)
    synth = FakeSynth()
    audio = [synth.synthesize(t) for t in script_sentences(lines)]
    for pause in (0.35, 0.6):
        spoken = assemble(lines, audio, sentence_pause=pause).sentences
        assert spoken[3].start - spoken[2].end == pytest.approx(pause, abs=1e-3)
