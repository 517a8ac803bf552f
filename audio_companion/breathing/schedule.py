"""When each cue sounds: the plan of a session, and the same plan steered live.

Pure: no audio, no sleeping. Every offset is computed from exact phase
lengths (cycle start = segment start + cycles × cycle length, never a running
sum of rounded steps), so cue 1000 is as exact as cue 1. The rendered file
(`plan`) and the live session (`LiveSchedule`) walk the same timeline, so with
no commands they place every cue at the same offset.

A session is: an intro cue at 0 (its span is the intro's audio plus a gap),
whole breathing cycles, and a close cue at the end of the last cycle. Length is
a number of cycles, or minutes of breathing (intro and close not counted),
rounded to the nearest whole cycle.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from audio_companion.breathing.errors import BreathingError
from audio_companion.breathing.patterns import Pattern

CueKind = Literal["intro", "in", "hold", "out", "hold_out", "count", "close"]

DEFAULT_MINUTES = 4.0
MAX_MINUTES = 120.0
MAX_CYCLES = 2000
TEMPO_STEP = 1.1  # "slower" stretches every phase by this factor, "faster" shrinks it
MAX_TEMPO_STEPS = 5  # 1.1**5 ≈ 1.6 either way
COUNT_FROM_SECONDS = 6.0  # phases at least this long get a quiet count
COUNT_END_GAP = 0.75  # no count word this close to the next phase
INTRO_CYCLE = -1


@dataclass(frozen=True)
class Cue:
    """One sound of the session.

    `offset` is seconds from the session's start (pauses not counted);
    `seconds` is how long this cue's part of the session lasts (the phase, the
    count interval, the intro or close span); `cycle` is -1 for the intro and
    the number of cycles for the close; `sound` names the rendered cue audio.
    `at` is set only by LiveSchedule: the absolute deadline on its clock.
    """

    offset: float
    phase_kind: CueKind
    seconds: float
    cycle: int
    index: int
    sound: str
    at: float | None = None

    @property
    def end(self) -> float:
        return self.offset + self.seconds


def sound_key(kind: str, word: str) -> str:
    """Cues that sound alike share one rendered sound: 'in/in', 'in/and again', 'count/2'."""
    return f"{kind}/{word}"


INTRO_SOUND = "intro"
CLOSE_SOUND = "close"


@dataclass(frozen=True)
class Length:
    """Minutes of breathing or a number of cycles (breaths); exactly one is set."""

    minutes: float | None = None
    cycles: int | None = None

    @classmethod
    def of(cls, minutes: float | None = None, cycles: int | None = None) -> Length:
        """Validated length; neither given means DEFAULT_MINUTES."""
        if minutes is not None and cycles is not None:
            raise BreathingError("give the length in minutes or in breaths, not both")
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
                raise BreathingError(f"breaths must be a whole number of at least 1, not {cycles}")
            if cycles > MAX_CYCLES:
                raise BreathingError(f"at most {MAX_CYCLES} breaths in one session, not {cycles}")
            return cls(cycles=cycles)
        if minutes is None:
            return cls(minutes=DEFAULT_MINUTES)
        if not math.isfinite(minutes) or minutes <= 0:
            raise BreathingError(f"minutes must be more than 0, not {minutes:g}")
        if minutes > MAX_MINUTES:
            raise BreathingError(
                f"a session lasts at most {MAX_MINUTES:g} minutes, not {minutes:g}"
            )
        return cls(minutes=float(minutes))


def count_marks(seconds: float) -> list[float]:
    """Seconds into a phase at which a quiet count ('two', 'three', …) sounds."""
    if seconds < COUNT_FROM_SECONDS:
        return []
    return [float(k) for k in range(1, math.floor(seconds) + 1) if k <= seconds - COUNT_END_GAP]


class _Timeline:
    """Cycle start offsets under tempo changes, as segments of constant tempo."""

    def __init__(
        self,
        pattern: Pattern,
        length: Length,
        intro_seconds: float,
        close_seconds: float,
        count: bool,
    ) -> None:
        for what, value in (("intro", intro_seconds), ("close", close_seconds)):
            if not math.isfinite(value) or value < 0:
                raise BreathingError(f"the {what} cannot last {value:g} s")
        self.pattern = pattern
        self.length = length
        self.intro = intro_seconds
        self.close = close_seconds
        self.count = count
        # (first cycle, its start offset, tempo steps); starts of later cycles in
        # a segment are multiples of one cycle length: no accumulated error.
        self.segments: list[tuple[int, float, int]] = [(0, intro_seconds, 0)]
        self.until: int | None = None  # set by a skip: no cycle from this one on
        self._items: dict[tuple[int, int], list[tuple[float, CueKind, float, str]]] = {}

    def steps_of(self, k: int) -> int:
        return self._segment(k)[2]

    def _segment(self, k: int) -> tuple[int, float, int]:
        seg = self.segments[0]
        for s in self.segments:
            if s[0] <= k:
                seg = s
        return seg

    def phase_seconds(self, steps: int) -> list[float]:
        f = TEMPO_STEP**steps
        return [p.seconds * f if steps else p.seconds for p in self.pattern.phases]

    def cycle_seconds(self, steps: int) -> float:
        return math.fsum(self.phase_seconds(steps))

    def cycle_start(self, k: int) -> float:
        first, start, steps = self._segment(k)
        return start + (k - first) * self.cycle_seconds(steps)

    def has_cycle(self, k: int) -> bool:
        if k < 0 or (self.until is not None and k >= self.until):
            return False
        if self.length.cycles is not None:
            return k < self.length.cycles
        assert self.length.minutes is not None
        if k == 0:
            return True
        # Nearest whole cycle: start cycle k if at least half of it fits in the time.
        breathed = self.cycle_start(k) - self.intro
        half = self.cycle_seconds(self.steps_of(k)) / 2
        return breathed + half <= self.length.minutes * 60.0 + 1e-9

    def set_steps(self, from_cycle: int, steps: int) -> None:
        """Tempo `steps` for cycles from `from_cycle` on; earlier cycles keep theirs."""
        start = self.cycle_start(from_cycle)
        self.segments = [s for s in self.segments if s[0] < from_cycle]
        if not self.segments or self.segments[-1][2] != steps:
            self.segments.append((from_cycle, start, steps))
        self._items = {key: v for key, v in self._items.items() if key[0] < from_cycle}

    def items(self, k: int) -> list[tuple[float, CueKind, float, str]]:
        """(offset within the cycle, kind, seconds, sound) of every cue of cycle k."""
        steps = self.steps_of(k)
        key = (k, steps)
        if key not in self._items:
            out: list[tuple[float, CueKind, float, str]] = []
            lengths = self.phase_seconds(steps)
            within = 0.0
            for phase, secs in zip(self.pattern.phases, lengths, strict=True):
                out.append((within, phase.kind, secs, sound_key(phase.kind, phase.cue_word)))
                if self.count:
                    marks = count_marks(secs)
                    for i, mark in enumerate(marks):
                        until = marks[i + 1] if i + 1 < len(marks) else secs
                        word = str(int(mark) + 1)
                        out.append((within + mark, "count", until - mark, sound_key("count", word)))
                within += secs
            self._items[key] = out
        return self._items[key]


# A position in the session: (cycle, item). The intro is (-1, 0); the close is
# (n, 0) where n is the first cycle that does not happen.
_Pos = tuple[int, int]


class LiveSchedule:
    """The plan, steered while it plays: tempo, pause/resume and stop.

    Deadlines are absolute: `t0 + offset + time spent paused`, computed for
    each cue from the plan, never by chaining sleeps, so a late cue does not
    make the next one late. `peek()` looks at the next cue without taking it;
    `next_cue()` takes it (it counts as issued). Tempo changes apply from the
    cycle after the one of the last issued cue; the current cycle keeps its
    timing. `pause(t)` takes back every issued cue whose deadline is at or
    after `t` (it has not played yet) and re-issues it after `resume`;
    `resume(t, again_at=…)` instead starts the interrupted phase again, its cue
    due at `again_at`. `skip(at)` drops the cycles still to come: the close is
    due at `at`.
    """

    def __init__(
        self,
        pattern: Pattern,
        minutes: float | None = None,
        cycles: int | None = None,
        *,
        intro_seconds: float = 0.0,
        close_seconds: float = 0.0,
        count: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.length = Length.of(minutes, cycles)
        self._tl = _Timeline(pattern, self.length, intro_seconds, close_seconds, count)
        self.pattern = pattern
        self.clock = clock
        self.t0: float | None = None
        # How far every deadline has moved from the plan: time paused, a phase
        # started again after a pause, the close brought forward by a skip.
        self.paused_total = 0.0
        self._paused_at: float | None = None
        self._stopped = False
        self._steps = 0
        self._pos: _Pos = (INTRO_CYCLE, 0)
        self._issued: list[tuple[_Pos, Cue]] = []

    # ---------------------------------------------------------------- state

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def phase_seconds(self) -> list[float]:
        """The phases' lengths at the tempo asked for last (from the next cycle on)."""
        return self._tl.phase_seconds(self._steps)

    @property
    def current_cycle(self) -> int:
        """Cycle of the last issued cue (-1 before the first cycle)."""
        return self._issued[-1][1].cycle if self._issued else INTRO_CYCLE

    def start(self, t0: float | None = None) -> None:
        self.t0 = self.clock() if t0 is None else t0

    # ---------------------------------------------------------------- cues

    def _resolve(self, pos: _Pos) -> _Pos | None:
        k, j = pos
        tl = self._tl
        if k == INTRO_CYCLE:
            if tl.intro > 0 and j == 0:
                return pos
            k, j = 0, 0
        while True:
            if tl.has_cycle(k):
                if j < len(tl.items(k)):
                    return (k, j)
                k, j = k + 1, 0
                continue
            # k is the first cycle that does not happen: the close, if any.
            return (k, 0) if tl.close > 0 and j == 0 else None

    def _cue_at(self, pos: _Pos) -> Cue:
        k, j = pos
        tl = self._tl
        if k == INTRO_CYCLE:
            cue = Cue(0.0, "intro", tl.intro, k, 0, INTRO_SOUND)
        elif not tl.has_cycle(k):
            cue = Cue(tl.cycle_start(k), "close", tl.close, k, 0, CLOSE_SOUND)
        else:
            within, kind, secs, sound = tl.items(k)[j]
            cue = Cue(tl.cycle_start(k) + within, kind, secs, k, 0, sound)
        assert self.t0 is not None
        return replace(cue, index=len(self._issued), at=self.t0 + cue.offset + self.paused_total)

    def peek(self) -> Cue | None:
        """The next cue with its deadline, without taking it; None when paused or done."""
        if self._stopped or self.paused:
            return None
        pos = self._resolve(self._pos)
        if pos is None:
            return None
        if self.t0 is None:
            self.start()
        return self._cue_at(pos)

    def next_cue(self) -> Cue | None:
        """Take the next cue; None when paused (see `paused`), stopped or done."""
        cue = self.peek()
        if cue is None:
            return None
        pos = self._resolve(self._pos)
        assert pos is not None
        self._issued.append((pos, cue))
        self._pos = (pos[0], pos[1] + 1)
        return cue

    # ------------------------------------------------------------- commands

    def _set_tempo(self, steps: int) -> bool:
        steps = max(-MAX_TEMPO_STEPS, min(MAX_TEMPO_STEPS, steps))
        if steps == self._steps:
            return False
        self._steps = steps
        self._tl.set_steps(max(0, self.current_cycle + 1), steps)
        return True

    def slower(self) -> bool:
        """Every phase ×1.1 from the next cycle on; False at the limit."""
        return self._set_tempo(self._steps + 1)

    def faster(self) -> bool:
        """Every phase ÷1.1 from the next cycle on; False at the limit."""
        return self._set_tempo(self._steps - 1)

    def pause(self, t: float | None = None) -> bool:
        """Hold the session at `t`; cues due at or after `t` are taken back."""
        if self.paused or self._stopped:
            return False
        t = self.clock() if t is None else t
        self._paused_at = t
        while self._issued and (self._issued[-1][1].at or 0.0) >= t:
            self._pos = self._issued.pop()[0]
        return True

    def resume(self, t: float | None = None, *, again_at: float | None = None) -> bool:
        """Go on at `t`: every later deadline moves by the time spent paused.

        With `again_at`, the phase the pause interrupted starts again instead,
        its cue due at `again_at` (a breath cut in half is taken whole).
        """
        if self._paused_at is None or self._stopped:
            return False
        t = self.clock() if t is None else t
        paused_at, self._paused_at = self._paused_at, None
        if again_at is None or not self._take_back_phase():
            self.paused_total += max(0.0, t - paused_at)
            return True
        self._move_next_to(again_at)
        return True

    def skip(self, at: float) -> Cue | None:
        """Leave out the cycles still to come: the close (if any) is due at `at`.

        Cues issued for `at` or later are taken back (the caller silences them).
        Returns the close cue, not yet taken; None when there is no close.
        """
        if self._stopped or (self._issued and self._issued[-1][1].phase_kind == "close"):
            return None
        self._paused_at = None
        while self._issued and (self._issued[-1][1].at or 0.0) >= at:
            self._issued.pop()
        self._tl.until = max(0, self.current_cycle + 1)
        self._pos = (self._tl.until, 0)
        if self._resolve(self._pos) is None:
            return None  # no close: the session is over
        self._move_next_to(at)
        return self.peek()

    def _take_back_phase(self) -> bool:
        """Take back the cues of the phase in progress (its cue and its count); False if none."""
        while self._issued and self._issued[-1][1].phase_kind == "count":
            self._pos = self._issued.pop()[0]
        if not self._issued or self._issued[-1][1].phase_kind == "close":
            return False
        self._pos = self._issued.pop()[0]
        return True

    def _move_next_to(self, at: float) -> None:
        """Shift every later deadline so that the next cue is due at `at`."""
        cue = self.peek()
        if cue is not None and cue.at is not None:
            self.paused_total += at - cue.at

    def stop(self) -> None:
        self._stopped = True


def plan(live: LiveSchedule) -> list[Cue]:
    """Every cue of the session `live` would play unsteered, with its offset from the start.

    Takes the schedule rather than its arguments so that the plan and the live
    session are made from one description; `live` is used up: pass a fresh one.
    """
    live.start(0.0)
    cues = []
    while (cue := live.next_cue()) is not None:
        cues.append(replace(cue, at=None))
    return cues


def plan_duration(cues: list[Cue]) -> float:
    """Seconds from the start of the session to the end of its last cue's span."""
    return max((c.end for c in cues), default=0.0)


def cycle_count(cues: list[Cue]) -> int:
    return len({c.cycle for c in cues if c.phase_kind not in ("intro", "close")})
