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
