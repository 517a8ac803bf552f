"""Resampling to 16 kHz mono: accuracy, anti-aliasing, and streaming == one-shot."""

from __future__ import annotations

import numpy as np
import pytest

from audio_companion.audio.chunk import AudioChunk
from audio_companion.audio.resample import Mono16kStream, Resampler, to_mono16k


def tone(freq: float, rate: int, seconds: float = 1.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t) * 32767).astype(np.int16)


def as_float(chunk: AudioChunk) -> np.ndarray:
    return chunk.to_int16()[:, 0].astype(np.float64) / 32768.0


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000])
def test_tone_survives_conversion(rate: int) -> None:
    out = to_mono16k(AudioChunk.from_int16(tone(440, rate), rate))
    assert (out.rate, out.width, out.channels) == (16000, 2, 1)
    assert out.frames == 16000
    got = as_float(out)
    want = 0.5 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    assert np.abs(got[100:-100] - want[100:-100]).max() < 1e-3


@pytest.mark.parametrize("freq", [9000, 12000, 20000])
def test_content_above_8k_is_removed_not_aliased(freq: int) -> None:
    out = as_float(to_mono16k(AudioChunk.from_int16(tone(freq, 48000), 48000)))
    rms = np.sqrt(np.mean(out[200:-200] ** 2))
    assert rms < 0.35 * 10 ** (-60 / 20)  # at least 60 dB down


def test_stereo_is_averaged_and_length_rounds_up() -> None:
    left = tone(300, 44100, 0.5)
    stereo = np.stack([left, np.zeros_like(left)], axis=1)
    out = to_mono16k(AudioChunk.from_int16(stereo, 44100, timestamp=3.0))
    assert out.frames == -(-len(left) * 16000 // 44100)
    assert out.timestamp == 3.0
    peak = np.abs(as_float(out)[200:-200]).max()
    assert peak == pytest.approx(0.25, abs=0.01)


def test_already_mono16k_is_returned_as_is() -> None:
    chunk = AudioChunk.from_int16(tone(440, 16000), 16000)
    assert to_mono16k(chunk) is chunk


def test_other_sample_widths() -> None:
    eight = ((tone(440, 8000).astype(np.int32) >> 8) + 128).astype(np.uint8)
    out = to_mono16k(AudioChunk(8000, 1, 1, eight.tobytes()))
    assert out.frames == 16000
    assert np.abs(as_float(out)).max() == pytest.approx(0.5, abs=0.02)
    wide = tone(440, 32000).astype("<i4") << 16
    out = to_mono16k(AudioChunk(32000, 4, 1, wide.tobytes()))
    assert np.abs(as_float(out)).max() == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("rate", [16000, 44100, 48000, 8000])
def test_streaming_matches_one_shot(rate: int) -> None:
    rng = np.random.default_rng(rate)
    signal = (rng.normal(0, 3000, rate)).astype(np.int16)
    whole = to_mono16k(AudioChunk.from_int16(signal, rate))
    r = Resampler(rate)
    pieces, i = [], 0
    while i < len(signal):
        n = int(rng.integers(1, 2000))
        pieces.append(r.process(AudioChunk.from_int16(signal[i : i + n], rate)).audio)
        i += n
    pieces.append(r.flush().audio)
    assert b"".join(pieces) == whole.audio
    # after flush the resampler starts a fresh stream
    assert r.process(AudioChunk.from_int16(signal, rate)).audio + r.flush().audio == whole.audio


def test_resampler_rejects_wrong_rate_and_stamps_time() -> None:
    r = Resampler(48000)
    with pytest.raises(ValueError):
        r.process(AudioChunk.from_int16(tone(440, 44100), 44100))
    first = r.process(AudioChunk.from_int16(tone(440, 48000, 0.5), 48000, timestamp=10.0))
    second = r.process(AudioChunk.from_int16(tone(440, 48000, 0.5), 48000, timestamp=10.5))
    assert first.timestamp == 10.0
    assert second.timestamp == pytest.approx(10.0 + first.frames / 16000)


def test_mono16k_stream_handles_rate_changes() -> None:
    s = Mono16kStream()
    direct = AudioChunk.from_int16(tone(440, 16000, 0.1), 16000)
    assert s.convert(direct) == direct.audio
    a = s.convert(AudioChunk.from_int16(tone(440, 48000, 0.1), 48000))
    b = s.convert(AudioChunk.from_int16(tone(440, 22050, 0.1), 22050))
    total = len(a) + len(b) + len(s.flush())
    assert total == 2 * 2 * 1600
