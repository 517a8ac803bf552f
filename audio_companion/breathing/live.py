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
from audio_companion.breathing.cues import ack_sounds
from audio_companion.breathing.schedule import Cue, LiveSchedule

LEAD = 0.5  # queue a cue this long before its deadline
GUARD_AFTER = 0.3  # a sound's tail (and room echo) after its last sample
GUARD_BEFORE = 0.05  # keep clear of the next cue's first sample
PAUSED_POLL = 0.5  # how long one poll lasts while paused
# What a person can say during a session. "repeat" is understood but does nothing:
# the next cue comes on its own, and playing the last one again mid-phase would
# put a cue where no phase starts. Numbers are never commands here ("three" is
# not "breathe"): they are not in the set, so the listener is not even primed.
PLAYER_COMMANDS = ("stop", "pause", "resume", "slower", "faster", "skip", "repeat")
# A cue that answers a command (the breath again after "resume", the close after
# "skip") is due this soon: enough for the speaker's buffer (0.1 s, and the host's
# own) to start it on its sample, and with recognition still within a second of
# the person's word.
ANSWER_LEAD = 0.25
ACK_ROOM = 0.35  # an answering tone plays at once if this much time is left before the next cue


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


@dataclass(frozen=True)
class Spoken:
    """What the listener heard between cues.

    `command` is the session command it asks for (one of PLAYER_COMMANDS), or
    None when it is none; `text` is the words as recognised; `at` is when the
    utterance ended, on the player's clock (None: when it was handed over).
    """

    command: str | None
    text: str = ""
    at: float | None = None


Poll = Callable[[float], Spoken | None]


@dataclass(frozen=True)
class CommandRecord:
    """One utterance heard during the session, and what the player did about it.

    Times are on the clock of the cue deadlines: `heard_at` the end of the
    utterance, `handled_at` when the player acted, `effect_at` when the effect
    began to sound (the sound cut off, the answering tone, the phase cue again,
    the close), None when nothing was done.
    """

    heard_at: float
    handled_at: float
    text: str
    command: str | None
    done: str
    effect_at: float | None

    @property
    def delay(self) -> float | None:
        """Seconds from the end of the utterance to its effect."""
        return None if self.effect_at is None else self.effect_at - self.heard_at


@dataclass
class _Handled:
    """A CommandRecord while its effect may still be on its way (a sound not yet started)."""

    spoken: Spoken
    handled_at: float
    done: str
    effect_at: float | None = None
    effect: CuePlayback | None = None  # its real start, once it has one, wins

    def record(self) -> CommandRecord:
        effect_at = self.effect_at
        if self.effect is not None and self.effect.start is not None:
            effect_at = self.effect.start
        heard = self.spoken.at if self.spoken.at is not None else self.handled_at
        command, text = self.spoken.command, self.spoken.text
        return CommandRecord(heard, self.handled_at, text, command, self.done, effect_at)


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
    commands: tuple[CommandRecord, ...] = ()


