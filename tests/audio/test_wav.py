import itertools
import struct
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.wav import WavFileSource, read_wav, write_wav


def test_round_trip(tmp_path: Path) -> None:
    chunk = AudioChunk.from_int16(np.arange(-500, 500, dtype="<i2"), 8000)
    write_wav(tmp_path / "a.wav", chunk)
    assert read_wav(tmp_path / "a.wav") == chunk


def extensible_wav(samples: np.ndarray, rate: int, channels: int) -> bytes:
    """A WAVE_FORMAT_EXTENSIBLE file as sox and ffmpeg write them."""
    pcm = samples.astype("<i2").tobytes()
    guid = struct.pack("<H", 1) + bytes.fromhex("000000001000800000aa00389b71")
    fmt = (
        struct.pack(
            "<HHIIHHHHI", 0xFFFE, channels, rate, rate * 2 * channels, 2 * channels, 16, 22, 16, 0
        )
        + guid
    )
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(pcm)) + pcm
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_reads_wave_format_extensible(tmp_path: Path) -> None:
    wav = tmp_path / "ext.wav"
    samples = (np.sin(np.arange(44100) / 10) * 1000).astype("<i2").repeat(2)
    wav.write_bytes(extensible_wav(samples, 44100, 2))
    if sys.version_info < (3, 12):
        # Python's own reader refuses it before 3.12.
        with pytest.raises(wave.Error), wave.open(str(wav)):
            pass
    chunk = read_wav(wav)
    assert (chunk.rate, chunk.channels, chunk.width) == (44100, 2, 2)
    assert chunk.duration == pytest.approx(1.0)
    assert chunk.to_int16()[:, 0].tolist() == samples[::2].tolist()


def test_file_source_yields_abutting_16k_chunks(tmp_path: Path) -> None:
    write_wav(tmp_path / "b.wav", AudioChunk.silence(1.0, 22050))
    src = WavFileSource(tmp_path / "b.wav", chunk_ms=30, start=5.0)
    chunks = []
    while (c := src.read()) is not None:
        chunks.append(c)
    assert src.exhausted and chunks[0].timestamp == 5.0
    assert all(c.rate == 16000 for c in chunks)
    for a, b in itertools.pairwise(chunks):
        assert b.timestamp == pytest.approx(a.timestamp + a.duration)
    assert sum(c.duration for c in chunks) == pytest.approx(1.0, abs=0.002)
