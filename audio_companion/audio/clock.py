"""One clock for audio streams: sample counts anchored to the host's monotonic time."""

from __future__ import annotations

import collections
import statistics


class SampleClock:
    """Times of output blocks that advance by exactly the audio delivered.

    Breathing cues must keep exact distances in what is heard, so blocks are
    stamped by counting samples from an anchor, never by each block's own
    host time: those jitter with the sound server's bursts. The anchor is the
    median of what the recent host times imply for it (`host time - samples
    counted / rate`), adopted whenever it parts from the current one by more
    than `tolerance`: one wrong host time (a stream's first callbacks report
    before the host knows its buffer) cannot set the time base for a whole
    session. With a first-block anchor and a 0.1 s tolerance, two CI runs
    reported every breathing cue 0.09-0.1 s after it was heard: an anchor
    error just under the tolerance, kept for the whole session.

    Blocks without a host time (`reported=False`: the host gave no DAC time)
    anchor the clock only until a reported one comes; audio lost (`lost`)
    starts the count again, since the device's position jumped.
    """

    def __init__(self, rate: int, tolerance: float = 0.01, window: int = 64) -> None:
        self.rate = rate
        self.tolerance = tolerance
        self._start: float | None = None
        self._count = 0
        self._reported = False
        self._implied: collections.deque[float] = collections.deque(maxlen=window)

    def stamp(
        self, host_time: float, frames: int, lost: bool = False, reported: bool = True
    ) -> float:
        if self._start is None or lost:
            self._start, self._count, self._reported = host_time, 0, reported
            self._implied.clear()
        if reported:
            self._implied.append(host_time - self._count / self.rate)
            centre = statistics.median(self._implied)
            if not self._reported or abs(centre - self._start) > self.tolerance:
                self._start, self._reported = centre, True
        ts = self._start + self._count / self.rate
        self._count += frames
        return ts


class ArrivalClock:
    """Capture times of input blocks, judged by when they arrive.

    A block cannot arrive before its last sample was captured, so every block
    bounds the stream's start from above: ``arrival - samples so far / rate``.
    The tightest bound of the last `window_s` seconds is the start; stamps
    count samples from it, so they stay contiguous while it holds.

    The host's own capture times (PortAudio's ADC time) are not used. Through
    PulseAudio's ALSA plugin they read 0 in steady state and, on the first
    stream a server opens, a stale 0.66 s that shrinks by a block's length per
    block while blocks keep arriving at the pace of real time; a clock anchored
    on them stamped a person's voice up to half a second early, inside the
    half-duplex gate's mute, and a short "Repeat." went unheard.

    The window lets the estimate move later when the device's clock runs slow
    against the computer's (a few tens of ppm); it moves earlier at once when
    a block arrives sooner than the estimate allows.
    """

    def __init__(self, rate: int, window_s: float = 10.0, slack_s: float = 0.02) -> None:
        self.rate = rate
        self.window_s = window_s
        self.slack_s = slack_s
        self._count = 0  # samples stamped since the anchor
        self._start: float | None = None
        self._bounds: collections.deque[tuple[float, float]] = collections.deque()

    def stamp(self, arrival: float, frames: int, lost: bool = False) -> float:
        """The capture time of the first of `frames` samples that arrived at `arrival`."""
        if self._start is None or lost:
            self._count = 0
            self._start = None
            self._bounds.clear()
        bound = arrival - (self._count + frames) / self.rate
        # A monotonic deque: its head is the window's minimum.
        while self._bounds and self._bounds[-1][1] >= bound:
            self._bounds.pop()
        self._bounds.append((arrival, bound))
        while self._bounds[0][0] < arrival - self.window_s:
            self._bounds.popleft()
        tightest = self._bounds[0][1]
        if self._start is None or tightest < self._start or tightest - self._start > self.slack_s:
            self._start = tightest
        ts = self._start + self._count / self.rate
        self._count += frames
        return ts
