"""The stop word said over the companion's voice stops it, at once, and nothing else does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from voice_fakes import LoudEnough, Phrasebook, Room, ToneRecognizer, ToneSynth

from audio_companion.asr.base import Transcript, Word
from audio_companion.audio.chunk import AudioChunk
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.intents import CommandVocabulary, Intent
from audio_companion.voice.loop import LoopSettings, StopHeard, VoiceLoop

PROMPT = "How are you feeling today?"  # a 1.5 s tone from the fake voice


@dataclass
class Timed:
    """A prompt that plays in the room's time: done once the microphone has passed its end."""

    room: SlowRoom
    start: float
    end: float | None

    def wait(self, timeout: float | None = None) -> bool:
        assert self.end is not None
        return self.room.stopped or self.room.mic_t >= self.end


@dataclass
class SlowRoom(Room):
    stopped: bool = False

    def play(self, chunk: AudioChunk, at: float | None = None) -> Timed:  # type: ignore[override]
        samples = chunk.to_int16()[:, 0].astype(float) / 32768
        self.played.append(self.book.text_of(samples))
        if self.leak:
            self.sounds.append((self.t, samples * self.leak))
        return Timed(self, self.t, self.t + chunk.duration)  # plays while the mic runs

    def stop(self) -> None:
        self.stopped = True


class Always(ToneRecognizer):
    """Hears `text` in anything: a recogniser primed with "stop" hearing our own voice."""

    def __init__(self, book: Phrasebook, text: str) -> None:
        super().__init__(book)
        self.text = text

    def transcribe(self, chunk: AudioChunk, phrases: Sequence[str] | None = None) -> Transcript:
        self.asked.append(None if phrases is None else tuple(phrases))
        return Transcript.from_words((Word(self.text, 0.0, 0.5, 0.9),), self.name, self.text)


def loop_in(room: SlowRoom, barge_in: bool = True, **kw: object) -> VoiceLoop:
    vocab = CommandVocabulary(personal_stop_word="lighthouse")
    return VoiceLoop(
        source=room,
        sink=room,
        prompts=PromptCache(ToneSynth(room.book)),
        recognizer=kw.pop("recognizer", ToneRecognizer(room.book)),  # type: ignore[arg-type]
        settings=LoopSettings(
            vocabulary=vocab,
            barge_in=barge_in,
            headphones=kw.pop("headphones", False),  # type: ignore[arg-type]
        ),
        classifier=LoudEnough(),
        clock=room.clock,
    )


def test_a_stop_word_over_a_prompt_silences_it_and_is_the_next_answer() -> None:
    room = SlowRoom(Phrasebook())
    loop = loop_in(room)
    room.user_says("lighthouse", after=0.3, seconds=0.4)
    said_at = room.t + 0.3 + 0.4
    with pytest.raises(StopHeard) as stop:
        loop.say(PROMPT)
    assert room.stopped and room.t < said_at + 0.6  # cut mid-prompt, not at its end
    assert stop.value.heard.is_stop and stop.value.heard.text == "lighthouse"
    assert loop.stats.prompts == 0 and loop.stats.utterances == 1


def test_without_barge_in_the_prompt_plays_to_its_end() -> None:
    room = SlowRoom(Phrasebook())
    loop = loop_in(room, barge_in=False)
    room.user_says("lighthouse", after=0.3, seconds=0.4)
    loop.say(PROMPT)
    assert not room.stopped


def test_other_short_words_over_a_prompt_do_not_stop_it() -> None:
    room = SlowRoom(Phrasebook())
    loop = loop_in(room)
    room.user_says("mm-hm", after=0.3, seconds=0.4)
    loop.say(PROMPT)
    assert not room.stopped


def test_a_long_sound_over_a_prompt_is_never_decoded() -> None:
    room = SlowRoom(Phrasebook())
    rec = Always(room.book, "Stop.")
    loop = loop_in(room, recognizer=rec)
    room.user_says("a long story about the day", after=0.0, seconds=2.5)
    loop.say(PROMPT)
    assert rec.asked == [] and not room.stopped


def test_a_stop_word_the_prompt_itself_says_is_not_taken_from_the_microphone() -> None:
    room = SlowRoom(Phrasebook())
    rec = Always(room.book, "Stop.")  # as if the mic caught our own "stop"
    loop = loop_in(room, recognizer=rec)
    room.user_says("stop", after=0.3, seconds=0.4)
    loop.say("You can say stop at any time.")
    assert rec.asked and not room.stopped
    room.user_says("stop", after=0.3, seconds=0.4)
    with pytest.raises(StopHeard):
        loop.say(PROMPT)  # the same word over a prompt that does not say it: a stop
    assert room.stopped


def test_with_headphones_a_stop_word_the_prompt_says_counts_when_the_person_says_it() -> None:
    room = SlowRoom(Phrasebook())
    rec = Always(room.book, "Stop.")
    loop = loop_in(room, recognizer=rec, headphones=True)
    room.user_says("stop", after=0.3, seconds=0.4)
    with pytest.raises(StopHeard):
        loop.say("You can say stop at any time.")  # the microphone cannot hear us
    assert room.stopped


def test_the_watcher_is_primed_with_the_stop_words_only() -> None:
    room = SlowRoom(Phrasebook())
    rec = ToneRecognizer(room.book)
    loop = loop_in(room, recognizer=rec)
    room.user_says("stop", after=0.3, seconds=0.4)
    with pytest.raises(StopHeard) as stop:
        loop.say(PROMPT)
    assert rec.asked == [("stop", "lighthouse")]
    assert stop.value.heard.command.intent is Intent.STOP
