"""The nightly check-in as a state machine over a deck of steps.

It talks through a `Conversation` (say / listen), keeps time with an injected
clock and hands every answer to `record` the moment it is given, so the same
session runs hands-free, typed in a terminal, or scripted in a test. Control
words work at every question: the stop word ends the session kindly (what
was said is already kept), "repeat" repeats, "skip" moves on, "pause" waits
for "resume"; silence re-prompts once, softer, then moves on.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from audio_companion.checkin.captions import Expect, Turn
from audio_companion.checkin.conversation import Conversation
from audio_companion.checkin.couple import (
    BOTH,
    close_appreciations,
    people_for,
    read_back,
    spoken_name,
)
from audio_companion.checkin.rehearsal import address
from audio_companion.checkin.steps import Deck, Step, StepKind, choose_wording, names_phrase
from audio_companion.checkin.wording import (
    I_STATEMENT,
    LINES,
    NIGHT_ENDS_HOUR,
    night_of,
    time_up_line,
)
from audio_companion.journal.mood import MOOD_RANGE
from audio_companion.journal.schema import SessionEndReason
from audio_companion.journal.store import Answer
from audio_companion.voice.intents import Intent
from audio_companion.voice.loop import Ask, Heard, StopHeard

__all__ = [  # the wording is used through this module too
    "LINES",
    "NIGHT_ENDS_HOUR",
    "Answer",
    "CheckinSession",
    "CheckinSettings",
    "Outcome",
    "night_of",
    "time_up_line",
]

CONTROL = frozenset({Intent.STOP, Intent.REPEAT, Intent.SKIP, Intent.PAUSE, Intent.RESUME})
SURE = 0.8  # below this text-match confidence ("three or four", "for") a number is confirmed
# Below this recogniser confidence a number is confirmed too. With whisper in
# command mode it is exp(mean token log-probability), and results under 0.3 are
# already dropped. Measured on 120 answers in the rig's voice, clean and with
# noise (15, 5, 0 dB SNR), 20x quieter or a clipped start, when command mode still
# encoded whisper's full 30 s window: the 70 numbers read right scored 0.50-0.98
# (median 0.85), the two read wrong 0.58 and 0.62, and 0.7 was the line. The 15 s
# window (asr.whisper_command) reads the same words about 0.12 lower (bench_listen:
# understood commands p20 0.72 -> 0.59, median 0.81 -> 0.69), so the line moved
# with it, to the same place in the distribution: 14 of bench_listen's 49 right
# numbers are asked back; "breathe" heard as "Three." scores 0.73 and is not.
HEARD_SURE = 0.6


@dataclass(frozen=True)
class CheckinSettings:
    night: date  # chooses the night's wordings (see `night_of`); never read from a clock here
    partners: tuple[str, ...] = ()
    time_box_s: float | None = None  # None: the deck's own
    answer_timeout_s: float = 8.0  # silence before the softer re-prompt
    warn_before_s: float = 60.0
    keep_audio: bool = False
    recall: str | None = None  # said once after the greeting (`checkin.recall`); read at the edge


@dataclass(frozen=True)
class Outcome:
    reason: SessionEndReason
    answers: tuple[Answer, ...]


class _Stop(Exception):
    """The stop word was said (or input ended): unwind to the goodbye."""

    def __init__(self, reason: SessionEndReason) -> None:
        self.reason = reason


class _TimeUp(Exception):
    """The time box ran out: skip to the close."""


class CheckinSession:
    def __init__(
        self,
        deck: Deck,
        conversation: Conversation,
        record: Callable[[Answer], object],
        settings: CheckinSettings,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        breathe: Callable[[float], bool] | None = None,
        on_turn: Callable[[Turn], None] | None = None,
        on_known: Callable[[str], None] | None = None,
    ) -> None:
        self.deck = deck
        self.conv = conversation
        self.record = record
        self.settings = settings
        self.clock = clock
        self.wall_clock = wall_clock
        self.breathe = breathe  # runs N minutes of paced breathing; False if stopped
        self.on_turn = on_turn  # told before each listen: what is asked of whom
        # Told a text as soon as it is known, before it is said (the close, once the
        # appreciations are in), so a voice can render it ahead of its moment.
        self.on_known = on_known
        self.answers: list[Answer] = []
        self._deadline = 0.0
        self._warned = False
        self._time_up = False

    # ------------------------------------------------------------------ run

    def run(self) -> Outcome:
        box = self.settings.time_box_s or self.deck.time_box_s
        self._deadline = self.clock() + box
        close_steps = [s for s in self.deck.steps if s.kind is StepKind.CLOSE]
        recall = self.settings.recall  # after the greeting; without one, before the first question
        try:
            for step in self.deck.steps:
                if step.kind is StepKind.CLOSE:
                    continue  # closing words come last, even when time runs out
                try:
                    if recall and step.kind.answered:
                        self.conv.say(recall)
                        recall = None
                    self._step(step)
                    if recall and step.kind is StepKind.SAY:
                        self.conv.say(recall)
                        recall = None
                except _TimeUp:
                    self._time_up = True
                    self.conv.say(time_up_line(box))
                    break
            for step in close_steps:
                self._close(step)
        except (_Stop, StopHeard) as stop:
            reason = stop.reason if isinstance(stop, _Stop) else "stop_word"
            if reason == "stop_word":
                several = len(self.settings.partners) > 1
                with contextlib.suppress(StopHeard):  # "stop" again over the goodbye
                    self.conv.say(LINES["stopped" if several else "stopped_one"])
            return Outcome(reason, tuple(self.answers))
        return Outcome("time_box" if self._time_up else "completed", tuple(self.answers))

    # ---------------------------------------------------------------- steps

    def _step(self, step: Step) -> None:
        self._check_time()
        if step.kind is StepKind.SAY:
            self.conv.say(self._wording(step.prompts, step, None))
        elif step.kind is StepKind.BREATHING:
            self._breathing(step)
        else:
            for person in people_for(step, self.settings.partners):
                if step.kind is StepKind.MOOD:
                    self._mood(step, person)
                elif step.kind is StepKind.GRATITUDE:
                    self._gratitude(step, person)
                elif step.kind is StepKind.FEELING:
                    self._feeling(step, person)
                else:
                    self._free(step, person)
            if step.kind is StepKind.GRATITUDE and (
                said := read_back(self.answers, self.settings.partners, step)
            ):
                self.conv.say(said)

    def _free(self, step: Step, person: str | None) -> None:
        prompt = self._wording(step.prompts, step, person)
        heard, started = self._ask(step, person, prompt)
        if heard is not None:
            self._keep(step, person, prompt, heard, started)

    def _feeling(self, step: Step, person: str | None) -> None:
        prompt = self._wording(step.prompts, step, person)
        heard, started = self._ask(step, person, prompt)
        if heard is None:
            return
        self._keep(step, person, prompt, heard, started)
        if not step.explain or I_STATEMENT.search(heard.text):
            return
        # Explain the form once; the answer may be a new try, or yes / no to trying.
        explain = self._fill(step.explain, step, person)
        allowed = frozenset({Intent.YES, Intent.NO})
        heard, started = self._ask(step, person, explain, allowed=allowed, address=False, free=True)
        if heard is not None and heard.command.intent is Intent.YES:
            explain = LINES["go_ahead"]
            heard, started = self._ask(step, person, explain, address=False)
        if heard is not None and heard.command.intent not in (Intent.YES, Intent.NO):
            self._keep(step, person, explain, heard, started)

    def _mood(self, step: Step, person: str | None) -> None:
        prompt = self._wording(step.prompts, step, person)
        tries = 0
        while tries < 3:
            heard, started = self._ask(step, person, prompt, number=True)
            if heard is None:
                return
            cmd = heard.command
            value = cmd.value if cmd.intent is Intent.NUMBER else None
            if value is None or value not in MOOD_RANGE:
                tries += 1
                if tries >= 3:  # keep what was said, without a number
                    self._keep(step, person, prompt, heard, started)
                    self.conv.say(LINES["moving_on"])
                    return
                prompt = LINES["number_range"]
                continue
            if not _sure(heard) and step.confirm and not self._confirm(step, value, person):
                tries += 1
                continue
            self._keep(step, person, prompt, heard, started, mood=value)
            return

    def _confirm(self, step: Step, value: int, person: str | None) -> bool:
        question = self._fill(step.confirm, step, person, value=str(value))
        yes_no = frozenset({Intent.YES, Intent.NO})
        heard, _ = self._ask(step, person, question, allowed=yes_no, address=False)
        return heard is not None and heard.command.intent is Intent.YES

    def _gratitude(self, step: Step, person: str | None) -> None:
        got: list[str] = []
        for index in range(step.count):
            extra = {"count": str(step.count), "remaining": str(step.count - index)}
            if index == 0:
                prompt = self._wording(step.prompts, step, person, **extra)
            else:
                # Walk through the follow-up wordings so none repeats within a night.
                more = step.more or (LINES["next_one"],)
                first = more.index(choose_wording(more, self.settings.night, step.id))
                prompt = self._fill(more[(first + index - 1) % len(more)], step, person, **extra)
            heard, started = self._ask(step, person, prompt, allow_done=True, address=index == 0)
            if heard is None:
                break
            self._keep(step, person, prompt, heard, started)
            got.append(heard.text)
        if len(got) < step.count and step.nudge:
            missing = str(step.count - len(got))
            self.conv.say(self._fill(step.nudge, step, person, remaining=missing))
        if self.on_known is not None:
            for close in (s for s in self.deck.steps if s.kind is StepKind.CLOSE):
                self.on_known(self._close_text(close))

    def _breathing(self, step: Step) -> None:
        self.conv.say(self._wording(step.prompts, step, None))
        if self.breathe is not None and not self.breathe(step.minutes):
            raise _Stop("stop_word")

    def _close(self, step: Step) -> None:
        self.conv.say(self._close_text(step))

    def _close_text(self, step: Step) -> str:
        appreciations = close_appreciations(self.answers, self.settings.partners)
        return self._wording(step.prompts, step, None, appreciations=appreciations)

    # ------------------------------------------------------------ asking

    def _ask(
        self,
        step: Step,
        person: str | None,
        prompt: str,
        *,
        number: bool = False,
        allowed: frozenset[Intent] | None = None,
        allow_done: bool = False,
        address: bool = True,
        free: bool = False,
    ) -> tuple[Heard | None, float]:
        """Ask until there is an answer; None when skipped or left unanswered.

        `address` puts the partner's name first: on a new turn, not on follow-ups;
        `free`: any answer may come, not only the `allowed` ones.
        """
        spoken = self._address(prompt, person) if address else prompt
        self.conv.say(spoken)
        expect: Expect = "number" if number else "answer"
        if allowed is None:
            allowed = CONTROL | ({Intent.NUMBER} if number else set())
        else:
            expect = "yes_no" if Intent.YES in allowed else expect
            allowed = allowed | CONTROL
        # A number or a plain yes / no is listened for in command mode: the
        # recogniser expects only the words allowed now. Where a free answer may
        # come instead (a new try at the I-statement), it stays in answer mode.
        mode: Literal["answer", "command"] = (
            "command" if number or (expect == "yes_no" and not free) else "answer"
        )
        # One partner's answer with the other in the room: the listener's "mm-hm"
        # neither ends the turn nor becomes part of the answer.
        protected = (
            mode == "answer" and person not in (None, BOTH) and len(self.settings.partners) > 1
        )
        silences = 0
        while True:
            self._check_time()
            started = self.wall_clock()
            self._turn(Turn(step.id, step.kind.value, person, expect))
            heard = self.conv.listen(
                Ask(
                    self.settings.answer_timeout_s,
                    number,
                    allowed,
                    mode,
                    numbers_up_to=max(MOOD_RANGE),
                    backchannels=protected,
                )
            )
            if heard.kind == "end":
                raise _Stop("interrupted")
            if heard.kind == "timeout":
                silences += 1
                if silences > 1:
                    self.conv.say(LINES["moving_on"])
                    return None, started
                softer = step.softer or (prompt,)
                self.conv.say(self._address(self._wording(softer, step, person), person))
                continue
            intent = heard.command.intent
            if intent is Intent.STOP:
                raise _Stop("stop_word")
            if intent is Intent.REPEAT:
                self.conv.say(spoken)
            elif intent is Intent.SKIP:
                return None, started
            elif intent is Intent.PAUSE:
                self._pause(step, person)
                self.conv.say(spoken)
            elif intent is Intent.RESUME:
                continue  # not paused: nothing to resume
            else:
                if allow_done and _is_done(heard.text):
                    return None, started
                return heard, started

    def _pause(self, step: Step, person: str | None) -> None:
        self.conv.say(LINES["paused"])
        paused_at = self.clock()
        wait_for = frozenset({Intent.RESUME, Intent.STOP})
        while True:
            self._turn(Turn(step.id, "pause", person, "resume"))
            heard = self.conv.listen(Ask(allowed=wait_for, mode="command"))
            if heard.kind == "end" or heard.command.intent is Intent.STOP:
                raise _Stop("stop_word" if heard.kind != "end" else "interrupted")
            if heard.command.intent is Intent.RESUME:
                break
        self._deadline += self.clock() - paused_at  # a pause does not eat the time box
        self.conv.say(LINES["resumed"])

    def _keep(
        self,
        step: Step,
        person: str | None,
        prompt: str,
        heard: Heard,
        started: float,
        mood: int | None = None,
    ) -> None:
        conf = heard.transcript.confidence if heard.transcript is not None else None
        answer = Answer(
            partner=person,
            step=step.id,
            kind=step.kind.value,
            prompt=prompt,
            transcript=heard.text,
            mood=mood,
            confidence=conf,
            started_at=started,
            ended_at=self.wall_clock(),
            audio=heard.audio if self.settings.keep_audio else None,
        )
        self.answers.append(answer)
        self.record(answer)

    # ------------------------------------------------------------- helpers

    def _turn(self, turn: Turn) -> None:
        if self.on_turn is not None:
            self.on_turn(turn)

    def _check_time(self) -> None:
        left = self._deadline - self.clock()
        if left <= 0:
            raise _TimeUp
        if left <= self.settings.warn_before_s and not self._warned:
            self._warned = True
            self.conv.say(LINES["one_minute"])

    def _wording(
        self, options: tuple[str, ...], step: Step, person: str | None, **values: str
    ) -> str:
        text = choose_wording(options, self.settings.night, step.id)
        return self._fill(text, step, person, **values)

    def _fill(self, text: str, step: Step, person: str | None, **values: str) -> str:
        fields = {
            "name": person or "",
            "names": names_phrase(self.settings.partners),
            "value": "",
            "appreciations": "",
            "count": str(step.count),
            "remaining": str(step.count),
            **values,
        }
        return text.format(**fields)

    def _address(self, prompt: str, person: str | None) -> str:
        return address(prompt, spoken_name(person, self.settings.partners))


def _sure(heard: Heard) -> bool:
    """A number heard clearly enough to keep without asking back."""
    if heard.command.confidence < SURE:
        return False
    return heard.transcript is None or heard.transcript.confidence >= HEARD_SURE


_DONE = re.compile(
    r"^(?:that'?s (?:all|it)|nothing (?:else|more)|no more|i'?m done|done|that is all)[.!]?$", re.I
)


def _is_done(text: str) -> bool:
    return bool(_DONE.match(text.strip()))
