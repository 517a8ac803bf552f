"""A listener's "mm-hm" in a partner's protected turn: neither the answer nor its end."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from voice_fakes import CHUNK, Phrasebook, Room, ToneRecognizer, make_loop

from audio_companion.asr.base import Transcript, Word
from audio_companion.audio.chunk import AudioChunk
from audio_companion.voice.backchannel import (
    is_backchannel,
    without_backchannels,
)
from audio_companion.voice.loop import Ask


@pytest.mark.parametrize(
    "text",
    ["Mm-hmm.", "Mhm.", "Uh-huh.", "Yeah.", "Yeah, yeah.", "Okay.", "Right.", "I see.",
     "Mm-hmm. Yeah.", "Hmm?", "mm hm"],
)  # fmt: skip
def test_backchannels(text: str) -> None:
    assert is_backchannel(text)
    assert without_backchannels(text) == ""


@pytest.mark.parametrize(
    "text",
    ["", "Yeah, it was a long day.", "Right after work I went running.", "Okay, so I felt calm.",
     "I see my sister on Sundays.", "Mm-hmm, yeah, okay, right, sure."],
)  # fmt: skip
def test_answers_are_not_backchannels(text: str) -> None:
    assert not is_backchannel(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Today was long. Mm-hmm. Work was hard.", "Today was long. Work was hard."),
        ("I cooked dinner. Yeah.", "I cooked dinner."),
        ("Uh-huh. We walked by the river.", "We walked by the river."),
        ("Yeah, it was a good day.", "Yeah, it was a good day."),  # the answer's own opening
        # Whisper joins the partner's "Yeah" to the speaker's next sentence.
        ("The walk helped. Yeah, and I slept well.", "The walk helped. And I slept well."),
        ("The walk helped, yeah, and I slept well.", "The walk helped, and I slept well."),
        ("The walk helped yeah, and I slept well.", "The walk helped, and I slept well."),
        ("The walk helped. Yeah and I slept well.", "The walk helped. And I slept well."),
        (
            "Turn right, then left. I am not sure, but yes.",
            "Turn right, then left. I am not sure, but yes.",
        ),
        ("Mm-hmm. Stop.", "Stop."),  # the stop word is never a backchannel
    ],
)
def test_without_backchannels_keeps_every_sentence_of_the_answer(text: str, kept: str) -> None:
    assert without_backchannels(text) == kept


class InOrder(ToneRecognizer):
    """Hears every tone in an utterance, in order, as one sentence each."""

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        self.asked.append(None if phrases is None else tuple(phrases))
        x = chunk.to_int16()[:, 0].astype(float)
        said: list[str] = []
        for i in range(0, len(x) - CHUNK + 1, CHUNK):
            frame = x[i : i + CHUNK]
            if np.sqrt((frame**2).mean()) > 300:
                text = self.book.text_of(frame)
                if not said or said[-1] != text:
                    said.append(text)
        text = " ".join(said)
        return Transcript.from_words((Word(text, 0.0, chunk.duration, 0.9),), self.name, text)


def _room() -> tuple[Room, InOrder]:
    room = Room(Phrasebook())
    return room, InOrder(room.book)


def test_a_listeners_mm_hm_in_a_pause_neither_ends_nor_joins_the_answer() -> None:
    room, rec = _room()
    loop = make_loop(room, recognizer=rec)
    start = room.t
    room.user_says("Today was long.", seconds=1.0)  # Sam
    room.user_says("Yeah.", after=0.5 + 1.0 + 0.2, seconds=0.4)  # Alex, in Sam's pause
    room.user_says("Work was hard.", after=0.5 + 1.0 + 0.2 + 0.4 + 0.6, seconds=1.0)  # Sam again
    heard = loop.listen(Ask(8, backchannels=True))
    assert heard.text == "Today was long. Work was hard."
    assert heard.ended is not None and heard.ended > start + 3.7  # Sam's real end of turn


def test_without_protection_the_same_mm_hm_ends_the_turn() -> None:
    room, rec = _room()
    loop = make_loop(room, recognizer=rec)
    room.user_says("Today was long.", seconds=1.0)
    room.user_says("Yeah.", after=0.5 + 1.0 + 0.2, seconds=0.4)
    room.user_says("Work was hard.", after=0.5 + 1.0 + 0.2 + 0.4 + 0.6, seconds=1.0)
    heard = loop.listen(Ask(8))
    assert heard.text == "Today was long. Yeah."  # cut off: what protection prevents


def test_an_utterance_that_is_only_a_backchannel_is_no_turn() -> None:
    room, rec = _room()
    loop = make_loop(room, recognizer=rec)
    room.user_says("Mm-hmm.", seconds=0.4)  # Alex, before Sam begins
    room.user_says("We cooked together.", after=0.5 + 0.4 + 2.0, seconds=1.2)  # Sam
    heard = loop.listen(Ask(8, backchannels=True))
    assert heard.text == "We cooked together."
    assert loop.stats.backchannels == 1 and loop.stats.utterances == 1


class LeavesItOut(InOrder):
    """Whisper on the rig: the partner's "Yeah" between two sentences is not written."""

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        heard = super().transcribe(chunk, phrases)
        text = heard.text.replace(" Yeah.", "")
        return Transcript.from_words((Word(text, 0.0, chunk.duration, 0.9),), self.name, text)


def test_a_protected_turn_waits_even_when_the_transcript_leaves_the_mm_hm_out() -> None:
    room = Room(Phrasebook())
    loop = make_loop(room, recognizer=LeavesItOut(room.book))
    start = room.t
    room.user_says("Today was long.", seconds=1.0)
    room.user_says("Yeah.", after=0.5 + 1.0 + 0.2, seconds=0.4)
    room.user_says("Work was hard.", after=0.5 + 1.0 + 0.2 + 0.4 + 0.9, seconds=1.0)
    heard = loop.listen(Ask(8, backchannels=True))
    assert heard.text == "Today was long. Work was hard."
    assert heard.ended is not None and heard.ended > start + 4.0
    assert loop.stats.early_ends == 0


def test_command_mode_is_never_filtered() -> None:
    room, rec = _room()
    loop = make_loop(room, recognizer=rec)
    room.user_says("Yeah.", seconds=0.5)
    heard = loop.listen(Ask(8, mode="command", backchannels=True))
    assert heard.text == "Yeah."
