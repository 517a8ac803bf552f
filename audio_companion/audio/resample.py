"""Sample-rate conversion to the 16 kHz mono int16 that recognisers expect.

Why numpy and not a library: scipy is a dependency (the limiter uses it),
but ``resample_poly`` only takes whole buffers, and a live microphone needs a
stream that carries its state from one chunk to the next; ``soxr`` would be a
new compiled dependency of the core package for a job that is small here:
speech is band-limited well below 8 kHz, and recognisers are not picky
about a fraction of a dB of ripple.  So this module does plain
band-limited interpolation: every output sample is a Kaiser-windowed sinc
sum over the input samples around its exact (rational) position in time.
The sinc's cut-off sits just below the Nyquist frequency of the *lower* of
the two rates, which makes the same kernel an anti-aliasing low-pass when
decimating (48 kHz -> 16 kHz) and an anti-imaging one when interpolating
(8 kHz -> 16 kHz).  Positions are computed from integers (``n * in_rate /
out_rate``), so a stream of any length never drifts.

``to_mono16k`` converts a whole chunk; ``Resampler`` does the same thing
incrementally for a microphone that cannot open at 16 kHz: feeding it a
signal in pieces gives the same samples as converting it in one go.
"""

from __future__ import annotations

import math

import numpy as np

from audio_companion.audio.chunk import AudioChunk

TARGET_RATE = 16000

# Filter design: zero crossings of the sinc on each side (at the lower rate),
# the cut-off as a fraction of the lower Nyquist frequency, and the Kaiser
# window's beta (8.6 gives about 80 dB of stop-band attenuation).
_ZERO_CROSSINGS = 16
_ROLLOFF = 0.94
_KAISER_BETA = 8.6
_BLOCK = 4096  # output samples computed per vectorised step


