"""The one audio type every source yields and every sink takes.

Modelled on wyoming's AudioChunk: raw interleaved PCM plus its format, so a
chunk can cross threads, processes and files without a codec in between.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AudioChunk:
    rate: int  # samples per second per channel
    width: int  # bytes per sample (2 = int16)
    channels: int
    audio: bytes
    timestamp: float | None = None  # seconds on the source's clock, if known

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.width not in (1, 2, 4) or self.channels <= 0:
            raise ValueError(
                f"bad audio format: {self.rate} Hz, {self.width} B, {self.channels} ch"
            )
        if len(self.audio) % (self.width * self.channels):
            raise ValueError("audio length is not a whole number of frames")

    @property
    def frames(self) -> int:
        return len(self.audio) // (self.width * self.channels)

    @property
    def duration(self) -> float:
        return self.frames / self.rate

    def same_format(self, other: AudioChunk) -> bool:
        return (self.rate, self.width, self.channels) == (other.rate, other.width, other.channels)

    def to_int16(self) -> np.ndarray:
        """Samples as int16, shape (frames, channels)."""
        if self.width != 2:
            raise ValueError("only 16-bit audio converts to int16 directly")
        return np.frombuffer(self.audio, dtype="<i2").reshape(-1, self.channels)

    @classmethod
    def from_int16(
        cls, samples: np.ndarray, rate: int, timestamp: float | None = None
    ) -> AudioChunk:
        arr = np.asarray(samples, dtype="<i2")
        channels = 1 if arr.ndim == 1 else arr.shape[1]
        return cls(rate, 2, channels, arr.tobytes(), timestamp)

    @classmethod
    def silence(cls, seconds: float, rate: int, width: int = 2, channels: int = 1) -> AudioChunk:
        frames = max(0, round(seconds * rate))
        return cls(rate, width, channels, bytes(frames * width * channels))


def concatenate(chunks: list[AudioChunk]) -> AudioChunk:
    """Join chunks of one format in a single copy (repeated += is quadratic)."""
    if not chunks:
        raise ValueError("nothing to concatenate")
    first = chunks[0]
    for c in chunks[1:]:
        if not c.same_format(first):
            raise ValueError("cannot join chunks of different formats")
    return AudioChunk(
        first.rate, first.width, first.channels, b"".join(c.audio for c in chunks), first.timestamp
    )
