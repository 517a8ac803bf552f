"""Finding a person's own resonance pace: a stepped protocol, as a pure state machine.

The plan follows the resonance-frequency assessment of Lehrer, Vaschillo and
Vaschillo (2000, "Resonant frequency biofeedback training to increase cardiac
variability", Applied Psychophysiology and Biofeedback 25(3):177-191), as
summarised by Lehrer and Gevirtz (2014, "Heart rate variability biofeedback:
how and why does it work?", Frontiers in Psychology 5:756) and Shaffer and
Meehan (2020, "A practical guide to resonance frequency assessment for heart
rate variability biofeedback", Frontiers in Neuroscience 14:570400). In our
words: breathe along with a pacer at 6.5 breaths a minute for about two
minutes, then at 6, 5.5, 5 and 4.5, and keep the pace at which the heart's
rhythm swings most with the breath; most adults land between 4.5 and 7.

What is different here, and said to the person: without a heart-rate sensor
nothing measures those swings, so each step is rated for comfort instead
(1, a strain, to 5, easy; or "easier" / "harder" than the step before), and
the most comfortable pace is chosen. That is a comfort measure, not heart
rate variability. `HrvSource` is the hook for a sensor: when one scores every
step, its scores choose the pace and comfort only breaks ties.

Nothing here plays, listens, sleeps or reads the time of day: the clocks are
injected, and `resonance_io` joins this to the speaker, the voice loop and the
journal. So a 10-minute protocol is tested in simulated time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.patterns import Pattern, resonance_pattern
from audio_companion.journal.paces import COMFORT_RANGE, Pace, PaceMeasure, PaceStep

PROTOCOL: Final = "lehrer-vaschillo-stepped"
"""The name a stored result carries, so a later, different protocol is told apart."""
FIRST_PACE: Final = 6.5  # breaths a minute
LAST_PACE: Final = 4.5
PACE_STEP: Final = 0.5
STEP_SECONDS: Final = 120.0
TYPICAL_PACE: Final = 5.5  # the plan's middle, about the built-in's 5.45: ties lean here
COMFORT_MIN: Final = COMFORT_RANGE[0]  # the journal's scale, the one place it is set
COMFORT_MAX: Final = COMFORT_RANGE[-1]
COMFORT_MIDDLE: Final = 3  # "easier" after no rated step is one better than neutral
TRIES: Final = 2  # a question is asked at most this often before the step stays unrated

# Relative answers: what was said, compared with the step before. Whole words only.
EASIER_WORDS: Final = ("easier", "easy", "better", "more comfortable", "nicer")
HARDER_WORDS: Final = ("harder", "hard", "worse", "less comfortable", "difficult", "strain")
PRIMED_WORDS: Final = ("easier", "harder")
"""Added to what the recogniser expects when it asks for a rating (see resonance_io)."""


@dataclass(frozen=True)
class PlanStep:
    """One pace of the plan: its place, its pace, and how long it is breathed."""

    number: int  # from 1
    breaths_per_minute: float
    seconds: float

    @property
    def pattern(self) -> Pattern:
        return resonance_pattern(self.breaths_per_minute)

    @property
    def breaths(self) -> int:
        """Whole breaths in the step (a step ends on an out-breath, never mid-breath)."""
        return max(1, round(self.seconds / self.pattern.cycle_seconds))


@dataclass(frozen=True)
class ResonancePlan:
    steps: tuple[PlanStep, ...]
    protocol: str = PROTOCOL

    @property
    def seconds(self) -> float:
        """Breathing time of the whole plan (announcements and questions not counted)."""
        return math.fsum(s.breaths * s.pattern.cycle_seconds for s in self.steps)


def stepped_plan(
    first: float = FIRST_PACE,
    last: float = LAST_PACE,
    step: float = PACE_STEP,
    seconds: float = STEP_SECONDS,
) -> ResonancePlan:
    """Paces from `first` down (or up) to `last` in `step`s, each breathed `seconds`."""
    if not all(math.isfinite(x) for x in (first, last, step, seconds)):
        raise BreathingError("a resonance plan needs finite paces and lengths")
    if min(first, last) <= 0 or step <= 0 or seconds <= 0:
        raise BreathingError("a resonance plan needs paces, a step and a length above 0")
    count = round(abs(first - last) / step) + 1
    if abs(abs(first - last) - (count - 1) * step) > 1e-9:
        raise BreathingError(f"{first:g} to {last:g} is not a whole number of {step:g} steps")
    sign = -1.0 if last < first else 1.0
    paces = [round(first + sign * i * step, 6) for i in range(count)]
    return ResonancePlan(tuple(PlanStep(i + 1, p, seconds) for i, p in enumerate(paces)))


def comfort_from(text: str, number: int | None, previous: int | None) -> int | None:
    """The comfort an answer gives: a number 1 to 5, or "easier" / "harder" than `previous`.

    `previous` is the last rating given (None before any): "easier" is one
    more than it, "harder" one less, kept on the scale. An answer that says
    both, or neither, or a number off the scale, is no rating (None).
    """
    if number is not None:
        return number if COMFORT_MIN <= number <= COMFORT_MAX else None
    words = " " + " ".join(re.findall(r"[a-z']+", text.lower())) + " "
    easier = any(f" {w} " in words for w in EASIER_WORDS)
    harder = any(f" {w} " in words for w in HARDER_WORDS)
    if easier == harder:
        return None
    base = COMFORT_MIDDLE if previous is None else previous
    return min(COMFORT_MAX, base + 1) if easier else max(COMFORT_MIN, base - 1)


class HrvSource(Protocol):
    """The hook for a heart-rate sensor (a chest strap, a PPG ear clip): not built yet.

    A source sees every step's window on the protocol's clock and returns a
    score for it: higher means more heart rate variability at that pace (for
    example the peak-to-trough heart-rate swing, or low-frequency power, as
    Shaffer and Meehan list). When it scores every step, the protocol chooses
    by these scores and stores the pace as measured by "hrv".
    """

    def step_started(self, step: PlanStep, at: float) -> None: ...

    def score(self, step: PlanStep, started: float, ended: float) -> float | None: ...


@dataclass(frozen=True)
class Reply:
    """What the person answered to a rating question: its words and the number in them."""

    text: str
    number: int | None = None
    stop: bool = False  # a stop word: the protocol ends, nothing is kept


@dataclass(frozen=True)
class StepResult:
    step: PlanStep
    started: float  # the protocol's clock
    ended: float
    comfort: int | None
    hrv: float | None
    heard: str

    def stored(self) -> PaceStep:
        return PaceStep(
            self.step.breaths_per_minute,
            self.ended - self.started,
            self.comfort,
            self.hrv,
            self.heard,
        )


State = Literal["ready", "breathing", "asking", "done", "stopped"]


def choose(results: tuple[StepResult, ...]) -> tuple[float, PaceMeasure] | None:
    """The pace to keep, and what chose it; None when no step was rated.

    A sensor's scores decide when every step has one (comfort breaks ties);
    otherwise the highest comfort does. Ties go to the pace nearest 5.5 (the
    plan's middle, and about the built-in `resonance` pace), then to the
    faster one, which is the easier to keep up day after day.
    """
    if results and all(r.hrv is not None for r in results):
        best = max(results, key=lambda r: (r.hrv, r.comfort or 0, *_near_typical(r)))
        return best.step.breaths_per_minute, "hrv"
    rated = [r for r in results if r.comfort is not None]
    if not rated:
        return None
    best = max(rated, key=lambda r: (r.comfort or 0, *_near_typical(r)))
    return best.step.breaths_per_minute, "comfort"


def _near_typical(r: StepResult) -> tuple[float, float]:
    bpm = r.step.breaths_per_minute
    return -round(abs(bpm - TYPICAL_PACE), 9), bpm


@dataclass
class ResonanceProtocol:
    """plan → steps → answers → chosen pace, one call per event.

    `start_step()` and `end_step()` bracket each step's breathing (the caller
    plays it); then the step is `asking` until `answer()` gives a rating, the
    question has been asked `TRIES` times, or `no_answer()`. `stop()` ends it
    all. `result()` is the Pace to store, once `done`.
    """

    plan: ResonancePlan
    clock: Callable[[], float]  # monotonic seconds: step windows, for a sensor
    wall: Callable[[], float]  # wall-clock seconds: when the result was measured
    sensor: HrvSource | None = None
    state: State = "ready"
    results: list[StepResult] = field(default_factory=list)
    _index: int = 0
    _started: float = 0.0
    _ended: float = 0.0
    _tries: int = 0
    _heard: list[str] = field(default_factory=list)

    @property
    def step(self) -> PlanStep | None:
        """The step being breathed or asked about, or the next one to start."""
        steps = self.plan.steps
        return steps[self._index] if self._index < len(steps) else None

    @property
    def asking(self) -> bool:
        return self.state == "asking"

    def _expect(self, *states: State) -> PlanStep:
        step = self.step
        if self.state not in states or step is None:
            raise BreathingError(
                f"the resonance protocol is {self.state}, not {' or '.join(states)}"
            )
        return step

    def start_step(self) -> PlanStep:
        step = self._expect("ready")
        self._started = self.clock()
        self.state = "breathing"
        if self.sensor is not None:
            self.sensor.step_started(step, self._started)
        return step

    def end_step(self) -> None:
        self._expect("breathing")
        self._ended = self.clock()
        self.state, self._tries, self._heard = "asking", 0, []

    def answer(self, reply: Reply) -> int | None:
        """Take one answer; returns the rating it gives (None: asked again, or moved on)."""
        self._expect("asking")
        if reply.stop:
            self.stop()
            return None
        self._tries += 1
        if reply.text:
            self._heard.append(reply.text)
        comfort = comfort_from(reply.text, reply.number, self._previous())
        if comfort is not None or self._tries >= TRIES:
            self._finish(comfort)
        return comfort

    def no_answer(self) -> None:
        """Nothing was said: the step stays unrated, and the protocol goes on."""
        self._expect("asking")
        self._finish(None)

    def stop(self) -> None:
        self.state = "stopped"

    def _previous(self) -> int | None:
        rated = [r.comfort for r in self.results if r.comfort is not None]
        return rated[-1] if rated else None

    def _finish(self, comfort: int | None) -> None:
        step = self._expect("asking")
        hrv = None
        if self.sensor is not None:
            hrv = self.sensor.score(step, self._started, self._ended)
        heard = " / ".join(self._heard)
        self.results.append(StepResult(step, self._started, self._ended, comfort, hrv, heard))
        self._index += 1
        self.state = "ready" if self.step is not None else "done"

    def result(self) -> Pace | None:
        """The pace to keep, when the protocol is done and a step was rated; else None."""
        if self.state != "done":
            return None
        done = tuple(self.results)
        chosen = choose(done)
        if chosen is None:
            return None
        bpm, measure = chosen
        steps = tuple(r.stored() for r in done)
        return Pace(self.wall(), bpm, measure, self.plan.protocol, steps)
