"""The resonance protocol played and asked on a simulated clock, and rendered as one episode."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from helpers import FakeSynth

from audio_companion.breathing.cues import CueStyle
from audio_companion.breathing.live import LEAD, LivePlayer, Poll
from audio_companion.breathing.render import render_session
from audio_companion.breathing.resonance import (
    COMFORT_MAX,
    Reply,
    ResonanceProtocol,
    stepped_plan,
)
from audio_companion.breathing.resonance_io import (
    AGAIN,
    QUESTION,
    RATING,
    LiveStep,
    VoiceAsker,
    comfort_vocabulary,
    episode,
    intro_text,
    run,
)
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.intents import Command, Intent, match_command
from audio_companion.voice.loop import ANY_ANSWER, Ask, Heard

if TYPE_CHECKING:
    from conftest import FakeClock, FakeSink, ScriptedPoll

WALL = 1_750_000_000.0
HONEST = "this measures how comfortable each pace feels, not your heart rate variability"


def stepper(
    clock: FakeClock,
    sink: FakeSink,
    scripted: Callable[..., ScriptedPoll],
    stop_in_step: int | None = None,
    said: list[str] | None = None,
) -> LiveStep:
    """Each step played as the CLI plays it, on the fake clock and sink, a listener per step:
    "stop" half a minute into step `stop_in_step`, nothing said in the others."""
    steps = iter(stepped_plan().steps)

    def listen(player: LivePlayer) -> Poll:
        step = next(steps)
        return scripted([(clock() + 30.0, "stop")] if step.number == stop_in_step else [])

    return LiveStep(
        stepped_plan(),
        sink,
        PromptCache(FakeSynth()),
        CueStyle(intro=False),
        (said if said is not None else []).append,
        listen,
        clock=clock,
        sleep=clock.sleep,
    )


class Replies:
    """The person's answers, one per question asked, and the questions."""

    def __init__(self, *replies: Reply | None) -> None:
        self.replies = list(replies)
        self.asked: list[str] = []

    def __call__(self, question: str) -> Reply | None:
        self.asked.append(question)
        return self.replies.pop(0)


def test_a_live_run_breathes_every_step_on_the_clock_asks_and_chooses(
    clock: FakeClock, sink: FakeSink, scripted: Callable[..., ScriptedPoll]
) -> None:
    protocol = ResonanceProtocol(stepped_plan(), clock, lambda: WALL)
    said: list[str] = []
    replies = Replies(
        Reply("three", 3), Reply("what?"), Reply("easier"), None, Reply("five", 5), Reply("2", 2)
    )
    announced: list[str] = []
    start = clock()
    pace = run(protocol, stepper(clock, sink, scripted, said=announced), replies, said.append)
    assert pace is not None and (pace.breaths_per_minute, pace.measure) == (5.0, "comfort")
    assert [s.comfort for s in pace.steps] == [3, 4, None, 5, 2]
    assert replies.asked == [QUESTION, QUESTION, AGAIN, QUESTION, QUESTION, QUESTION]
    assert HONEST in said[0] and len(said) == 2  # the intro and the close
    assert [a.split(":")[0] for a in announced] == [f"Pace {n} of 5" for n in range(1, 6)]
    assert announced[1] == "Pace 2 of 5: 6 breaths a minute. In for 5, out for 5."
    # Five steps of whole breaths, about two minutes each, on the injected clock only;
    # each lasts to the end of its last out-breath (plus the player's lead before the first).
    assert 590 < clock() - start < 615
    for r in protocol.results:
        breathed = r.step.breaths * r.step.pattern.cycle_seconds
        assert r.ended - r.started == pytest.approx(breathed + LEAD)
    assert sum(1 for p in sink.played if p.duration) == 2 * (13 + 12 + 11 + 10 + 9)


def test_stop_during_a_step_ends_the_protocol_and_keeps_nothing(
    clock: FakeClock, sink: FakeSink, scripted: Callable[..., ScriptedPoll]
) -> None:
    protocol = ResonanceProtocol(stepped_plan(), clock, lambda: WALL)
    replies = Replies(Reply("four", 4))
    pace = run(protocol, stepper(clock, sink, scripted, 2), replies, lambda _: None)
    assert pace is None and protocol.state == "stopped"
    assert len(protocol.results) == 1 and replies.asked == [QUESTION]


def test_a_stop_word_as_the_answer_keeps_nothing(
    clock: FakeClock, sink: FakeSink, scripted: Callable[..., ScriptedPoll]
) -> None:
    protocol = ResonanceProtocol(stepped_plan(), clock, lambda: WALL)
    replies = Replies(Reply("four", 4), Reply("stop", stop=True))
    assert run(protocol, stepper(clock, sink, scripted), replies, lambda _: None) is None
    assert protocol.state == "stopped"


