"""The resonance protocol joined to the world: the speaker, the voice loop, an episode file.

`resonance` decides; this plays each step, asks how it felt, and renders the
whole protocol as one file. Every part is a small callable, so `run` is tested
with fakes on a simulated clock, and the CLI only picks the real ones. The
journal keeps the result through `Journal.add_pace` (see `journal.paces`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.cues import (
    CLOSE_TAIL,
    INTRO_GAP,
    RATE,
    SPEECH_PEAK,
    CueStyle,
    render_cues,
    to_rate,
    trim,
)
from audio_companion.breathing.live import CueSink, LivePlayer, Poll
from audio_companion.breathing.render import WrittenSession, render_session, write_session
from audio_companion.breathing.resonance import (
    COMFORT_MAX,
    COMFORT_MIN,
    PRIMED_WORDS,
    PlanStep,
    Reply,
    ResonancePlan,
    ResonanceProtocol,
)
from audio_companion.breathing.schedule import Cue, LiveSchedule, plan
from audio_companion.breathing.session import BreathingSession, live_player
from audio_companion.journal.paces import Pace
from audio_companion.tts.prompts import PromptCache
from audio_companion.voice.intents import CommandVocabulary, Intent
from audio_companion.voice.loop import Ask, Heard
from audio_companion.voice.words import MAX_NUMBER

ANSWER_TIMEOUT_S = 20.0  # a person just out of slow breathing may take a moment to answer
EPISODE_TITLE = "Finding your resonance pace"

INTRO = (
    "Let's find the breathing pace that suits you best. We will breathe at {count} paces, "
    "from {first} down to {last} breaths a minute, about two minutes each. "
    "{ask}"
    "Without a heart rate sensor, this measures how comfortable each pace feels, "
    "not your heart rate variability."
)
INTRO_ASKS = "After each one, I will ask how comfortable it felt. "
INTRO_RENDERED = "Notice how comfortable each one feels. "
QUESTION = (
    f"How comfortable was that pace, from {COMFORT_MIN}, a strain, to {COMFORT_MAX}, easy? "
    "Or say easier, or harder, than the one before."
)
AGAIN = f"A number from {COMFORT_MIN} to {COMFORT_MAX}, please, or easier, or harder."
CLOSE_LIVE = "That was the last pace. Let your breathing find its own rhythm."
CLOSE_RENDERED = (
    "That was the last pace. The one that felt easiest is a good pace for you. "
    "Let your breathing find its own rhythm, and open your eyes when you are ready."
)


def _pace(bpm: float) -> str:
    """6.5 -> '6 and a half', 6.0 -> '6': how a pace is said."""
    whole = int(bpm)
    return f"{whole} and a half" if bpm - whole == 0.5 else f"{bpm:g}"


def intro_text(plan: ResonancePlan, *, asks: bool) -> str:
    first, last = plan.steps[0], plan.steps[-1]
    return INTRO.format(
        count=len(plan.steps),
        first=_pace(first.breaths_per_minute),
        last=_pace(last.breaths_per_minute),
        ask=INTRO_ASKS if asks else INTRO_RENDERED,
    )


def step_text(plan: ResonancePlan, step: PlanStep) -> str:
    """'Pace 2 of 5: 6 breaths a minute. In for 5, out for 5.'"""
    return (
        f"Pace {step.number} of {len(plan.steps)}: {_pace(step.breaths_per_minute)} breaths "
        f"a minute. {step.pattern.spoken_summary()}"
    )


class ComfortVocabulary(CommandVocabulary):
    """The session's commands, with "easier" and "harder" expected when a rating is asked.

    A recogniser in command mode hears only what it is primed with, so the
    relative answers must be listed with the numbers; they mean no command
    (`resonance.comfort_from` reads them), and are never expected while breathing.
    """

    def phrases_for(
        self, allowed: frozenset[Intent] | None, *, numbers: bool, up_to: int = MAX_NUMBER
    ) -> tuple[str, ...]:
        base = super().phrases_for(allowed, numbers=numbers, up_to=up_to)
        return tuple(dict.fromkeys((*base, *PRIMED_WORDS))) if numbers else base


def comfort_vocabulary(vocabulary: CommandVocabulary) -> ComfortVocabulary:
    """The same commands and stop words, with the rating words added."""
    return ComfortVocabulary(
        phrases=vocabulary.phrases,
        stop_words=vocabulary.stop_words,
        personal_stop_word=vocabulary.personal_stop_word,
    )


RATING = frozenset({Intent.NUMBER})
"""What a rating may be besides the stop words (always allowed): a number. "Easier" and
"harder" are no intent; `resonance.comfort_from` reads them from the words."""


class Conversation(Protocol):
    """What asking needs of the voice loop (VoiceLoop, or a scripted one in tests)."""

    def say(self, text: str) -> None: ...

    def listen(self, ask: Ask = ...) -> Heard: ...


@dataclass
class VoiceAsker:
    """Asks the rating question aloud and hears the answer: number, easier/harder, or stop."""

    loop: Conversation
    timeout_s: float = ANSWER_TIMEOUT_S

    def __call__(self, question: str) -> Reply | None:
        self.loop.say(question)
        # NUMBER must be allowed: the loop's matcher drops every intent `allowed` leaves
        # out, and a rating said as a number would come back as no command at all.
        heard = self.loop.listen(
            Ask(
                self.timeout_s,
                expect_number=True,
                allowed=RATING,
                mode="command",
                numbers_up_to=COMFORT_MAX,
            )
        )
        if heard.kind != "speech":
            return None
        number = heard.command.value if heard.command.intent is Intent.NUMBER else None
        return Reply(heard.text, number, stop=heard.is_stop)


@dataclass
class LiveStep:
    """Plays one step on the speaker, its announcement first; commands steer it as in `breathe`.

    Returns True when the person said stop. Each step is its own session of
    whole breaths, without the intro and close of a plain session (the
    protocol says its own), and it lasts to the end of its last out-breath,
    so the question never cuts into a breath. `listen` makes the player's
    poll (`VoiceControl` live); None just waits.
    """

    plan: ResonancePlan
    sink: CueSink
    prompts: PromptCache
    style: CueStyle
    say: Callable[[str], None]
    listen: Callable[[LivePlayer], Poll] | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __call__(self, step: PlanStep) -> bool:
        self.say(step_text(self.plan, step))
        session = BreathingSession(step.pattern, cycles=step.breaths, style=self.style)
        player = live_player(session, self.sink, self.prompts, clock=self.clock)
        player.sleep = self.sleep
        if self.listen is not None:
            player.poll = self.listen(player)
        if player.run().stopped:
            return True
        last = player.records[-1].cue if player.records else None
        if last is None or last.at is None:
            return False
        end = last.at + last.seconds
        while self.clock() < end:
            heard = player.poll(end) if player.poll is not None else None
            if heard is not None and heard.command == "stop":
                return True
            if player.poll is None:
                self.sleep(end - self.clock())
        return False


def run(
    protocol: ResonanceProtocol,
    breathe_step: Callable[[PlanStep], bool],
    ask: Callable[[str], Reply | None],
    say: Callable[[str], None],
) -> Pace | None:
    """The whole protocol: intro, then each step breathed and rated; the pace to keep, if any.

    `breathe_step` returns True when the person said stop; `ask` returns None
    when nothing was said. A stop at any point ends it with nothing kept.
    """
    say(intro_text(protocol.plan, asks=True))
    while protocol.state == "ready":
        step = protocol.start_step()
        stopped = breathe_step(step)
        protocol.end_step()
        if stopped:
            protocol.stop()
            return None
        question = QUESTION
        while protocol.asking:
            reply = ask(question)
            if reply is None:
                protocol.no_answer()
            else:
                protocol.answer(reply)
            question = AGAIN
    if protocol.state != "done":
        return None
    say(CLOSE_LIVE)
    return protocol.result()


def _speech(prompts: PromptCache, text: str) -> AudioChunk:
    """A line at the cue rate, trimmed and at the cue words' level, as the intro is."""
    samples, _ = trim(to_rate(prompts.get(text, own=True)))
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    if peak > 0:
        samples = samples * (SPEECH_PEAK * 32767.0 / peak)
    return AudioChunk.from_int16(np.clip(np.rint(samples), -32768, 32767).astype("<i2"), RATE)