def summarize(
    records: list[CueRecord], stopped: bool, commands: tuple[CommandRecord, ...] = ()
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
    def poll(until: float) -> Spoken | None:
        delay = until - clock()
        if delay > 0:
            sleep(delay)
        return None

    return poll


def _tempo(seconds: list[float]) -> str:
    return "-".join(f"{s:.1f}".removesuffix(".0") for s in seconds)


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
    # Every sound queued, cue or answering tone: (planned start, planned end).
    own_sounds: list[tuple[float, float]] = field(default_factory=list)
    acks: Mapping[str, AudioChunk] = field(default_factory=ack_sounds)
    _handled: list[_Handled] = field(default_factory=list, init=False)
    # Effects waiting for the next cue: ("", h) the cue is h's effect; (tone, h) a tone follows.
    _after_next_cue: list[tuple[str, _Handled]] = field(default_factory=list, init=False)
    _sound_end: float = field(default=0.0, init=False)  # last queued sound's planned end

    @property
    def commands(self) -> list[str]:
        """The session commands obeyed or ignored so far, in order."""
        return [h.spoken.command for h in self._handled if h.spoken.command is not None]

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

    def _silence(self, now: float) -> None:
        """Cut every sound now: the one playing and the cue queued ahead."""
        self.sink.stop()
        kept = (r.deadline + r.duration for r in self.records if r.deadline < now)
        self._sound_end = min(max(kept, default=0.0), now)

    def _ack(self, name: str, now: float, done: _Handled) -> None:
        """The answering tone, at once if it ends before the next cue, else right after it.

        Sounds play one after another, never over each other: a tone queued
        while a cue still sounds follows it.
        """
        chunk = self.acks[name]
        nxt = self.schedule.peek()
        if nxt is not None and nxt.at is not None and now + ACK_ROOM > nxt.at - GUARD_BEFORE:
            self._after_next_cue.append((name, done))
            return
        start = max(now, self._sound_end)
        done.effect_at, done.effect = start, self.sink.play(chunk)
        self._sound_end = start + chunk.duration
        self.own_sounds.append((start, self._sound_end))

    def _handle(self, spoken: Spoken, *, closing: bool = False) -> bool:
        """Do what was asked and log it; True when the session must end now."""
        now = self.clock()
        command = (spoken.command or "").strip().lower() or None
        spoken = Spoken(command, spoken.text or (command or ""), spoken.at)
        done = _Handled(spoken, now, "not a command")
        self._handled.append(done)
        if command is None:
            return False
        if command not in PLAYER_COMMANDS:
            done.done = f"ignored: {command!r} is not a breathing command"
            return False
        if command == "stop":
            self._silence(now)
            self.schedule.stop()
            done.done, done.effect_at = "stopped", now
            return True
        if closing:
            done.done = "ignored: the session is ending"
        elif command == "pause":
            if self.schedule.pause(now):
                self._silence(now)
                self._window(now, math.inf)
                done.done, done.effect_at = "paused", now
                self._ack("pause", now, done)
            else:
                done.done = "ignored: already paused"
        elif command == "resume":
            if self.schedule.resume(now, again_at=now + min(self.lead, ANSWER_LEAD)):
                self._end_pause_window(now)
                cue = self.schedule.peek()
                done.done = f"resumed: {cue.phase_kind} again" if cue else "resumed"
                done.effect_at = cue.at if cue else now
                self._after_next_cue.append(("", done))
            else:
                done.done = "ignored: not paused"
        elif command in ("slower", "faster"):
            self._tempo(command, now, done)
        elif command == "skip":
            self._silence(now)
            self._end_pause_window(now)
            close = self.schedule.skip(now + min(self.lead, ANSWER_LEAD))
            done.done = "skipped to the close" if close else "skipped: the session ends"
            done.effect_at = close.at if close else now
            if close is not None:
                self._after_next_cue.append(("", done))
        else:  # repeat
            done.done = "ignored: nothing to repeat while breathing"
        return False

    def _tempo(self, command: str, now: float, done: _Handled) -> None:
        changed = self.schedule.slower() if command == "slower" else self.schedule.faster()
        if not changed:
            limit = "slow" if command == "slower" else "fast"
            done.done = f"ignored: already as {limit} as it goes"
            return
        verb = "slowed" if command == "slower" else "sped up"
        done.done = f"{verb} to {_tempo(self.schedule.phase_seconds)} s from the next breath"
        if self.schedule.paused:
            done.done += " (still paused)"
            return
        self._ack(command, now, done)

    def _next_cue_queued(self, playback: CuePlayback) -> None:
        """The effects that were waiting for this cue: it is one, or a tone follows it."""
        waiting, self._after_next_cue = self._after_next_cue, []
        for name, done in waiting:
            if not name:  # the cue itself is the effect (resume, skip)
                done.effect = playback
                continue
            chunk = self.acks[name]
            start = self._sound_end
            done.effect_at, done.effect = start, self.sink.play(chunk)
            self._sound_end = start + chunk.duration
            self.own_sounds.append((start, self._sound_end))

    def _end_pause_window(self, now: float) -> None:
        if self.safe_windows and self.safe_windows[-1][1] == math.inf:
            a, _ = self.safe_windows[-1]
            self.safe_windows[-1] = (a, now)

    def _heard(self, spoken: Spoken | None, *, closing: bool = False) -> bool:
        return spoken is not None and self._handle(spoken, closing=closing)

    def run(self) -> LiveReport:
        """Play the whole session (or until "stop"); returns how punctual it was."""
        poll = self.poll or _sleep_poll(self.clock, self.sleep)
        if self.schedule.t0 is None:
            self.schedule.start(self.clock() + self.lead)
        while True:
            if self.schedule.paused:
                if self._heard(poll(self.clock() + PAUSED_POLL)):
                    return self._report(stopped=True)
                continue
            cue = self.schedule.peek()
            if cue is None:
                break
            assert cue.at is not None
            queue_at = cue.at - self.lead
            if self.clock() < queue_at:
                self._window(self.clock(), cue.at - GUARD_BEFORE)
                if self._heard(poll(queue_at)):
                    return self._report(stopped=True)
                continue  # the schedule may have changed: look again
            cue = self.schedule.next_cue()
            assert cue is not None and cue.at is not None
            chunk = self.sounds[cue.sound]
            playback = self.sink.play(chunk, at=cue.at)
            self.records.append(CueRecord(cue, cue.at, playback, chunk.duration))
            self.own_sounds.append((cue.at, cue.at + chunk.duration))
            self._sound_end = max(self._sound_end, cue.at + chunk.duration)
            self._next_cue_queued(playback)
        # Let the close play out, still listening for "stop".
        while self.records and self.clock() < self._sound_end:
            if self._heard(poll(self._sound_end), closing=True):
                return self._report(stopped=True)
        if self.records:
            self.records[-1].playback.wait(1.0)
        return self._report(stopped=self.schedule.stopped)

    def _report(self, stopped: bool) -> LiveReport:
        commands = tuple(h.record() for h in self._handled)
        return summarize(self.records, stopped, commands)
