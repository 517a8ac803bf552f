"""WAV files as a source and a sink of AudioChunks."""

from __future__ import annotations

import wave
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk


def read_wav(path: Path) -> AudioChunk:
    with wave.open(str(path), "rb") as w:
        return AudioChunk(
            w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes())
        )


def write_wav(path: Path, chunk: AudioChunk) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(chunk.channels)
        w.setsampwidth(chunk.width)
        w.setframerate(chunk.rate)
        w.writeframes(chunk.audio)


class WavFileSource:
    """A WAV file as a microphone: 16 kHz mono chunks with timestamps from `start`.

    Used for `transcribe`, replaying recorded sessions and tests; `exhausted`
    turns true after the last chunk.
    """

    def __init__(self, path: Path, chunk_ms: int = 30, start: float = 0.0) -> None:
        from audio_companion.audio.resample import to_mono16k

        self.audio = to_mono16k(read_wav(path))
        self._step = self.audio.rate * chunk_ms // 1000 * 2
        self._pos = 0
        self._start = start
        self.exhausted = False

    def read(self, timeout: float = 1.0) -> AudioChunk | None:
        if self._pos >= len(self.audio.audio):
            self.exhausted = True
            return None
        data = self.audio.audio[self._pos : self._pos + self._step]
        ts = self._start + self._pos / 2 / self.audio.rate
        self._pos += len(data)
        return AudioChunk(self.audio.rate, 2, 1, data, ts)
