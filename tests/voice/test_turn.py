"""Whether an answer sounds finished: the words that let a turn end before the long pause."""

from __future__ import annotations

import pytest

from audio_companion.voice.turn import sounds_finished


@pytest.mark.parametrize(
    "text",
    [
        "Honestly, a bit tired, but okay.",
        "The soup you made for dinner.",
        "Thank you.",
        "That's what I worry about.",
        "I wanted to.",
        "Skip.",
        "Four!",
        "Could you say it again?",
    ],
)
def test_a_finished_sentence_sounds_finished(text: str) -> None:
    assert sounds_finished(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I felt tired and",  # no full stop: whisper heard the voice trail on
        "Today I felt, um...",
        "We talked about the…",
        "My sister, my brother,",
        "It was good because.",  # a stop after a word that needs more
        "I went there with my.",
        "Um.",
        "It was nice, but.",
        "mood four",  # an engine that does not punctuate: silence decides
    ],
)
def test_an_unfinished_thought_does_not(text: str) -> None:
    assert not sounds_finished(text)
