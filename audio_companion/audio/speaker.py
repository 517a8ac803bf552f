"""Speakers as a sink that knows, to the sample, when each sound plays.

One output stream stays open for the whole session and its callback mixes
queued sounds into silence. Opening a stream per prompt costs a start-up delay
on many systems (a second or more through PulseAudio's ALSA plugin) and hides
when the sound really began; here every Playback learns its start and end
from PortAudio's DAC timestamps, mapped onto the monotonic clock, and a sound
given a deadline (`at`) starts on the exact sample of that deadline.
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.clock import SampleClock
from audio_companion.audio.devices import list_devices, resolve_device, sounddevice
from audio_companion.errors import DeviceError

DEFAULT_RATE = 22050  # espeak-ng and piper both speak at 22.05 kHz
# Output buffering. The callback is Python, so it shares the GIL with speech
# recognition and synthesis threads; PortAudio's "low" latency (about 10 ms
# through PulseAudio's ALSA plugin) lets one busy moment underrun the device,
# and ALSA's recovery drops what was buffered: a whole cue word can vanish.
# Deadlines use the DAC timestamps, so a deeper buffer costs no accuracy, only
# this much delay before `stop()` silences the speaker, and before a sound
# queued for "now" starts. 0.05 s made replies 0.04 s quicker (bench_reply) but
# lost sound on the rig while whisper decoded: the listen test's greeting,
# read-back and goodbye measured 1.96 s of 3.28 in two of three runs.
OUTPUT_LATENCY_S = 0.1


@dataclass(eq=False)
class Playback:
    """One queued sound; the audio thread fills in its times."""

    samples: np.ndarray
    at: float | None = None  # monotonic deadline for the first sample
    start: float | None = None
    end: float | None = None
    cancelled: bool = False
    pos: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    @property
    def lateness(self) -> float | None:
        """Seconds between the deadline and the real start (audio clock)."""
        if self.at is None or self.start is None:
            return None
        return self.start - self.at


def as_mono(chunk: AudioChunk, rate: int) -> np.ndarray:
    """int16 mono samples at *rate*, converting when the chunk differs."""
    if chunk.rate == rate and chunk.channels == 1 and chunk.width == 2:
        return chunk.to_int16()[:, 0].copy()
    from audio_companion.audio.resample import Resampler

    resampler = Resampler(chunk.rate, rate)
    parts = [resampler.process(chunk), resampler.flush()]
    return np.frombuffer(b"".join(p.audio for p in parts), dtype="<i2").copy()


class Mixer:
    """The callback's logic, apart from PortAudio so it can be tested with any clock.

    `fill(frames, first_sample_time)` returns the next block: queued sounds in
    order, each starting no earlier than its deadline, silence elsewhere.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._queue: collections.deque[Playback] = collections.deque()
        self._lock = threading.Lock()
        self._steady_since: float | None = None
        self._last_fill = 0.0
        self._clock = SampleClock(rate)

    def add(self, playback: Playback) -> Playback:
        with self._lock:
            self._queue.append(playback)
        return playback

    def cancel_all(self) -> None:
        with self._lock:
            for pb in self._queue:
                pb.cancelled = True
                pb.done.set()
            self._queue.clear()

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def steady_for(self, seconds: float) -> bool:
        """True once blocks have kept pace with their own audio for *seconds*."""
        return self._steady_since is not None and self._last_fill - self._steady_since >= seconds

    def fill(
        self, frames: int, host_time: float, lost: bool = False, reported: bool = True
    ) -> np.ndarray:
        """The next block, whose first sample the host expects to play at `host_time`.

        `reported=False`: the host gave no play time, `host_time` is a guess.

        Deadlines are placed on the stream's own sample clock (anchored to the
        host's time, see SampleClock), so sounds keep exact distances in what is
        heard even when the device clock runs slightly apart from the computer's.
        """
        # Track whether the host pulls blocks at the pace they play.
        if self._last_fill and host_time - self._last_fill > 2 * frames / self.rate + 0.05:
            self._steady_since = None  # a stall: start counting again
            lost = True
        if self._steady_since is None:
            self._steady_since = host_time
        self._last_fill = host_time
        t_first = self._clock.stamp(host_time, frames, lost, reported)
        out = np.zeros(frames, dtype="<i2")
        i = 0
        with self._lock:
            while i < frames and self._queue:
                pb = self._queue[0]
                if pb.pos == 0:
                    if pb.at is not None:
                        offset = round((pb.at - t_first) * self.rate)
                        if offset >= frames:
                            break
                        i = max(i, offset)
                    pb.start = t_first + i / self.rate
                n = min(frames - i, len(pb.samples) - pb.pos)
                out[i : i + n] = pb.samples[pb.pos : pb.pos + n]
                pb.pos += n
                i += n
                if pb.pos >= len(pb.samples):
                    pb.end = t_first + i / self.rate
                    self._queue.popleft()
                    pb.done.set()
        return out


class SpeakerSink:
    """Context manager around one callback-driven output stream."""

    def __init__(self, device: str | int | None = None, rate: int = DEFAULT_RATE) -> None:
        self._spec = device
        self.rate = rate
        self.mixer = Mixer(rate)
        self._stream: Any = None

    def __enter__(self) -> SpeakerSink:
        sd = sounddevice()
        index = resolve_device(self._spec, "output", list_devices())

        def callback(outdata: Any, frames: int, when: Any, status: Any) -> None:
            now = time.monotonic()
            dac, current = when.outputBufferDacTime, when.currentTime
            reported = bool(dac and current and 0 <= dac - current < 2)
            # Without a report, the block is taken to play at once: a stream
            # starts with an empty buffer, and the clock counts on from there.
            ahead = dac - current if reported else 0.0
            lost = bool(status.output_underflow)
            outdata[:] = self.mixer.fill(frames, now + ahead, lost, reported).tobytes()

        wanted = self.rate
        for rate in dict.fromkeys((wanted, DEFAULT_RATE)):
            # The voice's own rate first: a sound played at another rate is
            # resampled on every play (~0.13 s for a 3 s prompt: heard as a slower reply).
            self.rate = rate
            self.mixer = Mixer(rate)
            try:
                self._stream = sd.RawOutputStream(
                    samplerate=rate,
                    device=index,
                    channels=1,
                    dtype="int16",
                    blocksize=int(rate * 0.01),
                    latency=OUTPUT_LATENCY_S,
                    callback=callback,
                )
                break
            except sd.PortAudioError as exc:
                if rate == DEFAULT_RATE:
                    raise DeviceError(f"cannot open the speakers at {wanted} Hz: {exc}") from exc
        self._stream.start()
        self._warm_up()
        return self

    def _warm_up(self, settle: float = 0.3, limit: float = 3.0) -> None:
        """Wait until the stream pulls audio steadily.

        Some hosts (PulseAudio's ALSA plugin among them) stall for up to two
        seconds after the first few callbacks; a sound queued then would start
        late and report wrong times, so the sink is only handed out after it
        has played `settle` seconds of silence in real time.
        """
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.mixer.steady_for(settle):
                return
            time.sleep(0.02)

    def __exit__(self, *exc: object) -> None:
        self.mixer.cancel_all()
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None

    def play(self, chunk: AudioChunk, at: float | None = None) -> Playback:
        """Queue *chunk*; returns at once. `at` is a monotonic-clock deadline."""
        if self._stream is None:
            raise DeviceError("the speaker is not open")
        return self.mixer.add(Playback(as_mono(chunk, self.rate), at))

    def stop(self) -> None:
        """Silence everything queued, e.g. when the stop word is heard."""
        self.mixer.cancel_all()
