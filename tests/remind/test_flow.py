"""The reminder's decisions, with scripted answers and a clock that never waits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from remind_fakes import FakeClock

from audio_companion.remind import flow
from audio_companion.remind.flow import (
    GOOD_NIGHT,
    NOT_CAUGHT,
    QUESTION,
    FlowSettings,
    Outcome,
    Reply,
    decide,
    reply_to,
)
from audio_companion.voice.intents import Command, Intent, match_command
from audio_companion.voice.loop import Ask, Heard

SETTINGS = FlowSettings()
SNOOZING = "All right. I'll ask again in 15 minutes."


def said(text: str) -> Heard:
    """What the loop returns for `text` spoken in answer to the question."""
    vocabulary = flow.reminder_vocabulary()
    return Heard("speech", text, match_command(text, vocabulary, allowed=flow.ALLOWED))


SILENCE = Heard("timeout")
GONE = Heard("end")


class ScriptedRoom:
    """Answers from a script; records each round (opened, chimed, said, closed)."""

    def __init__(self, clock: FakeClock, answers: list[Heard]) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.log: list[str] = []
        self.asks: list[Ask] = []
        self.open = False

    @contextlib.contextmanager
    def round(self) -> Iterator[flow.Dialogue]:
        assert not self.open
        self.open = True
        self.log.append(f"open at {self.clock():.0f}")
        try:
            yield self
        finally:
            self.open = False
            self.log.append("close")

    def chime(self) -> None:
        assert self.open
        self.log.append("chime")

    def say(self, text: str) -> None:
        assert self.open
        self.log.append(f"say {text}")
        self.clock.advance(2)  # saying takes a moment

    def listen(self, ask: Ask) -> Heard:
        assert self.open
        self.asks.append(ask)
        heard = self.answers.pop(0)
        self.clock.advance((ask.timeout_s or 0) if heard.kind == "timeout" else 1)
        self.log.append(f"heard {heard.text or heard.kind}")
        return heard


def run(
    answers: list[Heard], clock: FakeClock | None = None
) -> tuple[flow.FlowResult, ScriptedRoom]:
    clock = clock or FakeClock()
    room = ScriptedRoom(clock, answers)
    result = flow.run(room.round, SETTINGS, clock, clock.sleep)
    assert not room.answers, "every scripted answer is heard"
    assert not room.open
    return result, room


def test_yes_starts_the_checkin_at_once() -> None:
    result, room = run([said("yes")])
    assert result.outcome is Outcome.START
    assert room.log == ["open at 1000", "chime", f"say {QUESTION}", "heard yes", "close"]
    [ask] = room.asks
    assert ask.mode == "command" and ask.timeout_s == SETTINGS.listen_timeout_s
    assert ask.allowed == frozenset({Intent.YES, Intent.NO, Intent.PAUSE})


def test_not_now_snoozes_fifteen_minutes_once_then_asks_again() -> None:
    clock = FakeClock()
    result, room = run([said("not now"), said("yeah, let's do it")], clock)
    assert result.outcome is Outcome.START
    assert room.log == [
        "open at 1000",
        "chime",
        f"say {QUESTION}",
        "heard not now",
        f"say {SNOOZING}",
        "close",  # the microphone is let go before the wait
        "open at 1905",
        "chime",
        f"say {QUESTION}",
        "heard yeah, let's do it",
        "close",
    ]
    assert clock.slept == [900.0]
    first, second = result.asked_at
    assert second - first == pytest.approx(900 + 2 + 1 + 2)  # the wait starts after the goodbye


@pytest.mark.parametrize(
    "answer", ["later", "no", "maybe later", "not right now", "give me a minute"]
)
def test_a_second_not_now_ends_with_a_short_good_night(answer: str) -> None:
    clock = FakeClock()
    result, room = run([said(answer), said("not now")], clock)
    assert result.outcome is Outcome.DECLINED
    assert result.replies == (Reply.LATER, Reply.LATER)
    assert room.log[-2:] == [f"say {GOOD_NIGHT}", "close"]
    assert room.log.count("chime") == 2 and clock.slept == [900.0]


def test_silence_ends_quietly_without_another_word() -> None:
    result, room = run([SILENCE])
    assert result.outcome is Outcome.SILENT
    assert room.log == ["open at 1000", "chime", f"say {QUESTION}", "heard timeout", "close"]


def test_silence_after_the_snooze_ends_quietly_too() -> None:
    result, room = run([said("later"), SILENCE])
    assert result.outcome is Outcome.SILENT
    assert room.log[-2:] == ["heard timeout", "close"]


def test_the_stop_word_ends_at_once_even_the_personal_one() -> None:
    result, room = run([said("stop")])
    assert result.outcome is Outcome.STOPPED and room.log[-2:] == ["heard stop", "close"]
    assert reply_to(Heard("speech", "pineapple", Command(Intent.STOP))) is Reply.STOP


def test_an_answer_not_understood_is_asked_about_once() -> None:
    result, room = run([said("what was that"), said("sure")])
    assert result.outcome is Outcome.START
    assert [line for line in room.log if line.startswith("say")] == [
        f"say {QUESTION}",
        f"say {NOT_CAUGHT}",
    ]
    assert room.log.count("chime") == 1  # one chime per round, not per question


def test_two_answers_not_understood_end_as_silence() -> None:
    result, _ = run([said("what was that"), said("the weather is nice")])
    assert result.outcome is Outcome.SILENT


def test_the_reask_allowance_starts_again_after_a_snooze() -> None:
    result, _ = run([said("hmm what"), said("later"), said("pardon"), said("yes")])
    assert result.outcome is Outcome.START


def test_input_that_ends_ends_the_reminder() -> None:
    result, _ = run([GONE])
    assert result.outcome is Outcome.GONE


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        (Reply.YES, Outcome.START),
        (Reply.STOP, Outcome.STOPPED),
        (Reply.SILENCE, Outcome.SILENT),
        (Reply.GONE, Outcome.GONE),
    ],
)
def test_decisions_that_end_in_any_state(reply: Reply, outcome: Outcome) -> None:
    for state in (flow.State(), flow.State(snoozed=1), flow.State(unclear=1)):
        _, action = decide(state, reply, SETTINGS)
        assert action == flow.Finish(outcome)


def test_decisions_on_later_and_unclear() -> None:
    state, action = decide(flow.State(unclear=1), Reply.LATER, SETTINGS)
    assert (state, action) == (flow.State(snoozed=1), flow.Snooze(900.0, SNOOZING))
    assert decide(state, Reply.LATER, SETTINGS)[1] == flow.Finish(Outcome.DECLINED, GOOD_NIGHT)
    state, action = decide(flow.State(), Reply.UNCLEAR, SETTINGS)
    assert (state, action) == (flow.State(unclear=1), flow.Question(NOT_CAUGHT))
    assert decide(state, Reply.UNCLEAR, SETTINGS)[1] == flow.Finish(Outcome.SILENT)
    more = FlowSettings(snoozes=2, snooze_s=600)
    assert decide(flow.State(snoozed=1), Reply.LATER, more)[1] == flow.Snooze(
        600.0, "All right. I'll ask again in 10 minutes."
    )


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("yes", Reply.YES),
        ("Yes please.", Reply.YES),
        ("okay", Reply.YES),
        ("all right", Reply.YES),
        ("sure, let's do it", Reply.YES),
        ("I'm ready", Reply.YES),
        ("not now", Reply.LATER),
        ("Not right now, thanks", Reply.LATER),
        ("later", Reply.LATER),
        ("no", Reply.LATER),
        ("nope", Reply.LATER),
        ("no, not now", Reply.LATER),
        ("okay, not now", Reply.LATER),
        ("stop", Reply.STOP),
        ("what", Reply.UNCLEAR),
        ("we should stop fighting", Reply.UNCLEAR),
    ],
)
def test_what_the_answers_mean(text: str, reply: Reply) -> None:
    assert reply_to(said(text)) is reply


def test_the_recogniser_is_primed_with_yes_later_and_not_now() -> None:
    vocabulary = flow.reminder_vocabulary()
    assert vocabulary.phrases_for(flow.ALLOWED, numbers=False) == (
        "stop",
        "yes",
        "later",
        "not now",
    )


def test_the_checkins_stop_words_stop_the_question_too() -> None:
    from audio_companion.voice.intents import CommandVocabulary

    couple = CommandVocabulary(stop_words=("stop", "pineapple", "lighthouse"))
    vocabulary = flow.reminder_vocabulary(couple)
    for word in ("pineapple", "lighthouse", "stop"):
        assert match_command(word, vocabulary, allowed=flow.ALLOWED).intent is Intent.STOP
    personal = flow.reminder_vocabulary(CommandVocabulary(personal_stop_word="banana"))
    assert match_command("banana", personal, allowed=flow.ALLOWED).intent is Intent.STOP


def test_a_wait_sleeps_again_when_woken_early_and_never_without_a_limit() -> None:
    clock = FakeClock(woken=[100.0, 30.0])
    flow.wait_until(clock() + 900, clock, clock.sleep)
    assert clock() == 1900 and clock.slept == [900.0, 100.0, 30.0]
    slept: list[float] = []
    flow.wait_until(clock() + 900, clock, slept.append)  # a sleeper that never sleeps
    assert len(slept) == flow.MAX_WAKES
