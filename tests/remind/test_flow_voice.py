"""The reminder through the real voice loop, in a simulated room (tests/voice_fakes.py).

The loop, its endpointer, half-duplex gate and command matching are the real
ones; the person is a tone the fake recogniser knows by its pitch. Time is the
room's: the 15-second silence and the 15-minute snooze take no real time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from voice_fakes import (  # type: ignore[import-not-found, unused-ignore]  # tests/ on sys.path
    LoudEnough,
    Phrasebook,
    Room,
    ToneRecognizer,
    ToneSynth,
)

from audio_companion.remind import flow
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.loop import Ask, Heard, LoopSettings, VoiceLoop


class Person:
    """Answers each question (None: says nothing) from a script, in the room."""

    def __init__(self, room: Room, answers: list[str | None]) -> None:
        self.room = room
        self.answers = answers
        self.loops: list[VoiceLoop] = []

    @contextlib.contextmanager
    def round(self) -> Iterator[flow.Dialogue]:
        # A fresh loop each round, as `open_voice` opens the stack afresh.
        loop = VoiceLoop(
            source=self.room,
            sink=self.room,
            prompts=PromptCache(ToneSynth(self.room.book)),
            recognizer=ToneRecognizer(self.room.book),
            settings=LoopSettings(vocabulary=flow.reminder_vocabulary()),
            classifier=LoudEnough(),
            clock=self.room.clock,
        )
        self.loops.append(loop)
        yield _InRoom(loop, self)

    def sleep(self, seconds: float) -> None:
        """The snooze: time passes for the room and its microphone alike."""
        self.room.t += seconds
        self.room.mic_t = self.room.t


class _InRoom:
    def __init__(self, loop: VoiceLoop, person: Person) -> None:
        self.loop = loop
        self.person = person

    def chime(self) -> None:
        self.person.room.played.append("(chime)")

    def say(self, text: str) -> None:
        self.loop.say(text)
        if text in (flow.QUESTION, flow.NOT_CAUGHT) and self.person.answers:
            answer = self.person.answers.pop(0)
            if answer is not None:
                self.person.room.user_says(answer)

    def listen(self, ask: Ask) -> Heard:
        return self.loop.listen(ask)


def ring(answers: list[str | None]) -> tuple[flow.FlowResult, Room]:
    room = Room(Phrasebook())
    person = Person(room, answers)
    result = flow.run(person.round, flow.FlowSettings(), room.clock, person.sleep)
    assert person.answers == []
    return result, room


def test_not_now_then_yes_through_the_voice_loop() -> None:
    result, room = ring(["not now", "yes"])
    assert result.outcome is flow.Outcome.START
    assert result.replies == (flow.Reply.LATER, flow.Reply.YES)
    first, second = result.asked_at
    assert 900 < second - first < 900 + 10  # asked again fifteen minutes on
    assert room.played == [
        "(chime)",
        flow.QUESTION,
        flow.FlowSettings().snoozing,
        "(chime)",
        flow.QUESTION,
    ]


def test_silence_is_the_listen_timeout_then_nothing_more() -> None:
    result, room = ring([None])
    assert result.outcome is flow.Outcome.SILENT
    assert room.played == ["(chime)", flow.QUESTION]
    # It waited the listen timeout (15 s of room time) for an answer, not forever.
    assert room.t - result.asked_at[0] < flow.FlowSettings().listen_timeout_s + 5


def test_what_the_room_says_during_the_snooze_is_not_an_answer() -> None:
    room = Room(Phrasebook())
    person = Person(room, ["later", None])
    original = person.sleep

    def sleep_through_talk(seconds: float) -> None:
        room.user_says("yes", after=60)  # someone says yes to something else meanwhile
        original(seconds)

    result = flow.run(person.round, flow.FlowSettings(), room.clock, sleep_through_talk)
    assert result.outcome is flow.Outcome.SILENT


def test_later_twice_ends_with_good_night() -> None:
    result, room = ring(["later", "later"])
    assert result.outcome is flow.Outcome.DECLINED
    assert room.played[-1] == flow.GOOD_NIGHT