def to_float_mono(chunk: AudioChunk) -> np.ndarray:
    """Samples of any supported width, channels averaged, as float64 in [-1, 1)."""
    if chunk.width == 2:
        data = np.frombuffer(chunk.audio, dtype="<i2").astype(np.float64) / 32768.0
    elif chunk.width == 1:  # 8-bit WAV is unsigned
        data = (np.frombuffer(chunk.audio, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    else:
        data = np.frombuffer(chunk.audio, dtype="<i4").astype(np.float64) / 2147483648.0
    if chunk.channels > 1:
        data = data.reshape(-1, chunk.channels).mean(axis=1)
    return data


def _to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype("<i2")


def is_mono16k(chunk: AudioChunk) -> bool:
    return chunk.rate == TARGET_RATE and chunk.channels == 1 and chunk.width == 2


class Resampler:
    """Streaming converter from ``in_rate`` (any channels/width) to mono int16 at ``out_rate``.

    Call ``process`` with each chunk as it arrives and ``flush`` at the end of
    the stream; the output lags the input by the filter's half-length (about
    1 ms at 16 kHz), which ``flush`` releases.  After ``flush`` the object is
    ready for a new stream.
    """

    def __init__(self, in_rate: int, out_rate: int = TARGET_RATE) -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError(f"bad sample rates: {in_rate} -> {out_rate}")
        g = math.gcd(in_rate, out_rate)
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._up = out_rate // g  # output n sits at input position n * _down / _up
        self._down = in_rate // g
        self._passthrough = in_rate == out_rate
        cutoff = min(1.0, out_rate / in_rate) * _ROLLOFF  # cycles per input sample * 2
        self._cutoff = cutoff
        self._half_width = _ZERO_CROSSINGS / cutoff  # in input samples
        self._taps = math.ceil(self._half_width)
        self._offsets = np.arange(-self._taps + 1, self._taps + 1)
        self._i0_beta = float(np.i0(_KAISER_BETA))
        self.reset()

    def reset(self) -> None:
        """Forget the current stream."""
        # _buffer[i] holds input sample (_start + i); the history before the
        # first sample is zeros so the first outputs need no special case.
        self._buffer = np.zeros(self._taps, dtype=np.float64)
        self._start = -self._taps
        self._consumed = 0  # input samples seen in this stream
        self._next = 0  # index of the next output sample
        self._timestamp: float | None = None

    def _kernel(self, x: np.ndarray) -> np.ndarray:
        u = np.clip(x / self._half_width, -1.0, 1.0)
        window = np.i0(_KAISER_BETA * np.sqrt(1.0 - u * u)) / self._i0_beta
        window[np.abs(x) >= self._half_width] = 0.0
        h: np.ndarray = self._cutoff * np.sinc(self._cutoff * x) * window
        return h

    def _render(self, first: int, stop: int) -> np.ndarray:
        """Output samples first..stop-1 from the buffer (which must cover them)."""
        out = np.empty(max(0, stop - first), dtype=np.float64)
        for a in range(first, stop, _BLOCK):
            n = np.arange(a, min(stop, a + _BLOCK), dtype=np.int64)
            whole = (n * self._down) // self._up  # integer part of the position
            frac = (n * self._down - whole * self._up) / self._up
            idx = (whole - self._start)[:, None] + self._offsets[None, :]
            weights = self._kernel(frac[:, None] - self._offsets[None, :].astype(np.float64))
            weights /= weights.sum(axis=1, keepdims=True)  # exact unity gain at DC
            out[a - first : a - first + len(n)] = (self._buffer[idx] * weights).sum(axis=1)
        return out

    def _emit(self, stop: int) -> AudioChunk:
        first = self._next
        ts = None if self._timestamp is None else self._timestamp + first / self.out_rate
        if stop <= first:
            return AudioChunk(self.out_rate, 2, 1, b"", ts)
        samples = self._render(first, stop)
        self._next = stop
        # Drop input that no future output can reach.
        keep_from = (stop * self._down) // self._up - self._taps + 1
        drop = keep_from - self._start
        if drop > 0:
            self._buffer = self._buffer[drop:]
            self._start = keep_from
        return AudioChunk.from_int16(_to_int16(samples), self.out_rate, ts)

    def process(self, chunk: AudioChunk) -> AudioChunk:
        """Resample the next piece of the stream; may return an empty chunk."""
        if chunk.rate != self.in_rate:
            raise ValueError(f"resampler expects {self.in_rate} Hz, got {chunk.rate} Hz")
        if self._timestamp is None and self._consumed == 0 and chunk.timestamp is not None:
            self._timestamp = chunk.timestamp
        data = to_float_mono(chunk)
        if self._passthrough:
            first = self._next
            self._consumed += len(data)
            self._next += len(data)
            ts = None if self._timestamp is None else self._timestamp + first / self.out_rate
            return AudioChunk.from_int16(_to_int16(data), self.out_rate, ts)
        self._buffer = np.concatenate([self._buffer, data])
        self._consumed += len(data)
        last = self._start + len(self._buffer) - 1  # newest input index held
        # Output n is ready when its rightmost tap, floor(pos) + _taps, is held.
        ready = ((last - self._taps + 1) * self._up + self._down - 1) // self._down
        total = -(-self._consumed * self._up // self._down)  # never beyond the signal's end
        return self._emit(min(ready, total))

    def flush(self) -> AudioChunk:
        """Release the samples held back for the filter's look-ahead and end the stream."""
        total = -(-self._consumed * self._up // self._down)
        if self._passthrough:
            out = AudioChunk(self.out_rate, 2, 1, b"", None)
        else:
            self._buffer = np.concatenate([self._buffer, np.zeros(self._taps + 1)])
            out = self._emit(total)
        self.reset()
        return out


def to_mono16k(chunk: AudioChunk) -> AudioChunk:
    """Any rate, channel count and sample width -> 16 kHz mono int16.

    Returns the chunk itself when it already is in that format.  The result
    has ``ceil(frames * 16000 / rate)`` frames and keeps the timestamp.
    """
    if is_mono16k(chunk):
        return chunk
    r = Resampler(chunk.rate, TARGET_RATE)
    head = r.process(chunk)
    tail = r.flush()
    return AudioChunk(TARGET_RATE, 2, 1, head.audio + tail.audio, chunk.timestamp)


class Mono16kStream:
    """Chunks of any format in, 16 kHz mono int16 bytes out, for streaming recognisers.

    Chunks already in that format pass through untouched; others go through
    a ``Resampler``, which is flushed and replaced if the input rate changes.
    """

    def __init__(self) -> None:
        self._resampler: Resampler | None = None

    def convert(self, chunk: AudioChunk) -> bytes:
        if is_mono16k(chunk) and self._resampler is None:
            return chunk.audio
        head = b""
        if self._resampler is not None and self._resampler.in_rate != chunk.rate:
            head = self._resampler.flush().audio
            self._resampler = None
        if self._resampler is None:
            self._resampler = Resampler(chunk.rate, TARGET_RATE)
        return head + self._resampler.process(chunk).audio

    def flush(self) -> bytes:
        if self._resampler is None:
            return b""
        tail = self._resampler.flush().audio
        self._resampler = None
        return tail
