"""A live session: the schedule's cues played on a speaker, steered by voice.

Each cue is handed to the sink `LEAD` seconds before its deadline with
`at=deadline`, so the mixer starts it on the exact sample of the deadline
(a sleep-then-play loop would add the scheduler's wake-up jitter to every
cue and let it pile up). Between cues the player calls `poll(until)`, which
listens for a spoken command and returns it, or None at `until`; the
default just sleeps. `safe_windows` says when no cue sound plays, so the
listener knows when the microphone hears the person and not the speaker.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing.schedule import Cue, LiveSchedule

LEAD = 0.5  # queue a cue this long before its deadline
GUARD_AFTER = 0.3  # a sound's tail (and room echo) after its last sample
GUARD_BEFORE = 0.05  # keep clear of the next cue's first sample
PAUSED_POLL = 0.5  # how long one poll lasts while paused
PLAYER_COMMANDS = ("stop", "pause", "resume", "slower", "faster")


class CuePlayback(Protocol):
    """What SpeakerSink.play returns (audio_companion.audio.speaker.Playback)."""

    @property
    def start(self) -> float | None: ...

    @property
    def end(self) -> float | None: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class CueSink(Protocol):
    """SpeakerSink, or a fake: plays a chunk starting at a monotonic deadline."""

    def play(self, chunk: AudioChunk, at: float | None = None) -> CuePlayback: ...

    def stop(self) -> None: ...


Poll = Callable[[float], str | None]


@dataclass
class CueRecord:
    cue: Cue
    deadline: float
    playback: CuePlayback
    duration: float  # of the sound queued

    @property
    def start(self) -> float | None:
        return self.playback.start

    @property
    def lateness(self) -> float | None:
        """Reported start minus deadline (None if the sound never started)."""
        return None if self.playback.start is None else self.playback.start - self.deadline


@dataclass(frozen=True)
class LiveReport:
    latenesses: tuple[float, ...]  # seconds, per cue that played, in order
    mean: float
    max: float
    drift_first_vs_last_minute: float  # mean lateness in the last minute minus the first
    stopped: bool
    commands: tuple[str, ...] = ()


def summarize(
    records: list[CueRecord], stopped: bool, commands: tuple[str, ...] = ()
) -> LiveReport:
    played = [(r.deadline, r.lateness) for r in records if r.lateness is not None]
    late = tuple(lat for _, lat in played)
    if not played:
        return LiveReport((), 0.0, 0.0, 0.0, stopped, commands)
    first_t, last_t = played[0][0], played[-1][0]
    first = [lat for t, lat in played if t < first_t + 60.0]
    last = [lat for t, lat in played if t > last_t - 60.0]
    drift = sum(last) / len(last) - sum(first) / len(first)
    return LiveReport(late, sum(late) / len(late), max(late), drift, stopped, commands)


def _sleep_poll(clock: Callable[[], float], sleep: Callable[[float], None]) -> Poll:
    def poll(until: float) -> str | None:
        delay = until - clock()
        if delay > 0:
            sleep(delay)
        return None

    return poll


@dataclass
class LivePlayer:
    schedule: LiveSchedule
    sounds: Mapping[str, AudioChunk]
    sink: CueSink
    clock: Callable[[], float] = time.monotonic
    poll: Poll | None = None  # None: sleep until `until`
    sleep: Callable[[float], None] = time.sleep
    lead: float = LEAD
    records: list[CueRecord] = field(default_factory=list)
    safe_windows: list[tuple[float, float]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    _sound_end: float = field(default=0.0, init=False)  # last queued sound's planned end

    def is_safe(self, t: float) -> bool:
        """True if no cue sound plays at `t` (as far as the schedule is known)."""
        return any(a <= t < b for a, b in self.safe_windows)

    def _window(self, start: float, end: float) -> None:
        start = max(start, self._sound_end + GUARD_AFTER)
        if end <= start:
            return
        if self.safe_windows and self.safe_windows[-1][0] == start:
            self.safe_windows[-1] = (start, end)
        else:
            self.safe_windows.append((start, end))

    def _handle(self, command: str) -> bool:
        """Apply one command; True when the session must end now."""
        command = command.strip().lower()
        if command not in PLAYER_COMMANDS:
            return False
        self.commands.append(command)
        now = self.clock()
        if command == "stop":
            self.sink.stop()
            self.schedule.stop()
            return True
        if command == "pause":
            if self.schedule.pause(now):
                self.sink.stop()  # the cue queued ahead is taken back and re-issued later
                kept = (r.deadline + r.duration for r in self.records if r.deadline < now)
                self._sound_end = min(max(kept, default=0.0), now)  # stop() cut anything later
                self._window(now, math.inf)
        elif command == "resume":
            if self.schedule.resume(now) and self.safe_windows:
                a, b = self.safe_windows[-1]
                if b == math.inf:
                    self.safe_windows[-1] = (a, now)
        elif command == "slower":
            self.schedule.slower()
        elif command == "faster":
            self.schedule.faster()
        return False

    def run(self) -> LiveReport:
        """Play the whole session (or until "stop"); returns how punctual it was."""
        poll = self.poll or _sleep_poll(self.clock, self.sleep)
        if self.schedule.t0 is None:
            self.schedule.start(self.clock() + self.lead)
        while True:
            if self.schedule.paused:
                command = poll(self.clock() + PAUSED_POLL)
                if command and self._handle(command):
                    return self._report(stopped=True)
                continue
            cue = self.schedule.peek()
            if cue is None:
                break
            assert cue.at is not None
            queue_at = cue.at - self.lead
            if self.clock() < queue_at:
                self._window(self.clock(), cue.at - GUARD_BEFORE)
                command = poll(queue_at)
                if command and self._handle(command):
                    return self._report(stopped=True)
                continue  # the schedule may have changed: look again
            cue = self.schedule.next_cue()
            assert cue is not None and cue.at is not None
            chunk = self.sounds[cue.sound]
            playback = self.sink.play(chunk, at=cue.at)
            self.records.append(CueRecord(cue, cue.at, playback, chunk.duration))
            self._sound_end = max(self._sound_end, cue.at + chunk.duration)
        # Let the close play out, still listening for "stop".
        while self.records and self.clock() < self._sound_end:
            command = poll(self._sound_end)
            if command and command.strip().lower() == "stop":
                self._handle(command)
                return self._report(stopped=True)
        if self.records:
            self.records[-1].playback.wait(1.0)
        return self._report(stopped=self.schedule.stopped)

    def _report(self, stopped: bool) -> LiveReport:
        return summarize(self.records, stopped, tuple(self.commands))
