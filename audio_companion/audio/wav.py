"""WAV files as a source and a sink of AudioChunks."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

from audio_companion.audio.chunk import AudioChunk

WAVE_FORMAT_PCM = 1
WAVE_FORMAT_EXTENSIBLE = 0xFFFE


def read_wav(path: Path) -> AudioChunk:
    try:
        with wave.open(str(path), "rb") as w:
            return AudioChunk(
                w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes())
            )
    except wave.Error as exc:
        # sox and ffmpeg write WAVE_FORMAT_EXTENSIBLE headers that Python's
        # wave module reads only from 3.12 on; the samples are plain PCM.
        if "65534" not in str(exc):
            raise
        return _read_extensible(path)


def _read_extensible(path: Path) -> AudioChunk:
    data = path.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise wave.Error("not a RIFF/WAVE file")
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            pcm = body
        pos += 8 + size + (size & 1)
    if fmt is None or pcm is None:
        raise wave.Error("WAV file without fmt or data chunk")
    tag, channels, rate = struct.unpack("<HHI", fmt[:8])
    bits = struct.unpack("<H", fmt[14:16])[0]
    if tag == WAVE_FORMAT_EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the sub-format GUID starts with the tag
    if tag != WAVE_FORMAT_PCM or bits not in (8, 16, 32):
        raise wave.Error(f"unsupported WAV encoding (format {tag}, {bits} bits)")
    width = bits // 8
    usable = len(pcm) - len(pcm) % (width * channels)
    return AudioChunk(rate, width, channels, pcm[:usable])


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