# ----------------------------------------------------------------------- asking by voice


class ScriptedLoop:
    """A voice loop that hears what it is told to, and records what it was asked for."""

    def __init__(self, *heard: Heard) -> None:
        self.heard = list(heard)
        self.said: list[str] = []
        self.asks: list[Ask] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def listen(self, ask: Ask = ANY_ANSWER) -> Heard:
        self.asks.append(ask)
        return self.heard.pop(0)


@pytest.mark.parametrize(
    ("heard", "reply"),
    [
        (Heard("speech", "four", Command(Intent.NUMBER, 4)), Reply("four", 4)),
        (Heard("speech", "easier"), Reply("easier")),
        (Heard("speech", "stop", Command(Intent.STOP)), Reply("stop", stop=True)),
        (Heard("timeout"), None),
    ],
)
def test_the_voice_asker_asks_for_a_number_in_command_mode(
    heard: Heard, reply: Reply | None
) -> None:
    loop = ScriptedLoop(heard)
    assert VoiceAsker(loop)(QUESTION) == reply
    assert loop.said == [QUESTION]
    (ask,) = loop.asks
    assert ask.expect_number and ask.mode == "command" and ask.allowed == RATING
    assert ask.numbers_up_to == COMFORT_MAX
    assert ask.timeout_s is not None and ask.timeout_s > 0


@pytest.mark.parametrize(
    ("said", "reply"),
    [("two", Reply("two", 2)), ("easier", Reply("easier")), ("stop", Reply("stop", stop=True))],
)
def test_a_rating_said_to_the_real_voice_loop_is_understood(said: str, reply: Reply) -> None:
    # Through the loop's own matcher, not a scripted Heard: with no intent allowed, the
    # matcher once dropped every number, and a rating said as a number was never heard.
    from voice_fakes import Phrasebook, Room, make_loop

    from audio_companion.cli.stack import vocabulary_for
    from audio_companion.voice.loop import LoopSettings

    room = Room(Phrasebook())
    vocabulary = comfort_vocabulary(vocabulary_for(None))
    loop = make_loop(room, settings=LoopSettings(vocabulary=vocabulary))
    room.user_says(said, after=2.0, seconds=0.6)  # after the question (a 1.5 s tone)
    assert VoiceAsker(loop)(QUESTION) == reply


def test_the_rating_words_are_expected_only_when_a_rating_is_asked() -> None:
    from audio_companion.cli.stack import vocabulary_for

    vocab = comfort_vocabulary(vocabulary_for("pineapple"))
    rating = vocab.phrases_for(frozenset(), numbers=True)
    assert {"easier", "harder", "stop", "pineapple", "one", "five"} <= set(rating)
    breathing = vocab.phrases_for(frozenset({Intent.SLOWER, Intent.STOP}), numbers=False)
    assert "easier" not in breathing and "slower" in breathing
    assert match_command("easier", vocab, expect_number=True).intent is Intent.NONE
    assert match_command("pineapple", vocab).intent is Intent.STOP


# ------------------------------------------------------------------------- the episode


def test_the_episode_places_every_step_after_the_last_on_one_timeline() -> None:
    plan = stepped_plan()
    cues, sounds = episode(plan, PromptCache(FakeSynth()), CueStyle(tones=True))
    assert all(c.sound in sounds for c in cues)
    assert [c.index for c in cues] == list(range(len(cues)))
    offsets = [c.offset for c in cues]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    intros = [c for c in cues if c.phase_kind == "intro"]
    assert [c.sound for c in intros] == [f"{s.number}:intro" for s in plan.steps]
    assert [c.phase_kind for c in cues].count("close") == 1 and cues[-1].phase_kind == "close"
    breaths = [c for c in cues if c.phase_kind == "in"]
    assert len(breaths) == sum(s.breaths for s in plan.steps)
    for step, intro in zip(plan.steps, intros, strict=True):
        ins = [c for c in cues if c.phase_kind == "in" and c.sound.startswith(f"{step.number}:")]
        assert ins[0].offset == pytest.approx(intro.end)
        gaps = {round(b.offset - a.offset, 6) for a, b in itertools.pairwise(ins)}
        assert gaps == {round(step.pattern.cycle_seconds, 6)}
    rendered = render_session(cues, sounds)
    assert rendered.onsets == pytest.approx([round(o * 22050) / 22050 for o in offsets])
    assert 600 < rendered.duration < 700


def test_the_intro_says_plainly_what_is_measured() -> None:
    plan = stepped_plan()
    assert HONEST in intro_text(plan, asks=True) and "I will ask" in intro_text(plan, asks=True)
    rendered = intro_text(plan, asks=False)
    assert HONEST in rendered and "ask" not in rendered
    assert "from 6 and a half down to 4 and a half breaths a minute" in rendered
