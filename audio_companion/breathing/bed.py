"""The ambient bed in a live session: the same generated noise, fed to a second output stream.

The cue sink plays one sound after another (its mixer never overlaps two), so
the bed has its own stream (a second SpeakerSink; the sound server mixes the
two) and the cue stream, its deadlines and its timing are untouched. `pump`
queues short blocks of the bed a little ahead of the clock, each placed on its
exact time; a thread calls it every few milliseconds. A block is made just
before it is queued, so it ducks under every cue the player has queued by
then: cues are queued live.LEAD (0.5 s) ahead of their deadline, more than
AHEAD + ambient.DUCK_RAMP, so the bed is down before each cue starts, as in a
rendered file. `finish` fades it out over FADE_OUT.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.breathing import ambient
from audio_companion.breathing.live import CuePlayback, CueSink

BLOCK_SECONDS = 0.1
AHEAD = 0.3  # queue the bed this far ahead of the clock
START = 0.15  # the first block's time after the first pump: past the stream's 0.1 s buffer
FADE_OUT = 3.0
PUMP_EVERY = 0.03


class LiveBed:
    """Feeds `sink` the bed from `start()` until `finish()` has faded it out.

    `cues()` returns the (start, end) times, on `clock`, of every sound the
    player has queued so far (LivePlayer.own_sounds); the bed ducks under them.
    """

    def __init__(
        self,
        sink: CueSink,
        kind: str,
        rate: int,
        cues: Callable[[], Sequence[tuple[float, float]]],
        *,
        seed: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sink = sink
        self.rate = rate
        self.cues = cues
        self.clock = clock
        self.block = round(BLOCK_SECONDS * rate)
        self._noise = ambient.noise_blocks(kind, rate, 1 << 62, seed)
        self._buffer = np.zeros(0)
        self.t0: float | None = None
        self.next_t = 0.0  # clock time of the next block's first sample
        self.made = 0  # samples made since the start
        self.fade_end: float | None = None
        self.played: list[CuePlayback] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def done(self) -> bool:
        return self.fade_end is not None and self.next_t >= self.fade_end

    def _take(self, n: int) -> np.ndarray:
        while len(self._buffer) < n:
            self._buffer = np.concatenate([self._buffer, next(self._noise)])
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def gain(self, t: np.ndarray) -> np.ndarray:
        """The bed's gain at clock times `t`: fade in, ducks under the cues, fade out."""
        assert self.t0 is not None
        fade = ambient.FADE_SECONDS
        g = np.clip((t - self.t0) / fade, 0.0, 1.0)
        g = 0.5 - 0.5 * np.cos(np.pi * g)
        if self.fade_end is not None:
            out = np.clip((self.fade_end - t) / FADE_OUT, 0.0, 1.0)
            g = g * (0.5 - 0.5 * np.cos(np.pi * out))
        ramp = ambient.DUCK_RAMP
        depth = np.zeros(len(t))
        for a, b in list(self.cues()):  # a copy: the player's thread appends to it
            if b + ramp < t[0] or a - ramp > t[-1]:
                continue
            down = np.minimum((t - (a - ramp)) / ramp, ((b + ramp) - t) / ramp)
            np.maximum(depth, 0.5 - 0.5 * np.cos(np.pi * np.clip(down, 0.0, 1.0)), out=depth)
        duck = 10 ** (-ambient.DUCK_DB / 20)
        return np.asarray(g * (1.0 - (1.0 - duck) * depth), dtype=np.float64)

    def pump(self, now: float | None = None) -> None:
        """Queue blocks until the bed is AHEAD of `now` (or faded out)."""
        now = self.clock() if now is None else now
        if self.t0 is None:
            self.t0 = self.next_t = now + START
        if self.next_t < now:  # fell behind (a stall): go on from now, not from the past
            self.next_t = now + BLOCK_SECONDS
        while self.next_t < now + AHEAD and not self.done:
            t = self.next_t + np.arange(self.block) / self.rate
            x = self._take(self.block) * self.gain(t)
            chunk = AudioChunk.from_int16(
                np.clip(np.rint(x), -32768, 32767).astype("<i2"), self.rate
            )
            self.played.append(self.sink.play(chunk, at=self.next_t))
            self.made += self.block
            self.next_t += self.block / self.rate

    def finish(self, now: float | None = None) -> None:
        """Fade out from `now` over FADE_OUT seconds."""
        now = self.clock() if now is None else now
        if self.fade_end is None:
            self.fade_end = max(now, self.next_t) + FADE_OUT

    # ------------------------------------------------------------ the thread

    def start(self) -> None:
        """Pump from a thread until finished and faded out, or `stop()`."""

        def run() -> None:
            while not self._stop.is_set() and not self.done:
                self.pump()
                self._stop.wait(PUMP_EVERY)

        self._thread = threading.Thread(target=run, name="ambient-bed", daemon=True)
        self._thread.start()

    def stop(self, fade: bool = True, limit: float = FADE_OUT + 1.0) -> None:
        """Fade out and wait for it (at most `limit` seconds), or cut it at once."""
        if fade:
            self.finish()
            deadline = time.monotonic() + limit
            while self._thread is not None and self._thread.is_alive():
                if time.monotonic() >= deadline:
                    break
                self._thread.join(0.05)
            if self.played:
                self.played[-1].wait(min(limit, AHEAD + 0.2))
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        self.sink.stop()
