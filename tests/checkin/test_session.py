"""The check-in state machine, scripted: typed replies and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

import pytest

from audio_companion.asr.base import Transcript
from audio_companion.checkin.captions import Turn
from audio_companion.checkin.conversation import TypedConversation
from audio_companion.checkin.deck import Deck, Step, StepKind, load_deck
from audio_companion.checkin.session import (
    HEARD_SURE,
    LINES,
    Answer,
    CheckinSession,
    CheckinSettings,
    night_of,
    time_up_line,
)
from audio_companion.voice.intents import Command, CommandVocabulary, Intent
from audio_companion.voice.loop import ANY_ANSWER, Ask, Heard, StopHeard

NIGHT = date(2026, 11, 27)


class Script:
    """Replies in order ('' = silence); every prompt and answer takes fake time.

    A reply given as (text, confidence) comes with a recogniser transcript of
    that confidence, as if spoken; every Ask is kept, to see how it listened."""

    def __init__(
        self, replies: Sequence[str | tuple[str, float]], say_s: float = 4.0, answer_s: float = 5.0
    ) -> None:
        self.t = 0.0
        self.said: list[str] = []
        self.asks: list[Ask] = []
        self.say_s = say_s
        self.answer_s = answer_s
        self.confidences = [r[1] if isinstance(r, tuple) else None for r in replies]
        self.replies: Iterator[str] = iter(r[0] if isinstance(r, tuple) else r for r in replies)
        self.typed = TypedConversation(self.replies, CommandVocabulary())

    def clock(self) -> float:
        return self.t

    def say(self, text: str) -> None:
        self.said.append(text)
        self.t += self.say_s

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        self.asks.append(ask)
        heard = self.typed.listen(ask)
        confidence = self.confidences.pop(0) if self.confidences else None
        if confidence is not None:
            heard = replace(heard, transcript=Transcript(heard.text, (), confidence, "fake"))
        self.t += self.answer_s if heard.kind != "timeout" else (ask.timeout_s or 8.0)
        return heard


def run(
    replies: Sequence[str | tuple[str, float]],
    deck: Deck | None = None,
    turns: list[Turn] | None = None,
    **settings: object,
) -> tuple[Script, list[Answer], str]:
    script = Script(replies)
    kept: list[Answer] = []
    session = CheckinSession(
        deck or load_deck("nightly"),
        script,
        kept.append,
        CheckinSettings(night=NIGHT, **settings),  # type: ignore[arg-type]
        clock=script.clock,
        wall_clock=lambda: 1_790_000_000.0 + script.t,
        on_turn=None if turns is None else turns.append,
    )
    outcome = session.run()
    assert list(outcome.answers) == kept  # recorded as given, nothing held back
    return script, kept, outcome.reason


FULL = [
    "I feel rested and calm",
    "four",
    "the soup you made",
    "a call with my sister",
    "the quiet walk",
    "I feel grateful when we cook together",
]


def test_full_nightly_run() -> None:
    script, answers, reason = run(FULL)
    assert reason == "completed"
    assert [a.step for a in answers] == [
        "checkin",
        "mood",
        "appreciations",
        "appreciations",
        "appreciations",
        "feeling",
    ]
    assert answers[1].mood == 4 and answers[0].mood is None
    assert answers[0].transcript == "I feel rested and calm"
    close = script.said[-1]
    for item in ("the soup you made", "a call with my sister", "the quiet walk"):
        assert item in close
    assert script.said[0].startswith(("Good evening", "Hello again", "Hi"))
    assert all(a.started_at <= a.ended_at for a in answers)


@pytest.mark.parametrize("at", range(len(FULL)))
def test_stop_word_at_each_step_keeps_what_was_said(at: int) -> None:
    script, answers, reason = run([*FULL[:at], "stop"])
    assert reason == "stop_word"
    assert len(answers) == at
    assert [a.transcript for a in answers] == FULL[:at]
    assert script.said[-1] == LINES["stopped_one"]


def test_stop_at_the_end_of_an_answer() -> None:
    _, answers, reason = run(["I had a long day, that's all, stop"])
    assert reason == "stop_word" and answers == []


def test_repeat_says_the_question_again() -> None:
    script, answers, _ = run(["repeat", *FULL])
    question = script.said[1]
    assert script.said[2] == question
    assert answers[0].transcript == FULL[0]


def test_skip_moves_on_without_an_answer() -> None:
    _, answers, reason = run(["skip", *FULL[1:]])
    assert reason == "completed"
    assert next(a.step for a in answers) == "mood"


def test_pause_waits_for_resume_and_does_not_eat_the_time_box() -> None:
    replies = ["pause", *["I'm still talking to someone"] * 30, "resume", *FULL]
    script, answers, reason = run(replies)
    assert reason == "completed"  # 30 ignored replies of fake time did not end the session
    assert LINES["paused"] in script.said and LINES["resumed"] in script.said
    i = script.said.index(LINES["resumed"])
    assert script.said[i + 1] == script.said[1]  # the question again
    assert answers[0].transcript == FULL[0]


def test_silence_reprompts_softer_once_then_moves_on() -> None:
    deck = load_deck("nightly")
    checkin = next(s for s in deck.steps if s.id == "checkin")
    script, answers, _ = run(["", "", *FULL[1:]])
    assert script.said[2] in checkin.softer
    assert script.said[3] == LINES["moving_on"]
    assert answers[0].step == "mood"


def test_time_box_warns_then_wraps_up_with_the_close() -> None:
    # 10 minutes at ~9 s per turn: a chatty user never gets to the end.
    replies = ["repeat"] * 200
    script, _answers, reason = run(replies)
    assert reason == "time_box"
    assert script.said.count(LINES["one_minute"]) == 1
    time_up = "We are at our ten minutes, so let's close for tonight."
    assert time_up in script.said
    assert script.t < 10 * 60 + 30
    assert script.said[-1] != time_up  # the close still comes


def test_time_up_names_the_time_box_that_was_set() -> None:
    script, _answers, reason = run(["repeat"] * 300, time_box_s=15 * 60)
    assert reason == "time_box"
    assert "We are at our fifteen minutes, so let's close for tonight." in script.said
    assert not any("ten minutes" in line for line in script.said)


@pytest.mark.parametrize(
    ("seconds", "line"),
    [
        (60, "We are at our one minute, so let's close for tonight."),
        (20 * 60, "We are at our twenty minutes, so let's close for tonight."),
        (90, "We are at the end of our time, so let's close for tonight."),
    ],
)
def test_time_up_line_says_whole_minutes_or_no_number(seconds: float, line: str) -> None:
    assert time_up_line(seconds) == line


def test_number_range_line_says_the_mood_scale() -> None:
    assert LINES["number_range"] == "Just a number from one to five, please."


def test_couples_take_turns_and_answers_are_per_partner() -> None:
    replies = [
        "good, busy",
        "tired but fine",  # checkin: Sam, Alex
        "4",
        "three",  # mood
        "your laugh",
        "the dinner",
        "the rain",  # Sam's appreciations
        "the walk",
        "the tea",
        "the music",  # Alex's
        "I feel close to you when we talk",
        "I feel calm when it rains",
    ]
    script, answers, reason = run(replies, partners=("Sam", "Alex"))
    assert reason == "completed"
    assert [(a.partner, a.step) for a in answers[:4]] == [
        ("Sam", "checkin"),
        ("Alex", "checkin"),
        ("Sam", "mood"),
        ("Alex", "mood"),
    ]
    assert [a.mood for a in answers[2:4]] == [4, 3]
    asked = [s for s in script.said if s.startswith(("Sam, ", "Alex, "))]
    assert asked[0].startswith("Sam, ") and asked[1].startswith("Alex, ")
    assert "Good evening, Sam and Alex" in script.said[0] or "Sam and Alex" in script.said[0]
    close = script.said[-1]
    assert "Sam, you appreciated your laugh, the dinner and the rain" in close
    assert "Alex, you appreciated the walk, the tea and the music" in close
    # Each partner's free answer is a protected turn; numbers and one person's are not.
    protected = [a.backchannels for a in script.asks if a.mode == "answer"]
    assert protected and all(protected)
    assert not any(a.backchannels for a in script.asks if a.mode == "command")
    alone, _, _ = run(FULL)
    assert not any(a.backchannels for a in alone.asks)
    # After both named three things, each hears the other's list, by name.
    read_back = next(t for t in script.said if t.startswith("Sam, Alex noticed"))
    assert read_back == (
        "Sam, Alex noticed the walk, the tea and the music. "
        "Alex, Sam noticed your laugh, the dinner and the rain."
    )
    assert script.said.index(read_back) < len(script.said) - 1  # before the feeling step


def _weekend_deck() -> Deck:
    nightly = load_deck("nightly")
    plans = Step(
        id="plans",
        kind=StepKind.FREE,
        prompts=("What would you like to do together this weekend?",),
        per_partner=False,
    )
    greeting = nightly.steps[0]
    gratitude = replace(
        next(s for s in nightly.steps if s.kind is StepKind.GRATITUDE), count=1, read_back=False
    )
    return replace(nightly, steps=(greeting, plans, gratitude))


def test_a_together_step_asks_both_once_and_is_kept_as_both() -> None:
    replies = ["a walk by the sea", "the tea", "the music"]
    script, answers, reason = run(replies, deck=_weekend_deck(), partners=("Sam", "Alex"))
    assert reason == "completed"
    assert [(a.partner, a.step) for a in answers] == [
        ("both", "plans"),
        ("Sam", "appreciations"),
        ("Alex", "appreciations"),
    ]
    assert "Sam and Alex, what would you like to do together this weekend?" in script.said
    assert not script.asks[0].backchannels  # both may speak: no one's turn to protect
    assert not any("noticed" in t for t in script.said)  # read_back = false


@pytest.mark.parametrize(
    ("said", "mood"),
    [("4", 4), ("four", 4), ("for", 4), ("it's a three", 3), ("five", 5), ("won", 1)],
)
def test_mood_as_words_or_digits(said: str, mood: int) -> None:
    _, answers, _ = run([FULL[0], said, *FULL[2:]])
    assert answers[1].mood == mood


def test_mood_out_of_range_asks_again() -> None:
    script, answers, _ = run([FULL[0], "seven", "two", *FULL[2:]])
    assert LINES["number_range"] in script.said
    assert answers[1].mood == 2


def test_unsure_mood_is_confirmed() -> None:
    script, answers, _ = run([FULL[0], "three or four", "yes", *FULL[2:]])
    assert "I heard 3. Is that right?" in script.said
    assert answers[1].mood == 3


@pytest.mark.parametrize(
    ("confidence", "confirmed"),
    [(0.9, False), (HEARD_SURE + 0.02, False), (HEARD_SURE - 0.02, True), (0.5, True)],
)
def test_a_number_the_recogniser_was_unsure_of_is_confirmed(
    confidence: float, confirmed: bool
) -> None:
    replies: list[str | tuple[str, float]] = [
        FULL[0], ("four", confidence), *(["yes"] if confirmed else []), *FULL[2:]
    ]  # fmt: skip
    script, answers, _ = run(replies)
    assert ("I heard 4. Is that right?" in script.said) is confirmed
    assert answers[1].mood == 4 and answers[1].confidence == confidence


def test_a_misheard_number_denied_is_asked_again() -> None:
    replies: list[str | tuple[str, float]] = [
        FULL[0], ("nine", 0.5), ("two", 0.55), ("no", 0.9), ("four", 0.85), *FULL[2:]
    ]  # fmt: skip
    script, answers, _ = run(replies)
    assert LINES["number_range"] in script.said  # nine is no mood
    assert "I heard 2. Is that right?" in script.said
    assert answers[1].mood == 4


def test_numbers_yes_no_and_resume_are_listened_for_in_command_mode() -> None:
    replies = [FULL[0], "three or four", "pause", "resume", "yes", *FULL[2:5], "tired", "no"]
    script, _, reason = run(replies)
    assert reason == "completed"
    modes = [(a.expect_number, a.allowed is not None and Intent.YES in a.allowed, a.mode)
             for a in script.asks]  # fmt: skip
    assert [a.numbers_up_to for a in script.asks if a.expect_number] == [5]  # the mood's scale
    assert modes == [
        (False, False, "answer"),  # how are you: a free answer
        (True, False, "command"),  # the mood
        (False, True, "command"),  # "I heard 3. Is that right?" (paused here)
        (False, False, "command"),  # waiting for resume
        (False, True, "command"),  # the question again
        (False, False, "answer"),
        (False, False, "answer"),
        (False, False, "answer"),  # three appreciations
        (False, False, "answer"),  # the feeling
        (False, True, "answer"),  # would you like to try? A new try may come instead
    ]


def test_denied_mood_is_asked_again() -> None:
    _, answers, _ = run([FULL[0], "three or four", "no", "four", *FULL[2:]])
    assert answers[1].mood == 4


def test_fewer_than_three_appreciations_get_a_gentle_nudge() -> None:
    deck = load_deck("nightly")
    gratitude = next(s for s in deck.steps if s.kind is StepKind.GRATITUDE)
    script, answers, reason = run([FULL[0], "4", "the sunset", "that's all", FULL[-1]])
    assert reason == "completed"
    assert [a.transcript for a in answers if a.step == "appreciations"] == ["the sunset"]
    assert any(s.startswith(gratitude.nudge.split("{")[0][:20]) for s in script.said)


def test_feeling_without_the_form_is_explained_once() -> None:
    deck = load_deck("nightly")
    feeling = next(s for s in deck.steps if s.kind is StepKind.FEELING)
    replies = [*FULL[:5], "tired", "I feel tired when I work late"]
    script, answers, _ = run(replies)
    assert any(s.startswith(feeling.explain[:30]) for s in script.said)
    assert [a.transcript for a in answers if a.step == "feeling"] == [
        "tired",
        "I feel tired when I work late",
    ]


def test_breathe_first_runs_the_breathing_then_the_nightly_steps() -> None:
    minutes: list[float] = []

    def breathe(m: float) -> bool:
        minutes.append(m)
        return True

    script = Script(FULL)
    kept: list[Answer] = []
    session = CheckinSession(
        load_deck("breathe-first"),
        script,
        kept.append,
        CheckinSettings(night=NIGHT),
        clock=script.clock,
        breathe=breathe,
    )
    assert session.run().reason == "completed"
    assert minutes == [1.0] and len(kept) == len(FULL)


def test_stop_during_breathing_ends_the_session() -> None:
    script = Script(FULL)
    session = CheckinSession(
        load_deck("breathe-first"),
        script,
        lambda a: None,
        CheckinSettings(night=NIGHT),
        clock=script.clock,
        breathe=lambda m: False,
    )
    outcome = session.run()
    assert outcome.reason == "stop_word" and outcome.answers == ()


def test_a_check_in_after_midnight_belongs_to_the_evening_before() -> None:
    assert night_of(datetime(2026, 11, 29, 21, 30)) == date(2026, 11, 29)
    assert night_of(datetime(2026, 11, 30, 0, 30)) == date(2026, 11, 29)
    assert night_of(datetime(2026, 11, 30, 3, 59)) == date(2026, 11, 29)
    assert night_of(datetime(2026, 11, 30, 4, 0)) == date(2026, 11, 30)


def test_each_listen_is_announced_with_its_step_and_what_it_expects() -> None:
    turns: list[Turn] = []
    run(["I feel rested", "pause", "resume", "four", *FULL[2:]], turns=turns)
    assert turns[:4] == [
        Turn("checkin", "free", None, "answer"),
        Turn("mood", "mood", None, "number"),
        Turn("mood", "pause", None, "resume"),
        Turn("mood", "mood", None, "number"),
    ]
    assert [t.step for t in turns[4:]] == ["appreciations"] * 3 + ["feeling"]


def test_a_couple_turn_names_the_partner_asked() -> None:
    turns: list[Turn] = []
    replies = ["good", "busy", "5", "3", "a", "b", "c", "d", "e", "f", "I feel x when y"]
    run([*replies, "I feel z when w"], turns=turns, partners=("Sam", "Alex"))
    assert [(t.step, t.partner) for t in turns[:4]] == [
        ("checkin", "Sam"), ("checkin", "Alex"), ("mood", "Sam"), ("mood", "Alex")
    ]  # fmt: skip


class StopOverPrompt(Script):
    """Someone says the stop word over the `at`-th prompt (and again over the goodbye)."""

    def __init__(self, replies: Sequence[str | tuple[str, float]], at: int) -> None:
        super().__init__(replies)
        self.at = at

    def say(self, text: str) -> None:
        super().say(text)
        if len(self.said) >= self.at:
            raise StopHeard(Heard("speech", "Stop.", Command(Intent.STOP)))


def test_a_stop_word_said_over_a_prompt_ends_the_session_there() -> None:
    script = StopOverPrompt(FULL, at=3)  # the greeting, the first question, then a follow-up
    kept: list[Answer] = []
    session = CheckinSession(
        load_deck("nightly"), script, kept.append, CheckinSettings(night=NIGHT),
        clock=script.clock, wall_clock=lambda: 1_790_000_000.0 + script.t,
    )  # fmt: skip
    outcome = session.run()
    assert outcome.reason == "stop_word"
    assert [a.step for a in outcome.answers] == ["checkin"]  # what was said before is kept
    assert script.said[-1] == LINES["stopped_one"] and len(script.said) == 4
    assert len(script.asks) == 1  # nothing asked after the stop
