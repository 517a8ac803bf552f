"""One clock for audio streams: sample counts anchored to the host's monotonic time."""

from __future__ import annotations


class SampleClock:
    """Times of audio blocks that advance by exactly the audio delivered.

    Host times jitter from block to block, by 100 ms and more when a sound
    server moves blocks in bursts, and a device's clock runs a few tens of ppm
    apart from the computer's. Audio must stay sample-exact: the endpointer
    splices captured chunks by time, and breathing cues must not drift against
    each other in what is heard. So the clock counts samples from the first
    block's host time and re-anchors only when audio was lost (an overflow or
    underflow) or the two clocks have parted by more than `tolerance`.
    """

    def __init__(self, rate: int, tolerance: float = 0.5, learn_s: float = 2.0) -> None:
        self.rate = rate
        self.tolerance = tolerance
        self.learn_s = learn_s
        self._origin: float | None = None  # host time of sample 0 since the last anchor
        self._count = 0  # samples since the last anchor

    def stamp(self, host_time: float, frames: int, lost: bool = False) -> float:
        predicted = None if self._origin is None else self._origin + self._count / self.rate
        if predicted is None or lost or abs(host_time - predicted) > self.tolerance:
            self._origin, self._count = host_time, 0
        elif self._count < self.learn_s * self.rate:
            # Callbacks run late, never early (scheduling, bursts), so each
            # host time is an upper bound: the earliest seen in the first
            # seconds pins the stream's true start best. After that the
            # origin stays put, so consecutive blocks keep abutting.
            self._origin = min(
                predicted - self._count / self.rate, host_time - self._count / self.rate
            )
        assert self._origin is not None
        ts = self._origin + self._count / self.rate
        self._count += frames
        return ts
