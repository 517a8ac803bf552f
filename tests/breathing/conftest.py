"""Fakes for breathing sessions: a clock that only moves when told, a sink that
'plays' on that clock, and a scripted listener."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.live import PLAYER_COMMANDS, Spoken


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


@dataclass(eq=False)
class FakePlayback:
    at: float | None
    duration: float
    queued: float
    start: float | None = None
    end: float | None = None
    cancelled: bool = False

    def wait(self, timeout: float | None = None) -> bool:
        return True


class FakeSink:
    """Plays sounds one after another, as the mixer does: each at its deadline (or at
    once), never before the one queued before it ends, plus a lateness of its choosing."""

    def __init__(self, clock: FakeClock, lateness: Callable[[int], float] = lambda i: 0.0) -> None:
        self.clock = clock
        self.lateness = lateness
        self.played: list[FakePlayback] = []
        self.stops = 0

    def play(self, chunk: AudioChunk, at: float | None = None) -> FakePlayback:
        now = self.clock()
        pb = FakePlayback(at, chunk.duration, queued=now)
        before = [p.end for p in self.played if p.end is not None]
        start = max(at if at is not None else now, now, *before) + self.lateness(len(self.played))
        pb.start, pb.end = start, start + chunk.duration
        self.played.append(pb)
        return pb

    def stop(self) -> None:
        """Cancel what has not started yet, and cut short what is playing."""
        self.stops += 1
        now = self.clock()
        for pb in self.played:
            if pb.start is not None and pb.start > now:
                pb.cancelled, pb.start, pb.end = True, None, None
            elif pb.end is not None and pb.end > now:
                pb.end = now


class ScriptedPoll:
    """Says each (time, command) when the player listens through that time.

    The utterance ends at that time; `think` is how long recognising it takes
    before the player hears of it (the clock moves on by that much)."""

    def __init__(
        self, clock: FakeClock, script: list[tuple[float, str]], think: float = 0.0
    ) -> None:
        self.clock = clock
        self.script = sorted(script)
        self.think = think
        self.calls: list[tuple[float, float]] = []

    def __call__(self, until: float) -> Spoken | None:
        self.calls.append((self.clock(), until))
        if self.script and self.script[0][0] <= until:
            t, said = self.script.pop(0)
            self.clock.t = max(self.clock.t, t) + self.think
            command = said if said in PLAYER_COMMANDS else None
            return Spoken(command, said.capitalize() + ".", max(t, self.clock.t - self.think))
        self.clock.t = max(self.clock.t, until)
        return None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sink(clock: FakeClock) -> FakeSink:
    return FakeSink(clock)


@pytest.fixture
def scripted(clock: FakeClock) -> Callable[..., ScriptedPoll]:
    def make(script: list[tuple[float, str]], think: float = 0.0) -> ScriptedPoll:
        return ScriptedPoll(clock, script, think)

    return make


@pytest.fixture
def fresh() -> Callable[[], tuple[FakeClock, FakeSink]]:
    """Another clock and sink, for a test that runs several sessions."""

    def make() -> tuple[FakeClock, FakeSink]:
        clock = FakeClock()
        return clock, FakeSink(clock)

    return make
