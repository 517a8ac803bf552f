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

    def __init__(self, rate: int, tolerance: float = 0.5) -> None:
        self.rate = rate
        self.tolerance = tolerance
        self._next: float | None = None

    def stamp(self, host_time: float, frames: int, lost: bool = False) -> float:
        if self._next is None or lost or abs(host_time - self._next) > self.tolerance:
            self._next = host_time
        ts = self._next
        self._next = ts + frames / self.rate
        return ts
