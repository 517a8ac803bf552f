"""What happens when a reminder rings: a chime, one question, and what the answer means.

"Ready for tonight's check-in?" is asked in command mode, for yes or not now:

* **yes** starts the check-in (the caller does, with the reminder's deck);
* **not now**, **later** or **no** waits 15 minutes, once, and asks again; a
  second "not now" ends with a short good night;
* **silence** (nothing said within the listen timeout) ends quietly: nobody is
  there to hear more, and a reminder must never nag an empty room;
* the **stop word** ends at once, as everywhere in the companion;
* an answer not understood is asked about once more, then taken as silence.

The decisions are a pure state machine (`decide`: state and reply in, state and
action out). `run` carries the actions out through an injected dialogue, clock
and sleeper, so tests script the answers and skip the 15 minutes. Between the
two rounds the dialogue is closed: the microphone is released while nobody is
asked anything, and what the room said meanwhile is never taken for an answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from types import MappingProxyType
from typing import Final, Protocol

from audio_companion.voice.intents import CommandVocabulary, Intent
from audio_companion.voice.loop import Ask, Heard

QUESTION = "Ready for tonight's check-in?"
NOT_CAUGHT = "Sorry, I didn't catch that. Ready for tonight's check-in? Yes, or not now?"
GOOD_NIGHT = "All right, another night then. Sleep well."

PHRASES: Final[Mapping[Intent, tuple[str, ...]]] = MappingProxyType(
    {
        Intent.YES: (
            *("yes", "yeah", "yep", "yup", "sure", "okay", "alright", "ready", "i'm ready"),
            *("let's go", "let's do it", "let's start", "let's begin", "go ahead", "start"),
        ),
        Intent.NO: (
            *("later", "no", "nope", "nah", "no thanks", "not really", "maybe later"),
            *("not yet", "in a bit", "a bit later"),
        ),
        Intent.PAUSE: (
            *("not now", "not right now", "wait", "hold on", "one moment", "give me a minute"),
            *("give me a moment", "in a minute"),
        ),
    }
)
"""What the question's answers sound like. NO and PAUSE both mean "later": a
command-mode recogniser is primed with (vosk: restricted to) the first phrase
of each allowed intent, so "later" and "not now" each lead one and are both
heard as said."""

ALLOWED: Final = frozenset(PHRASES)


def reminder_vocabulary(base: CommandVocabulary | None = None) -> CommandVocabulary:
    """The question's own phrases, with the stop words of `base` (the check-in's
    vocabulary, with the person's or each partner's own): they stop here too."""
    if base is None:
        return CommandVocabulary(phrases=PHRASES)
    return CommandVocabulary(
        phrases=PHRASES, stop_words=base.stop_words, personal_stop_word=base.personal_stop_word
    )


class Reply(Enum):
    """One answer to the question, as the decisions see it."""

    YES = "yes"
    LATER = "later"
    UNCLEAR = "unclear"
    SILENCE = "silence"
    STOP = "stop"
    GONE = "gone"  # the microphone (or typed input) ended


def reply_to(heard: Heard) -> Reply:
    if heard.kind == "end":
        return Reply.GONE
    if heard.kind == "timeout":
        return Reply.SILENCE
    intent = heard.command.intent
    if intent is Intent.STOP:
        return Reply.STOP
    if intent is Intent.YES:
        return Reply.YES
    if intent in (Intent.NO, Intent.PAUSE):
        return Reply.LATER
    return Reply.UNCLEAR


class Outcome(Enum):
    """How a reminder ended; only START goes on to a check-in."""

    START = "start"
    DECLINED = "declined"  # "not now" again after the snooze
    SILENT = "silent"  # no answer in time, or none understood
    STOPPED = "stopped"  # the stop word
    GONE = "gone"  # input ended before an answer


@dataclass(frozen=True)
class FlowSettings:
    listen_timeout_s: float = 15.0
    snooze_s: float = 15 * 60.0
    snoozes: int = 1
    reasks: int = 1  # per round: how often an answer not understood is asked about again

    @property
    def snoozing(self) -> str:
        minutes = round(self.snooze_s / 60)
        return f"All right. I'll ask again in {minutes} minutes."

    def ask(self) -> Ask:
        """How the question listens: command mode, for the allowed answers, with a limit."""
        return Ask(timeout_s=self.listen_timeout_s, allowed=ALLOWED, mode="command")


@dataclass(frozen=True)
class Question:
    """Say `text` and listen for the answer."""

    text: str


@dataclass(frozen=True)
class Snooze:
    """Say `text`, let go of the microphone, and ask again after `seconds`."""

    seconds: float
    text: str


@dataclass(frozen=True)
class Finish:
    """Say `text` (if any) and end with `outcome`."""

    outcome: Outcome
    text: str | None = None


Action = Question | Snooze | Finish


@dataclass(frozen=True)
class State:
    snoozed: int = 0  # snoozes taken so far
    unclear: int = 0  # answers not understood in this round


def first() -> tuple[State, Action]:
    return State(), Question(QUESTION)


def decide(state: State, reply: Reply, settings: FlowSettings) -> tuple[State, Action]:
    """The next action after `reply`: the whole of the reminder's behaviour."""
    if reply is Reply.YES:
        return state, Finish(Outcome.START)
    if reply is Reply.STOP:
        return state, Finish(Outcome.STOPPED)
    if reply is Reply.GONE:
        return state, Finish(Outcome.GONE)
    if reply is Reply.SILENCE:
        return state, Finish(Outcome.SILENT)
    if reply is Reply.UNCLEAR:
        if state.unclear < settings.reasks:
            return replace(state, unclear=state.unclear + 1), Question(NOT_CAUGHT)
        return state, Finish(Outcome.SILENT)
    if state.snoozed < settings.snoozes:
        return State(snoozed=state.snoozed + 1), Snooze(settings.snooze_s, settings.snoozing)
    return state, Finish(Outcome.DECLINED, GOOD_NIGHT)


class Dialogue(Protocol):
    """One round of asking: the voice stack (or typed lines) for as long as it is open."""

    def chime(self) -> None: ...

    def say(self, text: str) -> None: ...

    def listen(self, ask: Ask) -> Heard: ...


@dataclass(frozen=True)
class FlowResult:
    outcome: Outcome
    asked_at: tuple[float, ...]  # the clock when each question was asked
    replies: tuple[Reply, ...]


MAX_WAKES = 1000
"""A sleeper may wake early (or a fake one not at all): the wait sleeps again for
what is left, this many times at most, so no wait is without a limit."""


def wait_until(deadline: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
    for _ in range(MAX_WAKES):
        left = deadline - clock()
        if left <= 0:
            return
        sleep(left)


def run(
    open_dialogue: Callable[[], contextlib.AbstractContextManager[Dialogue]],
    settings: FlowSettings,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> FlowResult:
    """Ask, listen and act until an outcome; each round opens the dialogue once."""
    state, action = first()
    asked: list[float] = []
    replies: list[Reply] = []
    while True:
        with open_dialogue() as dialogue:
            dialogue.chime()
            while isinstance(action, Question):
                asked.append(clock())
                dialogue.say(action.text)
                reply = reply_to(dialogue.listen(settings.ask()))
                replies.append(reply)
                state, action = decide(state, reply, settings)
            if action.text:
                dialogue.say(action.text)
        if isinstance(action, Finish):
            return FlowResult(action.outcome, tuple(asked), tuple(replies))
        wait_until(clock() + action.seconds, clock, sleep)
        action = Question(QUESTION)