def episode(
    plan_: ResonancePlan, prompts: PromptCache, style: CueStyle | None = None
) -> tuple[list[Cue], dict[str, AudioChunk]]:
    """Every cue of the protocol as one timeline, without questions, and the sounds they name.

    Each step is planned as its own session (its announcement as the intro,
    whole breaths) and placed after the one before, so every cue is exact
    on one clock; the first step's intro carries the protocol's intro, the
    last its close. Sound names are kept apart per step ("2:in/in").
    """
    style = replace(style or CueStyle(), intro=False)
    sounds: dict[str, AudioChunk] = {}
    cues: list[Cue] = []
    start = 0.0
    for i, step in enumerate(plan_.steps):
        tag = f"{step.number}:"
        bank = render_cues(step.pattern, prompts, style)
        sounds.update({tag + key: chunk for key, chunk in bank.sounds.items()})
        said = step_text(plan_, step)
        if i == 0:
            said = intro_text(plan_, asks=False) + " " + said
        intro = _speech(prompts, said)
        sounds[tag + "intro"] = intro
        last = i == len(plan_.steps) - 1
        close = _speech(prompts, CLOSE_RENDERED) if last else None
        if close is not None:
            sounds[tag + "close"] = close
        schedule = LiveSchedule(
            step.pattern,
            cycles=step.breaths,
            intro_seconds=intro.duration + INTRO_GAP,
            close_seconds=close.duration + CLOSE_TAIL if close is not None else 0.0,
            count=style.count,
        )
        planned = plan(schedule)
        for cue in planned:
            moved = replace(cue, offset=start + cue.offset, index=len(cues), sound=tag + cue.sound)
            cues.append(moved)
        start = max(c.end for c in cues)
    return cues, sounds


def render_episode(
    plan_: ResonancePlan,
    dest: Path,
    prompts: PromptCache,
    style: CueStyle | None = None,
    *,
    ambient: str | None = None,
) -> WrittenSession:
    """`breathe --find-resonance --render FILE.mp3`: the protocol to follow from any player."""
    cues, sounds = episode(plan_, prompts, style)
    rendered = render_session(cues, sounds, ambient=ambient)
    return write_session(rendered, dest, EPISODE_TITLE)
