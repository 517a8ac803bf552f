"""The microphone as a source of 16 kHz mono int16 AudioChunks."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from typing import Any

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.clock import ArrivalClock
from audio_companion.audio.devices import (
    RECOGNIZER_RATE,
    list_devices,
    resolve_device,
    sounddevice,
)
from audio_companion.errors import DeviceError


class MicrophoneSource:
    """16 kHz mono int16 chunks from a microphone, as an iterator.

    Opens the device at 16 kHz; when it refuses, opens it at its native rate
    and resamples. The PortAudio callback only queues bytes with their capture
    time; all work happens in the consumer's thread.
    """

    def __init__(
        self, device: str | int | None = None, block_ms: int = 30, max_queue: int = 2000
    ) -> None:
        self._spec = device
        self._block_ms = block_ms
        self._queue: queue.Queue[tuple[float, bool, bytes]] = queue.Queue(maxsize=max_queue)
        self._stream: Any = None
        self._rate = RECOGNIZER_RATE
        self._resampler: Any = None
        self.dropped = 0
        self.exhausted = False  # a live microphone never runs out
        self._clock = ArrivalClock(RECOGNIZER_RATE)
        self._lost = False

    def __enter__(self) -> MicrophoneSource:
        sd = sounddevice()
        devices = list_devices()
        index = resolve_device(self._spec, "input", devices)

        def callback(data: Any, frames: int, when: Any, status: Any) -> None:
            # Only the arrival time: see ArrivalClock for why the host's capture
            # time (PortAudio's ADC time) is not trusted.
            arrived = time.monotonic()
            try:
                self._queue.put_nowait((arrived, bool(status.input_overflow), bytes(data)))
            except queue.Full:
                self.dropped += 1
                self._lost = True

        for rate in (RECOGNIZER_RATE, None):
            if rate is None:
                info = sd.query_devices(index, "input")
                rate = int(info["default_samplerate"])
                from audio_companion.audio.resample import Resampler

                self._resampler = Resampler(rate, RECOGNIZER_RATE)
            try:
                self._stream = sd.RawInputStream(
                    samplerate=rate,
                    blocksize=int(rate * self._block_ms / 1000),
                    device=index,
                    channels=1,
                    dtype="int16",
                    callback=callback,
                )
                self._rate = rate
                self._clock = ArrivalClock(rate)
                break
            except sd.PortAudioError as exc:
                if rate != RECOGNIZER_RATE:
                    raise DeviceError(f"cannot open the microphone: {exc}") from exc
        self._stream.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None

    def pending(self) -> int:
        """Chunks captured and not yet read."""
        return self._queue.qsize()

    def read(self, timeout: float = 1.0) -> AudioChunk | None:
        """The next chunk, or None when the device delivered nothing in *timeout*."""
        try:
            arrived, overflow, data = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        ts = self._clock.stamp(arrived, len(data) // 2, lost=overflow or self._lost)
        self._lost = False
        chunk = AudioChunk(self._rate, 2, 1, data, ts)
        if self._resampler is not None:
            out: AudioChunk = self._resampler.process(chunk)
            return AudioChunk(out.rate, out.width, out.channels, out.audio, ts)
        return chunk

    def __iter__(self) -> Iterator[AudioChunk]:
        while self._stream is not None:
            chunk = self.read()
            if chunk is not None:
                yield chunk
